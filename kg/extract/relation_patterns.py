"""The regular expressions of the relation patterns (``ontologies/lexicon/relations.toml``) and the words a
sentence needs before one can match.

A pattern's macros (``{S}``, ``{O}``, ``{P}``, ``{M}``, ``{g}``, ``{gg}``) become expressions over a masked
sentence, where each mention is one private-use placeholder (:func:`kg.extract.frame.mask`); see
:mod:`kg.extract.relations` for how the matches become relations.

>>> from kg.extract.lexicon import load
>>> p = next(p for p in load().patterns if p.lang == "zh" and p.source == "{S}的{O}")
>>> bool(compile_pattern(p).fullmatch("\\ue000的\\ue001")), [rx.pattern for rx, _ in pattern_needs(p)]
(True, ['的'])
"""
from __future__ import annotations

import re

from kg.extract.lexicon import Pattern
from kg.extract.literals import best_of, needs, search_for

MENTION = "[\ue000-\uf8ff]"
# a list item may carry a short parenthetical: "林思远(个人)", "Anthropic (AI startup)"
ITEM = MENTION + r"(?:\s?[(（][^)）\ue000-\uf8ff]{1,12}[)）])?"
# an object may be named with its owner: "微软的 Azure", "OpenAI's ChatGPT" (the owner is not the object)
POSSESSOR = "(?:" + MENTION + r"(?:的|['’]s? ))"
SEP = {"zh": r"(?:、|和|与|及|以及|,|，|跟|同|或)",
       "en": r"(?:,? and |, | & |,? or |,? (?:alongside|as well as|along with|together with|plus)(?: [a-z]+){0,2} )"}
GAPS = {
    "zh": {"g": r"[^\ue000-\uf8ff,，。;；!！?？:：]{0,8}?", "gg": r"[^\ue000-\uf8ff。;；!！?？]{0,30}?"},
    # English gaps may hold a decimal point ("$1.05 billion") but no sentence or clause break
    "en": {"g": r"(?:[^\ue000-\uf8ff,;.!?:]|(?<=\d)\.(?=\d)){0,40}?",
           "gg": r"(?:[^\ue000-\uf8ff;.!?]|(?<=\d)\.(?=\d)){0,100}?"},
}
_MACRO = re.compile(r"\{(S|O|P|M|gg|g)\}")
# a character class holding the placeholder range and nothing with a case (no letter, no escape but \s\d)
_CASELESS_CLASS = re.compile(r"(?<!\\)\[\^?(?:[^\]\\A-Za-z]|\\[sd])*?(?:\ue000-\uf8ff|\\ue000-\\uf8ff)"
                             r"(?:[^\]\\A-Za-z]|\\[sd])*?\]")


_PARTNER_MARK = re.compile(f"(?:与|和|跟|同){ITEM}$")


def _forms(triggers) -> str | None:
    """The triggers' forms as one alternation, longest first (None when there are none)."""
    forms = sorted({f for t in triggers for f in t.forms}, key=len, reverse=True)
    return "|".join(map(re.escape, forms)) if forms else None


def partner_verbs(triggers) -> re.Pattern | None:
    """A search, from the end of a list, for one of these (symmetric) triggers' verbs within a short gap."""
    alt = _forms(triggers)
    return re.compile(f"[^\ue000-\uf8ff，,。;；:：!！?？]{{0,10}}?(?:{alt})") if alt else None


def partner_cut(items: str, text: str, end: int, verbs: re.Pattern | None) -> str:
    r"""A Chinese list of masked names ``items`` ending at ``text[end]``, less its last item when a symmetric
    verb follows: there 与/和/跟/同 marks the verb's partner, not one more item ("A 的 B 与 C 竞争" is A's B,
    competing with C; "A 的 B 与 C 都…" is A's B and C).

    >>> verbs = partner_verbs([type("T", (), {"forms": ("竞争",)})()])
    >>> partner_cut("\ue001与\ue002", "\ue000的\ue001与\ue002展开竞争。", 5, verbs)
    '\ue001'
    >>> partner_cut("\ue001与\ue002", "\ue000的\ue001与\ue002都很受欢迎。", 5, verbs)
    '\ue001与\ue002'
    """
    tail = _PARTNER_MARK.search(items)
    if tail and tail.start() and verbs is not None and verbs.match(text, end):
        return items[:tail.start()]
    return items


