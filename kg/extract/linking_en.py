"""English argument linking: which names fill the slots of a trigger, by rules every trigger shares.

``link(view, hit)`` reads one hit of ``ontologies/lexicon/triggers_en.toml`` and returns its frames.

* **Verbs.** The subject is the name before the verb, past auxiliaries, adverbs, time and amount phrases
  ("A has quietly invested"), an apposition or relative clause ("A, a German startup, has raised";
  "A, which ...,") or through "which/who" to its antecedent. The object is the first name after the verb
  or after its preposition ("invested $2 billion in B", "supplies chips to B"); "by" makes a passive ("B
  was acquired by A"; "a round led by A"), "A-backed B" names both. ``reverse`` swaps the two ("B raised
  $5 million from A": A invests in B).
* **Nouns.** A possessor ("A's investment", "its acquisition" = the clause's subject) or the subject of
  the verb governing the noun ("A signed a deal with B"), a complement ("of/in/with/to/between B") and
  an agent ("by/from/led by/including A").
* **Role nouns.** The other party is a possessor or a name right before the role ("B's supplier",
  "Amazon subsidiary") or after its preposition ("the CEO of B", "a supplier of chips to B"); the
  holder is the name right after the role ("Nvidia CEO Jensen Huang"), the name before the apposition
  it stands in ("A, B's founder and CEO,"), the subject of a copula ("A is B's customer") or the list a
  verb of inclusion gives ("B's customers include A, C and D").

Lists fill any slot; a title inside a list item stays on that item ("investors including Sequoia and
Dell founder Michael Dell": Michael Dell, not Dell). A capitalised run no mention covers comes back as a
:class:`~kg.extract.frame.NewName` with the class the slot predicts. The readers every kind shares
(subject, object, passive agent, clause, co-agents) live in :mod:`kg.extract.en_reading`; the role nouns'
reading in :mod:`kg.extract.linking_en_role`.
"""
from __future__ import annotations

from functools import lru_cache

from kg.extract.en_phrases import BREAKS, DETERMINERS, POSSESSIVE_PRONOUNS, Tokens
from kg.extract.en_reading import (
    AGENT,
    COMPLEMENT,
    COPULA,
    LOAN,
    MODALS,
    PREPOSITIONS,
    RAISER_VERBS,
    RELATIVE,
    by_right,
    classes_of,
    clause,
    co_agents,
    is_place,
    make_frame,
    object_right,
    slot_class,
    subject_left,
    unique,
    verbal_use,
)
from kg.extract.frame import Frame, Hit, NewName, SentenceView
from kg.extract.linking_en_role import role


def link(view: SentenceView, hit: Hit) -> list[Frame]:
    """The frames one English hit states (empty when no rule finds both of its arguments)."""
    tk = Tokens(view)
    span = next(((i, j) for h, i, j in tk.spans if h is hit or h == hit), None)     # (identity first: == compares the triggers' fields)
    if span is None or span[0] >= len(tk):
        return []
    if hit.trigger.kind == "verb" and _unrealised(tk, span[0]) or _denied(tk, span[0]) or _lent(tk, hit, *span):
        return []
    linker = {"verb": _verb, "noun": _noun, "role": role}[hit.trigger.kind]
    return linker(tk, hit, *span)


# verbs of denial: what their that-clause says did not happen
DENIAL = {"denied", "denies", "deny", "denying", "dismissed", "dismissing", "dismisses", "rejected", "rejecting",
          "refuted", "disputed", "disputes", "rebuffed"}
# nouns whose infinitive states what has not happened ("held talks to acquire B", "a bid to buy B")
UNREALISED = {"talks", "plans", "plan", "bid", "bids", "attempt", "attempts", "offer", "offers", "proposal",
              "intention", "option", "options", "effort", "efforts", "discussions", "negotiations", "push",
              "ambition", "ambitions", "hopes", "hope", "race", "chance", "approach", "tender"}


