"""``kg_sentences``: sentence boundaries after Chinese and ASCII sentence punctuation and at line breaks.

A sentence ends after 。！？!?；… or a full stop token (spaCy keeps "Inc." and "U.S." whole, so they do not
end one), together with any closing quotes or brackets that follow; a line break always ends one, so
several paragraphs can share one Doc.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_sentences")
>>> [s.text for s in nlp('BlackRock, Inc. joined. "It is done."\\nNext line').sents]
['BlackRock, Inc. joined.', '"It is done."\\n', 'Next line']
"""
from __future__ import annotations

import re
from bisect import bisect_right

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.doctext import doc_text, forget_sentences, token_table

ENDERS = frozenset([".", "!", "?", "。", "！", "？", "；", "…", "……", "?!", "!!", "..."])
CLOSERS = frozenset(['"', "”", "’", "'", ")", "）", "]", "」", "』", "》", "】"])
# the characters of the enders and the line break: a token that ends a sentence holds one of them
_CUES = re.compile("[" + re.escape("".join(sorted(set("".join(ENDERS))))) + "\n]")
CUES = _CUES        # (kg.extract.entities asks whether a piece of a split token holds one)


@Language.component("kg_sentences", assigns=["token.is_sent_start"])
def mark_sentences(doc: Doc) -> Doc:
    """Set ``token.is_sent_start`` on every token of ``doc`` (the rules are in the module docstring)."""
    # One pass over plain strings and one array write: per-token Token objects and the is_sent_start setter
    # (which checks the Doc's annotation each time) cost more than the rules themselves.
    starts, texts, ws = token_table(doc)
    n = len(texts)
    flags = numpy.full(n, -1, dtype="int32")       # -1: not a start (spaCy's SENT_START values: 1, -1, 0)
    if n:
        flags[0] = 1
    # only the tokens holding an ender's character or a line break can end a sentence: found in the text
    # (one search) rather than by reading every token; each sets flags only, so their order does not matter
    for i in sorted({bisect_right(starts, m.start()) - 1 for m in _CUES.finditer(doc_text(doc))}):
        text = texts[i]
        if text in ENDERS or "\n" in text:
            j = i + 1
            # a quote or bracket right after the ender closes the sentence; after a space it opens the next
            while j < n and texts[j] in CLOSERS and not ws[j - 1]:
                j += 1
            while j < n and not texts[j].strip() and "\n" in texts[j]:   # blank lines stay with the sentence
                j += 1
            if j < n:
                flags[j] = 1
    if n:
        doc.from_array([SENT_START], flags.reshape(n, 1).astype("uint64"))
    forget_sentences(doc)
    return doc
