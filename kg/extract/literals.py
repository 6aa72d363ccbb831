"""What a regular expression cannot match without: the words any text it matches must contain.

A relation pattern such as ``{S}对{O}进行了{g}投资`` can only match a sentence that contains 对, 进行了 and
投资; testing for those words (one ``in`` / literal search each) is much cheaper than masking the sentence and
running the pattern, and most sentences fail the test. The words are read from the pattern's own syntax
tree (the parser ``re.compile`` uses), so a pattern added to the lexicon gets its test without anyone
writing it by hand; what the analysis does not understand only makes the test weaker, never wrong.

>>> [sorted(n) for n in needs("(?P<S>x)对(?P<O>y)进行了(?:战略)?(?:投资|收购)")]
[['x'], ['对'], ['y'], ['进行了'], ['投资', '收购']]
>>> [sorted(n) for n in needs(r"['’]s? (?:unit|arm) of\\b", re.IGNORECASE)]
[["'", '’'], ['arm', 'unit'], ['of']]
"""
from __future__ import annotations

import re

try:    # private, but the module re.compile itself runs; without it there is simply no test
    from re import _constants as _c
    from re import _parser as _sre
    _REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)
except (ImportError, AttributeError):     # pragma: no cover - other Pythons
    _sre = None
# characters that never stand in a required word: white space (masked sentences collapse or drop it) and
# the placeholders that stand for mentions (U+FFFD replaces the article's own)
_BREAK = re.compile(r"[\s\ue000-\uf8ff\ufffd]+")


def needs(source: str, flags: int = 0) -> list[frozenset[str]]:
    """Sets of words such that every text ``re.compile(source, flags)`` can match (with its white space
    removed) contains at least one word of each set, compared as that pattern compares (``flags``).
    An empty list when nothing is certain."""
    if _sre is None:
        return []
    try:
        parsed = _sre.parse(source, flags)
    except Exception:       # noqa: BLE001 - an unreadable pattern just gets no test (compiling it will say why)
        return []
    if parsed.state.flags & ~re.UNICODE != flags & ~re.UNICODE:
        return []           # global inline flags ("(?i)...") would need the same flags on the test
    return _sequence(parsed)


def _sequence(items) -> list[frozenset[str]]:
    out: list[frozenset[str]] = []
    run: list[str] = []

    def flush():
        out.extend(frozenset([w]) for w in _BREAK.split("".join(run)) if w)
        run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is _c.IN:
            chars = [chr(v) for o, v in av if o is _c.LITERAL]
            if len(chars) == len(av) and not any(_BREAK.match(ch) for ch in chars):
                out.append(frozenset(chars))
        elif op is _c.SUBPATTERN:
            _, add, remove, sub = av
            if not add and not remove:      # scoped flags would compare differently from the test
                out += _sequence(sub)
        elif op is _c.ATOMIC_GROUP:
            out += _sequence(av)
        elif op in _REPEATS:
            low, _, sub = av
            if low >= 1:
                out += _sequence(sub)
        elif op is _c.BRANCH:
            best = [best_of(_sequence(b)) for b in av[1]]
            if all(best):
                out.append(frozenset().union(*best))
    flush()
    return out


def best_of(sets: list[frozenset[str]]) -> frozenset[str] | None:
    """The most telling of several requirements: the longest shortest word, then the fewest words.

    >>> sorted(best_of([frozenset({"a", "bc"}), frozenset({"投资"})]))
    ['投资']
    """
    return min(sets, key=lambda s: (-min(map(len, s)), len(s), sorted(s)), default=None)


def search_for(words: frozenset[str], flags: int = 0) -> re.Pattern:
    """One compiled search for any of ``words`` (longest first), with the flags of the pattern they test."""
    return re.compile("|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w)))), flags)



def alternation(words: list[str], flags: int = 0) -> re.Pattern:
    """``re.compile("|".join(map(re.escape, words)), flags)``, the same matches, with a lookahead for the
    words' first characters in front: a search then turns down most positions with one character test
    instead of trying every word there (three times faster for the round names over the slice's sentences).

    >>> alternation(["Series A", "seed"], re.IGNORECASE).search("a SEED round").group()
    'SEED'
    """
    alt = "|".join(map(re.escape, words))
    if not words or not all(words):     # an empty word matches anywhere: no first character to look for
        return re.compile(alt, flags)
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    return re.compile(f"(?=[{first}])(?:{alt})", flags)
