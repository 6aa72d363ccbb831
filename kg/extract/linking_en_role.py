"""English role nouns: who holds a role ("CEO", "supplier", "investor") and of whom, for
:mod:`kg.extract.linking_en`.

The other party is a possessor or a name right before the role ("B's supplier", "Amazon subsidiary") or
after its preposition ("the CEO of B", "a supplier of chips to B"); the holder is the name right after the
role ("Nvidia CEO Jensen Huang"), the name before the apposition it stands in ("A, B's founder and CEO,"),
the subject of a copula ("A is B's customer") or the list a verb of inclusion gives ("B's customers include
A, C and D"). A company officer's title written bare names a post at the company the text is about.
"""
from __future__ import annotations

from kg.extract.en_phrases import DETERMINERS, OPEN, POSSESSIVE_PRONOUNS, Tokens
from kg.extract.en_reading import (
    COMPLEMENT,
    COPULA,
    INCLUDE,
    PREPOSITIONS,
    classes_of,
    clause,
    is_place,
    make_frame,
    sentence_subject,
    subject_left,
    unique,
)
from kg.extract.frame import Frame, Hit


def holder_after_role(tk: Tokens, j: int) -> bool:
    """Whether a name follows the role word ending at ``j`` directly ("CEO Jensen Huang")."""
    return tk.is_m(j + 1)



# titles of a company's own officers: written bare, they name a post at the company the text is about
# (an analyst, an editor or a professor named bare works for someone the text need not be about)
_COMPANY_TITLES = {"ceo", "chief executive", "chief executive officer", "cto", "cfo", "coo", "chief technology officer",
                   "chief financial officer", "chief operating officer", "chief scientist", "chairman",
                   "chairwoman", "president"}


def _company_title(tk: Tokens, i: int, j: int) -> bool:
    """Whether tokens ``i..j`` are a company officer's title held now (not "former CEO")."""
    return " ".join(tk.low(n) for n in range(i, j + 1)) in _COMPANY_TITLES and \
        tk.low(i - 1) not in ("former", "ex", "ex-", "then", "interim", "incoming", "next")


# what says a post was held before, not now
_PAST = {"former", "ex", "ex-", "previously", "then", "once", "onetime", "one-time", "later", "earlier", "until",
         "was", "were", "had"}


def _past(tk: Tokens, k: int, i: int) -> bool:
    """A role held before ("a former chief executive", "was chief executive until 2019", "who
    previously ran"): tokens from a little before the role's left edge up to the role."""
    return any(tk.low(n) in _PAST for n in range(max(0, k - 1), i))


