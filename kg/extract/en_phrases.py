"""English sentence views as tokens, and the phrase readers the English linker builds on.

A :class:`Tokens` is a view's text cut into words, numbers, punctuation and mention placeholders, with
the view's trigger hits mapped onto token positions. Its readers find what every frame needs whatever
its trigger: a *segment* (the tokens between two commas or clause breaks), an *item* (one name: a
mention, a name with a title before it such as "Dell founder Michael Dell", or a capitalised run no
mention covers) and a *list* of items ("A, B and C", "A as well as B").
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from kg.extract.doctext import doc_text
from kg.extract.frame import NewName, SentenceView, is_placeholder
from kg.extract.lexicon import load

_TOKEN = re.compile(r"[\ue000-\uf8ff]|['’]s\b|[$€£¥]?\d(?:[\d,.]*\d)?%?"
                    r"|[A-Za-z0-9](?:[\w&]|['’](?!s\b)(?=\w)|[.-](?=\w))*\.?|\S")
# words that end with a period that is part of them, not a sentence break
_ABBREVIATIONS = {"inc.", "corp.", "co.", "ltd.", "jr.", "sr.", "st.", "mr.", "ms.", "mrs.", "dr.", "prof.", "u.s.",
                  "u.k.", "e.u.", "no.", "vs.", "etc."}
BREAKS = {";", ":", "!", "?", "—", "–"}
# "Jersey-based", "Denver-based", "SoftBank-owned": a compound adjective, never a name of its own
_ADJECTIVE = re.compile(r"-(?:based|owned|backed|led|funded|controlled|listed|headquartered|focused|style|born)$")
# words that end a descriptor before a name: "the Dutch pension fund Veldmere" reads Veldmere
DESCRIPTOR_STOP = {"of", "in", "at", "for", "from", "with", "by", "to", "on", "and", "or", "but", "as", "is", "was",
                    "are", "were", "be", "been", "has", "have", "had", "which", "who", "that", "whose", "said", "says",
                    "will", "would", "also", "than", "into", "including", "while", "after", "before", "include",
                    "includes", "included", "such", "like", "among"}
OPEN, CLOSE = {"(", "[", "“", '"', "‘"}, {")", "]", "”", '"', "’"}
SEPARATORS = (("as", "well", "as"), ("along", "with"), ("together", "with"), ("alongside",), ("plus",), ("and",),
              ("or",), ("&",), ("as", "well"), ("but", "also"), ("nor",))
# the separators by their first word, each word's in the order of SEPARATORS (the first that matches wins)
_SEPARATORS_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    w: tuple(s for s in SEPARATORS if s[0] == w) for w in dict.fromkeys(s[0] for s in SEPARATORS)}
DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "some",
               "another", "any", "each", "both", "all", "other", "new", "several", "many", "various", "few", "most"}
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}


class Tok(NamedTuple):
    """One token: ``kind`` is ``M`` (a mention placeholder; ``m`` its index), ``W`` (word or number) or ``P``.

    A named tuple, not a frozen dataclass: every view makes a few dozen and a tuple is made several times faster."""
    kind: str
    text: str
    low: str
    start: int
    end: int
    m: int | None = None


@lru_cache(maxsize=64)
def tokenize(text: str) -> tuple[Tok, ...]:
    """The tokens of a view's text (cached: every hit of a sentence reads the same tokens).

    >>> [t.text for t in tokenize("Cisco's $1.5 billion deal, U.S. rules.")]
    ['Cisco', "'s", '$1.5', 'billion', 'deal', ',', 'U.S.', 'rules', '.']
    """
    out = []
    for m in _TOKEN.finditer(text):
        s, e, w = m.start(), m.end(), m.group()
        if is_placeholder(w[0]):
            out.append(Tok("M", w, w, s, e, ord(w[0]) - 0xE000))
            continue
        if len(w) > 1 and w.endswith(".") and w.lower() not in _ABBREVIATIONS:
            out.append(Tok("W", w[:-1], w[:-1].lower(), s, e - 1))
            out.append(Tok("P", ".", ".", e - 1, e))
            continue
        kind = "W" if (w[0].isalnum() or w[0] in "$€£¥" or w in ("'s", "’s", "&")) else "P"
        out.append(Tok(kind, w, w.lower(), s, e))
    return tuple(out)


@lru_cache(maxsize=64)
def _columns(text: str) -> tuple[tuple[Tok, ...], tuple[str, ...], tuple[str, ...], tuple[int, ...]]:
    """The tokens of a view's text with their lower-cased texts and kinds as plain tuples (what the
    readers ask for most), and which tokens are mentions."""
    toks = tokenize(text)
    kinds = tuple(t.kind for t in toks)
    return toks, tuple(t.low for t in toks), kinds, tuple(n for n, k in enumerate(kinds) if k == "M")


def _adjective_mentions(view: SentenceView, toks: tuple[Tok, ...], at: Iterable[int] | None = None) -> tuple[Tok, ...]:
    """A mention that is a compound adjective ("Denver-based") reads as a word, not a name (``toks``
    itself when there is none). ``at``: the indexes of the mention tokens, when known."""
    out = None
    names = view.names
    for n in (range(len(toks)) if at is None else at):
        t = toks[n]
        if t.kind == "M" and t.m is not None and t.m < len(view.mentions):
            if names:
                text = names[t.m]
            else:
                m = view.mentions[t.m]
                text = doc_text(m.doc)[m.start_char:m.end_char]    # Span.text makes a Token object per token
            if _ADJECTIVE.search(text.lower()):
                out = out or list(toks)
                out[n] = Tok("W", text, text.lower(), t.start, t.end)
    return toks if out is None else tuple(out)


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    cues = load().cues["en"]
    return frozenset(w.lower() for w in cues["not_names"] + cues["title_words"])


class Tokens:
    """A view as tokens, with its hits' token ranges; the phrase readers below work on positions."""

    def __init__(self, view: SentenceView):
        self.view = view
        # every hit of a view reads the same tokens: they are made once per view (and its hits) and kept on it
        stamp = (view.text, id(view.hits), len(view.hits))
        kept = view.__dict__.get("_kg_tokens")
        if kept is not None and kept[0] == stamp and kept[1] is view.hits:
            self.toks, self.hit_at, self.spans, self._low, self._kind = kept[2]
            self._n = len(self.toks)
            return
        toks, self._low, self._kind, at = _columns(view.text)
        self.toks = _adjective_mentions(view, toks, at)
        self._n = len(self.toks)
        if self.toks is not toks:   # the readers ask for a token's lower-cased text and kind: plain tuples
            self._low = tuple(t.low for t in self.toks)
            self._kind = tuple(t.kind for t in self.toks)
        starts = [t.start for t in self.toks]
        self.hit_at: dict[int, tuple] = {}       # token index -> (hit, first, last) for every hit
        self.spans = []
        for h in view.hits:
            i = bisect.bisect_left(starts, h.start)     # the first token starting at or after the hit
            if i > 0 and self.toks[i - 1].start < h.start < self.toks[i - 1].end and \
                    self.toks[i - 1].text[:1].islower():
                continue        # "best-funded", "well-backed": a word of its own, not a name with a suffix
            j = i
            while j + 1 < len(self.toks) and self.toks[j + 1].end <= h.end:
                j += 1
            self.spans.append((h, i, j))
            for k in range(i, j + 1):
                self.hit_at.setdefault(k, (h, i, j))
        view.__dict__["_kg_tokens"] = (stamp, view.hits, (self.toks, self.hit_at, self.spans, self._low, self._kind))

    def __len__(self) -> int:
        return self._n

    def low(self, i: int) -> str:
        """The lower-cased token at ``i`` ("" outside the sentence)."""
        return self._low[i] if 0 <= i < self._n else ""

    def is_m(self, i: int) -> bool:
        """Whether token ``i`` is a mention placeholder."""
        return 0 <= i < self._n and self._kind[i] == "M"

    def is_break(self, i: int) -> bool:
        """A clause break (or the sentence's end) at ``i``."""
        if not 0 <= i < self._n:
            return True
        low = self._low[i]
        return low in BREAKS or (low == "." and i == self._n - 1)

    def is_comma(self, i: int) -> bool:
        """A comma at ``i``."""
        return 0 <= i < self._n and self._low[i] in (",", "，")

    def hit_kind(self, i: int) -> str | None:
        """The kind of a trigger covering token ``i`` (verb / noun / role), or None."""
        h = self.hit_at.get(i)
        return h[0].trigger.kind if h else None

    def is_role(self, i: int) -> bool:
        """Whether a role noun or a title word covers token ``i`` ("CEO", "founder", "Chief")."""
        if self.hit_kind(i) == "role":
            return True
        return 0 <= i < len(self.toks) and self.toks[i].kind == "W" and self.toks[i].text[:1].isupper() \
            and self.toks[i].low in _title_words()

    def is_cap(self, i: int) -> bool:
        """A capitalised word that may be part of a name no mention covers."""
        if not (0 <= i < len(self.toks)):
            return False
        t = self.toks[i]
        return (t.kind == "W" and t.text[:1].isupper() and t.low not in _not_names() and i not in self.hit_at
                and not t.text[:1].isdigit() and not _ADJECTIVE.search(t.low))

    # ------------------------------------------------------------------ items and lists
    def cap_run(self, i: int, step: int) -> tuple[int, int] | None:
        """A run of capitalised words starting at ``i`` and going in direction ``step`` (token range)."""
        if not self.is_cap(i):
            return None
        j = i
        while self.is_cap(j + step) or (self.low(j + step) == "&" and self.is_cap(j + 2 * step)):
            j += step
        return (min(i, j), max(i, j))

    def item_right(self, i: int, cls: str, titles: bool = True):
        """An item starting at ``i``: (argument, first, last token) or None. "Dell founder Michael Dell" is
        one item whose head is Michael Dell; "Qualcomm's Snapdragon" is Snapdragon."""
        if self.is_m(i):
            j = i
            k = j + 1 + (self.low(j + 1) in ("'s", "’s"))
            if titles and (self.is_role(k) or (k > j + 1 and self.is_m(k))):
                while self.is_role(k) or (self.low(k) == "and" and self.is_role(k + 1)):
                    k += 1
                nxt = self.item_right(k, "Person" if k > j + 2 or self.hit_kind(k - 1) == "role" else cls, False)
                if nxt:
                    return (nxt[0], i, nxt[2])
                if self.is_cap(k):
                    return None     # a titled person whose name the recognizer split: not the company
            return (self.toks[i].m, i, i)
        run = self.cap_run(i, 1)
        if run:
            if self.is_m(run[1] + 1) and cls == "Person" and self._person(run[1] + 1):
                return (self.toks[run[1] + 1].m, run[0], run[1] + 1)   # "Odile | Pendergast": the person
            if self.is_m(run[1] + 1) or self.is_m(run[0] - 1):
                return None     # "founder Michael Dell" with Dell read as the company: a fragment, no name
            return (self.new_name(run, cls), run[0], run[1])
        return None

    def item_left(self, i: int, cls: str, initial: bool = False):
        """An item ending at ``i`` (read leftwards): (argument, first, last token) or None."""
        if self.is_m(i):
            j = i - 1
            while self.is_role(j) or (self.low(j) == "and" and self.is_role(j - 1) and self.is_role(j + 1)):
                j -= 1
            if j < i - 1 and (self.is_m(j) or (self.low(j) in ("'s", "’s") and self.is_m(j - 1))):
                return (self.toks[i].m, j - (not self.is_m(j)), i)
            if self.low(j) in ("'s", "’s") and self.is_m(j - 1) and j == i - 1:
                return (self.toks[i].m, j - 1, i)       # "Google's YouTube": YouTube
            return (self.toks[i].m, i, i)
        run = self.cap_run(i, -1)
        if run and run[0] == run[1] and self.is_m(run[0] - 1) and self.toks[run[0]].low.rstrip(".") in _suffixes():
            return self.item_left(run[0] - 1, cls, initial)    # "Arm Holdings Plc": the suffix ends the name
        # a sentence's first word is capitalised anyway: it is a name only as more than one word or
        # standing apart ("Quorva, a German rival to SAP,")
        if run and run[0] == run[1] == 0 and (self.hit_kind(1) in ("role", "noun") or (
                self.toks[1].kind == "W" and self.toks[1].text[:1].islower() and self.is_m(2))):
            return None         # "Additional investors include", "Humanoid startup A raises": an adjective
        if run and self.is_m(run[0] - 1) and self.low(run[0] - 1) not in ("'s", "’s"):
            return None         # "LG Energy Solution" split by the recognizer: a fragment, not a name
        if run and (initial or run[0] > 0 or run[1] > run[0] or self.is_comma(run[1] + 1)
                    or self.low(run[1] + 1) in ("'s", "’s")):
            return (self.new_name(run, cls), run[0], run[1])
        return None

    def name_after(self, i: int, limit: int = 6) -> int | None:
        """The first name token of the noun phrase starting at ``i`` when only descriptors stand before
        it ("the Dutch pension fund Veldmere", "former OpenAI researcher Marta Kessling"), or None."""
        k = i
        while k < len(self.toks) and k - i <= limit:
            if self.is_m(k) or self.is_cap(k):
                return k
            t = self.toks[k]
            if self.is_comma(k) or self.is_break(k) or t.low in DESCRIPTOR_STOP or t.kind == "P" and t.low not in "-":
                return None
            if self.hit_kind(k) == "noun" or self.hit_kind(k) == "verb" and not (self.is_m(k + 1) or self.is_cap(k + 1)):
                return None
            k += 1
        return None

    def _person(self, i: int) -> bool:
        """Whether the mention at token ``i`` is a person."""
        m, classes = self.toks[i].m, self.view.classes
        return m is not None and m < len(classes) and classes[m] == "Person"

    def new_name(self, run: tuple[int, int], cls: str) -> NewName:
        """A name found by its role: the capitalised run ``run`` (token range) as a view-text span."""
        return NewName(self.toks[run[0]].start, self.toks[run[1]].end, cls)

    def separator_right(self, i: int) -> int:
        """Tokens taken by a list separator starting at ``i`` (", and", "as well as", ","), or 0."""
        n = 1 if self.is_comma(i) else 0
        for sep in _SEPARATORS_BY_FIRST.get(self.low(i + n), ()):     # only those that can match, in order
            if all(self.low(i + n + k) == w for k, w in enumerate(sep)):
                return n + len(sep)
        return n

    def list_right(self, i: int, cls: str, prep: str | None = None):
        """The list whose first item starts at ``i``: ([arguments], last token). A list separated only by
        commas needs "and"/"or" before its last item ("in A, B and C")."""
        first = self.item_right(i, cls)
        if not first:
            return [], i - 1
        args, last = [first[0]], first[2]
        pending, k = [], last + 1
        while True:
            n = self.separator_right(k)
            if n == 1 and self.is_comma(k) and not self.item_right(k + 1, cls):
                k = self._apposition_end(k)
                n = self.separator_right(k) if k is not None else 0
                if n < 2:
                    break
            if not n:
                break
            closes = not self.is_comma(k) or n > 1
            j = k + n
            if prep and self.low(j) == prep:
                j += 1                  # "with A and with B"
            nxt = self.item_right(j, cls)
            if not nxt and closes and self.name_after(j) is not None:
                nxt = self.item_right(self.name_after(j), cls)      # "and the Dutch pension fund Veldmere"
            if nxt and self.is_comma(k) and n == 1 and self.low(nxt[2] + 1) in ("'s", "’s"):
                k = self._apposition_end(k)          # "A, France's best-funded developer, and with B"
                if k is None:
                    break
                continue
            if not nxt:
                if closes and self.low(j) not in ("'s", "’s"):
                    args += [p[0] for p in pending]     # "A, B and several banks": the list ends in a noun
                    last = pending[-1][2] if pending else last
                break
            pending.append(nxt)
            if closes:
                args += [p[0] for p in pending]
                last, pending = nxt[2], []
            k = nxt[2] + 1
        return args, last

    def _apposition_end(self, k: int) -> int | None:
        """From a comma opening an apposition inside a list ("A, a former lead at B, and C"), the comma
        that closes it, when ", and" follows; None otherwise."""
        n = k + 1
        while n < len(self.toks) and n - k < 14 and not self.is_break(n):
            if self.is_comma(n):
                return n if self.low(n + 1) in ("and", "or") else None
            if self.hit_kind(n) == "verb":
                return None
            n += 1
        return None

    def _apposition_start(self, j: int, cls: str, initial: bool):
        """From the last token of an apposition that ends a list item ("A, B's venture arm" ending at
        ``j``), the item before it: the name left of the comma that opens the apposition, or None."""
        n = j
        while n > 0 and j - n < 10 and not self.is_break(n) and self.hit_kind(n) != "verb":
            if self.is_comma(n):
                return self.item_left(n - 1, cls, initial) if (self.is_m(n - 1) or self.is_cap(n - 1)) else None
            n -= 1
        return None

    def list_left(self, i: int, cls: str, initial: bool = False):
        """The list whose last item ends at ``i``: ([arguments], first token), read leftwards."""
        last = self.item_left(i, cls, initial)
        if not last:
            return [], i + 1
        args, first = [last[0]], last[1]
        k, closed = first - 1, False
        while k >= 0:
            d = k               # descriptors before an item: "and French state investment bank Bpifrance"
            while d >= 0 and k - d < 5 and self.toks[d].kind == "W" and not self.is_cap(d) \
                    and self.toks[d].low not in DESCRIPTOR_STOP and self.hit_kind(d) != "verb":
                d -= 1
            if d < k and self.low(d) in ("and", "or"):
                k = d
            j, sep = k, None
            for s in SEPARATORS:
                if tuple(self.low(k - len(s) + 1 + n) for n in range(len(s))) == s:
                    sep = s
                    break
            if sep:
                j = k - len(sep)
                if self.is_comma(j):
                    j -= 1
                closed = True
            elif self.is_comma(k) and closed:
                j = k - 1
            else:
                break
            prev = self.item_left(j, cls, initial)
            if not prev and sep and self.is_comma(j + 1):
                prev = self._apposition_start(j, cls, initial)   # "A, B's venture arm, and C"
            if not prev:
                break
            args.insert(0, prev[0])
            first, k = prev[1], prev[1] - 1
        return args, first


@lru_cache(maxsize=1)
def _suffixes() -> frozenset[str]:
    return frozenset(w.rstrip(".").lower() for w in load().cues["en"]["org_suffixes"])


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return frozenset(w.lower() for w in load().cues["en"]["title_words"])
