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

from kg import vocab
from kg.extract.found import read_org, read_subject
from kg.extract.frame import Frame, Hit, SentenceView, is_placeholder
from kg.extract.linking import Group, groups, is_place, slot_class
from kg.extract.linking_zh_clause import (
    AGENT_MARKS,
    AGENT_WORD,
    COORDINATOR,
    COPULA,
    FOUND_SLOTS,
    LISTED_AFTER,
    LISTING,
    LOOSE_OBJECTS,
    MAX_GAP,
    MAX_ROLE_GAP,
    OBJECT_MARKS,
    OTHER_MARKS,
    PARTNER_MARKS,
    PERSON_RELATIONS,
    PRONOUN_OBJECT,
    RECEIVE,
    SELF_SUBJECT,
    TITLE_CHAIN,
    _agent_head,
    _Clause,
    _frame,
    _ids,
    _longer_name,
    _received,
    _sentence_topic,
)

# a verb's object read as the head of a relative clause ("A 推出的 B"); a mark before an unknown name
_RELATIVE_DE = re.compile(r"^(?:了|过)?的")
# between a name and the subject of a relative clause describing it: "B 是 A 开发的…", "B 为一款由…"
_COPULA_GAP = re.compile(r"(?:是|为|系|乃)(?:一[款家个种项台部])?")
DISPOSAL_MARKS = ("将", "把")      # (before OTHER_MARKS, which hold them too)
_OBJECT_OR_PARTNER = re.compile("|".join(OBJECT_MARKS + PARTNER_MARKS))


def _goes_on(text: str, end: int, hi: int) -> bool:
    """Whether the clause goes on right after ``end`` with Chinese words (the main clause's predicate)."""
    return end < hi and "\u4e00" <= text[end] <= "\u9fff"


def _relative_head(view: SentenceView, c: _Clause, head: Group) -> tuple[Group, Group] | None:
    """(object, head) when the verb's object reads "X 的 Y" and the clause goes on after Y with its own
    predicate ("创办小米的雷军表示…"): Y is who did it. None when Y ends the clause ("收购了微软的 GitHub。":
    Microsoft's GitHub was bought) or X is not right before 的 Y."""
    text = view.text
    obj = next((g for g in c.right if g.end < head.start and text[g.end:head.start] == "的"), None)
    if obj is None or not _goes_on(text, head.end, c.hi):
        return None
    return obj, head


_DE_HEAD = re.compile(r"[^\ue000-\uf8ff，,。;；:：!！?？]{0,10}?的$")


def _head_after_de(view: SentenceView, c: _Clause, hit: Hit) -> Group | None:
    """The first name after the verb when only a short phrase ending in 的 stands between ("投资40亿美元的 Y",
    "代工芯片的 Y") and the clause goes on after it with its own predicate: the head the clause describes."""
    text = view.text
    head = c.right[0] if c.right else None
    if head is None or not _DE_HEAD.match(text, hit.end, head.start) or not _goes_on(text, head.end, c.hi):
        return None
    return head


def _marked_name(text: str, mark: re.Match, verb: int, relation: str):
    """The unknown name a mark (向, 对, 与 ...) introduces before the verb: after a modifier that ends in 的
    ("向当时仍处于亏损状态的 B 投资"), and without an organization suffix where the relation takes such objects
    after its verb too (LOOSE_OBJECTS: "向星途智驾投资")."""
    start = mark.end()
    de = text.rfind("的", start, verb)
    if de >= 0:
        start = de + 1
    return read_org(text, start, verb, loose=relation in LOOSE_OBJECTS)


def link(view: SentenceView, hit: Hit) -> list[Frame]:
    """The frames one hit states in a Chinese sentence (none when its arguments cannot be read)."""
    if hit.trigger.kind == "verb" and any(h.start == hit.end and h.trigger.kind == "verb" for h in view.hits) \
            and hit.start > 0 and "\u4e00" <= view.text[hit.start - 1] <= "\u9fff":
        return []                   # "澄远投资跟投": the first verb ends a name the recognizer missed
    c = _Clause(view, hit)
    if hit.trigger.kind == "role":
        return _role(view, hit, c)
    return _predicate(view, hit, c)


def _opening_name(text: str, lo: int, end: int):
    """A name read by its place (:func:`~kg.extract.found.read_subject`) in ``text[lo:end]``, when no name
    stands earlier in the sentence (else the clause's subject is the sentence's topic)."""
    return None if any(is_placeholder(ch) for ch in text[:lo]) else read_subject(text, lo, end)


