"""A Doc's text, read once: spaCy rebuilds ``Doc.text`` from its Token objects on every access (a Python
object per token), and every component of the pipeline needs the text. The text of a Doc never changes
(retokenizing merges and splits tokens, not characters), so the first reader keeps it in ``doc.user_data``.

>>> import spacy
>>> doc = spacy.blank("en")("Nvidia supplies chips.")
>>> doc_text(doc), doc_text(doc) is doc_text(doc)
('Nvidia supplies chips.', True)
"""
from __future__ import annotations

from spacy.tokens import Doc

_KEY = "kg.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed on the first call for ``doc`` and kept with it."""
    text = doc.user_data.get(_KEY)
    # user_data can travel to another Doc (Span.as_doc copies it): kept text is trusted only at the same length
    if text is None or len(text) != _length(doc):
        text = doc.user_data[_KEY] = doc.text
    return text


def _length(doc: Doc) -> int:
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def remember_text(doc: Doc, text: str) -> None:
    """Record ``text`` as ``doc``'s text (a component that has just built it from the tokens)."""
    doc.user_data[_KEY] = text
