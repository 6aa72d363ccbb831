"""The phrase readers every English trigger shares: a verb's subject and object, passive agents, clauses,
co-agents, and the frames built from them (``kg.extract.linking_en`` dispatches the hits to them).

They read token positions only (:class:`kg.extract.en_phrases.Tokens`), never the trigger's relation:
a construction learned here works for every trigger of ``ontologies/lexicon/triggers_en.toml``.
"""
from __future__ import annotations

from functools import lru_cache

from kg import vocab
from kg.extract.en_phrases import (
    CLOSE,
    DESCRIPTOR_STOP,
    DETERMINERS,
    OPEN,
    POSSESSIVE_PRONOUNS,
    Tokens,
)
from kg.extract.frame import Frame, Hit
from kg.extract.linking import slot_class

# Grammar words the rules read (closed classes; the lexicon says which words are triggers).
PREPOSITIONS = {"of", "in", "at", "for", "from", "with", "by", "to", "on", "than", "against", "about", "like", "under",
                "over", "into", "between", "among", "via", "through", "toward", "towards", "versus", "vs", "after",
                "before", "including", "without", "despite", "near", "per"}
COMPLEMENT = {"of", "in", "into", "with", "to", "for", "on", "against", "between", "at", "over", "upon"}
AGENT = {"by", "from", "including", "included", "includes"}
INCLUDE = {"include", "includes", "included", "including", "are", "were", "is", "was", "such", "like", "namely",
           "among", "comprise", "comprises"}
COPULA = {"is", "was", "are", "were", "be", "been", "being", "became", "become", "becomes", "remains", "remained",
          "remain", "as", "'s",
          # "A was named chief executive of B": a post given is a post held
          "named", "appointed", "elected"}
RELATIVE = {"which", "who", "that", "whose"}
CHAIN = {"and", "but", "then", "before", "after", "while", "later"}
MODALS = {"to", "will", "would", "can", "could", "may", "might", "must", "should", "shall", "not", "n't", "never",
          "did", "does", "do"}
# verbs of the company raising a round ("closed a $5 million round"), not of its investors ("led the round")
RAISER_VERBS = {"closed", "closes", "close", "closing", "completed", "completes", "complete", "announced", "announces",
                "finalized", "finalised", "wrapped", "priced", "extended", "opened", "launched", "kicked", "started"}
# words before a verb that leave it a verb ("A also backed B", "which first backed B")
NOT_DESCRIPTORS = {"also", "first", "later", "then", "once", "already", "still", "recently", "just", "both", "all",
                   "jointly", "and", "or", "but", "which", "who", "that", "has", "have", "had", "will", "would", "to",
                   "not", "never", "previously", "originally", "initially", "since", "again", "now", "eventually",
                   "successfully", "quickly", "reportedly", "ultimately", "it", "they", "he", "she", "we",
                   "even", "each", "together", "itself", "directly", "personally", "subsequently"}
# money lent, not invested
LOAN = {"debt", "loan", "loans", "credit", "bonds"}
MAX_GAP = 14        # tokens between a verb and its subject (auxiliaries, adverbs, "$2 billion in 2021")


@lru_cache(maxsize=256)
# ---------------------------------------------------------------------- shared readers
def _skip_group_left(tk: Tokens, k: int) -> int:
    """From a closing bracket or quote at ``k``, the token before its opening one."""
    depth, n = 0, k
    while n >= 0:
        if tk.low(n) in CLOSE and n == k or tk.low(n) in (")", "]", "”"):
            depth += 1
        elif tk.low(n) in OPEN and tk.low(n) not in ('"',) or (tk.low(n) == '"' and n != k):
            depth -= 1
            if depth <= 0:
                return n - 1
        n -= 1
    return k - 1