def _lent(tk: Tokens, hit: Hit, i: int, j: int) -> bool:
    """Whether an investment trigger speaks of a loan: "secured $1 billion in debt financing from A",
    "a $500 million credit facility"."""
    if hit.trigger.event != "Investment":
        return False
    lo, hi = (j + 1, j + 6) if hit.trigger.kind == "verb" else (i - 3, i)
    return any(tk.low(k) in LOAN for k in range(max(0, lo), min(len(tk), hi)))


def _denied(tk: Tokens, i: int) -> bool:
    """Whether the trigger at ``i`` stands in what a denial rejects: "A denied (reports) that it had
    invested in B", "dismissing a report that the two had discussed a deal"."""
    # (every k here is a token before the trigger's, so tk.low(k) is _low[k] and tk.is_break(k) a break word:
    # read from the tuple, not through two method calls per token)
    lows = tk._low
    for k in range(min(i, len(lows)) - 1, max(-1, i - 16), -1):
        low = lows[k]
        if low in BREAKS:
            return False
        if low in DENIAL:
            return any(lows[n] in ("that", "reports", "report", "claims", "rumours", "rumors", "speculation")
                       for n in range(k + 1, min(i, k + 5)))
    return False


def _unrealised(tk: Tokens, i: int) -> bool:
    """Whether the verb at ``i`` is the infinitive of a noun of intent ("talks to be acquired by A")."""
    k = i - 1
    if tk.low(k) in ("be", "get"):
        k -= 1
    return tk.low(k) == "to" and tk.low(k - 1) in UNREALISED


# ---------------------------------------------------------------------- verbs
def _verb(tk: Tokens, hit: Hit, i: int, j: int) -> list[Frame]:
    t = hit.trigger
    cs, co = classes_of(hit)
    agent_cls, patient_cls = (co, cs) if t.reverse else (cs, co)
    if hit.form.startswith("-"):                # "Amazon-backed Anthropic", "Google-owned YouTube"
        if not tk.is_m(i - 1):
            return []
        agents = [tk.toks[i - 1].m]
        patients, first, last = object_right(tk, j, patient_cls, reach=5)
        if not patients and tk.low(i - 2) in ("a", "an", "the") and tk.is_comma(i - 3) and tk.is_m(i - 4):
            patients, first, last = [tk.toks[i - 4].m], i - 4, j    # "B, a Tencent-backed startup,": B
        if not patients:
            return []
        rule, used = "en.compound", [i - 1, j, last]
    elif " " not in hit.form and not verbal_use(tk, i):     # "runs on" is no noun
        return []
    elif t.marked_object:
        return _sale(tk, hit, i, j, agent_cls, patient_cls)
    elif not t.reverse and _passive(tk, hit, i) and by_right(tk, j) is None:
        return []                       # "Instagram was sold to Meta": the subject is what the verb acts on
    else:
        by = by_right(tk, j)
        if by is not None and t.object_after:
            return []                   # "B was bought by A": the acquisition's reading, not a purchase of goods
        if by is not None:
            agents, last = tk.list_right(by, agent_cls)
            patients, first = subject_left(tk, i, patient_cls)
            rule, used = "en.passive", [first, i, last]
        else:
            agents, first = subject_left(tk, i, agent_cls)
            if not agents and t.relation == "dependsOn":
                agents, first = _owner_left(tk, i)      # "A's business relies heavily on B": A relies on B
            giver = t.reverse and t.event == "Investment"
            patients, pfirst, last = object_right(tk, j, patient_cls, t.reverse, giver=giver)
            if t.object_after and patients and not _after(tk, j, pfirst, t.object_after):
                return []               # "bought B from C" is no purchase of goods, "sold B to C" no supply
            recipient = _recipient(tk, t, last, patient_cls) if patients else None
            if recipient:               # "manufactures iPhones for Apple": the thing made, then for whom
                patients, last = recipient
            if not patients and agents and first is not None and first >= 3 and tk.low(first - 1) in ("which", "that") \
                    and tk.is_comma(first - 2) and tk.is_m(first - 3) and not t.reverse:
                item = tk.item_left(first - 3, patient_cls)     # "B, which A bought in 2012,": B is the object
                if item:
                    patients, last = [item[0]], j
                    first = item[1]
            rule, used = "en.verb", [first, i, j, last]
    subjects, objects = (patients, agents) if t.reverse else (agents, patients)
    out = []
    if t.reverse and t.event == "Investment" and objects and rule == "en.verb":
        # "A raised $5 million": A is raising money (the frames component remembers it for "the round")
        out = [Frame(hit, (), tuple(objects), clause(tk, first if first is not None else i, j), "en.raise")]
    if t.event == "Investment" and not t.reverse and subjects and not objects and _ends_clause(tk, j):
        # "Samsung Next also participated": the investee is the round the text is about
        return [Frame(hit, tuple(unique(subjects)), (), clause(tk, first, j), "en.round")]
    if not subjects and not (t.symmetric and len(objects) >= 2):
        return out
    if subjects and objects and not t.symmetric and last is not None:
        more, end = co_agents(tk, last, agent_cls, plain=agent_cls == "Person" or hit.form.startswith("co"))
        subjects, used = subjects + more, used + [end]
    return out + make_frame(tk, hit, subjects, objects, used, rule)


