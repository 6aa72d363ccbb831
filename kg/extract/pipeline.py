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
from spacy.errors import Errors
from spacy.lang.zh import ChineseTokenizer, Segmenter
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
    segmenter,
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


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``: the same Doc. For the jieba segmenter, the words are jieba's, cut mostly by
    jieba-rs (:func:`kg.extract.segmenter.cut`), and aligned with the text in linear time
    (:func:`words_and_spaces`); spaCy's alignment copies the rest of the text for every word, so its time grew
    with the square of a window's length."""
    tok = nlp.tokenizer
    if type(tok) is not ChineseTokenizer or tok.segmenter != Segmenter.jieba:
        return nlp.make_doc(text)
    if len(text) > nlp.max_length:
        raise ValueError(Errors.E088.format(length=len(text), max_length=nlp.max_length))
    words, spaces = words_and_spaces([x for x in segmenter.cut(text) if x], text)
    return Doc(tok.vocab, words=words, spaces=spaces)


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """What ``spacy.util.get_words_and_spaces(words, text)`` returns, each word searched for from where the
    last one ended (``str.index`` with a start) instead of in a copy of the rest of the text.

    >>> words_and_spaces(["微软", " ", "投资", "  ", "了"], "微软 投资  了")
    (['微软', '投资', ' ', '了'], [True, True, False, False])
    """
    if "".join("".join(words).split()) != "".join(text.split()):
        raise ValueError(Errors.E194.format(text=text, words=words))
    text_words: list[str] = []
    text_spaces: list[bool] = []
    text_pos, n = 0, len(text)
    for word in words:
        if word.isspace():
            continue
        try:
            word_start = text.index(word, text_pos) - text_pos
        except ValueError:
            raise ValueError(Errors.E194.format(text=text, words=words)) from None
        if word_start > 0:
            text_words.append(text[text_pos:text_pos + word_start])
            text_spaces.append(False)
            text_pos += word_start
        text_words.append(word)
        text_pos += len(word)
        if text_pos < n and text[text_pos] == " ":
            text_spaces.append(True)
            text_pos += 1
        else:
            text_spaces.append(False)
    if text_pos < n:
        text_words.append(text[text_pos:])
        text_spaces.append(False)
    return text_words, text_spaces