def subject_left(tk: Tokens, i: int, cls: str, reach: int = MAX_GAP) -> tuple[list, int | None]:
    """The subject of a verb (or a noun's governing verb) starting at token ``i``: (arguments, first token)."""
    k, gap = i - 1, 0
    while k >= 0 and gap < reach:
        low = tk.low(k)
        if tk.is_break(k):
            return [], None
        if low in POSSESSIVE_PRONOUNS and gap and all(
                tk.toks[n].kind == "W" and tk.toks[n].text[:1].islower() for n in range(k + 1, i)):
            return sentence_subject(tk, cls) if k > 0 else ([], None)   # "..., and its software runs on B"
        if low in (")", "]", "”") or (low == '"' and gap):
            k = _skip_group_left(tk, k)
            continue
        if tk.is_comma(k):
            return _before_modifier(tk, k, i, cls)
        if tk.is_m(k) or tk.is_cap(k):
            if tk.low(k + 1) in ("'s", "’s") and k + 2 < i and not tk.is_m(k + 2):
                return [], None                     # "Amazon's cloud unit invested": no named subject
            item = tk.item_left(k, cls, initial=True)
            if item is None:
                k -= 1
                gap += 1
                continue
            if tk.low(item[1] - 1) in PREPOSITIONS - {"including", "after", "before", "since"}:
                k, gap = item[1] - 2, gap + 2       # "the CEO of A said": inside a prepositional phrase
                continue
            between = [tk.low(n) for n in range(k + 1, i)]
            if not tk.is_m(k) and between and tk.toks[k + 1].kind == "W" and tk.toks[k + 1].text[:1].islower() \
                    and between[0] not in MODALS | COPULA | NOT_DESCRIPTORS and not between[0].endswith("ly"):
                return [], None     # "Humanoid robot startups raised": the word describes a common noun
            if between and between[0] in CHAIN:    # "A acquired B and invested in C": A's second verb
                earlier = [s for h, s, e in tk.spans if h.trigger.kind == "verb" and s < item[1]]
                if earlier:
                    return subject_left(tk, earlier[-1], cls)
            args, first = tk.list_left(k, cls, initial=True)
            return args, first
        k -= 1
        gap += 1
    return [], None


# words between a comma and a verb that leave the name before the comma its subject ("B, first released by A")
_PLAIN_ADVERBS = {"also", "has", "have", "had", "first", "later", "once", "then", "now", "still"}


def _before_modifier(tk: Tokens, comma: int, i: int, cls: str) -> tuple[list, int | None]:
    """No name between a comma and the verb: the verb's subject stands before the modifier the comma
    closes ("A, a German startup, has raised"; "A, which ...,"; "A, backed by B, ...")."""
    words = [tk.low(n) for n in range(comma + 1, i)]
    anchor = comma - 1
    item = tk.item_left(anchor, cls, initial=True) if (tk.is_m(anchor) or tk.is_cap(anchor)) else None
    if item and tk.low(item[1] - 1) in ("of", "at", "for", "from", "to", "in", "with", "by") and \
            any(tk.is_comma(n) for n in range(max(0, item[1] - 8), item[1])):
        item = None     # "A, the venture arm of B, also participated": B is inside A's apposition
    if item and (not words or words[0] in RELATIVE or all(w in MODALS | COPULA | _PLAIN_ADVERBS or
                                                            w.endswith("ly") for w in words)):
        return [item[0]], item[1]
    if item and words and words[0] in ("a", "an", "the") and all(
            tk.toks[n].kind == "W" and not tk.is_cap(n) and not tk.is_m(n) and tk.hit_kind(n) != "verb"
            for n in range(comma + 1, i)):
        return [item[0]], item[1]       # "A, the climate fund founded by B": the participle describes A
    if words and words[0] == "and" and all(w in MODALS | COPULA | {"also", "has", "have", "had"} or w.endswith("ly")
                                           for w in words[1:]):
        return sentence_subject(tk, cls)   # "A trains its models on X, and relies on B": A's second verb
    n = anchor                      # the comma closes an apposition: find the comma that opens it
    while n >= 0 and not tk.is_break(n) and anchor - n < 30:
        if tk.is_comma(n) and (tk.is_m(n - 1) or tk.is_cap(n - 1)):
            item = tk.item_left(n - 1, cls, initial=True)
            if item:
                return [item[0]], item[1]
        n -= 1
    return [], None


