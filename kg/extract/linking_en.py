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
:class:`~kg.extract.frame.NewName` with the class the slot predicts.
"""
from __future__ import annotations

from kg import vocab
from kg.extract.en_phrases import DESCRIPTOR_STOP, CLOSE, DETERMINERS, OPEN, POSSESSIVE_PRONOUNS, Tokens
from kg.extract.frame import Frame, Hit, NewName, SentenceView

# Grammar words the rules read (closed classes; the lexicon says which words are triggers).
PREPOSITIONS = {"of", "in", "at", "for", "from", "with", "by", "to", "on", "than", "against", "about", "like", "under",
                "over", "into", "between", "among", "via", "through", "toward", "towards", "versus", "vs", "after",
                "before", "including", "without", "despite", "near", "per"}
COMPLEMENT = {"of", "in", "into", "with", "to", "for", "on", "against", "between", "at", "over", "upon"}
AGENT = {"by", "from", "including", "included", "includes"}
INCLUDE = {"include", "includes", "included", "including", "are", "were", "is", "was", "such", "like", "namely",
           "among", "comprise", "comprises"}
COPULA = {"is", "was", "are", "were", "be", "been", "being", "became", "become", "becomes", "remains", "remained",
          "remain", "as", "'s"}
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
                   "successfully", "quickly", "reportedly", "ultimately", "had", "it", "they", "he", "she", "we",
                   "also", "even", "each", "together", "itself", "directly", "personally", "subsequently"}
MAX_GAP = 14        # tokens between a verb and its subject (auxiliaries, adverbs, "$2 billion in 2021")


def slot_class(relation: str, side: int) -> str:
    """The class an unknown name in a slot gets: a founder is a Person, a launched thing a Product."""
    classes = vocab.signature(relation)[side]
    for c in ("Person", "Product"):
        if classes == {c}:
            return c
    return "Organization"


def link(view: SentenceView, hit: Hit) -> list[Frame]:
    """The frames one English hit states (empty when no rule finds both of its arguments)."""
    tk = Tokens(view)
    span = next(((i, j) for h, i, j in tk.spans if h == hit), None)
    if span is None or span[0] >= len(tk):
        return []
    if hit.trigger.kind == "verb" and _unrealised(tk, span[0]) or _denied(tk, span[0]) or _lent(tk, hit, *span):
        return []
    linker = {"verb": _verb, "noun": _noun, "role": _role}[hit.trigger.kind]
    return linker(tk, hit, *span)


# money lent, not invested
LOAN = {"debt", "loan", "loans", "credit", "bonds"}
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
    for k in range(i - 1, max(-1, i - 16), -1):
        if tk.is_break(k):
            return False
        if tk.low(k) in DENIAL:
            return any(tk.low(n) in ("that", "reports", "report", "claims", "rumours", "rumors", "speculation")
                       for n in range(k + 1, min(i, k + 5)))
    return False


def _unrealised(tk: Tokens, i: int) -> bool:
    """Whether the verb at ``i`` is the infinitive of a noun of intent ("talks to be acquired by A")."""
    k = i - 1
    if tk.low(k) in ("be", "get"):
        k -= 1
    return tk.low(k) == "to" and tk.low(k - 1) in UNREALISED


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


def _before_modifier(tk: Tokens, comma: int, i: int, cls: str) -> tuple[list, int | None]:
    """No name between a comma and the verb: the verb's subject stands before the modifier the comma
    closes ("A, a German startup, has raised"; "A, which ...,"; "A, backed by B, ...")."""
    words = [tk.low(n) for n in range(comma + 1, i)]
    anchor = comma - 1
    item = tk.item_left(anchor, cls, initial=True) if (tk.is_m(anchor) or tk.is_cap(anchor)) else None
    if item and (not words or words[0] in RELATIVE or all(w in MODALS | COPULA | {"also", "has", "have", "had"} or
                                                            w.endswith("ly") for w in words)):
        return [item[0]], item[1]
    if item and words and words[0] in ("a", "an", "the") and all(
            tk.toks[n].kind == "W" and not tk.is_cap(n) and not tk.is_m(n) and tk.hit_kind(n) != "verb"
            for n in range(comma + 1, i)):
        return [item[0]], item[1]       # "A, the climate fund founded by B": the participle describes A
    if words and words[0] == "and" and all(w in MODALS | COPULA | {"also", "has", "have", "had"} or w.endswith("ly")
                                           for w in words[1:]):
        return _sentence_subject(tk, cls)   # "A trains its models on X, and relies on B": A's second verb
    n = anchor                      # the comma closes an apposition: find the comma that opens it
    while n >= 0 and not tk.is_break(n) and anchor - n < 30:
        if tk.is_comma(n) and (tk.is_m(n - 1) or tk.is_cap(n - 1)):
            item = tk.item_left(n - 1, cls, initial=True)
            if item:
                return [item[0]], item[1]
        n -= 1
    return [], None


def _sentence_subject(tk: Tokens, cls: str) -> tuple[list, int | None]:
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
        if h and (h[0].trigger.kind == "verb" and _verbal_use(tk, h[1]) or h[0].trigger.kind == "noun"
                  and tk.low(h[1] - 1) not in MODALS):
            return [], None, None               # "bought a stake in B": the noun's frame says it
        if h and h[0].trigger.kind == "role":
            if tk.is_m(h[2] + 1) or tk.is_cap(h[2] + 1) or tk.low(h[2] + 1) in ("including", "such", "like"):
                k = h[2] + 1 + (tk.low(h[2] + 1) == "including")
                continue
            if tk.low(h[2] + 1) in ("led", "co-led") and tk.low(h[2] + 2) == "by":
                k = h[2] + 3                    # "raised $5 million from investors led by A"
                continue
            return [], None, None
        if tk.is_m(k) or tk.is_cap(k):
            prev = tk.low(k - 1)
            if prev == "from" and not reverse:
                return [], None, None
            if giver and prev not in AGENT | {"by", "from"}:
                k += 1                          # "Halcyon raises $120M": the amount, not a giver
                continue
            if prev in POSSESSIVE_PRONOUNS and tk.is_m(k) and _common_noun(tk, k + 1):
                return [], None, None           # "kept buying its Blackwell chips": goods, not a company
            if cls != "Place" and prev in ("in", "at", "across", "near") and _place(tk, k):
                k += 1                          # "assembles servers in Mexico for Nvidia": where, not whom
                continue
            if tk.low(k + 1) in ("'s", "’s") and _possessed_hit(tk, k + 2):
                return [], None, None           # "joined B's $80 million round": the round's frame
            args, last = tk.list_right(k, cls, prev if prev in PREPOSITIONS else None)
            return args, k, last
        k += 1
    return [], None, None


def _common_noun(tk: Tokens, k: int) -> bool:
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


def _verbal_use(tk: Tokens, i: int) -> bool:
    """Whether the word at ``i`` is used as a verb, not a noun: not after a determiner or possessive."""
    prev = tk.low(i - 1)
    if prev in DETERMINERS or prev in ("'s", "’s"):
        return False
    if (prev.endswith("ly") or tk.is_cap(i - 1) or tk.is_m(i - 1)) and tk.low(i - 2) in DETERMINERS:
        return False
    k = i - 1                       # "the Swedish pension fund AP4", "a former robotics lead": a noun
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
            return tk.name_after(k + 1, 4)      # "by former OpenAI researcher Jonah Pierce", "by the fund A"
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


def _frame(tk: Tokens, hit: Hit, subjects: list, objects: list, used: list[int], rule: str) -> list[Frame]:
    """One frame, or a pairs frame for a symmetric trigger with a single list ("A and B partnered")."""
    used = [u for u in used if u is not None]
    lo, hi = min(used), max(used)
    span = clause(tk, lo, hi)
    if not objects and hit.trigger.symmetric and len(subjects) >= 2:
        return [Frame(hit, clause=span, rule=rule, pairs=tuple(_unique(subjects)))]
    subjects = _unique(subjects)
    objects = [o for o in _unique(objects) if o not in subjects]
    if not subjects or not objects:
        return []
    return [Frame(hit, tuple(subjects), tuple(objects), span, rule)]


def _unique(args: list) -> list:
    out = []
    for a in args:
        if a not in out:
            out.append(a)
    return out


def _place(tk: Tokens, k: int) -> bool:
    """A place written before a noun is a descriptor ("a German rival", "a Chinese supplier")."""
    classes = tk.view.classes
    m = tk.toks[k].m
    return m is not None and m < len(classes) and vocab.is_entity_class(classes[m]) \
        and vocab.top_class(classes[m]) == "Place"


def _classes(hit: Hit) -> tuple[str, str]:
    r = hit.trigger.relation
    return slot_class(r, 0), slot_class(r, 1)


# ---------------------------------------------------------------------- verbs
def _verb(tk: Tokens, hit: Hit, i: int, j: int) -> list[Frame]:
    t = hit.trigger
    cs, co = _classes(hit)
    agent_cls, patient_cls = (co, cs) if t.reverse else (cs, co)
    if hit.form.startswith("-"):                # "Amazon-backed Anthropic", "Google-owned YouTube"
        if not tk.is_m(i - 1):
            return []
        agents = [tk.toks[i - 1].m]
        patients, first, last = object_right(tk, j, patient_cls, reach=5)
        rule, used = "en.compound", [i - 1, j, last]
    elif not _verbal_use(tk, i):
        return []
    else:
        by = by_right(tk, j)
        if by is not None:
            agents, last = tk.list_right(by, agent_cls)
            patients, first = subject_left(tk, i, patient_cls)
            rule, used = "en.passive", [first, i, last]
        else:
            agents, first = subject_left(tk, i, agent_cls)
            giver = t.reverse and t.event == "Investment"
            patients, _, last = object_right(tk, j, patient_cls, t.reverse, giver=giver)
            recipient = _recipient(tk, t, last, patient_cls) if patients else None
            if recipient:               # "manufactures iPhones for Apple": the thing made, then for whom
                patients, last = recipient
            rule, used = "en.verb", [first, i, j, last]
    subjects, objects = (patients, agents) if t.reverse else (agents, patients)
    out = []
    if t.reverse and t.event == "Investment" and objects and rule == "en.verb":
        # "A raised $5 million": A is raising money (the frames component remembers it for "the round")
        out = [Frame(hit, (), tuple(objects), clause(tk, first if first is not None else i, j), "en.raise")]
    if t.event == "Investment" and not t.reverse and subjects and not objects and _ends_clause(tk, j):
        # "Samsung Next also participated": the investee is the round the text is about
        return [Frame(hit, tuple(_unique(subjects)), (), clause(tk, first, j), "en.round")]
    if not subjects and not (t.symmetric and len(objects) >= 2):
        return out
    if subjects and objects and not t.symmetric and last is not None:
        more, end = co_agents(tk, last, agent_cls, plain=agent_cls == "Person" or hit.form.startswith("co"))
        subjects, used = subjects + more, used + [end]
    return out + _frame(tk, hit, subjects, objects, used, rule)


CO_AGENT = (("with", "participation", "from"), ("with", "participation", "by"), ("alongside",), ("along", "with"),
            ("together", "with"), ("joined", "by"), ("as", "well", "as", "from"))


def co_agents(tk: Tokens, last: int, cls: str, plain: bool = False) -> tuple[list, int | None]:
    """Names that share the agent's part, written after the frame ending at token ``last``: "led a round in
    B, with participation from C"; "alongside C"; with ``plain``, "co-founded B in 2021 with C"."""
    k = last + 1
    while k < len(tk) and k - last <= 8 and not tk.is_break(k):
        if tk.is_comma(k) and not any(tk.low(k + 1) == m[0] for m in CO_AGENT):
            break
        for marker in CO_AGENT + ((("with",),) if plain else ()):
            if tuple(tk.low(k + n) for n in range(len(marker))) == marker:
                n = tk.name_after(k + len(marker), 3)
                if n is not None:
                    args, end = tk.list_right(n, cls)
                    return args, end
        if tk.is_m(k) or k in tk.hit_at:
            break
        k += 1
    return [], None


