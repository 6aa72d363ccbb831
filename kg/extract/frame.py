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
    ``marked_object`` (verbs): the relation's object must be marked as what is disposed of, by 将/把
    before the verb or as the subject of 被 (A 将 B 出售给 C, B 被卖给 C: acquires(C, B)); without such a mark
    the verb states nothing (A 出售给 C 一批芯片 is no sale of A). In English the mark is the verb's named direct
    object, and the buyer follows "to" (A sold B to C: acquires(C, B)).
    ``object_after`` (English verbs, "from", "to" or "for"): the object is the name after that preposition, and a
    name right after the verb means another reading ("bought chips from B" is a purchase from a supplier,
    "bought B from C" a takeover; "sold servers to B" a sale to a customer, "sold B to C" a company sold).
    ``pair_only`` (symmetric verbs): the partners are the subject and the marked partner; the name after the
    verb is what they make together (A 与 B 共同研发 X).
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
    marked_object: bool = False     # the object is 将/把-marked or the subject of 被 (see above)
    object_after: str | None = None  # English: "from" | "to" | "for", the preposition the object must follow
    pair_only: bool = False         # symmetric verbs: the object after the verb is what the pair makes
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
    subclass) so linkers can prefer an agent; ``hits`` are the triggers found in ``text``, in order;
    ``names[i]`` (when the builder gives it) is the document text of ``mentions[i]``, read without the span.
    """

    lang: str
    text: str
    origin: list[int]
    mentions: list = field(default_factory=list)     # spaCy spans, one per placeholder
    classes: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    names: list[str] = field(default_factory=list)     # each mention's text in the document, when given

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
    text = doc.text if text is None else text
    masked, origin = mask_offsets(text, sent.start_char, sent.end_char, [m.start_char for m in mentions],
                                  [m.end_char for m in mentions], doc.lang_ == "zh")
    return Masked(masked, origin, mentions)


def mask_offsets(text: str, start: int, end: int, starts: list[int], ends: list[int],
                 zh: bool) -> tuple[str, list[int]]:
    """:func:`mask` on plain offsets: ``text[start:end]`` with mention ``i`` (``starts[i]:ends[i]``) replaced
    by ``chr(PLACEHOLDER + i)``; returns the masked text and each of its characters' offsets in ``text``.

    Runs of white space become one space (Chinese: none, but between two Latin letters or digits); the
    article's own private-use characters read as U+FFFD.

    >>> mask_offsets("Ann  met Bo", 0, 11, [0, 9], [3, 11], False)
    ('\ue000 met \ue001', [0, 3, 5, 6, 7, 8, 9])
    >>> mask_offsets("甲 投资 AI Lab。", 0, 12, [], [], True)[0]
    '甲投资AI Lab。'
    """
    chars: list[str] = []
    origin: list[int] = []
    by_start = {s: n for n, s in enumerate(starts)}     # a repeated start: the later mention, as ever
    cuts = sorted(s for s in by_start if start <= s < end)
    special = _SPECIAL_ZH if zh else _SPECIAL_EN
    if special.search(text, start, end) is None:
        # the common case: nothing to fold in the whole sentence, only mentions to replace
        return _plain_mask(text, start, end, by_start, ends, cuts)
    k, i, last = 0, start, ""    # last: the last character written (``chars`` holds runs, not characters)
    while i < end:
        n = by_start.get(i)
        if n is not None:
            chars.append(last := chr(PLACEHOLDER + n))
            origin.append(i)
            i = ends[n]
            continue
        while k < len(cuts) and cuts[k] <= i:
            k += 1
        stop = cuts[k] if k < len(cuts) else end
        # plain stretches are copied whole; only white space to fold and private-use characters are
        # looked at one by one (a single space in English stays as it is)
        for m in special.finditer(text, i, stop):
            a, b = m.span()
            if a > i:
                chars.append(text[i:a])
                origin.extend(range(i, a))
                last = text[a - 1]
            i = b
            if text[a] in _PRIVATE_USE:     # never read as a placeholder
                chars.append(last := "\ufffd")
                origin.append(a)
            elif not zh:
                chars.append(last := " ")
                origin.append(a)
            else:           # Chinese: only the last space of a run may stay, between Latin words
                nxt = text[b] if b < end else ""
                if last.isascii() and last.isalnum() and nxt.isascii() and nxt.isalnum():
                    chars.append(last := " ")
                    origin.append(b - 1)
        if i < stop:
            chars.append(text[i:stop])
            origin.extend(range(i, stop))
            last, i = text[stop - 1], stop
    return "".join(chars), origin


def _plain_mask(text: str, start: int, end: int, by_start: dict[int, int], ends: list[int],
                cuts: list[int]) -> tuple[str, list[int]]:
    """:func:`mask_offsets` of a sentence without white space to fold or private-use characters."""
    chars: list[str] = []
    origin: list[int] = []
    i = start
    for c in cuts:
        if c < i:
            continue            # inside the mention before it
        if c > i:
            chars.append(text[i:c])
            origin.extend(range(i, c))
        n = by_start[c]
        chars.append(chr(PLACEHOLDER + n))
        origin.append(c)
        i = ends[n]
    if i < end:
        chars.append(text[i:end])
        origin.extend(range(i, end))
    return "".join(chars), origin


# what mask_offsets() must look at: the article's own private-use characters and white space -- in
# English only runs of it or other spaces than " " (a lone space is copied as it is), in Chinese all of it
_SPECIAL_EN = re.compile(r"\s{2,}|[^\S ]|[\ue000-\uf8ff]")
_SPECIAL_ZH = re.compile(r"\s+|[\ue000-\uf8ff]")
_PRIVATE_USE = frozenset(map(chr, range(PLACEHOLDER, PLACEHOLDER_END + 1)))
