"""Fast questions about short word lists (name breakers, generic stems, titles) that the name rules ask at
every candidate: which words end at an offset, which words can occur in a short stem.

The rules used to ask them by looping over the whole list in Python (``any(text.endswith(b, 0, i) for b in
breakers)``, ``for g in generic: stem.rfind(g)``) for every character they walked over; these tables answer
with a few set or dict lookups and give the same answers.

>>> ends = WordEnds(["的", "和", "以及"])
>>> ends.at("苹果以及", 4), ends.at("苹果以及", 3), ends.at("苹果", 2)
(True, False, False)
>>> WordIndex(["公司", "科技", "的"]).within("的科技")
['科技', '的']
"""
from __future__ import annotations


class WordEnds:
    """Whether one of some words ends at an offset of a text: one set lookup per word length."""

    def __init__(self, words):
        self.words = frozenset(words)
        self.lengths = tuple(sorted({len(w) for w in self.words}))

    def at(self, text: str, i: int) -> bool:
        """``any(text.endswith(w, 0, i) for w in words)``."""
        words = self.words
        for n in self.lengths:
            if n > i:
                break
            if text[i - n:i] in words:
                return True
        return False


class WordIndex:
    """Words of a list indexed by their first character: the ones that can occur in a short text."""

    def __init__(self, words):
        self.by_first: dict[str, list[tuple[int, str]]] = {}
        for n, w in enumerate(words):
            self.by_first.setdefault(w[:1], []).append((n, w))

    def within(self, text: str) -> list[str]:
        """The words whose first character ``text`` holds, in list order: every word that occurs in ``text``
        or in any text made by deleting characters of it (a word not listed here can occur in neither)."""
        get = self.by_first.get
        hits = list(get("", ()))
        for ch in set(text):
            found = get(ch)
            if found:
                hits += found
        hits.sort()
        return [w for _, w in hits]