def _recipient(tk: Tokens, t, last: int, cls: str):
    """For a trigger whose forms take a recipient ("sell to", "manufacture for"), the name after that
    preposition following the direct object ("supplies A14 chips to Apple"): (arguments, last) or None."""
    preps = {f.rsplit(" ", 1)[1] for f in t.forms if " " in f} & {"to", "for"}
    k = last + 1
    while preps and k < len(tk) and k - last <= 6 and not (tk.is_comma(k) or tk.is_break(k)):
        if tk.low(k) in preps and (tk.is_m(k + 1) or tk.is_cap(k + 1)):
            return tk.list_right(k + 1, cls, tk.low(k))
        if (tk.is_m(k) and not (_place(tk, k) and tk.low(k - 1) in ("in", "at"))) or k in tk.hit_at:
            return None
        k += 1
    return None


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
        if h and h[0].trigger.kind == "verb" and _verbal_use(tk, h[1]):
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
    cs, co = _classes(hit)
    possessor, edge = _np_left(tk, i, cs)
    governor, gfirst = subject_left(tk, edge, cs)
    if possessor == "its":
        possessor = governor
    agent, complement, k, last = [], [], j + 1, j
    while k < len(tk) and k - last <= 6:
        low = tk.low(k)
        if tk.is_break(k) or (tk.is_comma(k) and tk.low(k + 1) not in RELATIVE):
            break
        if tk.hit_at.get(k) and tk.hit_kind(k) != "verb":
            break
        if tk.is_m(k) or tk.is_cap(k):
            prev = tk.low(k - 1)
            if prev in AGENT or prev == "by":
                agent, last = tk.list_right(k, cs)
            elif prev in COMPLEMENT and not complement and not agent:
                complement, last = tk.list_right(k, co, prev)
            else:
                break
            k = last + 1
            continue
        k += 1
    subjects, objects = agent, complement
    before = possessor or governor or []
    if subjects and not objects and not before and t.event == "Investment":
        more, end = co_agents(tk, last, cs)     # "The round was led by A"; "the investment includes
        last = end if end is not None else last  # participation from A and B, alongside C"
        return [Frame(hit, tuple(_unique(list(subjects) + more)), (), clause(tk, i, last), "en.round")]
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
            return raised + _frame(tk, hit, subjects, objects, [gfirst, edge, i, last], "en.noun")
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
    return _frame(tk, hit, subjects, objects, [gfirst, edge, i, last], "en.noun")


