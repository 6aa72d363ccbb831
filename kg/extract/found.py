"""Names found by their role: an unknown organization standing in a frame's slot.

A frame whose slot predicts an organization (the company bought, invested in, partnered with) but finds
no mention there reads the words in that place: the longest run that ends in an organization suffix of
``cues.toml`` after a stem that is no ordinary word (凌波光电, 云帆机器人 in "同凌波光电在…较量"), or a
short run that jieba cannot split into ordinary words and that ends where the phrase ends (买下极光数智。),
or a capitalized Latin word. The run without a suffix is read only where the slot is strong enough
(``loose``: the company bought in "买下极光数智。"). Round letters, amounts, descriptions (人工智能公司) and ordinary nouns
(部分股权) are never names. The frames component turns what this module returns into a mention
(``doc._.found``) that the document keeps like any other.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import zh_words
from kg.extract.frame import NewName, is_placeholder
from kg.extract.lexicon import load

MAX_NAME = 12
# where a name read by its place ends: function words, prepositions, particles and the verbs that
# typically follow an object in a news sentence
_STOP = re.compile(r"的|在|于|和|与|及|、|等|是|将|已|为|向|对|从|并|也|都|还|就|被|由|把|以|旗下|公司的|"
                   r"建立|达成|签署|签订|展开|开展|宣布|成为|完成|共同|联合|合作|竞争|正式|今年|去年|近日|目前|进行|实施")
_LATIN = re.compile(r"[A-Z][A-Za-z0-9&.\-]*(?: [A-Z][A-Za-z0-9&.\-]*){0,3}")
_NOT_START = re.compile(r"^(?:一家|这家|那家|该|某|多家|两家|几家|数家|各家|其|本|此|其他|部分|全部|更多)")
_BREAKS = "，,;；:：。!！?？“”\"'《》()（）[]【】 "


@lru_cache(maxsize=2)
def _suffixes() -> tuple[tuple[str, str, bool], ...]:
    zh = load().cues["zh"]
    out = [(s, c, False) for s, c in zh["org_suffixes"].items()]
    out += [(s, c, True) for s, c in zh["noun_org_suffixes"].items()]
    return tuple(sorted(out, key=lambda x: (-len(x[0]), x[0])))


def _run(text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of name characters from ``start``: up to a break, a placeholder or a stop word."""
    j = start
    while j < min(end, start + MAX_NAME):
        ch = text[j]
        if ch in _BREAKS or is_placeholder(ch) or (j > start and (_STOP.match(text, j) or ch.isdigit())):
            break
        j += 1
    return start, j


def _stem_ok(stem: str, noun_suffix: bool) -> bool:
    if len(stem) < 2 or any(ch.isdigit() for ch in stem) or _NOT_START.match(stem):
        return False
    if noun_suffix and (len(stem) > 4 or zh_words.is_common(stem)):
        return False
    return not zh_words.is_descriptive(stem)


def _modified_noun(run: str) -> bool:
    """One character before an ordinary noun: 新品牌, 新业务, 大模型 describe a thing, they name nothing.

    >>> _modified_noun("新品牌"), _modified_noun("数智云图")
    (True, False)
    """
    pieces = zh_words.dictionary_words(run)
    return len(pieces) == 2 and len(pieces[0]) == 1 and len(pieces[1]) >= 2 and zh_words.is_common(pieces[1])


