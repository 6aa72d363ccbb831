"""The contract between trigger finding, argument linking and the frames component.

A sentence is seen as a :class:`SentenceView`: its text with every entity mention replaced by one
placeholder character (``PLACEHOLDER + i`` stands for ``mentions[i]``), and the triggers found in it
(:class:`Hit`, one entry of ``ontologies/lexicon/triggers_{zh,en}.toml`` each). A language's linker
(``kg.extract.linking_zh.link`` / ``kg.extract.linking_en.link``) reads one hit and says which arguments
fill its slots (:class:`Frame`); the frames component turns frames into relations and events (class
checks from the ontology, negation and hedges, evidence). Linkers never build RDF and never read the
ontology: they only read positions, so a construction learned once works for every trigger.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# Placeholders live in the Private Use Area; the text reader replaces PUA characters of the input by
# U+FFFD, so a placeholder can never be confused with a character of the article.
PLACEHOLDER = 0xE000
PLACEHOLDER_END = 0xF8FF


def is_placeholder(ch: str) -> bool:
    """Whether a character of a view's text stands for a mention.

    >>> is_placeholder(chr(PLACEHOLDER + 3)), is_placeholder("A")
    (True, False)
    """
    return PLACEHOLDER <= ord(ch) <= PLACEHOLDER_END


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: the words that state a relation (or an event) and how its arguments stand.

    ``kind`` is ``verb`` (A 投资 B, A acquired B), ``noun`` (A 对 B 的投资, A's acquisition of B) or
    ``role`` (B 的供应商 A, A, B's supplier). For verbs and nouns ``reverse`` says the grammatical subject
    is the relation's object (B 并入 A: acquires(A, B)). For role nouns ``holder`` says which argument holds
    the role: ``subject`` (A 是 B 的供应商: suppliesTo(A, B)) or ``object`` (A 的子公司 B: owns(A, B)).
    ``id`` is stable and feeds statement IRIs: adding entries never renames the facts of others.
    """

    id: str
    relation: str                   # a relation of ontologies/kg.ttl (local name)
    lang: str                       # "zh" | "en"
    kind: str                       # "verb" | "noun" | "role"
    forms: tuple[str, ...]          # surface forms, matched as written (English: case-insensitive)
    reverse: bool = False
    holder: str = "subject"
    event: str | None = None        # "Investment" | "Acquisition": the frame also makes an event
    symmetric: bool = False         # competesWith, partnersWith: "A 与 B 合作" is a pair
    conf: float = 0.85
    examples: tuple[dict, ...] = ()  # {"text": ..., "expect": [[subject, relation, object], ...]}


@dataclass(frozen=True)
class Hit:
    """A trigger found in a view's text at ``start:end`` (offsets into :attr:`SentenceView.text`)."""

    trigger: Trigger
    start: int
    end: int
    form: str


@dataclass(frozen=True)
class NewName:
    """A name the linker found by its role: text ``start:end`` of the view that no mention covers,
    standing in a slot that predicts an entity of class ``cls`` (an investee is an Organization)."""

    start: int
    end: int
    cls: str


# An argument is a mention (its index in SentenceView.mentions) or a name found by its role.
Argument = "int | NewName"


@dataclass
class SentenceView:
    """One sentence as the linkers read it.

    ``text`` has each mention replaced by one placeholder and runs of spaces collapsed (Chinese: spaces
    dropped except between two Latin words); ``origin[i]`` is the document offset of ``text[i]``;
    ``classes[i]`` is the ontology class of ``mentions[i]`` (Organization, Person, Product, Place or a
    subclass) so linkers can prefer an agent; ``hits`` are the triggers found in ``text``, in order.
    """

    lang: str
    text: str
    origin: list[int]
    mentions: list = field(default_factory=list)     # spaCy spans, one per placeholder
    classes: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    def mention_at(self, i: int) -> int | None:
        """The mention index of the placeholder at ``text[i]``, or None."""
        ch = self.text[i]
        return ord(ch) - PLACEHOLDER if is_placeholder(ch) else None


@dataclass(frozen=True)
class Frame:
    """What a linker read for one hit: the arguments of each slot, and the clause it read them from.

    ``subjects`` and ``objects`` are the relation's own subject and object (after reversal and role
    direction are applied), so ``Frame(hit, [0], [1])`` with an investsIn trigger says
    ``mentions[0] investsIn mentions[1]``. For a symmetric trigger ``pairs`` may list the members of a
    coordination instead ("A、B 和 C 合作": every pair). ``clause`` is the ``(start, end)`` of the clause
    in the view's text: amounts, dates and rounds inside it attach to the frame's event.
    """

    hit: Hit
    subjects: tuple = ()
    objects: tuple = ()
    clause: tuple[int, int] = (0, 0)
    rule: str = ""                  # which linking rule fired (e.g. "zh.prep-object"), for the evidence
    pairs: tuple = ()


@dataclass
class Masked:
    """A sentence with each mention replaced by one placeholder (``PLACEHOLDER + i`` for ``mentions[i]``)."""

    text: str
    origin: list[int]          # masked index -> paragraph offset
    mentions: list[Span]        # placeholder i -> span


def mask(doc: Doc, sent: Span, mentions: list[Span], text: str | None = None) -> Masked:
    """Replace each mention by one placeholder; drop spaces in Chinese (but not between Latin words)."""
    chars, origin = [], []
    by_start = {m.start_char: (i, m) for i, m in enumerate(mentions)}
    text = doc.text if text is None else text
    zh = doc.lang_ == "zh"
    i, end = sent.start_char, sent.end_char
    starts = sorted(s for s in by_start if i <= s < end)
    k, last = 0, ""        # last: the last character written (``chars`` holds runs, not single characters)
    while i < end:
        if i in by_start:
            n, m = by_start[i]
            chars.append(last := chr(PLACEHOLDER + n))
            origin.append(i)
            i = m.end_char
            continue
        while k < len(starts) and starts[k] <= i:
            k += 1
        stop = starts[k] if k < len(starts) else end
        run = text[i:stop]
        if not _SPECIAL.search(run):     # the common case: a run of plain characters is copied whole
            chars.append(run)
            origin.extend(range(i, stop))
            last, i = run[-1], stop
            continue
        while i < stop:
            c = text[i]
            if c.isspace():
                if zh:
                    nxt = text[i + 1] if i + 1 < end else ""
                    if not (last.isascii() and last.isalnum() and nxt.isascii() and nxt.isalnum()):
                        i += 1
                        continue
                if last == " ":
                    i += 1
                    continue
                c = " "
            elif is_placeholder(c):
                c = "\ufffd"       # the article's own private-use character must never read as a placeholder
            chars.append(c)
            origin.append(i)
            last = c
            i += 1
    return Masked("".join(chars), origin, mentions)


# what mask() must look at character by character: white space and the article's own private-use characters
_SPECIAL = re.compile(r"[\s\ue000-\uf8ff]")