def sentence_subject(tk: Tokens, cls: str) -> tuple[list, int | None]:
    """The subject the sentence opens with, after an introductory phrase ("In 2023, A ..."; "Japan's A")."""
    k = 0
    if tk.low(0) in PREPOSITIONS or tk.low(0) in ("on", "last", "earlier", "since"):
        while k < len(tk) and not tk.is_comma(k) and k < 8:
            k += 1
        k += 1
    n = tk.name_after(k, 4)
    if n is None:
        return [], None
    item = tk.item_right(n, cls)
    if item is None:
        return [], None
    after = item[2] + 1
    if tk.low(after) in ("'s", "’s") and tk.is_m(after + 1):
        item = tk.item_right(after + 1, cls) or item
    return [item[0]], n


def object_right(tk: Tokens, j: int, cls: str, reverse: bool = False, reach: int = 12, giver: bool = False):
    """The object after a verb ending at token ``j``: (arguments, first, last token) or ([], None, None).
    With ``giver`` (money raised) the object is who gave it: a name after "from", "by" or "including"."""
    k = j + 1
    while k < len(tk) and k - j <= reach:
        low = tk.low(k)
        if tk.is_break(k) or tk.is_comma(k):
            break
        if giver and low in LOAN:
            return [], None, None               # "secured $1 billion in debt financing from A": a loan
        h = tk.hit_at.get(k)
        if h and (h[0].trigger.kind == "verb" and verbal_use(tk, h[1]) or h[0].trigger.kind == "noun"
                  and tk.low(h[1] - 1) not in MODALS):
            return [], None, None               # "bought a stake in B": the noun's frame says it
        if h and h[0].trigger.kind == "role":
            if tk.is_m(h[2] + 1) or tk.is_cap(h[2] + 1) or tk.low(h[2] + 1) in ("including", "such", "like"):
                k = h[2] + 1 + (tk.low(h[2] + 1) == "including")
                continue
            if tk.low(h[2] + 1) in ("led", "co-led") and tk.low(h[2] + 2) == "by":
                k = h[2] + 3                    # "raised $5 million from investors led by A"
                continue
            if h[0].trigger.relation == "develops" and h[2] + 1 < len(tk) and tk.toks[h[2] + 1].kind == "W" \
                    and tk.toks[h[2] + 1].text[:1].islower():
                k = h[2] + 1                    # "licenses its chip designs to B": a product word inside goods
                continue
            return [], None, None
        if tk.is_m(k) or tk.is_cap(k):
            prev = tk.low(k - 1)
            if prev == "from" and not reverse and k - 1 > j:     # (a form's own "from": "took share from B")
                return [], None, None
            if giver and prev not in AGENT | {"by", "from"}:
                k += 1                          # "Brindlecraft raises $120M": the amount, not a giver
                continue
            if prev in POSSESSIVE_PRONOUNS and tk.is_m(k) and common_noun(tk, k + 1):
                k += 1                          # "buying its Blackwell chips": goods, not a company
                continue
            if cls != "Place" and prev in ("in", "at", "across", "near") and is_place(tk, k):
                k += 1                          # "assembles servers in Mexico for Nvidia": where, not whom
                continue
            if tk.low(k + 1) in ("'s", "’s") and _possessed_hit(tk, k + 2):
                return [], None, None           # "joined B's $80 million round": the round's frame
            args, last = tk.list_right(k, cls, prev if prev in PREPOSITIONS else None)
            if prev in PREPOSITIONS:
                args, last = _same_preposition(tk, last, prev, cls, args)
            return args, k, last
        k += 1
    return [], None, None


