"""Every fact of a kg graph with the sentence behind it, in one pass: the reading the explorer's evidence,
the facts table, the Gephi and FollowTheMoney exports and the build report share.

A *fact* is one statement of a relation or one event, as read from one sentence: an ``rdf:Statement``
(relation evidence), an event node (``kg:Investment`` ...: its roles give the edge, its data properties the
amount, currency and date), or a direct relation triple that no statement backs (no sentence).

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import RDF
>>> from kg.vocab import DOC, ENT, EVT, KG, PROV
>>> g = Graph()
>>> _ = g.add((ENT.Microsoft, KG.investsIn, ENT.OpenAI))
>>> for p, o in [(RDF.type, KG.Investment), (KG.investor, ENT.Microsoft), (KG.investee, ENT.OpenAI),
...              (KG.amount, Literal("1000000000")), (KG.currency, Literal("USD")), (KG.year, Literal("2019")),
...              (KG.sentence, Literal("Microsoft invested $1 billion in OpenAI.")), (KG.startOffset, Literal(0)),
...              (KG.endOffset, Literal(40)), (PROV.wasDerivedFrom, DOC.d1)]:
...     _ = g.add((EVT.e1, p, o))
>>> [(f.kind, f.relation, f.amount, f.currency, f.year, f.start, f.end) for f in read_facts(g)]
[('event', 'investsIn', Decimal('1000000000'), 'USD', 2019, 0, 40)]
>>> fact_counts((str(s), str(p), str(o)) for s, p, o in g)
{'entities': 0, 'relations': 1, 'events': 1}
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import unquote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.explore.events import EVENT_TYPES, edge_of, money_of, year_of
from kg.vocab import (
    CLASSES,
    ENTITY_CLASSES,
    KG,
    PROV,
    RELATIONS,
    SYMMETRIC,
    WD,
    local_name,
    superclasses,
)

_RELATIONS = {KG[r]: r for r in RELATIONS}


@dataclass(frozen=True)
class Fact:
    """One relation or event as one sentence states it (``sentence`` "" for a bare triple)."""
    subject: str                # entity IRI
    relation: str               # relation local name (an event: the relation it stands for)
    object: str
    kind: str                   # "statement", "event" or "triple"
    node: str = ""              # the statement's or event's IRI
    event_class: str = ""       # "Investment", ... for an event
    sentence: str = ""
    document: str = ""          # document IRI
    start: int | None = None    # code-point offsets of the sentence in the document
    end: int | None = None
    confidence: str = ""
    amount: Decimal | None = None
    currency: str = ""
    year: int | None = None
    values: dict = field(default_factory=dict, compare=False, hash=False)   # every data property of an event

    @property
    def key(self) -> tuple[str, str, str]:
        """``(relation, subject, object)``, symmetric relations with the smaller IRI first (one edge either way)."""
        if self.relation in SYMMETRIC:
            return (self.relation, *sorted((self.subject, self.object)))
        return self.relation, self.subject, self.object


@dataclass(frozen=True)
class EntityInfo:
    """The names and identifiers of one entity."""
    iri: str
    en: str                     # English canonical name, or ""
    zh: str                     # Chinese canonical name, or ""
    aliases: tuple[str, ...]    # every other name the texts used
    wikidata: tuple[str, ...]   # Q-ids
    mentions: int | None

    @property
    def name(self) -> str:
        """English, else Chinese, else the IRI's local name."""
        return self.en or self.zh or local_label(self.iri)


@dataclass(frozen=True)
class DocumentInfo:
    """What the graph says of one document."""
    iri: str
    path: str
    sha256: str
    characters: int | None
    title: str