PASSIVE_AUX = ("was", "were", "been", "be", "is", "are", "being", "get", "got")


def _owner_left(tk: Tokens, i: int) -> tuple[list, int | None]:
    """The possessor of a subject of common nouns before the verb at ``i`` ("A's cloud business relies"):
    ([A], its token) or ([], None)."""
    k, words = i - 1, 0
    while k >= 1 and words <= 4 and tk.toks[k].kind == "W" and tk.toks[k].text[:1].islower():
        k, words = k - 1, words + 1
    if words and tk.low(k) in ("'s", "’s") and tk.is_m(k - 1) and not is_place(tk, k - 1) \
            and (k - 1 == 0 or tk.is_break(k - 2) or tk.is_comma(k - 2) or tk.low(k - 2) in ("and", "but")):
        return [tk.toks[k - 1].m], k - 1
    return [], None


# past participles that do not end in -ed, for telling "was sold to" from "sold to"
IRREGULAR_PARTICIPLES = {"sold", "made", "built", "bought", "taken", "led", "held", "run", "spun", "won", "set",
                         "put", "sent", "begun", "given", "done", "grown", "known", "shown"}


def _passive(tk: Tokens, hit: Hit, i: int) -> bool:
    """Whether the verb at ``i`` is a participle after a passive auxiliary ("was sold to", "is made for")."""
    word = hit.form.split()[0].lower()
    k = i - 1
    if tk.low(k).endswith("ly"):
        k -= 1                          # "was quietly sold"
    return tk.low(k) in PASSIVE_AUX and (word.endswith("ed") or word in IRREGULAR_PARTICIPLES)


def _after(tk: Tokens, j: int, first: int, word: str) -> bool:
    """Whether the object found at ``first`` follows ``word`` and, after "from", no money stands between it and
    the verb ending at ``j`` ("got $5 million from B" is money raised, not goods bought)."""
    if tk.low(first - 1) != word:
        return False
    return word != "from" or not any(tk.low(k)[:1] in "$€£¥" or tk.low(k) in (
        "million", "billion", "funding", "investment", "capital") for k in range(j + 1, first))


