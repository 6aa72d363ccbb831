"""Extractions -> one rdflib graph, following ``docs/model.md``.

Every relation is written twice: as a direct triple, and as an ``rdf:Statement`` carrying its evidence
(sentence, offsets, rule, trigger, confidence, source document). IRIs are derived from names and content
hashes only, so the same inputs always give the same graph.

>>> entity_iri("Edwin Marlow"), entity_iri("卜淑情")
(rdflib.term.URIRef('https://w3id.org/kgnews/entity/Edwin_Marlow'), rdflib.term.URIRef('https://w3id.org/kgnews/entity/卜淑情'))
>>> entity_iri("AT&T / Inc?")
rdflib.term.URIRef('https://w3id.org/kgnews/entity/AT%26T_%2F_Inc%3F')
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from kg.model import Entity, Extraction
from kg.textio import has_cjk
from kg.vocab import DOC, ENT, EVT, KG, PREFIXES, PROV, STMT, WD, top_class


def entity_iri(key: str) -> URIRef:
    """A readable IRI from a canonical name: letters and digits kept (any script), spaces as ``_``,
    everything else percent-encoded as UTF-8."""
    out = []
    for ch in key.strip().replace(" ", "_"):
        if ch.isalnum() or ch in "_-.~":
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return ENT["".join(out)]


def _digest(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def _lang_of(text: str) -> str:
    return "zh" if has_cjk(text) else "en"


def _confidence(c: float) -> Literal:
    return Literal(Decimal(str(round(c, 3))), datatype=XSD.decimal)


def _merge(entities: dict[str, Entity], extraction: Extraction) -> None:
    for key, e in extraction.entities.items():
        have = entities.get(key)
        if have is None:
            entities[key] = Entity(key, e.cls, e.name_en, e.name_zh, set(e.aliases), e.wikidata, e.confidence,
                                   e.mentions)
            continue
        have.aliases |= e.aliases
        have.name_en = have.name_en or e.name_en
        have.name_zh = have.name_zh or e.name_zh
        have.wikidata = have.wikidata or e.wikidata
        have.confidence = max(have.confidence, e.confidence)
        have.mentions += e.mentions


def to_graph(extractions: Iterable[Extraction]) -> Graph:
    """One graph for all extractions; entities with the same key become one node."""
    g = Graph()
    for prefix, uri in PREFIXES.items():
        g.bind(prefix, uri, override=True)
    for t in graph_triples(extractions):
        g.add(t)
    return g


def graph_triples(extractions: Iterable[Extraction]) -> Iterator[tuple]:
    """The triples of :func:`to_graph` (rdflib terms), without building the graph: a store writes them as they
    come (a Graph's indexes cost as much as making the terms). A triple may come more than once."""
    extractions = list(extractions)
    entities: dict[str, Entity] = {}
    for x in extractions:
        _merge(entities, x)
        yield from _document(x)
    for e in entities.values():
        yield from _entity(e)
    for x in extractions:
        doc = DOC[x.document.id]
        for key in x.entities:
            yield entity_iri(key), KG.mentionedIn, doc
        for r in x.relations:
            s, p, o = entity_iri(r.subject), KG[r.predicate], entity_iri(r.object)
            yield s, p, o
            ev = r.evidence
            st = STMT[_digest(x.document.id, r.subject, r.predicate, r.object, ev.start, ev.rule)]
            yield st, RDF.type, RDF.Statement
            yield st, RDF.subject, s
            yield st, RDF.predicate, p
            yield st, RDF.object, o
            yield from _evidence(st, ev, doc)
            yield st, KG.trigger, Literal(ev.trigger)
        for i in x.investments:
            ev = i.evidence
            node = EVT[_digest(x.document.id, i.investor, i.investee, i.amount, i.year, ev.start)]
            yield node, RDF.type, KG.Investment
            yield node, KG.investor, entity_iri(i.investor)
            yield node, KG.investee, entity_iri(i.investee)
            if i.amount is not None:
                yield node, KG.amount, Literal(str(i.amount), datatype=XSD.decimal)
            if i.currency and (i.amount is not None or i.round_amount is not None):
                yield node, KG.currency, Literal(i.currency)
            if i.round_amount is not None:
                yield node, KG.roundAmount, Literal(str(i.round_amount), datatype=XSD.decimal)
            if i.year:
                yield node, KG.year, Literal(f"{i.year:04d}", datatype=XSD.gYear)
                if i.month:
                    yield node, KG.date, Literal(f"{i.year:04d}-{i.month:02d}", datatype=XSD.gYearMonth)
            if i.round:
                yield node, KG.round, Literal(i.round)
            yield from _evidence(node, ev, doc)
        for a in x.acquisitions:
            ev = a.evidence
            node = EVT[_digest(x.document.id, "acquisition", a.acquirer, a.target, a.price, a.year, ev.start)]
            yield node, RDF.type, KG.Acquisition
            yield node, KG.acquirer, entity_iri(a.acquirer)
            yield node, KG.target, entity_iri(a.target)
            if a.price is not None:
                yield node, KG.price, Literal(str(a.price), datatype=XSD.decimal)
                if a.currency:
                    yield node, KG.currency, Literal(a.currency)
            if a.year:
                yield node, KG.year, Literal(f"{a.year:04d}", datatype=XSD.gYear)
                if a.month:
                    yield node, KG.date, Literal(f"{a.year:04d}-{a.month:02d}", datatype=XSD.gYearMonth)
            yield from _evidence(node, ev, doc)


def _evidence(node: URIRef, ev, doc: URIRef) -> Iterator[tuple]:
    yield node, KG.sentence, Literal(ev.sentence, lang=ev.lang)
    yield node, KG.startOffset, Literal(ev.start)
    yield node, KG.endOffset, Literal(ev.end)
    yield node, KG.rule, Literal(ev.rule)
    yield node, KG.confidence, _confidence(ev.confidence)
    yield node, PROV.wasDerivedFrom, doc


def _document(x: Extraction) -> Iterator[tuple]:
    d = x.document
    node = DOC[d.id]
    yield node, RDF.type, KG.Document
    first = next((line.strip() for line in d.text.splitlines() if line.strip()), "")
    yield node, RDFS.label, Literal(first[:200])
    yield node, KG.sourcePath, Literal(d.path)
    yield node, KG.contentHash, Literal("sha256:" + d.sha256)
    yield node, KG.characters, Literal(len(d.text))
    yield node, DCTERMS.language, Literal(d.lang)


def _entity(e: Entity) -> Iterator[tuple]:
    node = entity_iri(e.key)
    top = top_class(e.cls)
    yield node, RDF.type, KG[top]
    if e.cls != top:
        yield node, RDF.type, KG[e.cls]
    if e.name_en:
        yield node, RDFS.label, Literal(e.name_en, lang="en")
    if e.name_zh:
        yield node, RDFS.label, Literal(e.name_zh, lang="zh")
    for a in sorted(e.aliases - {e.name_en, e.name_zh}):
        yield node, SKOS.altLabel, Literal(a, lang=_lang_of(a))
    if e.wikidata:
        yield node, OWL.sameAs, WD[e.wikidata]
    yield node, KG.confidence, _confidence(e.confidence)
    yield node, KG.mentionCount, Literal(e.mentions)
