"""Chinese argument linking, shared by every trigger of ``triggers_zh.toml``.

A linker only reads positions in a :class:`~kg.extract.frame.SentenceView` (mentions are placeholders),
so one construction serves every relation:

- verbs: the subject is the nearest unmarked name before the verb, adverbs, times and amounts between
  (A 已于2021年向 B 投资); 向/对/给/为 mark the second argument, 与/和/同/跟 a partner; a name after the
  verb is its object, past descriptors, places and possessors (收购了美国手机公司 B, 依赖 A 的 B); a verb
  nested under another takes the nearest name (推动 A 入股 B); 被/由 and 获/获得/接受/完成 reverse the
  roles (B 被 A 收购, B 获得 A 的投资, 由 A 领投的融资); a relative clause names its head (A 推出的 B);
  with no subject in its clause the verb takes the sentence's first subject;
- nouns: A 对 B 的收购, A 与 B 的合作协议, X 完成融资 (a reversed noun: its subject is the investee);
- role nouns, both directions: B 的供应商 A, 创始人兼CEO 李明, A 是 B 的供应商, B 的客户包括 A、C,
  A 与 B 等竞争对手; the holder is the relation's subject or object as the trigger says.
An investment whose investee is not in its clause (由 A 领投 / B、C 跟投 / 投资方包括 A) has the rule
``zh.round``: the frames component takes the organization the text last said was raising money.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg import vocab
from kg.extract.found import read_org
from kg.extract.frame import Frame, Hit, NewName, SentenceView, is_placeholder
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
# what lies between a name inside a modifier and the head it describes ("A 创办的人工智能公司 B")
MODIFIER = re.compile(r"[^\ue000-\uf8ff，,。;；:：!！?？]{0,8}的[^\ue000-\uf8ff，,。;；:：!！?？的]{0,8}")
# a clause whose subject is "the company" the text is about
SELF_SUBJECT = re.compile(r"[^\ue000-\uf8ff，,。]{0,6}?(?:该公司|这家公司|公司|其)(?:已|也|还|将|正|则|目前|此前|已经)*")
# a preposition before a pronoun that stands for the company the text is about ("向其投资")
PRONOUN_OBJECT = re.compile(r"(?:向|对|为|给|与|和|同)(?:其|该公司|这家公司|公司)(?![\ue000-\uf8ff])")
# a preposition before a modifier ending in 的, then the name it marks
MARKED_MODIFIER = re.compile(r"(向|对|给|与|同|跟)[^\ue000-\uf8ff，,。;；:：!！?？]{1,16}的[^\ue000-\uf8ff，,。;；的]{0,8}")
LIST_TAIL = re.compile(r"(向|对|给|与|同|跟|和)(?:[^\ue000-\uf8ff，,。;；:：、的]{2,10}、)+")
# a verb whose givers are listed after it, its investee being the round's ("领投为 A", "跟投的有 A、B")
LISTED_AFTER = re.compile(r"(?:方|机构|者)?(?:[^\ue000-\uf8ff，,。;；]{0,6}?的)?(?:为|是|有|包括|包含)了?")
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
                    and not re.match(r"(?:了|过)?的", text[h.end:])], default=self.hi)
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
                hit.trigger.relation == "investsIn" and re.fullmatch(r"(?:等|联合|共同)?", text[g.end:hit.start])):
            found = m.start()
    return found


def _longer_name(view: SentenceView, g: Group, end: int) -> NewName | None:
    """A name that runs on past a mention up to the verb and ends in an organization suffix: the
    recognizer took only its first part ("[小米]长江产业基金跟投": the fund, not Xiaomi)."""
    gap = view.text[g.end:end]
    m = re.fullmatch(r"([^\ue000-\uf8ff，,。;；:：的、和与及在于向对被由将已也还]{1,10}?"
                     r"(?:基金|资本|创投|投资|集团|控股|公司|科技|银行|证券))(?:已|也|还|则|又|再|共同|联合|等)*", gap)
    return NewName(g.start, g.end + m.end(1), "Organization") if m else None


def _agent_head(view: SentenceView, t, agents: list[Group]) -> list[Group]:
    """Who a 由/被 phrase names: for a person's relation every person in it (由前 X 高管 A 和 B 创办),
    otherwise its last name, the head of what precedes it (由 X 旗下的 Y 领投)."""
    if t.relation in PERSON_RELATIONS:
        people = [g for g in agents if all(vocab.top_class(view.classes[m]) == "Person" for m in g.mentions(view))]
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


def link(view: SentenceView, hit: Hit) -> list[Frame]:
    """The frames one hit states in a Chinese sentence (none when its arguments cannot be read)."""
    if hit.trigger.kind == "verb" and any(h.start == hit.end and h.trigger.kind == "verb" for h in view.hits) \
            and hit.start > 0 and "\u4e00" <= view.text[hit.start - 1] <= "\u9fff":
        return []                   # "问鼎投资跟投": the first verb ends a name the recognizer missed
    c = _Clause(view, hit)
    if hit.trigger.kind == "role":
        return _role(view, hit, c)
    return _predicate(view, hit, c)


def _predicate(view: SentenceView, hit: Hit, c: _Clause) -> list[Frame]:
    t, text = hit.trigger, view.text
    subject = agent = marked = partner = None
    receive_at = None
    agents: list[Group] = []        # every name of the 由/被 phrase ("由前 X 公司高管 A 和 B 联合创办")
    by = AGENT_WORD.search(text, c.lo, hit.start)
    by = by.start() if by and not any(g.start < by.start() < g.end for g in c.left) else None
    for g in c.left:
        mark = c.mark(g)
        if is_place(view, g):
            continue
        if by is not None and g.start > by and mark not in OBJECT_MARKS + OTHER_MARKS:
            agent = g
            agents.append(g)
        elif mark in AGENT_MARKS:
            agent, agents = g, [g]
        elif mark in OBJECT_MARKS:
            marked = g
        elif mark in PARTNER_MARKS and (subject is not None or t.symmetric):
            partner = g
        elif mark in OTHER_MARKS:
            continue
        elif (r := _received(view, hit, subject.end if subject is not None else c.lo, g)) is not None:
            agent, receive_at = g, r    # 获得 A 的投资, 完成 A 领投的融资: the giver
        else:
            subject = g
    if subject is not None and len(subject.members) == 1:
        subject = _longer_name(view, subject, hit.start) or subject
    # a marked name before the subject belongs to an earlier verb ("向 A 投资的 B 收购了 C")
    if marked is not None and subject is not None and marked.start < subject.start:
        marked = None
    if marked is not None and agent is not None and receive_at is not None and agent.start > receive_at:
        agent = None                # "完成对 B 的收购": 完成 with a marked object reverses nothing
    relative = None
    if t.kind == "verb":
        tail = text[hit.end:c.hi]
        obj = c.right_object()
        if obj is not None and re.match(r"^(?:了|过)?的", tail) and obj.start - hit.end <= MAX_GAP:
            relative = obj          # "A 推出的 B", "由 A 开发的 B"
        right = obj
        if right is None and not t.reverse and t.relation in FOUND_SLOTS and not re.match(r"(?:了|过)?的", tail):
            right = read_org(text, hit.end, c.hi, loose=t.relation == "acquires")   # "买下极光数智"
    else:
        right = None
    if subject is not None and marked is None and partner is None and t.relation in FOUND_SLOTS:
        m = re.compile("|".join(OBJECT_MARKS + PARTNER_MARKS)).search(text, subject.end, hit.start)
        name = read_org(text, m.end(), hit.start) if m and not any(
            is_placeholder(ch) for ch in text[subject.end:hit.start]) else None
        if name is not None:        # "A 同凌波光电在…较量", "A 向云帆科技投资"
            if m.group() in PARTNER_MARKS:
                partner = name
            else:
                marked = name
    if t.relation == "investsIn" and t.kind == "verb" and subject is None and agent is None and marked is None:
        listed = LISTED_AFTER.match(text, hit.end)
        givers = next((g for g in c.right if listed and g.start == listed.end()), None)
        if givers is not None:      # "领投为 A", "跟投的有 A、B": the givers of the round
            return [_frame(hit, _ids(view, [givers]), (), c, "zh.round")]
    if agents:
        agent = _agent_head(view, t, agents)
    if t.symmetric:
        return _pairs(view, hit, c, subject, partner or marked or right)
    if agent is not None and (subject is not None or relative is not None):
        obj = relative or subject
        givers = agent if isinstance(agent, list) else [agent]
        return [_frame(hit, _ids(view, givers), _ids(view, [obj]), c, "zh.passive")] if obj not in givers else []
    if agent is not None and t.relation != "investsIn" and receive_at is None:
        topic = _sentence_topic(view, c.lo)     # "X 成立于2015年，由 A 创办"
        if topic is None:
            return []
        return [_frame(hit, _ids(view, agent if isinstance(agent, list) else [agent]), _ids(view, [topic]), c,
                       "zh.passive-topic")]
    if agent is not None:           # 由 A 领投 / 获 A 投资: the investee is the round's
        return [_frame(hit, _ids(view, agent if isinstance(agent, list) else [agent]), (), c, "zh.round")]
    second = marked or right
    rule = "zh.prep-object" if marked is not None else ("zh.relative" if relative is not None else "zh.svo")
    if subject is None and t.kind == "verb" and second is not None:
        subject = _sentence_topic(view, second.start)
        if subject is not None and subject.start >= c.lo:
            subject = None          # the topic is the clause's own object
        rule = "zh.topic"
        if subject is None and not t.reverse and SELF_SUBJECT.match(text, c.lo, second.start):
            # "公司已与 B 签署协议": the company the text is about (the frames component knows it)
            return [Frame(hit, (), tuple(_ids(view, [second])), (c.lo, c.hi), "zh.role-topic-holder")]
    if t.reverse:
        if t.kind == "noun" and second is None and subject is None:
            subject = _sentence_topic(view, c.lo)     # "A 创始人表示, 已完成 5 亿元融资"
        if t.kind == "noun" and second is None and subject is not None:
            return [_frame(hit, (), _ids(view, [subject]), c, "zh.raise")]
        if subject is None or second is None:
            return []
        return [_frame(hit, _ids(view, [second]), _ids(view, [subject]), c, rule + "-reverse")]
    if subject is None:
        return []
    if second is None and PRONOUN_OBJECT.search(text, subject.end, hit.start) and not t.symmetric:
        # "A 又向其投资": the company the text is about (the frames component knows it)
        return [_frame(hit, _ids(view, [subject]), (), c, "zh.role-topic")]
    if second is None:
        return [_frame(hit, _ids(view, [subject]), (), c, "zh.round")] if t.relation == "investsIn" else []
    return [_frame(hit, _ids(view, [subject]), _ids(view, [second]), c, rule)]


def _pairs(view, hit, c, subject: Group | None, other: Group | None) -> list[Frame]:
    """A symmetric frame: subject × partner, or every pair of one coordination (A、B 和 C 合作)."""
    if subject is None:
        if other is None:
            return []
        subject, other = _sentence_topic(view, other.start), other
        if (subject is None or subject.start >= c.lo) and SELF_SUBJECT.match(view.text, c.lo, other.start):
            return [Frame(hit, (), tuple(_ids(view, [other])), (c.lo, c.hi), "zh.role-topic-holder")]
        if subject is None or subject.start >= c.lo:
            return []
    if other is not None:
        return [_frame(hit, _ids(view, [subject]), _ids(view, [other]), c, "zh.pair")]
    if isinstance(subject, Group) and len(subject.joins) > 1 and subject.joins[0] in PARTNER_MARKS \
            and any(j != subject.joins[0] for j in subject.joins[1:]):
        ms = subject.mentions(view)  # "A 与 B、C 竞争": A against each of the others
        return [_frame(hit, ms[:1], ms[1:], c, "zh.pair")]
    # every pair of the coordination; one member may stand for two (双方): the frames component expands it
    return [_frame(hit, subject.mentions(view), (), c, "zh.pair-list")]


def _role(view: SentenceView, hit: Hit, c: _Clause) -> list[Frame]:
    """Role nouns: the holder after the noun (apposition, a list) or before a copula, the possessor
    before the noun."""
    t, text = hit.trigger, view.text
    person = t.relation in PERSON_RELATIONS
    holders, rule = None, ""
    tail = text[hit.end:c.hi]
    listing = LISTING.match(tail)
    first_right = c.right[0] if c.right else None
    if first_right is not None:
        gap = text[hit.end:first_right.start]
        if listing and listing.end() == len(gap):
            holders, rule = first_right, "zh.role-list"
        elif TITLE_CHAIN.match(gap) or (not person and re.fullmatch(r"的?[^\ue000-\uf8ff]{0,6}", gap)
                                         and not listing):
            holders, rule = first_right, "zh.role-apposition"
    copula_at = None
    if holders is None:
        topic = None
        for m in COPULA.finditer(text, c.lo, hit.start):
            before = [g for g in c.left if g.end <= m.start()]
            if any(g.start < m.start() < g.end for g in c.left):
                continue
            if before:
                copula_at = m
            elif m.start() - c.lo <= 8 and not any(g.start < m.start() for g in c.left):
                # "…，已经成为 B 的对手": the subject is the one the sentence carries
                topic = _sentence_topic(view, c.lo)
                copula_at = m if topic is not None else copula_at
        if copula_at is not None:
            before = [g for g in c.left if g.end <= copula_at.start() and not is_place(view, g)]
            holders, rule = (before[-1] if before else topic), "zh.role-copula"
    lo = copula_at.end() if copula_at is not None else c.lo
    owners = [g for g in c.left if g.start >= lo and not is_place(view, g) and g is not holders
              and hit.start - g.end <= MAX_ROLE_GAP]
    owner = owners[-1] if owners else None
    if owner is not None and person and not re.fullmatch(r"[^\ue000-\uf8ff]{0,6}", text[owner.end:hit.start]):
        owner = None
    if holders is None and owner is not None:
        before = [g for g in c.left if g.end < owner.start]
        if before and text[before[-1].end:owner.start] in ("（", "("):
            holders, rule = before[-1], "zh.role-paren"          # "A（B 董事长）"
        elif re.match(r"作为|身为", text[c.lo:owner.start]) and c.hi < len(text) and text[c.hi] in "，,":
            nxt = groups(view, c.hi + 1, min(len(text), c.hi + 12), COORDINATOR)
            if nxt and nxt[0].start - c.hi <= 4:
                holders, rule = nxt[0], "zh.role-as"             # "作为 B 最大的供应商，A …"
    if holders is None:
        if t.symmetric and owner is not None and re.fullmatch(r"等?", text[owner.end:hit.start]):
            return _pairs(view, hit, c, owner, None)         # "A 与 B 等竞争对手"
        return []
    if owner is not None and person and re.search(r"(?:前|原|曾任|曾是|曾在)$", text[max(c.lo, owner.start - 2):owner.start]):
        return []                   # "前百度高管 A": a former post states no relation now
    if owner is None and person:
        # "创始人兼CEO A", "公司董事长 A", "A 担任公司 CEO": the company the text is about
        topic = _sentence_topic(view, min(hit.start, holders.start))
        if topic is not None and topic is not holders and all(
                vocab.top_class(view.classes[m]) == "Organization" for m in topic.mentions(view)):
            owner, rule = topic, "zh.role-topic"
        else:
            return [_frame(hit, _ids(view, [holders]), (), c, "zh.role-topic")] if t.holder == "subject" else []
    if owner is None and rule == "zh.role-list" and t.relation != "investsIn":
        # "…，核心客户包括 A、B": the company the sentence (or the text) is about
        topic = _sentence_topic(view, hit.start)
        if topic is not None and topic is not holders:
            owner, rule = topic, "zh.role-list-topic"
        elif not t.symmetric:
            h = _ids(view, [holders])
            return [_frame(hit, h, (), c, "zh.role-topic")] if t.holder == "subject" else [
                Frame(hit, (), h, (c.lo, c.hi), "zh.role-topic-holder")]
    if owner is None:
        if t.symmetric and rule == "zh.role-copula":
            return _pairs(view, hit, c, holders, None)       # "A 和 B 是竞争对手"
        if t.relation == "investsIn" and rule == "zh.role-list":
            return [_frame(hit, _ids(view, [holders]), (), c, "zh.round")]
        return []
    h, o = _ids(view, [holders]), _ids(view, [owner])
    if t.holder == "object":
        return [_frame(hit, o, h, c, rule)]
    return [_frame(hit, h, o, c, rule)]
