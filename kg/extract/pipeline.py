"""kg's spaCy pipelines: one per language, built from blank models plus kg's own components.

``make_nlp("zh")`` is ``spacy.blank("zh")`` with the jieba segmenter; ``make_nlp("en")`` is
``spacy.blank("en")``. Both then run: ``kg_sentences`` (Chinese and ASCII sentence punctuation, line breaks) ->
``kg_entities`` -> ``kg_quantities`` -> ``kg_coref`` -> ``kg_relations`` (the sentence patterns, for what
frames do not read yet) -> ``kg_frames`` (triggers and argument linking) -> ``kg_events`` (amounts, dates
and rounds of the event frames). Results travel on the Doc: ``doc.ents``,
``doc.spans["money" | "date" | "coref"]``, ``doc._.relations``, ``doc._.investments``, ``doc._.acquisitions``.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

# importing the modules registers their factories
from kg.extract import (  # noqa: F401
    coref,
    entities,
    events,
    frames,
    jieba_cache,
    model_ner,
    quantities,
    relations,
    sentences,
)

for name, default in (("context", None), ("relations", None), ("investments", None), ("used_keys", None),
                      ("headline", False), ("compounds", None), ("frames", None), ("acquisitions", None),
                      ("found", None)):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)
for name, default in (("confidence", 0.0), ("source", ""), ("strong", False), ("value", None), ("refers", ()),
                      ("offsets", None)):
    if not Span.has_extension(name):
        Span.set_extension(name, default=default)


@lru_cache(maxsize=4)
def make_nlp(lang: str, model: str | None = None) -> Language:
    """The kg pipeline for ``lang`` ("zh" or "en"), built once per process. ``model`` names a trained spaCy
    pipeline whose NER joins the gazetteer and the rules (``kg_model_ner`` before ``kg_entities``)."""
    if lang == "zh":
        jieba_cache.initialize()              # before spaCy's tokenizer initializes jieba its own, slower way
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    elif lang == "en":
        nlp = spacy.blank("en")
    else:
        raise ValueError(f"unsupported language: {lang}")
    nlp.add_pipe("kg_sentences")
    if model:
        nlp.add_pipe("kg_model_ner", config={"model": model})
    for component in ("kg_entities", "kg_quantities", "kg_coref", "kg_relations", "kg_frames", "kg_events"):
        nlp.add_pipe(component)
    return nlp