def _sale(tk: Tokens, hit: Hit, i: int, j: int, buyer_cls: str, sold_cls: str) -> list[Frame]:
    """"A sold B to C", "B was sold to C": the buyer after "to" acquires the named thing sold."""
    if _passive(tk, hit, i):
        sold, first = subject_left(tk, i, sold_cls)
        k = j - 1 if hit.form.lower().endswith(" to") else j
    else:
        sold, first, k = object_right(tk, j, sold_cls)
        if not sold or tk.low(first - 1) in PREPOSITIONS:
            return []                   # "sold chips to C": goods, another trigger's reading
    k = (k or j) + 1
    while k < len(tk) and k - j <= 12 and not (tk.is_comma(k) or tk.is_break(k)):
        if tk.low(k) == "to" and (tk.is_m(k + 1) or tk.is_cap(k + 1)):
            buyers, last = tk.list_right(k + 1, buyer_cls, "to")
            return make_frame(tk, hit, buyers, sold, [first, i, j, last], "en.sale")
        if tk.is_m(k) and not is_place(tk, k) or k in tk.hit_at:
            return []
        k += 1
    return []


def _recipient(tk: Tokens, t, last: int, cls: str):
    """For a trigger whose forms take a recipient ("sell to", "manufacture for"), the name after that
    preposition following the direct object ("supplies A14 chips to Apple"): (arguments, last) or None."""
    preps = _recipient_words(t.forms)
    k = last + 1
    while preps and k < len(tk) and k - last <= 6 and not (tk.is_comma(k) or tk.is_break(k)):
        if tk.low(k) in preps and (tk.is_m(k + 1) or tk.is_cap(k + 1)):
            return tk.list_right(k + 1, cls, tk.low(k))
        if (tk.is_m(k) and not (is_place(tk, k) and tk.low(k - 1) in ("in", "at"))) or k in tk.hit_at:
            return None
        k += 1
    return None


@lru_cache(maxsize=512)
def _recipient_words(forms: tuple[str, ...]) -> frozenset[str]:
    """The prepositions of recipient a trigger's forms end in ("sell to", "manufacture for")."""
    return frozenset({f.rsplit(" ", 1)[1] for f in forms if " " in f} & {"to", "for"})


def _ends_clause(tk: Tokens, j: int) -> bool:
    """Nothing the verb could take follows it in its clause ("A also participated.")."""
    k = j + 1
    while not tk.is_break(k) and not tk.is_comma(k):
        if tk.low(k) in COMPLEMENT or tk.is_m(k) or tk.is_cap(k) or k in tk.hit_at or tk.low(k) in DETERMINERS:
            return False            # "backs a self-driving startup": an object, just not a named one
        k += 1
    return True


# ---------------------------------------------------------------------- nouns
def _np_left(tk: Tokens, i: int, cls: str):
    """What stands before a noun ending its noun phrase: (possessor arguments or "its", the NP's first
    token). "A's $2 billion investment": [A]; "its planned acquisition": "its"; "a $3 billion display
    supply deal": none."""
    k, steps = i - 1, 0
    while k >= 0 and steps < 8:
        low = tk.low(k)
        if low in ("'s", "’s") and (tk.is_m(k - 1) or tk.is_cap(k - 1)):
            item = tk.item_left(k - 1, cls)
            if item:
                return [item[0]], item[1]
        if low in POSSESSIVE_PRONOUNS:
            return "its", k
        if tk.is_m(k) or tk.is_comma(k) or tk.is_break(k) or low in PREPOSITIONS or low in COPULA | MODALS:
            break
        if low in DETERMINERS:
            return None, k              # the determiner opens the noun phrase
        h = tk.hit_at.get(k)
        if h and h[0].trigger.kind == "verb" and verbal_use(tk, h[1]):
            break
        if tk.toks[k].kind == "P" and low not in ("-", "$", "%"):
            break
        k -= 1
        steps += 1
    return None, k + 1


