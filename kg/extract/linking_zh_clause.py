"""The clause-level reading the Chinese linker (:mod:`kg.extract.linking_zh`) is built from: its word
lists, the groups of a clause split at a trigger, what marks a name (向/对/与/由 ...), a clause's carried
subject and names that run on past a mention. Positions only, as every linker reads a view.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg import vocab
from kg.extract.frame import Frame, Hit, NewName, SentenceView
from kg.extract.linking import Group, clause, groups, is_place

BREAKS = "，,;；:：。!！?？"
QUOTES = "“「『《\"'‘"
COORDINATOR = re.compile(r"、|以及|及其|及|和|与|跟|同|或者|或")
# a descriptor opening a coordinated item ("A 和英国电力公司 B")
ITEM_LEAD = re.compile(r"[^\ue000-\uf8ff，,。、;；:：的]{0,8}?(?:公司|企业|集团|机构|厂商|车企|巨头|品牌|银行|基金|运营商)")
OBJECT_MARKS = ("向", "对于", "对", "给", "为")
PARTNER_MARKS = ("与", "和", "同", "跟")
AGENT_MARKS = ("被", "由")
# a clause opening with a preposition has no subject of its own to carry ("由前 X 高管 A 创办")
_LEADING_MARK = re.compile(r"(?:由|被|向|对|给|与|和|同|跟|在|从|把|将|据|随着|通过|凭借)")
AGENT_WORD = re.compile(r"(?<![自理经缘])由(?!于|此|衷)|被")
# a name right after one of these is not a clause subject (a place, a means, the thing moved)
OTHER_MARKS = ("在", "于", "从", "把", "将", "自", "经", "通过", "以", "据", "比", "较", "除", "除了", "针对", "关于",
               "随着", "凭借", "联合", "携")
RECEIVE = re.compile(r"获得|获|得到|接受|拿到|完成|迎来|斩获|赢得|收获")
COPULA = re.compile(r"是|为|系|作为|成为|担任|出任|任")
LISTING = re.compile(r"(?:的)?(?:名单|阵容)?(?:还|也|则|主要|目前|已)*(?:包括|包含|涵盖|囊括|有|是|为|如|系)了?")
POSSESSIVE = re.compile(r"(?:的|之|旗下的?)$")
TITLE_CHAIN = re.compile(r"^(?:(?:兼|和|及|、)[^\ue000-\uf8ff，,。;；:：!！?？]{1,8}?)*$")
PERSON_RELATIONS = ("worksFor", "founded")
# slots that predict an organization: an unknown name standing there is read by kg.extract.found
FOUND_SLOTS = ("acquires", "investsIn", "partnersWith", "competesWith", "founded", "suppliesTo", "worksFor")
# of those, the objects after the verb taken without an organization suffix where they end the phrase
LOOSE_OBJECTS = ("acquires", "investsIn", "founded")
# what lies between a name inside a modifier and the head it describes ("A 创办的人工智能公司 B")
MODIFIER = re.compile(r"[^\ue000-\uf8ff，,。;；:：!！?？]{0,8}的[^\ue000-\uf8ff，,。;；:：!！?？的]{0,8}")
# a clause whose subject is "the company" the text is about
SELF_SUBJECT = re.compile(r"[^\ue000-\uf8ff，,。]{0,6}?(?:该公司|这家公司|公司|其)(?:已|也|还|将|正|则|目前|此前|已经)*")
# a preposition before a pronoun that stands for the company the text is about ("向其投资")
PRONOUN_OBJECT = re.compile(r"(?:向|对|为|给|与|和|同)(?:其|该公司|这家公司|公司)(?![\ue000-\uf8ff])")
# a preposition before a modifier ending in 的, then the name it marks
MARKED_MODIFIER = re.compile(r"(向|对|给|与|同|跟)[^\ue000-\uf8ff，,。;；:：!！?？]{1,16}的[^\ue000-\uf8ff，,。;；的]{0,8}")
# a preposition before a descriptor ending in a company noun, then the name ("向自动驾驶公司 B 投资")
MARKED_DESCRIPTOR = re.compile(r"(向|对|给|与|同|跟)[^\ue000-\uf8ff，,。;；:：!！?？的、]{0,10}"
                               r"(?:公司|企业|厂商|制造商|开发商|供应商|服务商|运营商|巨头|龙头|独角兽|机构|品牌)")
LIST_TAIL = re.compile(r"(向|对|给|与|同|跟|和)(?:[^\ue000-\uf8ff，,。;；:：、的]{2,10}、)+")
# a verb whose givers are listed after it, its investee being the round's ("领投为 A", "跟投的有 A、B")
LISTED_AFTER = re.compile(r"(?:方|机构|者)?(?:[^\ue000-\uf8ff，,。;；]{0,6}?的)?(?:为|是|有|包括|包含)了?")
_RELATIVE_DE = re.compile(r"(?:了|过)?的")       # a verb heading a relative clause ("推出的")
_TOGETHER = re.compile(r"(?:等|联合|共同)?")
MAX_GAP = 16             # characters between a verb and its object
MAX_ROLE_GAP = 10        # between a possessor and its role noun


@lru_cache(maxsize=16)
def _marks_at_end(marks: tuple[str, ...]) -> re.Pattern:
    return re.compile("(?:" + "|".join(map(re.escape, marks)) + ")$")


def _before(text: str, pos: int, marks) -> str | None:
    """The mark that ends right before ``pos``, if any (the first of ``marks`` that does)."""
    m = _marks_at_end(tuple(marks)).search(text, max(0, pos - 4), pos)
    if m is None:
        return None
    return next(k for k in marks if text.startswith(k, pos - len(k)) and pos - len(k) >= 0)


def _compounds(view: SentenceView, gs: list[Group]) -> list[Group]:
    """Two names written together are one: "小米SU7" is Xiaomi's SU7, read as its maker (a place first,
    "美国苹果", stays a separate group that linking skips)."""
    out: list[Group] = []
    for g in gs:
        if out and out[-1].end == g.start and not is_place(view, out[-1]):
            continue
        out.append(g)
    return out


class _Clause:
    """The groups of the clause around one hit, split at the hit."""

    def __init__(self, view: SentenceView, hit: Hit):
        self.view, self.hit = view, hit
        self.lo, self.hi = clause(view.text, hit.start, hit.end, BREAKS)
        self.left = _compounds(view, groups(view, self.lo, hit.start, COORDINATOR, ITEM_LEAD))
        self.right = _compounds(view, groups(view, hit.end, self.hi, COORDINATOR, ITEM_LEAD))

    def mark(self, g: Group) -> str | None:
        """The preposition that marks a name: right before it, or before a modifier ending in 的 that
        describes it ("向当时仍处于亏损状态的 B 投资")."""
        text = self.view.text
        start = g.start
        while start > self.lo and text[start - 1] in QUOTES:
            start -= 1              # 向“B”投资: the quote is not between the mark and the name
        direct = _before(text, start, OBJECT_MARKS + AGENT_MARKS + OTHER_MARKS + PARTNER_MARKS)
        if direct is not None:
            return direct
        m = MARKED_MODIFIER.search(text, max(self.lo, g.start - 26), g.start)
        if m and m.end() == g.start:
            return m.group(1)
        m = MARKED_DESCRIPTOR.search(text, max(self.lo, g.start - 18), g.start)
        if m and m.end() == g.start:
            return m.group(1)
        # the last item of a list whose first items are no mention: "与极智嘉、B 竞争"
        m = LIST_TAIL.search(text, max(self.lo, g.start - 20), g.start)
        return m.group(1) if m and m.end() == g.start else None

    def right_object(self) -> Group | None:
        """The first name after the hit, past descriptors, places, possessors and names inside a modifier
        ending in 的 (收购了由 A 创办的 B); None past the gap or past the next verb of the clause (its own
        object: "A 斥资 5 亿元收购 B")."""
        text = self.view.text
        stop = min([h.start for h in self.view.hits if h.trigger.kind == "verb" and h.start >= self.hit.end
                    and h.start < self.hi and h.trigger is not self.hit.trigger
                    and not _RELATIVE_DE.match(text, h.end)], default=self.hi)
        cands = [g for g in self.right if g.start - self.hit.end <= MAX_GAP and g.start < stop]
        for n, g in enumerate(cands):
            nxt = cands[n + 1] if n + 1 < len(cands) else None
            gap = text[g.end:nxt.start] if nxt is not None else ""
            if nxt is not None and (is_place(self.view, g) or POSSESSIVE.search(gap) and len(gap) <= 3
                                    or MODIFIER.fullmatch(gap)):
                continue            # "美国手机公司 B", "A 的 B", "A 创办的 AI 公司 B": the last name is the head
            if self.mark(g) in OTHER_MARKS + AGENT_MARKS and g.start > self.hit.end:
                return None         # "投资 … 于 X", "收购 … 被 X": not the object
            return g
        return None


def _received(view: SentenceView, hit: Hit, lo: int, g: Group) -> int | None:
    """Where a word of receiving stands between ``lo`` and the name ``g`` (None if none): the name after
    it gives what the subject receives. 完成 ("complete") reverses only a fundraising noun or an
    investment verb right after the name (完成 A 领投的融资); "A 完成 B 的收购" stays A's purchase."""
    text = view.text
    found = None
    for m in RECEIVE.finditer(text, lo, g.start):
        if m.group() != "完成" or hit.trigger.reverse or (
                hit.trigger.relation == "investsIn" and _TOGETHER.fullmatch(text[g.end:hit.start])):
            found = m.start()
    return found