def _predicate(view: SentenceView, hit: Hit, c: _Clause) -> list[Frame]:
    t, text = hit.trigger, view.text
    subject = agent = marked = partner = disposed = None
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
        elif mark in OBJECT_MARKS or mark == "从" and t.reverse or mark == "在" and t.relation == "worksFor":
            # (在 marks an employer: "A 在 B 担任副总裁")
            marked = g                  # 从 marks a reverse verb's source as 向 does: "A 从 B 采购芯片"
        elif mark in PARTNER_MARKS and (subject is not None or t.symmetric):
            partner = g
        elif mark in DISPOSAL_MARKS:
            disposed = g                # "将 B 出售给 C": what the verb disposes of
        elif mark == "从" and (r := RECEIVE.search(text, g.end, hit.start)) is not None:
            agent, receive_at = g, r.start()    # "A 从 B 获得投资": the giver, before the word of receiving
        elif mark in OTHER_MARKS:
            continue
        elif (r := _received(view, hit, subject.end if subject is not None else c.lo, g)) is not None:
            agent, receive_at = g, r    # 获得 A 的投资, 完成 A 领投的融资: the giver
        else:
            subject = g
    if subject is not None and len(subject.members) == 1:
        subject = _longer_name(view, subject, hit.start) or subject
    elif subject is None and agent is None and t.kind == "verb" and slot_class(t.relation, int(t.reverse)) == "Organization":
        # "星途智驾高度依赖英伟达", "星途智驾与腾讯达成合作": a name by its place, before the verb or the first mark
        end = hit.start
        if c.left:
            mark = c.mark(c.left[0])
            end = text.rfind(mark, c.lo, c.left[0].start) if mark else -1
        if end >= c.lo:
            subject = _opening_name(text, c.lo, end)
    elif subject is None and agent is not None and t.relation in LOOSE_OBJECTS \
            and (at := receive_at if receive_at is not None else by) is not None and at <= agent.start:
        # "曜石智联获红杉中国投资", "曜石智联被腾讯收购", "曜石智联由李明创立": the one receiving, before 获/被/由
        subject = _opening_name(text, c.lo, at)
    # a marked name before the subject belongs to an earlier verb ("向 A 投资的 B 收购了 C")
    if marked is not None and subject is not None and marked.start < subject.start:
        marked = None
    if marked is not None and agent is not None and receive_at is not None and agent.start > receive_at:
        agent = None                # "完成对 B 的收购": 完成 with a marked object reverses nothing
    relative = None
    if t.kind == "verb":
        tail = text[hit.end:c.hi]
        obj = c.right_object()
        if obj is not None and _RELATIVE_DE.match(tail) and obj.start - hit.end <= MAX_GAP:
            relative = obj          # "A 推出的 B", "由 A 开发的 B"
        right = obj
        if right is None and not t.reverse and t.relation in FOUND_SLOTS and not _RELATIVE_DE.match(tail):
            # "买下极光数智。", "创办了数智云图。": what a company bought, invested in or a person founded
            right = read_org(text, hit.end, c.hi, loose=t.relation in LOOSE_OBJECTS)
    else:
        right = None
    if right is None and relative is None and marked is None and agent is None and subject is not None \
            and t.kind == "verb" and not t.reverse and _RELATIVE_DE.match(tail):
        head = next((g for g in c.left if g.end <= subject.start and _COPULA_GAP.fullmatch(text, g.end, subject.start)), None)
        if head is not None:        # "文心一言是百度开发的大模型": the name the copula describes is the object
            return [_frame(hit, _ids(view, [subject]), _ids(view, [head]), c, "zh.copula-relative")]
    if subject is not None and marked is None and partner is None and t.relation in FOUND_SLOTS:
        m = _OBJECT_OR_PARTNER.search(text, subject.end, hit.start)
        name = _marked_name(text, m, hit.start, t.relation) if m and not any(
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
        if len(agents[-1].members) == 1:     # "由[小米]长江产业基金领投": the fund
            agents[-1] = _longer_name(view, agents[-1], hit.start) or agents[-1]
        agent = _agent_head(view, t, agents)
    if t.symmetric:
        if t.pair_only:
            # "A 与 B 共同研发了 X": X is what the pair makes, not a partner; the pair is named (双方 restates
            # a partnership told before, and may stand for a company and its own product)
            if partner is None and marked is None and not (isinstance(subject, Group) and len(subject.members) > 1):
                return []
            right = None
        return _pairs(view, hit, c, subject, partner or marked or right)
    givers = agent if isinstance(agent, list) else [agent]     # (the 由/被 phrase's names, when there is one)
    if agent is not None and (subject is not None or relative is not None):
        obj = relative or subject
        return [_frame(hit, _ids(view, givers), _ids(view, [obj]), c, "zh.passive")] if obj not in givers else []
    if agent is not None and marked is not None and subject is None and receive_at is None and not t.reverse \
            and all(marked.start > g.end for g in givers):
        # "这些芯片由 A 为 B 代工": the agent's 由 and the object's 为/向/对 name both arguments
        return [_frame(hit, _ids(view, givers), _ids(view, [marked]), c, "zh.agent-object")]
    if agent is not None and t.relation != "investsIn" and receive_at is None:
        topic = _sentence_topic(view, c.lo)     # "X 成立于2015年，由 A 创办"
        if topic is None:
            return []
        return [_frame(hit, _ids(view, givers), _ids(view, [topic]), c, "zh.passive-topic")]
    if agent is not None:           # 由 A 领投 / 获 A 投资: the investee is the round's
        return [_frame(hit, _ids(view, givers), (), c, "zh.round")]
    if subject is None and marked is None and t.kind == "verb" and not t.reverse and right is not None \
            and not c.left and (head := _relative_head(view, c, right)) is not None:
        # "收购了摩托罗拉的联想继续扩张": a clause opening with the verb, closed by 的, describes the name after
        # it, the main clause's subject; the name before 的 is the verb's object
        return [_frame(hit, _ids(view, [head[1]]), _ids(view, [head[0]]), c, "zh.subject-relative")]
    if subject is None and agent is None and marked is not None and t.kind == "verb" and not t.reverse \
            and all(g is marked or is_place(view, g) for g in c.left) \
            and (head := _head_after_de(view, c, hit)) is not None:
        # "向 Anthropic 投资40亿美元的亚马逊表示…", "为苹果代工芯片的台积电…": the same, with a marked object
        return [_frame(hit, _ids(view, [head]), _ids(view, [marked]), c, "zh.subject-relative")]
    second = marked or right or (disposed if not t.marked_object else None)    # "A 将 B 收入囊中"
    rule = "zh.prep-object" if marked is not None else ("zh.relative" if relative is not None else "zh.svo")
    if subject is None and t.kind == "verb" and second is not None:
        subject = _sentence_topic(view, second.start)
        if subject is not None and subject.start >= c.lo:
            subject = None          # the topic is the clause's own object
        rule = "zh.topic"
        if subject is None and not t.reverse and SELF_SUBJECT.match(text, c.lo, second.start):
            # "公司已与 B 签署协议": the company the text is about (the frames component knows it)
            return [Frame(hit, (), tuple(_ids(view, [second])), (c.lo, c.hi), "zh.role-topic-holder")]
    if t.marked_object:
        if disposed is not None:
            subject = disposed
        elif subject is None or by is None or by < subject.end:
            return []                   # "B 被卖给 C" names what was sold; "A 出售给 C 一批芯片" does not
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
        subject = _sentence_topic(view, other.start)
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
    if not isinstance(subject, Group):
        return []                   # a name read by its place alone is no pair
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
        # "核心产品是智能手机“X”": a descriptor and an opening quote may stand between the list and its name
        if listing and (listing.end() == len(gap) or
                        re.fullmatch(r"[^\ue000-\uf8ff，,。；;、]{0,14}?[“\"「《]", gap[listing.end():])):
            holders, rule = first_right, "zh.role-list"
        elif TITLE_CHAIN.match(gap) or (not person and re.fullmatch(r"的?[^\ue000-\uf8ff]{0,6}", gap)
                                         and not listing and not any(      # (旗下基金入股 B: B is the verb's)
                    h.trigger.kind == "verb" and hit.end <= h.start < first_right.start for h in view.hits)):
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
                # "…，已经成为 B 的对手": the subject is the one the sentence carries; opening the sentence,
                # a name read by its place ("曜石智联是腾讯的供应商")
                topic = _sentence_topic(view, c.lo)
                if topic is None and not person:
                    topic = _opening_name(text, c.lo, m.start())
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
    if owner is None and rule == "zh.role-copula" and copula_at is not None and \
            re.fullmatch(r"其[^\ue000-\uf8ff，,]{0,6}", text[copula_at.end():hit.start]) and \
            len([g for g in c.left if g.end <= copula_at.start()]) == 1:
        # "B 是其最大客户": 其 is the company the text is about (frames.py fills it in)
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
