"""--model: a trained spaCy pipeline's NER joins the lexicons. The test trains a small real English NER
pipeline on sentences of our own (no model download), saves it, and builds with it."""
import random
import subprocess
import sys

import pytest
import spacy
from spacy.training import Example

from kg.build import build_graph
from kg.errors import UsageError
from kg.vocab import ENT, KG

TRAIN = [
    ("Zed Quorin joined the team in May.", [(0, 10, "PERSON")]),
    ("Yesterday Zed Quorin spoke to reporters.", [(10, 20, "PERSON")]),
    ("Talia Vrenn said the results were strong.", [(0, 11, "PERSON")]),
    ("The board hired Talia Vrenn last year.", [(16, 27, "PERSON")]),
    ("Orvel Tanaka will lead the new unit.", [(0, 12, "PERSON")]),
    ("Analysts asked Orvel Tanaka about margins.", [(15, 27, "PERSON")]),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    random.seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("PERSON")
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1)
    path = tmp_path_factory.mktemp("model") / "tiny_en_ner"
    nlp.to_disk(path)
    return str(path)


def test_model_names_a_person_the_rules_cannot(tmp_path, tiny_model):
    article = tmp_path / "a.txt"
    article.write_text("Zed Quorin joined Anthropic in 2024.\n", encoding="utf-8")
    without = build_graph([article])
    assert (ENT.Zed_Quorin, KG.worksFor, ENT.Anthropic) not in without
    with_model = build_graph([article], models=[tiny_model])
    assert (ENT.Zed_Quorin, KG.worksFor, ENT.Anthropic) in with_model


def test_missing_model_is_a_usage_error(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Microsoft invested in OpenAI.\n", encoding="utf-8")
    with pytest.raises(UsageError):
        build_graph([article], models=["no_such_pipeline_xyz"])
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(article), "--out", str(tmp_path / "g.ttl"),
                           "--model", "no_such_pipeline_xyz"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("kg: error: --model no_such_pipeline_xyz")
    assert not (tmp_path / "g.ttl").exists()