def holder_after_role(tk: Tokens, j: int) -> bool:
    """Whether a name follows the role word ending at ``j`` directly ("CEO Jensen Huang")."""
    return tk.is_m(j + 1)


def _raiser(tk: Tokens, edge: int) -> bool:
    """Whether the verb governing a round (the word before its noun phrase) is its raiser's: a reverse
    trigger ("raised") or a verb of closing one."""
    k = edge - 1
    while k >= 0 and (tk.low(k) in PREPOSITIONS or tk.toks[k].kind == "P" and not tk.is_comma(k)
                      or tk.low(k)[:1] in "$€£¥" or tk.low(k) in ("million", "billion", "m", "bn")):
        k -= 1
    h = tk.hit_at.get(k)
    return bool(h and h[0].trigger.reverse) or tk.low(k) in RAISER_VERBS


# ---------------------------------------------------------------------- role nouns
def _role(tk: Tokens, hit: Hit, i: int, j: int) -> list[Frame]:
    t = hit.trigger
    cs, co = _classes(hit)
    holder_cls, other_cls = (cs, co) if t.holder == "subject" else (co, cs)
    other, k, steps, its_at, compound = None, i - 1, 0, None, False
    while k >= 0 and steps < 5:                 # the other party written before the role
        low = tk.low(k)
        if low in ("'s", "’s") and (tk.is_m(k - 1) or tk.is_cap(k - 1)):
            item = tk.item_left(k - 1, other_cls)
            if item and tk.is_m(k - 1) and _place(tk, k - 1):
                k = item[1] - 1                 # "Europe's biggest vendor": where, not whose
                break
            if item:
                other, k = [item[0]], item[1] - 1
                break
        if low in POSSESSIVE_PRONOUNS:
            other, its_at, k = "its", k, k - 1
            break
        if tk.is_m(k) and not _place(tk, k):
            other, k, compound = [tk.toks[k].m], k - 1, True
            break
        if tk.is_role(k) or (low == "and" and tk.is_role(k - 1)):
            k -= 1
            continue
        if tk.is_comma(k) or tk.is_break(k) or low in COPULA or low in PREPOSITIONS or low in OPEN or tk.hit_at.get(k):
            break
        k, steps = k - 1, steps + 1
    while k >= 0 and (tk.low(k) in DETERMINERS or tk.low(k) in ("former", "longtime", "long-time", "current")):
        k -= 1
    det = k + 1 < i and tk.low(k + 1) in DETERMINERS
    # the other party written after the role: "CEO of B", "supplier of memory chips to B", "rival to B"
    after, m = [], j + 1
    if tk.low(m) in COMPLEMENT:
        n = m
        while n < len(tk) and n - m <= 6 and not (tk.is_comma(n) or tk.is_break(n)):
            if tk.low(n) in COMPLEMENT and not (tk.is_m(n + 1) or tk.is_cap(n + 1)):
                named = tk.name_after(n + 1, 4)     # "a subsidiary of Australian miner Coralbay Resources"
                if named is not None and not any(tk.low(x) in COMPLEMENT for x in range(n + 1, named)):
                    after, m = tk.list_right(named, other_cls, tk.low(n))
                    m += 1
                    break
            if (tk.is_m(n) or tk.is_cap(n)) and tk.low(n - 1) in COMPLEMENT:
                if tk.low(n + 1) in COMPLEMENT and tk.low(n - 1) == "of" and tk.low(m) == "of" and \
                        any(tk.low(x) == "to" for x in range(n + 1, n + 8)) and not tk.is_m(n):
                    n += 1
                    continue
                after, m = tk.list_right(n, other_cls, tk.low(n - 1))
                m += 1
                break
            n += 1
    # the holder
    holder, first, rule = [], None, "en.role"
    nxt = m if after else j + 1
    if tk.is_m(j + 1) or (tk.is_cap(j + 1) and not after):
        holder, first = tk.list_right(j + 1, holder_cls)       # "Nvidia CEO Jensen Huang"
        rule = "en.role-apposition"
    if not after and tk.low(nxt) in ("in", "of") and tk.low(nxt + 1) in DETERMINERS and tk.hit_kind(nxt + 2) == "noun":
        nxt += 3                                                # "investors in the round include A"
    if not holder and (tk.low(nxt) in INCLUDE and tk.low(nxt) not in COPULA
                       or tk.low(nxt) in ("are", "were", "is", "include")):
        n = nxt + 1 + (tk.low(nxt) == "such" and tk.low(nxt + 1) == "as")
        holder, first = tk.list_right(n, holder_cls)           # "B's customers include A, C and D"
        rule = "en.role-list"
    if not holder and k >= 0 and (tk.is_comma(k) or tk.low(k) == "("):
        if tk.is_m(k - 1) or tk.is_cap(k - 1):
            item = tk.item_left(k - 1, holder_cls)             # "A, B's supplier,"; "Zoox, an Amazon subsidiary,"
            if item:
                holder, first, rule = [item[0]], item[1], "en.role-apposition"
    if not holder and k >= 0 and tk.low(k) in COPULA:
        if tk.low(k - 1) in ("itself", "themselves"):           # "positioning itself as a rival to B"
            holder, first = _sentence_subject(tk, holder_cls)
        else:
            holder, first = subject_left(tk, k + 1, holder_cls)    # "A is a key supplier of memory chips to B"
        rule = "en.role-copula"
    if rule == "en.role-apposition" and not holder_after_role(tk, j) and after:
        after = after[:1]           # "A, a lead at B, and C": the apposition ends before ", and C"
    if other == "its":
        other, _ = subject_left(tk, its_at, other_cls)
    if compound and after and det:
        other = None                # "a German rival to SAP": the name before the role describes it
    other = other or after
    if holder and not other and t.relation == "investsIn" and rule == "en.role-list":
        # "Additional investors in the round include A, B": the investee is the round the text announced
        return [Frame(hit, tuple(_unique(holder)), (), clause(tk, i, first), "en.role-round")]
    if not holder or not other:
        return []
    subjects, objects = (holder, other) if t.holder == "subject" else (other, holder)
    return _frame(tk, hit, subjects, objects, [first, k + 1, i, j, m - 1 if after else first], rule)


__all__ = ["link", "slot_class", "subject_left", "object_right", "by_right", "clause", "NewName"]
