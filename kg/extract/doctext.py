"""A Doc's text, tokens and sentences, read once: spaCy rebuilds ``Doc.text`` from its Token objects on every
access (a Python object per token), and iterating a Doc, ``doc.sents`` or a span group builds a Python object
per token or span each time. The text of a Doc never changes (retokenizing merges and splits tokens, not
characters), so the first reader keeps it in ``doc.user_data``; token offsets and sentences are read from the
Doc's arrays (``Doc.to_array``) as plain integers and strings.

>>> import spacy
>>> doc = spacy.blank("en")("Nvidia supplies chips.")
>>> doc_text(doc), doc_text(doc) is doc_text(doc)
('Nvidia supplies chips.', True)
>>> token_table(doc)[0], token_table(doc)[1]
([0, 7, 16, 21], ['Nvidia', 'supplies', 'chips', '.'])
>>> from spacy.tokens import Span
>>> doc.ents = [Span(doc, 0, 1, label="Company", kb_id="Nvidia")]
>>> entities(doc) is entities(doc), [(e.text, e.kb_id_) for e in entities(doc)]
(True, [('Nvidia', 'Nvidia')])
"""
from __future__ import annotations

from itertools import pairwise

import numpy
from spacy.attrs import (
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    IDX,
    LENGTH,
    SENT_START,
    SPACY,
)
from spacy.tokens import Doc, Span

_KEY = "kg.text"
_SENTS = "kg.sents"
_TOKENS = "kg.tokens"
_ENT_ATTRS = [ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]
# spaCy keeps a span's extension values in ``doc.user_data`` under this key (spacy.tokens.underscore)
_EXT = "._."


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed on the first call for ``doc`` and kept with it."""
    text = doc.user_data.get(_KEY)
    # user_data can travel to another Doc (Span.as_doc copies it): kept text is trusted only at the same length
    if text is None or len(text) != _length(doc):
        text = doc.user_data[_KEY] = doc.text
    return text


def _length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]      # one Token object: an array of every token here made each read of the text O(tokens)
    # (len(token) and its one trailing space, without building the string text_with_ws)
    return last.idx + len(last) + (1 if last.whitespace_ else 0)


def remember_text(doc: Doc, text: str) -> None:
    """Record ``text`` as ``doc``'s text (a component that has just built it from the tokens)."""
    doc.user_data[_KEY] = text


def token_table(doc: Doc) -> tuple[list[int], list[str], list[bool]]:
    """Every token's character offset, text and whether a space follows it, without a Token object each;
    kept with the Doc while its number of tokens stays (splitting tokens adds some). Callers must not change
    the lists."""
    if not len(doc):
        return [], [], []
    kept = doc.user_data.get(_TOKENS)
    if kept is not None and kept[0] == (len(doc), len(doc_text(doc))):
        return kept[1]
    arr = doc.to_array([IDX, LENGTH, SPACY])
    text = doc_text(doc)
    # a column each: tolist() of the whole array made a Python list per token
    starts, ends = arr[:, 0].tolist(), (arr[:, 0] + arr[:, 1]).tolist()
    table = starts, [text[s:e] for s, e in zip(starts, ends)], arr[:, 2].astype(bool).tolist()
    doc.user_data[_TOKENS] = ((len(doc), len(text)), table)
    return table


class Sentence:
    """One sentence of a Doc as plain numbers: token range ``start:end``, character range
    ``start_char:end_char`` and its text; ``len()`` is its number of tokens (what ``len(span)`` says)."""

    __slots__ = ("end", "end_char", "start", "start_char", "text")

    def __init__(self, start: int, end: int, start_char: int, end_char: int, text: str):
        self.start, self.end, self.start_char, self.end_char, self.text = start, end, start_char, end_char, text

    def __len__(self) -> int:
        return self.end - self.start


def sentences(doc: Doc) -> list[Sentence]:
    """``doc.sents`` as :class:`Sentence` items (the same boundaries, texts and offsets), kept with the Doc
    until its tokens or sentence flags change (:func:`forget_sentences`)."""
    kept = doc.user_data.get(_SENTS)
    if kept is not None and kept[0] == len(doc):
        return kept[1]
    out: list[Sentence] = []
    if len(doc):
        text = doc_text(doc)
        starts, texts, _ = token_table(doc)
        flags = doc.to_array(SENT_START)
        # what Doc.sents does: a sentence starts at token 0 and at every token flagged as a start
        cuts = [0] + (numpy.flatnonzero(flags[1:] == 1) + 1).tolist() + [len(starts)]
        for s, e in pairwise(cuts):
            sc, ec = starts[s], starts[e - 1] + len(texts[e - 1])
            out.append(Sentence(s, e, sc, ec, text[sc:ec]))
    doc.user_data[_SENTS] = (len(doc), out)
    return out


