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

from spacy.language import Language
from spacy.tokens import Doc

ENDERS = frozenset([".", "!", "?", "。", "！", "？", "；", "…", "……", "?!", "!!", "..."])
CLOSERS = frozenset(['"', "”", "’", "'", ")", "）", "]", "」", "』", "》", "】"])


@Language.component("kg_sentences", assigns=["token.is_sent_start"])
def mark_sentences(doc: Doc) -> Doc:
    """Set ``token.is_sent_start`` on every token of ``doc`` (the rules are in the module docstring)."""
    starts = {0}
    n = len(doc)
    for tok in doc:
        if tok.text in ENDERS or "\n" in tok.text:
            j = tok.i + 1
            # a quote or bracket right after the ender closes the sentence; after a space it opens the next
            while j < n and doc[j].text in CLOSERS and not doc[j - 1].whitespace_:
                j += 1
            while j < n and doc[j].is_space and "\n" in doc[j].text:   # blank lines stay with the sentence
                j += 1
            if j < n:
                starts.add(j)
    for tok in doc:
        tok.is_sent_start = tok.i in starts
    return doc
