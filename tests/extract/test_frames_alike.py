"""kg_frames reads a sentence written like an earlier one (same words around the names, same classes):
the facts must be those of each sentence read on its own."""
from kg.extract.frames import FrameExtractor
from kg.extract.pipeline import make_nlp


def _facts(doc):
    return sorted((r.subject, r.predicate, r.object, r.evidence.sentence) for r in doc._.relations)


def _frames_of(nlp, text):
    return next(proc for name, proc in nlp.pipeline if name == "kg_frames"), nlp(text)


def test_sentences_written_alike_keep_their_own_names():
    nlp = make_nlp("en")
    extractor, doc = _frames_of(nlp, "Microsoft acquired Nuance. Oracle acquired Cerner.")
    assert isinstance(extractor, FrameExtractor)
    one, two = nlp("Microsoft acquired Nuance."), nlp("Oracle acquired Cerner.")
    assert _facts(doc) == sorted(_facts(one) + _facts(two))
    assert ("Oracle", "acquires", "Cerner", "Oracle acquired Cerner.") in _facts(doc)


def test_chinese_sentences_written_alike():
    nlp = make_nlp("zh")
    doc = nlp("微软投资了OpenAI。谷歌投资了Anthropic。")
    facts = {(r.subject, r.predicate, r.object) for r in doc._.relations}
    assert {("Microsoft", "investsIn", "OpenAI"), ("Google", "investsIn", "Anthropic")} <= facts
