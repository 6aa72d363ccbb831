"""``kg_model_ner``: names from a trained spaCy pipeline, used alongside the gazetteer and the rules.

kg never needs a trained model. When a user has one installed (``en_core_web_sm``, ``zh_core_web_sm``, or
a pipeline of their own on disk), ``kg build --model NAME`` runs its NER on each paragraph of the model's
language and offers what it finds to ``kg_entities`` as candidates: a gazetteer name still wins where the
two overlap, and the model's label decides the class of names no lexicon knows. The model's spans travel
as character offsets in ``doc.spans["model"]``, so its tokenizer never has to agree with jieba's.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.errors import UsageError

# OntoNotes-style labels (spaCy's English and Chinese models) and CoNLL-style ones -> ontology classes
LABELS = {"PERSON": "Person", "PER": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place",
          "FAC": "Place", "PRODUCT": "Product"}


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """A trained spaCy pipeline by package name or path; a clear error if it is not installed."""
    import spacy
    try:
        nlp = spacy.load(name, exclude=["parser", "lemmatizer", "textcat", "tagger", "attribute_ruler"])
    except OSError:
        raise UsageError(f"--model {name}: no spaCy pipeline of that name or path is installed") from None
    if "ner" not in nlp.pipe_names:
        raise UsageError(f"--model {name}: the pipeline has no 'ner' component")
    return nlp


class ModelNER:
    """The ``kg_model_ner`` component: a trained pipeline's names as ``doc.spans["model"]`` (character offsets
    in ``span._.offsets``), for ``kg_entities`` to weigh; holds only the loaded model."""

    def __init__(self, model: str):
        self.model = load_model(model)

    def __call__(self, doc: Doc) -> Doc:
        """Run the model on the text and set ``doc.spans["model"]``."""
        spans = []
        for ent in self.model(doc.text).ents:
            cls = LABELS.get(ent.label_)
            span = doc.char_span(ent.start_char, ent.end_char, alignment_mode="expand") if cls else None
            if span is not None:
                span = Span(doc, span.start, span.end, label=cls)
                span._.offsets = (ent.start_char, ent.end_char)
                spans.append(span)
        doc.spans["model"] = spans
        return doc


@Language.factory("kg_model_ner", default_config={"model": ""}, assigns=["doc.spans", "span._.offsets"])
def make_model_ner(nlp: Language, name: str, model: str):
    """spaCy factory of :class:`ModelNER` (``model``: a package name or path)."""
    return ModelNER(model)