def _noun(tk: Tokens, hit: Hit, i: int, j: int) -> list[Frame]:
    t = hit.trigger
    if tk.low(i - 1) in MODALS - {"not", "n't", "never"}:
        return []                               # "plans to launch B": the verb's frame
    cs, co = classes_of(hit)
    possessor, edge = _np_left(tk, i, cs)
    governor, gfirst = subject_left(tk, edge, cs)
    if possessor == "its":
        possessor = governor
    agent, complement, k, last = [], [], j + 1, j
    while k < len(tk) and k - last <= 6:
        if tk.is_break(k) or (tk.is_comma(k) and tk.low(k + 1) not in RELATIVE):
            break
        if tk.hit_at.get(k) and tk.hit_kind(k) != "verb":
            break
        if tk.is_m(k) or tk.is_cap(k):
            prev = tk.low(k - 1)
            if prev in ("in", "at") and is_place(tk, k):
                if tk.low(k + 1) == "-" and tk.low(k + 2) == "based" and tk.is_m(k + 3):
                    k += 3              # "a stake in Beijing-based B": the place describes B
                else:
                    k += 1              # "a joint venture in Seoul": where, not with whom
                    continue
            if prev in AGENT or prev == "by":
                agent, last = tk.list_right(k, cs)
            elif prev in COMPLEMENT and not complement and not agent and not (t.symmetric and prev in _NOT_PARTNER):
                complement, last = tk.list_right(k, co, prev)
            else:
                break
            k = max(last, k) + 1     # (a list that reads no name still moves on)
            continue
        k += 1
    subjects, objects = agent, complement
    before = possessor or governor or []
    if subjects and not objects and not before and t.event == "Investment":
        more, end = co_agents(tk, last, cs)     # "The round was led by A"; "the investment includes
        last = end if end is not None else last  # participation from A and B, alongside C"
        return [Frame(hit, tuple(unique(list(subjects) + more)), (), clause(tk, i, last), "en.round")]
    if subjects and not objects:
        objects = possessor or governor or []
    elif objects and not subjects:
        subjects = before
    elif not subjects and not objects:
        if t.symmetric and len(before) >= 2:
            subjects = before
        elif t.reverse and possessor and governor and possessor != governor:
            subjects, objects = governor, possessor        # "A led B's round": B raised it
            raised = [Frame(hit, (), tuple(possessor), clause(tk, gfirst, j), "en.raise")] if t.event else []
            return raised + make_frame(tk, hit, subjects, objects, [gfirst, edge, i, last], "en.noun")
        elif t.reverse and t.event == "Investment" and governor:
            span = clause(tk, gfirst, j)
            if _raiser(tk, edge):                           # "A closed a $5 million round"
                return [Frame(hit, (), tuple(governor), span, "en.raise")]
            return [Frame(hit, tuple(governor), (), span, "en.round")]   # "A led the round"
        else:
            return []
    if t.symmetric and complement and not agent and len(complement) >= 2 and tk.low(j + 1) == "between":
        subjects, objects = complement, []                  # "the alliance between A and B"
    elif subjects and objects and not t.symmetric:
        more, end = co_agents(tk, last, cs)                 # "a round in B, with participation from C"
        subjects = list(subjects) + more
        last = end if end is not None else last
    return make_frame(tk, hit, subjects, objects, [gfirst, edge, i, last], "en.noun")


# prepositions after a deal or a rivalry that name no party ("a $26 billion deal for B" is a purchase)
_NOT_PARTNER = {"for", "on", "in", "into", "over", "upon", "at"}


def _raiser(tk: Tokens, edge: int) -> bool:
    """Whether the verb governing a round (the word before its noun phrase) is its raiser's: a reverse
    trigger ("raised") or a verb of closing one."""
    k = edge - 1
    while k >= 0 and (tk.low(k) in PREPOSITIONS or tk.toks[k].kind == "P" and not tk.is_comma(k)
                      or tk.low(k)[:1] in "$€£¥" or tk.low(k) in ("million", "billion", "m", "bn")):
        k -= 1
    h = tk.hit_at.get(k)
    return bool(h and h[0].trigger.reverse) or tk.low(k) in RAISER_VERBS


__all__ = ["NewName", "link", "slot_class"]