def forget_sentences(doc: Doc) -> None:
    """Drop the sentences kept by :func:`sentences` (the sentence flags have just been set again)."""
    doc.user_data.pop(_SENTS, None)


def forget_tokens(doc: Doc) -> None:
    """Drop the token table and sentences kept for ``doc`` (its tokens have just been split)."""
    doc.user_data.pop(_TOKENS, None)
    doc.user_data.pop(_SENTS, None)


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once and kept while its entity annotation stays the same: ``Doc.ents`` makes a
    new Span object per entity on every read. The annotation is compared as one array (a C copy), so a
    component that sets ``doc.ents`` again is seen. Callers must not change the spans."""
    state = doc.to_array(_ENT_ATTRS).tobytes() if len(doc) else b""
    kept = _LAST_ENTS[0]
    if kept is not None and kept[0] is doc and kept[1] == state:
        return kept[2]
    ents = doc.ents
    # kept here for the last Doc read (the components read one Doc after another), not in doc.user_data: a
    # Span holds its Doc, and a Doc holding its spans would be a reference cycle, freed only by the garbage
    # collector (every Doc of a build would wait for it, and make each collection longer)
    _LAST_ENTS[0] = (doc, state, ents)
    return ents


def remember_entities(doc: Doc, spans: list[Span]) -> None:
    """Record ``spans``, just given to ``doc.set_ents``, as what :func:`entities` returns for ``doc``: the
    component that made them saves ``Doc.ents`` building them all again. Only spans ``Doc.ents`` reads back
    the same (non-overlapping, in order, labelled), as ``set_ents`` stores them."""
    state = doc.to_array(_ENT_ATTRS).tobytes() if len(doc) else b""
    _LAST_ENTS[0] = (doc, state, tuple(s for s in spans if s.label_ != ""))


_LAST_ENTS: list = [None]


def span_value(doc: Doc, name: str, start_char: int, end_char: int):
    """``span._.<name>`` of the span at ``start_char:end_char`` of ``doc``, read without building the span's
    Underscore object (one per ``span._`` access, the largest cost of reading extension values in a loop).
    Only for extensions with an immutable default.

    >>> import spacy
    >>> doc = spacy.blank("en")("Nvidia supplies chips.")
    >>> Span.has_extension("kg_doctest") or Span.set_extension("kg_doctest", default=0.5)
    >>> span = Span(doc, 0, 1); span._.kg_doctest = 0.9
    >>> span_value(doc, "kg_doctest", 0, 6), span_value(doc, "kg_doctest", 7, 15)
    (0.9, 0.5)
    """
    try:
        return doc.user_data[_EXT, name, start_char, end_char]
    except KeyError:        # (rare: the components that make spans set their values)
        return _stored_default(Span, name)


def doc_value(doc: Doc, name: str):
    """``doc._.<name>``, read without building an Underscore object (one per ``doc._`` access: the largest
    cost of a component's few dozen reads per Doc). Only for extensions with an immutable default."""
    try:
        return doc.user_data[_EXT, name, None, None]
    except KeyError:
        return _stored_default(Doc, name)


def set_doc_value(doc: Doc, name: str, value) -> None:
    """``doc._.<name> = value`` without an Underscore object (see :func:`doc_value`)."""
    _stored_default(Doc, name)          # (an extension that exists and stores its values)
    doc.user_data[_EXT, name, None, None] = value


def set_span_value(doc: Doc, name: str, start_char: int, end_char: int, value) -> None:
    """``span._.<name> = value`` for the span at ``start_char:end_char`` of ``doc``, without an Underscore
    object (see :func:`span_value`)."""
    _stored_default(Span, name)         # (an extension that exists and stores its values)
    doc.user_data[_EXT, name, start_char, end_char] = value


def _stored_default(cls, name: str):
    """The default of extension ``name`` of ``cls`` (Doc or Span), which must store values: no method, no
    getter, an immutable default (a read falls back to the default itself, which must never be changed)."""
    default, method, getter, _ = cls.get_extension(name)
    if method is not None or getter is not None or isinstance(default, (dict, list, set)):
        raise ValueError(f"{cls.__name__.lower()}_value reads stored values only: {name}")
    return default
