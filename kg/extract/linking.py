"""What every language's linker needs: clauses, coordinations of mentions, the head of a possessive chain.

A linker reads a :class:`~kg.extract.frame.SentenceView`, whose mentions are single placeholder characters,
so these helpers only look at positions and the few characters between placeholders.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg import vocab
from kg.extract.frame import SentenceView, is_placeholder

_PLACEHOLDER = re.compile(r"[\ue000-\uf8ff]")
_PAREN = re.compile(r"\s?[(（][^)）\ue000-\uf8ff]{1,16}[)）]")


def slot_class(relation: str, side: int) -> str:
    """The class an unknown name in a slot gets (``side`` 0: the relation's subject, 1: its object): a founder
    is a Person, a launched thing a Product, anything else an Organization.

    >>> slot_class("founded", 0), slot_class("develops", 1), slot_class("investsIn", 1)
    ('Person', 'Product', 'Organization')
    """
    classes = vocab.signature(relation)[side]
    return next((c for c in ("Person", "Product") if classes == {c}), "Organization")


@lru_cache(maxsize=8)
def _breaks(breaks: str) -> tuple[re.Pattern, re.Pattern]:
    """Patterns of the text up to its last break (greedy) and of one break."""
    cls = "[" + re.escape(breaks) + "]"
    return re.compile(r"(?s:.*)" + cls), re.compile(cls)


@dataclass(frozen=True)
class Group:
    """A coordination of mentions ("A、B 和 C", "A, B and C"): the placeholders' positions in the view's
    text, the span it covers, and the coordinator words that joined its members."""

    members: tuple[int, ...]
    start: int
    end: int
    joins: tuple[str, ...] = ()

    def mentions(self, view: SentenceView) -> tuple[int, ...]:
        """The mention indexes of the members."""
        return tuple(view.mention_at(p) for p in self.members)


def clause(text: str, start: int, end: int, breaks: str) -> tuple[int, int]:
    """The clause around ``text[start:end]``: from after the previous break to before the next one.

    >>> clause("甲说,乙投资丙。丁", 4, 6, ",。")
    (3, 7)
    >>> clause("甲说,乙投资丙。丁", 9, 9, ",。")
    (8, 9)
    """
    # the nearest break each way found by a compiled pattern rather than a walk over the characters
    last, following = _breaks(breaks)
    m = last.match(text, 0, start)
    n = following.search(text, end)
    return m.end() if m else 0, n.start() if n else max(end, len(text))


def groups(view: SentenceView, lo: int, hi: int, coordinator: re.Pattern,
           lead: re.Pattern | None = None) -> list[Group]:
    """The coordinations of mentions in ``text[lo:hi]``, in order. ``coordinator`` matches what may join
    two items (it is tried right after an item and after its parenthetical); a short parenthetical after
    an item ("林思远(个人)") stays on that item. ``lead`` matches a descriptor that may open an item after
    the coordinator, itself after a place ("A 和英国电力公司 B": B is the item)."""
    text, out, i = view.text, [], lo
    while i < hi:
        if not is_placeholder(text[i]):
            nxt = _PLACEHOLDER.search(text, i, hi)     # the next mention, found in C, not character by character
            if nxt is None:
                break
            i = nxt.start()
        members, joins, j = [i], [], i + 1
        while True:
            p = _PAREN.match(text, j, hi)
            k = p.end() if p else j
            m = coordinator.match(text, k, hi)
            if m and lead is not None and m.end() < hi:
                q = m.end()
                if is_placeholder(text[q]) and vocab.top_class(view.classes[view.mention_at(q)]) == "Place":
                    q += 1
                d = lead.match(text, q, hi)
                if d and d.end() < hi and is_placeholder(text[d.end()]) and (d.end() > q or q > m.end()):
                    members.append(d.end())
                    joins.append(m.group())
                    j = d.end() + 1
                    continue
            if m and m.end() < hi and is_placeholder(text[m.end()]):
                members.append(m.end())
                joins.append(m.group())
                j = m.end() + 1
                continue
            j = k
            break
        out.append(Group(tuple(members), i, j, tuple(joins)))
        i = j
    return out


def is_place(view: SentenceView, g: Group) -> bool:
    """Whether every member of a group is a place (a country before a company's name describes it)."""
    return all(vocab.top_class(view.classes[view.mention_at(p)]) == "Place" for p in g.members)
