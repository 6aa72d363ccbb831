"""What jieba knows about one Chinese word: its part-of-speech tag and whether it is a common word.

The name rules ask about single words only (a token, a stem before an organization suffix), never about
whole texts: ``jieba.posseg`` over a whole article costs about nine times jieba's own segmentation, while
the few words a rule asks about cost next to nothing. ``jieba.posseg`` reads its own copy of jieba's
dictionary (the tag column, about 0.3 s), so it is imported on the first question, once per process.
"""
from __future__ import annotations

from functools import lru_cache

# jieba's tags for personal names: nr (Chinese), nrfg (a full name), nrt (transliterated)
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
# a dictionary word at least this frequent (jieba's own counts) is an ordinary word, not a name
COMMON = 300


@lru_cache(maxsize=1)
def _posseg():
    from kg.extract import jieba_cache

    return jieba_cache.posseg()


@lru_cache(maxsize=1)
def _freq() -> dict:
    import jieba

    from kg.extract import jieba_cache

    jieba_cache.initialize()
    return jieba.dt.FREQ


@lru_cache(maxsize=65536)
def tags(word: str) -> tuple[tuple[str, str], ...]:
    """jieba's part-of-speech reading of ``word`` alone: ((piece, tag), ...). A dictionary word keeps its
    dictionary tag; an unknown one is read by jieba's part-of-speech HMM.

    >>> tags("郑思齐")
    (('郑思齐', 'nr'),)
    """
    return tuple((p.word, p.flag) for p in _posseg().cut(word))


def person_tag(word: str) -> bool:
    """Whether jieba reads ``word`` as one personal name (tag nr, nrfg or nrt).

    >>> person_tag("宋佳怡"), person_tag("澜舟")
    (True, False)
    """
    t = tags(word)
    return len(t) == 1 and t[0][1] in PERSON_TAGS


def frequency(word: str) -> int:
    """jieba's dictionary count of ``word`` (0 when it is not a dictionary word)."""
    return _freq().get(word) or 0


def is_common(word: str) -> bool:
    """Whether ``word`` is an ordinary dictionary word (count >= :data:`COMMON`): 发展, 设计, 人工.

    >>> is_common("设计"), is_common("澜舟")
    (True, False)
    """
    return frequency(word) >= COMMON


@lru_cache(maxsize=65536)
def dictionary_words(phrase: str) -> tuple[str, ...]:
    """``phrase`` cut into jieba's dictionary words alone (no HMM guesses at unknown words).

    >>> dictionary_words("新品牌")
    ('新', '品牌')
    """
    import jieba

    return tuple(jieba.lcut(phrase, HMM=False))


@lru_cache(maxsize=65536)
def is_descriptive(phrase: str) -> bool:
    """Whether ``phrase`` is made of ordinary words only (自动驾驶, 互联网医疗, 模拟芯片设计): a description
    of a company, not its name. A piece jieba does not know, or a single character, makes it a name.

    >>> is_descriptive("自动驾驶"), is_descriptive("月之暗面"), is_descriptive("澜舟")
    (True, False, False)
    """
    pieces = dictionary_words(phrase)
    return bool(pieces) and all(len(p) >= 2 and is_common(p) for p in pieces)
