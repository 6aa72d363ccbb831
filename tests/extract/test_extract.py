"""Table-driven extraction tests (textacy style): each row is a sentence and the relations it states."""
import pytest

from kg.extract.document import Extractor
from kg.model import Document
from tests.extract.extraction_cases import EN, ZH


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def relations(extractor, text, lang):
    x = extractor.extract(Document("case.txt", text, "0" * 64, lang))
    return {(r.subject, r.predicate, r.object) for r in x.relations}


def _canon(triples):
    from kg.vocab import SYMMETRIC
    return {(min(s, o), p, max(s, o)) if p in SYMMETRIC else (s, p, o) for s, p, o in triples}


@pytest.mark.parametrize("text,expected", ZH, ids=[t[:24] for t, _ in ZH])
def test_chinese(extractor, text, expected):
    assert _canon(relations(extractor, text, "zh")) == _canon(expected)


@pytest.mark.parametrize("text,expected", EN, ids=[t[:32] for t, _ in EN])
def test_english(extractor, text, expected):
    assert _canon(relations(extractor, text, "en")) == _canon(expected)


def test_enough_cases_per_language():
    assert len(ZH) >= 40 and len(EN) >= 40