def role(tk: Tokens, hit: Hit, i: int, j: int) -> list[Frame]:
    """The frames of a role noun at tokens ``i..j`` (see the module docstring)."""
    t = hit.trigger
    cs, co = classes_of(hit)
    holder_cls, other_cls = (cs, co) if t.holder == "subject" else (co, cs)
    other, k, steps, its_at, compound = None, i - 1, 0, None, False
    while k >= 0 and steps < 5:                 # the other party written before the role
        low = tk.low(k)
        if low in ("'s", "’s") and (tk.is_m(k - 1) or tk.is_cap(k - 1)):
            item = tk.item_left(k - 1, other_cls)
            if item and tk.is_m(k - 1) and is_place(tk, k - 1):
                k = item[1] - 1                 # "Europe's biggest vendor": where, not whose
                break
            if item:
                other, k = [item[0]], item[1] - 1
                break
        if low in POSSESSIVE_PRONOUNS:
            other, its_at, k = "its", k, k - 1
            break
        if tk.is_m(k) and not is_place(tk, k):
            other, k, compound = [tk.toks[k].m], k - 1, True
            break
        if tk.is_role(k) or (low == "and" and tk.is_role(k - 1)):
            k -= 1
            continue
        if tk.is_cap(k) and all(tk.is_role(n) for n in range(k + 1, i)) and (tk.is_m(j + 1) or tk.is_cap(j + 1)):
            item = tk.item_left(k, other_cls)    # "Tessaline Chief Executive Officer Lorna Morrow"
            if item:
                other, k, compound = [item[0]], item[1] - 1, True
                break
        if tk.is_comma(k) or tk.is_break(k) or low in COPULA or low in PREPOSITIONS or low in OPEN or tk.hit_at.get(k):
            break
        k, steps = k - 1, steps + 1
    while k >= 0 and (tk.low(k) in DETERMINERS or tk.low(k) in ("former", "longtime", "long-time", "current")):
        k -= 1
    det = k + 1 < i and tk.low(k + 1) in DETERMINERS
    # "A is one of B's biggest customers", "A is among the largest investors in B": one of several holders
    among = None
    if tk.low(k) == "of" and tk.low(k - 1) in ("one", "two", "some", "several", "many"):
        k -= 2
    elif tk.low(k) == "among":
        among, k = k, k - 1
    # the other party written after the role: "CEO of B", "supplier of memory chips to B", "rival to B"
    after, m = [], j + 1
    if tk.low(m) in COMPLEMENT:
        n = m
        while n < len(tk) and n - m <= 6 and not (tk.is_comma(n) or tk.is_break(n)):
            if tk.low(n) in COMPLEMENT and not (tk.is_m(n + 1) or tk.is_cap(n + 1)):
                named = tk.name_after(n + 1, 4)     # "a subsidiary of Australian miner Redgum Minerals"
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
    if not holder and not after and other and tk.is_comma(j + 1):
        n = j + 2 + (tk.low(j + 2) in DETERMINERS)
        if tk.is_m(n) and (n + 1 >= len(tk) or tk.is_comma(n + 1) or tk.is_break(n + 1)):
            holder, first = [tk.toks[n].m], n                  # "B's flagship robot, the X2," names the role's holder
            rule = "en.role-apposition"
    if not after and tk.low(nxt) in ("in", "of") and tk.low(nxt + 1) in DETERMINERS and tk.hit_kind(nxt + 2) == "noun":
        nxt += 3                                                # "investors in the round include A"
    if not holder and tk.is_comma(nxt) and tk.low(nxt + 1) in ("including", "such", "like"):
        nxt += 1                                                # "B's backers, including A,"
    if not holder and (tk.low(nxt) in INCLUDE and tk.low(nxt) not in COPULA
                       or tk.low(nxt) in ("are", "were", "is", "include")):
        n = nxt + 1 + (tk.low(nxt) == "such" and tk.low(nxt + 1) == "as")
        holder, first = tk.list_right(n, holder_cls)           # "B's customers include A, C and D"
        rule = "en.role-list"
    if not holder and k >= 0 and (tk.is_comma(k) or tk.low(k) == "(") and (tk.is_m(k - 1) or tk.is_cap(k - 1)):
        item = tk.item_left(k - 1, holder_cls)                 # "A, B's supplier,"; "Zoox, an Amazon subsidiary,"
        if item:
            holder, first, rule = [item[0]], item[1], "en.role-apposition"
    if not holder and among is not None and tk.is_m(among - 1):
        listed, at = subject_left(tk, among, holder_cls, reach=8)   # "B counts A and C among its investors"
        if listed:
            holder, first, rule = listed, at, "en.role-among"
            if other == "its":                                  # its = the subject that counts them
                other, _ = subject_left(tk, first, other_cls)
    if not holder and k >= 0 and tk.low(k) in COPULA:
        if tk.low(k - 1) in ("itself", "themselves"):           # "positioning itself as a rival to B"
            holder, first = sentence_subject(tk, holder_cls)
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
        return [Frame(hit, tuple(unique(holder)), (), clause(tk, i, first), "en.role-round")]
    if holder and not other and t.relation == "worksFor" and _company_title(tk, i, j) \
            and not _past(tk, k, i):
        # "Chief Executive A said", "A, who remains chief executive": the post is at the company the sentence
        # opens with, else at the company the text is about
        opener, _ = sentence_subject(tk, other_cls)
        if not opener or any(a in holder for a in opener):
            return [Frame(hit, tuple(unique(holder)), (), clause(tk, i, first), "en.role-topic")]
        other = opener
    if holder and not other and t.symmetric and rule == "en.role-copula" and len(holder) >= 2:
        return make_frame(tk, hit, holder, [], [first, i, j], rule)    # "A and B are fierce rivals": the pair
    if not holder or not other:
        return []
    subjects, objects = (holder, other) if t.holder == "subject" else (other, holder)
    return make_frame(tk, hit, subjects, objects, [first, k + 1, i, j, m - 1 if after else first], rule)