def _longer_name(view: SentenceView, g: Group, end: int) -> NewName | None:
    """A name that runs on past a mention up to the verb and ends in an organization suffix: the
    recognizer took only its first part ("[小米]长江产业基金跟投": the fund, not Xiaomi)."""
    gap = view.text[g.end:end]
    if any(w in gap for w in ("旗下", "通过", "借助")):
        return None                 # "腾讯通过旗下基金入股": the means, not a longer name
    m = re.fullmatch(r"([^\ue000-\uf8ff，,。;；:：的、和与及在于向对被由将已也还]{1,10}?"
                     r"(?:基金|资本|创投|投资|集团|控股|公司|科技|银行|证券))(?:已|也|还|则|又|再|共同|联合|等)*", gap)
    return NewName(g.start, g.end + m.end(1), "Organization") if m else None


def _agent_head(view: SentenceView, t, agents: list[Group]) -> list[Group]:
    """Who a 由/被 phrase names: for a person's relation every person in it (由前 X 高管 A 和 B 创办),
    otherwise its last name, the head of what precedes it (由 X 旗下的 Y 领投)."""
    if t.relation in PERSON_RELATIONS:
        people = [g for g in agents if isinstance(g, Group)
                  and all(vocab.top_class(view.classes[m]) == "Person" for m in g.mentions(view))]
        if people:
            return people
    return [agents[-1]]