class _Index:
    """Subject -> predicate -> objects, filled in one pass (rdflib lookups per node are slow at corpus size)."""

    def __init__(self, graph: Graph):
        self.po: dict = {}
        self.typed: dict = {}
        self.triples: list = []
        for s, p, o in graph.triples((None, None, None)):
            self.po.setdefault(s, {}).setdefault(p, []).append(o)
            if p == RDF.type:
                self.typed.setdefault(o, []).append(s)
            elif p in _RELATIONS and isinstance(o, URIRef):
                self.triples.append((s, p, o))

    def one(self, s, p):
        vals = self.po.get(s, {}).get(p)
        return None if not vals else vals[0] if len(vals) == 1 else min(vals)

    def of_type(self, cls) -> list:
        return sorted(set(self.typed.get(cls, ())))


def _int(lit) -> int | None:
    try:
        return int(lit)
    except (TypeError, ValueError):
        return None


def _str(lit) -> str:
    return "" if lit is None else str(lit)


def read_facts(graph: Graph) -> list[Fact]:
    """Every fact of ``graph``: statements, events, then direct relation triples no statement backs; sorted."""
    ix = _Index(graph)
    out: list[Fact] = []
    backed: set[tuple] = set()
    for st in ix.of_type(RDF.Statement):
        p = ix.one(st, RDF.predicate)
        rel = _RELATIONS.get(p)
        s, o = ix.one(st, RDF.subject), ix.one(st, RDF.object)
        if rel is None or not isinstance(s, URIRef) or not isinstance(o, URIRef):
            continue
        f = Fact(str(s), rel, str(o), "statement", str(st), sentence=_str(ix.one(st, KG.sentence)).strip(),
                 document=_str(ix.one(st, PROV.wasDerivedFrom)), start=_int(ix.one(st, KG.startOffset)),
                 end=_int(ix.one(st, KG.endOffset)), confidence=_str(ix.one(st, KG.confidence)))
        backed.add(f.key)
        out.append(f)
    for cls_node, cls in EVENT_TYPES.items():
        subj_role, obj_role, rel = edge_of(cls)
        for ev in ix.of_type(cls_node):
            s, o = ix.one(ev, KG[subj_role]), ix.one(ev, KG[obj_role])
            if not isinstance(s, URIRef) or not isinstance(o, URIRef):
                continue
            values = {local_name(p): str(vs[0] if len(vs) == 1 else min(vs)) for p, vs in ix.po.get(ev, {}).items()
                      if local_name(p) and all(isinstance(v, Literal) for v in vs)}
            amount, currency = money_of(values)
            backed.add(Fact(str(s), rel, str(o), "event").key)
            out.append(Fact(str(s), rel, str(o), "event", str(ev), cls, sentence=values.get("sentence", "").strip(),
                            document=_str(ix.one(ev, PROV.wasDerivedFrom)), start=_int(values.get("startOffset")),
                            end=_int(values.get("endOffset")), confidence=values.get("confidence", ""),
                            amount=amount, currency=currency, year=year_of(values), values=values))
    for s, p, o in sorted(ix.triples):
        f = Fact(str(s), _RELATIONS[p], str(o), "triple")
        if f.key not in backed:
            backed.add(f.key)
            out.append(f)
    out.sort(key=lambda f: (f.key, f.kind, f.document, f.start if f.start is not None else -1, f.node))
    return out


def entities(graph: Graph, iris: Iterable[str]) -> dict[str, EntityInfo]:
    """IRI -> :class:`EntityInfo` for the given entities (labels by language, aliases, Wikidata, mentions)."""
    ix = _Index(graph)
    out = {}
    for iri in sorted(set(iris)):
        po = ix.po.get(URIRef(iri), {})
        labels = [o for o in po.get(RDFS.label, ()) if isinstance(o, Literal)]

        def lang(prefix: str, labels=labels) -> str:
            vals = sorted(str(o) for o in labels if (o.language or "").lower().startswith(prefix))
            return vals[0] if vals else ""
        en, zh = lang("en"), lang("zh")
        if not en and not zh and labels:
            en = min(str(o) for o in labels)
        aliases = sorted({str(o) for o in po.get(SKOS.altLabel, ())} - {en, zh})
        wd = sorted(str(o)[len(str(WD)):] for o in po.get(OWL.sameAs, ()) if str(o).startswith(str(WD)))
        out[iri] = EntityInfo(iri, en, zh, tuple(aliases), tuple(wd), _int(ix.one(URIRef(iri), KG.mentionCount)))
    return out