def _same_preposition(tk: Tokens, last: int, prep: str, cls: str, args: list) -> tuple[list, int]:
    """More objects after a phrase that completes the first: "relies on A for chips and on B for
    cloud"; "invested in A in 2021 and in B in 2023". Only the same preposition after "and" continues it."""
    n = last + 1
    while n < len(tk) and n - last <= 10 and not tk.is_break(n) and tk.hit_kind(n) is None:
        if tk.low(n) == "and" and tk.low(n + 1) == prep and (tk.is_m(n + 2) or tk.is_cap(n + 2)):
            more, end = tk.list_right(n + 2, cls, prep)
            if more:
                return args + more, end
        if tk.is_m(n) or tk.low(n) in ("which", "who", "that", "while", "but"):
            break               # another name or a clause of its own
        n += 1
    return args, last


def common_noun(tk: Tokens, k: int) -> bool:
    """A lower-case content word at ``k`` ("chips", "servers"), not a grammar word."""
    return 0 <= k < len(tk) and tk.toks[k].kind == "W" and tk.toks[k].text[:1].islower() \
        and tk.low(k) not in DESCRIPTOR_STOP and tk.low(k) not in PREPOSITIONS


def _possessed_hit(tk: Tokens, k: int) -> bool:
    """Whether a noun or role trigger heads the noun phrase starting at ``k`` ("$80 million round")."""
    for n in range(k, min(k + 5, len(tk))):
        if tk.is_m(n) or tk.is_comma(n) or tk.is_break(n):
            return False
        if tk.hit_kind(n) in ("noun", "role"):
            return not tk.is_m(tk.hit_at[n][2] + 1)
    return False


def verbal_use(tk: Tokens, i: int) -> bool:
    """Whether the word at ``i`` is used as a verb, not a noun: not after a determiner or possessive."""
    if tk.low(i).endswith("ed") and tk.low(i + 1) == "by":
        return True                 # "the rocket company founded by A": a participle with its agent
    prev = tk.low(i - 1)
    if prev in DETERMINERS or prev in ("'s", "’s"):
        return False
    if (prev.endswith("ly") or tk.is_cap(i - 1) or tk.is_m(i - 1) or tk.hit_kind(i - 1) in ("noun", "role")) \
            and tk.low(i - 2) in DETERMINERS:
        return False                # "its chip designs": a compound noun, "chip" a trigger word too
    k = i - 1                       # "the Dutch pension fund Veldmere", "a former robotics lead": a noun
    while k >= 0 and i - k <= 3 and tk.toks[k].kind == "W" and tk.toks[k].text[:1].islower() \
            and not tk.low(k).endswith("ly") and tk.low(k) not in NOT_DESCRIPTORS and k not in tk.hit_at \
            and not tk.low(k)[:1].isdigit():
        if tk.is_m(i + 1) or tk.low(k - 1) in DETERMINERS:
            return False
        k -= 1
    return True


def by_right(tk: Tokens, j: int) -> int | None:
    """The token after "by" if a passive agent follows the verb ending at ``j`` ("acquired in 2020 by A")."""
    k = j + 1
    while k < len(tk) and k - j <= 6 and not (tk.is_m(k) or tk.is_comma(k) or tk.is_break(k)):
        if tk.low(k) == "by":
            return tk.name_after(k + 1, 4)      # "by former OpenAI researcher Marta Kessling", "by the fund A"
        if tk.hit_at.get(k) or tk.is_cap(k):
            return None
        k += 1
    return None