def _frame(hit, subjects, objects, c: _Clause, rule: str, pairs=()) -> Frame:
    return Frame(hit, tuple(subjects), tuple(objects), (c.lo, c.hi), rule, tuple(pairs))


def _ids(view: SentenceView, gs) -> list:
    """The arguments of groups: their mentions' indexes, or a name found by its place as it is."""
    return [m for g in gs if g is not None for m in ((g,) if isinstance(g, NewName) else g.mentions(view))]


def _sentence_topic(view: SentenceView, before: int) -> Group | None:
    """The subject the sentence carries over into a clause without one: the name opening the last
    clause before ``before`` that opens with one (after a short time phrase or descriptor), as in
    "A 也在研发大模型，已经成为 B 的对手" or "在 X 之后,A 等公司涌现,对 B 形成合围"."""
    text, best, lo = view.text, None, 0
    while lo < before:
        lo, hi = clause(text, lo, lo, BREAKS)
        first = groups(view, lo, min(hi, before), COORDINATOR)
        if first and first[0].start - lo <= 10 and first[0].end <= before and _before(
                text, first[0].start, OBJECT_MARKS + AGENT_MARKS + OTHER_MARKS) is None \
                and not is_place(view, first[0]) and not _LEADING_MARK.match(text, lo, first[0].start):
            best = first[0]
        lo = hi + 1
    return best
