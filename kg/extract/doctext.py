"""A Doc's text, tokens and sentences, read once: spaCy rebuilds ``Doc.text`` from its Token objects on every
access (a Python object per token), and iterating a Doc or its sentences makes a Token or Span object per item.
Every component of the pipeline needs the text, and several need every token's offset and text: the first
reader keeps them in ``doc.user_data``. The text of a Doc never changes (retokenizing merges and splits tokens,
not characters); the tokens and sentences are kept for one tokenization (:func:`forget_tokens` after a split).

>>> import spacy
>>> doc = spacy.blank("en")("Nvidia supplies chips.")
>>> doc_text(doc), doc_text(doc) is doc_text(doc)
('Nvidia supplies chips.', True)
>>> token_offsets(doc)
([0, 7, 16, 21], ['Nvidia', 'supplies', 'chips', '.'])
"""
from __future__ import annotations

from typing import NamedTuple

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc

_KEY = "kg.text"
_TOKENS = "kg.tokens"
_SENTS = "kg.sents"


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
    last = doc[-1]          # (one Token object, not two: this runs on every read of the text)
    return last.idx + len(last.text_with_ws)


def remember_text(doc: Doc, text: str) -> None:
    """Record ``text`` as ``doc``'s text (a component that has just built it from the tokens)."""
    doc.user_data[_KEY] = text


def _stamp(doc: Doc) -> tuple[int, int]:
    # what a kept value belongs to: this many tokens over this much text (a split adds tokens)
    return len(doc), len(doc_text(doc))


def token_offsets(doc: Doc) -> tuple[list[int], list[str]]:
    """The start offset and the text of every token of ``doc`` (``[t.idx for t in doc]``, ``[t.text ...]``),
    read from one array and kept with the Doc until :func:`forget_tokens`."""
    kept = doc.user_data.get(_TOKENS)
    if kept is not None and kept[0] == _stamp(doc):
        return kept[1], kept[2]
    text = doc_text(doc)
    if len(doc):
        arr = doc.to_array([IDX, LENGTH])
        starts, lengths = arr[:, 0].tolist(), arr[:, 1].tolist()
    else:
        starts, lengths = [], []
    texts = [text[s:s + n] for s, n in zip(starts, lengths)]
    doc.user_data[_TOKENS] = (_stamp(doc), starts, texts)
    return starts, texts


class Sentence(NamedTuple):
    """A sentence of a Doc as offsets, for components that need no Span object: tokens ``start:end``,
    characters ``start_char:end_char`` (as ``Span.start`` … ``Span.end_char``) and its ``text``."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str

    def __len__(self) -> int:
        """The number of tokens, as ``len(span)``."""
        return self.end - self.start


def sentences(doc: Doc) -> list[Sentence]:
    """``doc.sents`` as :class:`Sentence` tuples (the same boundaries), kept until :func:`forget_tokens`."""
    kept = doc.user_data.get(_SENTS)
    if kept is not None and kept[0] == _stamp(doc):
        return kept[1]
    starts, texts = token_offsets(doc)
    text = doc_text(doc)
    n = len(starts)
    if not n:
        out = []
    else:
        if doc.has_annotation("SENT_START"):
            flags = doc.to_array([SENT_START]).tolist()
            firsts = [0] + [i for i in range(1, n) if flags[i] == 1]
        else:
            raise ValueError("sentence boundaries are not set (kg_sentences has not run)")   # as Doc.sents
        out = []
        for a, b in zip(firsts, firsts[1:] + [n]):
            s, e = starts[a], starts[b - 1] + len(texts[b - 1])
            out.append(Sentence(a, b, s, e, text[s:e]))
    doc.user_data[_SENTS] = (_stamp(doc), out)
    return out


def forget_tokens(doc: Doc, tokens: bool = True) -> None:
    """Drop the kept sentences of ``doc`` (its sentence starts have just changed) and, unless ``tokens`` is
    false, its kept tokens (they have just been split)."""
    if tokens:
        doc.user_data.pop(_TOKENS, None)
    doc.user_data.pop(_SENTS, None)
