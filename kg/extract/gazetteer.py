"""Finding the gazetteer's names in a paragraph's text, for :mod:`kg.extract.entities`.

Matching is done on characters, not tokens (jieba keeps ``微软公司`` or ``AzureOpenAI`` as one token): at each
place a name can start, the longest name that fits; Latin names need word boundaries, and a spelling other
than the gazetteer's only where it cannot be an ordinary word (see :meth:`GazetteerMatcher._latin_at`).
"""
from __future__ import annotations

import re

from kg.extract.lexicon import Lexicon
from kg.textio import has_cjk


class GazetteerMatcher:
    """Finds gazetteer names in text: at each place a name can start, the longest name that fits.

    Names are indexed by their first characters, so the cost grows with the text, not with the size of
    the gazetteer (one regex alternation of every name was the slowest step of the pipeline).
    """

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.cjk: dict[str, list[str]] = {}      # first character -> names with Chinese in them
        self.latin: dict[str, list[str]] = {}    # first three characters, case-folded -> Latin names
        latin = set()
        for e in lex.gazetteer:
            for n in e.names():
                if has_cjk(n):
                    self.cjk.setdefault(n[0], []).append(n)
                else:
                    latin.add(n)
                    self.latin.setdefault(n[:3].casefold(), []).append(n)
        for index in (self.cjk, self.latin):
            for names in index.values():
                names.sort(key=lambda n: (-len(n), n))
        # the scan asks, per length (longest first), whether the text there is one of the names: a set
        # lookup instead of a startswith or casefold comparison with every name of the key
        self._cjk_by_length = {c: _by_length(names, str) for c, names in self.cjk.items()}
        self._cjk_pairs = frozenset(n[:2] for names in self.cjk.values() for n in names)   # (a 1-character name: itself)
        self._latin_by_length = {k: _by_length(names, str.casefold) for k, names in self.latin.items()}
        self.exact = latin
        self.acronyms = {n for n in latin if re.fullmatch(r"[A-Z]{2,6}", n)}
        # where a name can start: a character that begins a Chinese name, or the start of a Latin word
        # (also at a camel-case seam); the scan visits only these places. A Latin word starting with a small
        # letter only where a name is written so ("iPhone", "eBay"): other spellings of a name start with a
        # capital or a digit (see _latin_at), and most words of English text start with a small letter.
        firsts = "".join(sorted(self.cjk))
        self._small_starts = frozenset(n[:3] for n in latin if n[0].islower())
        small = "|".join(map(re.escape, sorted(self._small_starts)))
        small = f"|(?={small})[a-z]" if small else ""
        self.starts = re.compile(f"[{re.escape(firsts)}]|(?<![A-Za-z0-9])(?:[A-Z0-9]{small})|(?<=[a-z])[A-Z]")
        # names that are ordinary words too: the words around them that mark the word, not the name
        self._ordinary = {name: (tuple(r["before"]), tuple(r["after"]))
                          for name, r in lex.cues["zh"]["ordinary_readings"].items()}
        self._entries: dict[str, object] = {}     # surface -> lex.lookup(surface): a few hundred surfaces recur
        self._may_start: dict[str, bool] = {}       # see _may_start_at

    def entry(self, name: str):
        """``lex.lookup(name)`` for a name this matcher found, remembered (found names are gazetteer names up
        to capitalization, so the memory stays as small as the gazetteer)."""
        try:
            return self._entries[name]
        except KeyError:
            found = self._entries[name] = self.lex.lookup(name)
            return found

    @staticmethod
    def _left(text: str, s: int) -> bool:
        return s == 0 or not text[s - 1].isalnum() or (text[s - 1].islower() and text[s].isupper()) \
            or has_cjk(text[s - 1])

    @staticmethod
    def _right(text: str, e: int) -> bool:
        return e == len(text) or not text[e].isalnum() or (text[e - 1].islower() and text[e].isupper()) \
            or has_cjk(text[e])

    @classmethod
    def _bounded(cls, text: str, s: int, e: int) -> bool:
        """Latin names need word boundaries; a camel-case seam (AzureOpenAI) counts as one."""
        return cls._left(text, s) and cls._right(text, e)

    def _may_start_at(self, window: str) -> bool:
        """Whether a Latin name's key (its first three, two or one characters, case-folded) opens ``window``,
        the three characters at a word's start. Most words open no name; the answer depends on the window
        alone, so it is remembered (far fewer distinct windows than word starts)."""
        known = self._may_start.get(window)
        if known is None:
            if window[0].islower():
                # only a name written exactly so starts at a small letter ("iPhone", "eBay"): other spellings
                # of a name must start with a capital or a digit (see _latin_at); most English words go here
                known = any(window[:k] in self._small_starts for k in (3, 2, 1))
            else:
                latin = self._latin_by_length
                known = any(window[:k].casefold() in latin for k in (3, 2, 1))
            self._may_start[window] = known
        return known

    def _latin_at(self, text: str, i: int) -> str | None:
        index = self._latin_by_length
        for k in (3, 2, 1):       # longer keys hold longer names
            for n, folded in index.get(text[i:i + k].casefold(), ()):
                e = i + n
                surface = text[i:e]
                if surface.casefold() not in folded or not self._right(text, e):
                    continue
                # other capitalizations only for names that cannot be ordinary words ("01.ai", "NVIDIA"),
                # and never for acronyms ("Sec" is not the SEC, "Us" not the US)
                if surface not in self.exact and (not (surface[0].isupper() or surface[0].isdigit())
                                                  or surface.upper() in self.acronyms):
                    continue
                return surface
        return None

    def _ordinary_word(self, text: str, s: int, e: int) -> bool:
        """Whether the name at ``text[s:e]``, one that is an ordinary word too, is the word here ("联想到")."""
        before, after = self._ordinary[text[s:e]]
        return text.startswith(after, e) or any(text.endswith(w, 0, s) for w in before)

    def __call__(self, text: str) -> list[tuple[int, int, str]]:
        """Every gazetteer name in ``text``, left to right and never overlapping: (start, end, surface)."""
        found, done = [], 0
        cjk, pairs = self._cjk_by_length, self._cjk_pairs
        may_start = self._may_start
        if len(may_start) > 100_000:        # (a memory of text windows: kept bounded over a long run)
            may_start.clear()
        for m in self.starts.finditer(text):
            i = m.start()
            if i < done:
                continue            # inside the name found last
            ch = text[i]
            best = None
            lengths = cjk.get(ch)
            # most places where a Chinese name could start hold no name's first two characters
            if lengths is not None and (text[i:i + 2] in pairs or ch in pairs):
                for n, names in lengths:
                    if text[i:i + n] in names:
                        best = text[i:i + n]
                        if best in self._ordinary and self._ordinary_word(text, i, i + n):
                            best = None
                        break
            if ch not in _ASCII_ALNUM:
                pass
            # (a window remembered as opening no name is not asked about again: most word starts)
            elif ((ok := may_start.get(window := text[i:i + 3])) or ok is None and self._may_start_at(window)) \
                    and self._left(text, i):
                latin = self._latin_at(text, i)
                if latin and (best is None or len(latin) > len(best)):
                    best = latin
            if best:
                found.append((i, i + len(best), best))
                done = i + len(best)
        return found


_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _by_length(names: list[str], fold) -> tuple[tuple[int, frozenset[str]], ...]:
    """Names grouped by length, longest first: (length, the names folded by ``fold``)."""
    groups: dict[int, set[str]] = {}
    for name in names:
        groups.setdefault(len(name), set()).add(fold(name))
    return tuple((n, frozenset(groups[n])) for n in sorted(groups, reverse=True))