def opening_verb(triggers) -> re.Pattern | None:
    """A search for a clause that opens with one of these triggers' verbs (and 了/过) and holds no name yet."""
    alt = _forms(triggers)
    return re.compile(f"(?:^|[，,。;；:：!！?？\\s])[^\ue000-\uf8ff，,。;；:：!！?？]{{0,6}}?(?:{alt})(?:了|过)?$") \
        if alt else None


def relative_clause(text: str, start: int, end: int, verbs: re.Pattern | None) -> bool:
    r"""Whether the Chinese "S 的 O" at ``text[start:end]`` is "[V S 的] O …", a relative clause: a verb opens
    the clause right before S, and the clause goes on after O with its own predicate ("投资了 S 的 O 今天表示").
    Then O did what the verb says to S, and S does not own O (kg.extract.linking_zh reads the frame).

    >>> verbs = opening_verb([type("T", (), {"forms": ("收购",)})()])
    >>> relative_clause("收购了的继续扩张。", 3, 6, verbs), relative_clause("收购了的。", 3, 6, verbs)
    (True, False)
    """
    if verbs is None or end >= len(text) or not "一" <= text[end] <= "鿿":
        return False
    return verbs.search(text, max(0, start - 12), start) is not None


def pattern_flags(p: Pattern) -> int:
    """The flags a pattern is compiled with: English patterns ignore case."""
    return re.IGNORECASE if p.lang == "en" else 0


def compile_pattern(p: Pattern) -> re.Pattern:
    """The pattern's regular expression, its macros expanded."""
    sep = SEP[p.lang]
    item = ITEM
    # a subject list followed by more pattern is lazy, the object list greedy: "A 与 B 和 C 竞争" is A against
    # B and C; a list that ends the pattern takes every item
    lazy = "" if p.source.rstrip().endswith("{S}") else "?"
    macros = {
        "S": f"(?P<S>{item}(?:{sep}{item})*{lazy})",
        "O": f"(?P<O>{POSSESSOR}?{item}(?:{sep}{POSSESSOR}?{item})*)",
        "P": f"(?P<P>{item}(?:{sep}{item})+)",
        "M": MENTION,
        **GAPS[p.lang],
    }
    source = _MACRO.sub(lambda m: macros[m.group(1)], p.source)
    if p.lang == "en":
        # a class of placeholders and punctuation has no case: compared case-sensitively it matches the same
        # characters, and compiling it case-insensitively (every one of its 6,400 characters folded, for
        # each of the dozen such classes of a pattern) was half of the pipeline's start-up
        source = _CASELESS_CLASS.sub(lambda m: f"(?-i:{m.group()})", source)
    return re.compile(source, pattern_flags(p))


def pattern_needs(p: Pattern) -> list[tuple[re.Pattern, bool]]:
    """Searches for words any sentence the pattern matches must contain (white space removed), for the
    three most telling such sets of words (:mod:`kg.extract.literals`; its slots and gaps stand for no word),
    each with whether its words are single characters. Those come first: a search for a few characters is
    quick (and most sentences have no apostrophe), one for words compared case-insensitively is not."""
    shape = _MACRO.sub(MENTION, p.source)
    sets = needs(shape, pattern_flags(p))
    chosen = []
    for _ in range(3):
        best = best_of(sets)
        if best is None:
            break
        sets = [s for s in sets if s != best]
        chosen.append(best)
    chosen.sort(key=lambda s: (max(map(len, s)) > 1, len(s)))
    return [(search_for(s, pattern_flags(p)), max(map(len, s)) == 1) for s in chosen]