def read_org(text: str, start: int, end: int, loose: bool = False) -> NewName | None:
    """The organization name standing at ``text[start:]`` (before ``end``), or None.

    >>> n = read_org("同凌波光电在电动车领域较量。", 1, 14); n.start, n.end
    (1, 5)
    >>> read_org("收购了部分股权。", 3, 8) is None
    True
    """
    while start < end and text[start] in "了过":
        start += 1
    if start >= end:
        return None
    latin = _LATIN.match(text, start, end)
    if latin:
        word_end = latin.end()
        ends_word = word_end >= end or not (text[word_end].isascii() and text[word_end].isalnum())
        if ends_word and latin.group().lower() not in ("ai", "app", "ceo", "cto", "cfo", "ipo", "gpu", "cpu"):
            return NewName(start, word_end, "Organization")
        return None
    if _STOP.match(text, start):
        return None
    lo, hi = _run(text, start, end)
    run = text[lo:hi]
    bare = _QUANTITY_WORDS.sub("", run)
    if bare != run and (not bare or zh_words.is_common(bare)):
        return None                         # "规模约5亿元", "占比约为两成": an amount's noun, no name
    for n in range(len(run), 1, -1):
        piece = run[:n]
        for suffix, cls, noun in _suffixes():
            if piece.endswith(suffix) and _stem_ok(piece[:-len(suffix)], noun):
                return NewName(lo, lo + n, cls)
    # no suffix (``loose`` slots only: what was bought): a short run that is no ordinary phrase, holds no
    # number word and ends where the phrase ends
    if loose and 2 <= len(run) <= 6 and not re.search(r"数[十百千万亿]|[十百千万亿元]|美元", run) \
            and (hi >= end or text[hi] in _BREAKS or text[hi].isdigit() or _STOP.match(text, hi)) \
            and not _NOT_START.match(run) \
            and not any(ch.isdigit() or ch.isascii() for ch in run) and not zh_words.is_descriptive(run) \
            and not zh_words.is_common(run) and not _modified_noun(run):
        return NewName(lo, hi, "Organization")
    return None


# words that lead into an amount ("约4亿元", "超过10亿元")
_QUANTITY_WORDS = re.compile(r"(?:约合|约|近|超过|超|逾|达|高达|共|计|总计|合计)$")
# a run that speaks of people or of many ("很多人", "不少用户", "消费者"): no company's name
_PEOPLE = re.compile(r"^(?:很多|许多|不少|大量|一些|众多|各大|多数|少数|大部分|越来越多)|(?:人|们|者|户|员)$")
# adverbs between a clause's subject and its verb ("星途智驾已收购…", "A 今年也投资了…")
_ADVERBS_AFTER = re.compile(r"(?:已经|已|也|还|又|曾|再次|首次|正式|率先|近日|日前|今年|去年|此前|目前|均|都|将|主要|则|全部|大多)+$")


def read_subject(text: str, start: int, end: int) -> NewName | None:
    """The organization that opens a clause and stands right before its verb (``text[start:end]``), read
    without a suffix: 2-6 Chinese characters, no ordinary phrase (业绩增长, 公司), no number, no person's name
    of two or three characters starting with a surname, adverbs before the verb left out.

    >>> n = read_subject("星途智驾已收购凌波光电。", 0, 5); (n.start, n.end)
    (0, 4)
    >>> n = read_subject("星途智驾的算力依赖英伟达。", 0, 7); (n.start, n.end)
    (0, 4)
    >>> [read_subject(t, 0, t.index("依赖")) for t in ("业绩增长依赖芯片。", "该公司依赖芯片。", "很多人依赖微信。")]
    [None, None, None]
    """
    while start < end and text[start] in " \u3000":
        start += 1
    adverbs = _ADVERBS_AFTER.search(text, start, end)
    hi = adverbs.start() if adverbs else end
    run = text[start:hi]
    owner, de, owned = run.partition("的")
    if de and 1 <= len(owned) <= 4 and "的" not in owned:
        run, hi = owner, start + len(owner)     # "星途智驾的算力依赖于…": the owner of the thing named
    if not 2 <= len(run) <= 6 or not all("\u4e00" <= ch <= "\u9fff" for ch in run):
        return None
    if _STOP.match(run) or _NOT_START.match(run) or re.search(r"[十百千万亿元]", run) or (len(run) <= 3 and run[0] in load().surnames):
        return None
    if zh_words.is_common(run) or zh_words.is_descriptive(run) or _modified_noun(run) or _PEOPLE.search(run) \
            or sum(len(w) >= 2 for w in zh_words.dictionary_words(run)) >= 3:     # "海外市场拓展": a phrase
        return None
    return NewName(start, hi, "Organization")