def documents(graph: Graph) -> dict[str, DocumentInfo]:
    """Document IRI -> what the graph records of it (source path, content hash, size, title)."""
    out = {}
    for d in graph.subjects(RDF.type, KG.Document):
        sha = _str(graph.value(d, KG.contentHash))
        out[str(d)] = DocumentInfo(str(d), _str(graph.value(d, KG.sourcePath)),
                                   sha.removeprefix("sha256:"), _int(graph.value(d, KG.characters)),
                                   _str(graph.value(d, RDFS.label)))
    return dict(sorted(out.items()))


def local_label(iri: str) -> str:
    """An IRI's local name, readable: ``ent:Edwin_Marlow`` -> ``Edwin Marlow``.

    >>> local_label("https://w3id.org/kgnews/entity/AT%26T")
    'AT&T'
    """
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]).replace("_", " ")


@functools.cache
def fact_predicates() -> frozenset[str]:
    """The predicates :func:`fact_counts` looks at (``rdf:type`` and the relations): a caller with many triples
    may leave the others out before making strings of them."""
    return frozenset({str(RDF.type)} | {str(KG[r]) for r in RELATIONS})


def fact_counts(triples: Iterable[tuple[str, str, str]]) -> dict[str, int]:
    """Entities, relations (distinct relation triples) and events in one document's triples, each term its IRI
    or lexical form as a string: the build report's count of what a document gave."""
    entity_types = {str(KG[c]) for c in _entity_class_names()}
    event_types = {str(t) for t in EVENT_TYPES}
    relations = {str(KG[r]) for r in RELATIONS}
    rdf_type = str(RDF.type)
    entities, events, rels = set(), set(), set()
    for s, p, o in triples:
        if p == rdf_type:
            if o in entity_types:
                entities.add(s)
            elif o in event_types:
                events.add(s)
        elif p in relations:
            rels.add((s, p, o))
    return {"entities": len(entities), "relations": len(rels), "events": len(events)}


def document_facts(graph: Graph) -> dict[str, dict[str, int]]:
    """Document IRI -> :func:`fact_counts` of what it gave, read from a graph of many documents: entities
    ``kg:mentionedIn`` it, distinct relations its statements state, events derived from it."""
    ix = _Index(graph)
    out = {str(d): {"entities": set(), "relations": set(), "events": set()} for d in ix.of_type(KG.Document)}
    for s, ps in ix.po.items():
        for d in ps.get(KG.mentionedIn, ()):
            out.setdefault(str(d), {"entities": set(), "relations": set(), "events": set()})["entities"].add(s)
    for st in ix.of_type(RDF.Statement):
        rel = _RELATIONS.get(ix.one(st, RDF.predicate))
        if rel is None:
            continue
        for d in ix.po[st].get(PROV.wasDerivedFrom, ()):
            key = (ix.one(st, RDF.subject), rel, ix.one(st, RDF.object))
            out.setdefault(str(d), {"entities": set(), "relations": set(), "events": set()})["relations"].add(key)
    for cls_node in EVENT_TYPES:
        for ev in ix.of_type(cls_node):
            for d in ix.po[ev].get(PROV.wasDerivedFrom, ()):
                out.setdefault(str(d), {"entities": set(), "relations": set(), "events": set()})["events"].add(ev)
    return {d: {k: len(v) for k, v in counts.items()} for d, counts in sorted(out.items())}


def _entity_class_names() -> list[str]:
    """Every class at or below one of the top entity classes."""
    return sorted(c for c in CLASSES if any(top in superclasses(c) for top in ENTITY_CLASSES))
