"""Small typed items passed between the stages of kg.

Text -> :class:`Mention` (spaCy spans) -> :class:`Entity` (one per real thing in a document)
-> :class:`Relation` / :class:`Investment`, each carrying its :class:`Evidence`
-> :class:`Extraction` (everything read from one document) -> RDF (``kg.graph.rdf``).
"""
from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field, replace
from decimal import Decimal

from kg.vocab import SYMMETRIC


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence, its offsets in the document, and the rule."""
    sentence: str
    start: int          # sentence start, in code points of the document text
    end: int            # sentence end (exclusive)
    rule: str           # lexicon rule id, e.g. "investsIn.zh.2"
    trigger: str        # the words the rule matched
    confidence: float
    lang: str = "en"


@dataclass(frozen=True)
class Mention:
    """One occurrence of a name in the document text."""
    start: int
    end: int
    text: str
    cls: str            # ontology class local name (Organization, Company, Person, ...)
    key: str            # canonical key of the entity this mention refers to
    source: str         # "gazetteer", "rule:<name>", "coref"
    confidence: float
    strong: bool = True  # False: a capitalized phrase with no cue, an entity only if a relation uses it


@dataclass
class Entity:
    """One real thing, with every name the document (or the gazetteer) gives it."""
    key: str
    cls: str
    name_en: str | None = None
    name_zh: str | None = None
    aliases: set[str] = field(default_factory=set)   # surface forms seen in the text
    wikidata: str | None = None
    confidence: float = 0.5
    mentions: int = 0

    @property
    def name(self) -> str:
        """The name to show: English, else Chinese, else the key."""
        return self.name_en or self.name_zh or self.key

    @classmethod
    def named(cls, key: str, entity_class: str, chinese: bool) -> Entity:
        """An entity no gazetteer knows, named by its key in its own script."""
        return cls(key, entity_class, None if chinese else key, key if chinese else None)


@dataclass(frozen=True)
class Relation:
    """One relation between two entities (keys), with the evidence it was read from."""
    subject: str        # entity key
    predicate: str      # relation local name from the ontology
    object: str         # entity key
    evidence: Evidence


@dataclass(frozen=True)
class Investment:
    """One investment event: investor, investee and what the text says of amount, date and round."""
    investor: str
    investee: str
    evidence: Evidence
    amount: Decimal | None = None
    currency: str | None = None
    year: int | None = None
    month: int | None = None
    round: str | None = None
    round_amount: Decimal | None = None


@dataclass(frozen=True)
class Acquisition:
    """One acquisition event: who bought whom, and what the text says of the price and the date."""
    acquirer: str
    target: str
    evidence: Evidence
    price: Decimal | None = None
    currency: str | None = None
    year: int | None = None
    month: int | None = None


@dataclass
class Document:
    """One input text with its path, content hash and dominant language."""
    path: str           # as the user gave it
    text: str
    sha256: str
    lang: str           # dominant language, "zh" or "en"

    @property
    def id(self) -> str:
        """The document's id in IRIs: the first 16 hex digits of its content hash."""
        return self.sha256[:16]


@dataclass
class Extraction:
    """Everything kg read from one document."""
    document: Document
    entities: dict[str, Entity]
    relations: list[Relation]
    investments: list[Investment]
    acquisitions: list[Acquisition] = field(default_factory=list)


def rename_facts(relations: list[Relation], investments: list[Investment], rename: Callable[[str], str],
                 keep: Container[str] | None = None) -> tuple[list[Relation], list[Investment]]:
    """Relations and investments with their entity keys passed through ``rename``.

    A fact whose two sides become one entity is dropped, so is one naming an entity not in ``keep`` (when
    given); symmetric relations are written with the smaller key first; duplicates are kept once.
    """
    rels, seen = [], set()
    for r in relations:
        s, o = rename(r.subject), rename(r.object)
        if s == o or (keep is not None and (s not in keep or o not in keep)):
            continue
        if r.predicate in SYMMETRIC and s > o:
            s, o = o, s
        ident = (s, r.predicate, o, r.evidence.start)
        if ident not in seen:
            seen.add(ident)
            # (a relation is immutable: one whose keys stay is kept as it is, not made again)
            rels.append(r if (s, o) == (r.subject, r.object) else Relation(s, r.predicate, o, r.evidence))
    events, seen = [], set()
    for i in investments:
        a, b = rename(i.investor), rename(i.investee)
        ident = (a, b, i.amount, i.year)
        if a == b or (keep is not None and (a not in keep or b not in keep)) or ident in seen:
            continue
        seen.add(ident)
        events.append(replace(i, investor=a, investee=b))
    # Only events of the same pair can subsume each other: compare within pairs (a long document has
    # thousands of events, and comparing all of them with all was most of its extraction time).
    by_pair: dict[tuple[str, str], list[Investment]] = {}
    for e in events:
        by_pair.setdefault((e.investor, e.investee), []).append(e)
    return rels, [e for e in events
                  if not any(_subsumes(f, e) for f in by_pair[(e.investor, e.investee)] if f is not e)]


_EVENT_FIELDS = ("amount", "currency", "year", "month", "round", "round_amount")


def _subsumes(f: Investment, e: Investment) -> bool:
    """Whether ``f`` says all ``e`` says of the same pair and more (a headline's undated, unpriced
    mention of the investment the body states with its amount)."""
    if (f.investor, f.investee) != (e.investor, e.investee):
        return False
    if e.amount is None and f.amount is not None and e.year in (None, f.year) and e.round in (None, f.round):
        return True                 # what one investor put into a round, and the round named without it
    known = [k for k in _EVENT_FIELDS if getattr(e, k) is not None]
    return all(getattr(f, k) == getattr(e, k) for k in known) and sum(
        getattr(f, k) is not None for k in _EVENT_FIELDS) > len(known)


def rename_acquisitions(acquisitions: list[Acquisition], rename: Callable[[str], str],
                        keep: Container[str] | None = None) -> list[Acquisition]:
    """Acquisitions with their entity keys passed through ``rename``, as :func:`rename_facts` does for
    investments: one whose two sides become one entity, or that names an entity not in ``keep``, is
    dropped; duplicates (same acquirer, target, price and year) are kept once."""
    out, seen = [], set()
    for a in acquisitions:
        buyer, target = rename(a.acquirer), rename(a.target)
        ident = (buyer, target, a.price, a.year)
        if buyer == target or (keep is not None and (buyer not in keep or target not in keep)) or ident in seen:
            continue
        seen.add(ident)
        out.append(replace(a, acquirer=buyer, target=target))
    return out