def clause(tk: Tokens, lo: int, hi: int) -> tuple[int, int]:
    """The clause around tokens ``lo..hi`` as view-text offsets: out to the nearest comma or break, and
    over commas whose neighbouring stretch names nothing ("In March 2024, A acquired B")."""
    def plain(a: int, b: int) -> bool:
        return all(not tk.is_m(n) and n not in tk.hit_at for n in range(a, b + 1))
    while lo > 0 and not tk.is_break(lo - 1):
        if tk.is_comma(lo - 1):
            n = lo - 2
            while n >= 0 and not (tk.is_comma(n) or tk.is_break(n)):
                n -= 1
            if not plain(n + 1, lo - 2):
                break
        lo -= 1
    while hi + 1 < len(tk) and not tk.is_break(hi + 1):
        if tk.is_comma(hi + 1):
            n = hi + 2
            while n < len(tk) and not (tk.is_comma(n) or tk.is_break(n)):
                n += 1
            if not plain(hi + 2, n - 1):
                break
        hi += 1
    return tk.toks[lo].start, tk.toks[min(hi, len(tk) - 1)].end


def make_frame(tk: Tokens, hit: Hit, subjects: list, objects: list, used: list[int], rule: str) -> list[Frame]:
    """One frame, or a pairs frame for a symmetric trigger with a single list ("A and B partnered")."""
    used = [u for u in used if u is not None]
    lo, hi = min(used), max(used)
    span = clause(tk, lo, hi)
    if not objects and hit.trigger.symmetric and len(subjects) >= 2:
        return [Frame(hit, clause=span, rule=rule, pairs=tuple(unique(subjects)))]
    subjects = unique(subjects)
    objects = [o for o in unique(objects) if o not in subjects]
    if not subjects or not objects:
        return []
    return [Frame(hit, tuple(subjects), tuple(objects), span, rule)]


def unique(args: list) -> list:
    """The arguments in order, each once."""
    out = []
    for a in args:
        if a not in out:
            out.append(a)
    return out


def is_place(tk: Tokens, k: int) -> bool:
    """A place written before a noun is a descriptor ("a German rival", "a Chinese supplier")."""
    classes = tk.view.classes
    m = tk.toks[k].m
    return m is not None and m < len(classes) and vocab.is_entity_class(classes[m]) \
        and vocab.top_class(classes[m]) == "Place"


def classes_of(hit: Hit) -> tuple[str, str]:
    """The classes an unknown name gets in a hit's subject and object slots."""
    r = hit.trigger.relation
    return slot_class(r, 0), slot_class(r, 1)


CO_AGENT = (("with", "participation", "from"), ("with", "participation", "by"), ("alongside",), ("along", "with"),
            ("together", "with"), ("joined", "by"), ("as", "well", "as", "from"))


def co_agents(tk: Tokens, last: int, cls: str, plain: bool = False) -> tuple[list, int | None]:
    """Names that share the agent's part, written after the frame ending at token ``last``: "led a round in
    B, with participation from C"; "alongside C"; with ``plain``, "co-founded B in 2021 with C"."""
    markers = _CO_AGENT_PLAIN if plain else _CO_AGENT_BY_FIRST
    k = last + 1
    while k < len(tk) and k - last <= 8 and not tk.is_break(k):
        if tk.is_comma(k) and tk.low(k + 1) not in _CO_AGENT_BY_FIRST:
            break
        for marker in markers.get(tk.low(k), ()):      # only the markers starting with this word, in order
            if all(tk.low(k + n) == w for n, w in enumerate(marker)):
                n = tk.name_after(k + len(marker), 3)
                if n is not None:
                    args, end = tk.list_right(n, cls)
                    return args, end
        if tk.is_m(k) or k in tk.hit_at:
            break
        k += 1
    return [], None


# CO_AGENT by first word (a word's markers in CO_AGENT's order); with "with" alone last, for ``plain``
_CO_AGENT_BY_FIRST = {w: tuple(m for m in CO_AGENT if m[0] == w) for w in dict.fromkeys(m[0] for m in CO_AGENT)}
_CO_AGENT_PLAIN = {**_CO_AGENT_BY_FIRST, "with": _CO_AGENT_BY_FIRST.get("with", ()) + (("with",),)}
