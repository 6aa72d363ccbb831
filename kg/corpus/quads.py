"""The store's triples: rdflib terms as pyoxigraph terms, how an entity's facts from several documents merge in
the default graph (class, mention count, confidence), and quads written as the text of a SPARQL Update.

>>> from kg.vocab import KG
>>> [(p.value.rsplit("#", 1)[1], o.value if hasattr(o, "value") else o) for p, o in merge_entity(
...     [({ox(KG.Organization)}, 3, None), ({ox(KG.Person)}, 1, None)])]
[('type', 'https://w3id.org/kgnews/ontology#Organization'), ('mentionCount', '4')]
"""
from __future__ import annotations

from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Triple
from rdflib import BNode as RBNode
from rdflib import Literal as RLiteral
from rdflib.namespace import RDF

from kg.vocab import ENT, ENTITY_CLASSES, KG, PROV


def ox(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, RLiteral):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    if isinstance(term, RBNode):
        raise TypeError("blank nodes are not stored")
    return NamedNode(str(term))


R_TYPE, R_PROV = ox(RDF.type), ox(PROV.wasDerivedFrom)
MENTIONS, CONFIDENCE = ox(KG.mentionCount), ox(KG.confidence)
AGGREGATED = (R_TYPE, MENTIONS, CONFIDENCE)
TOP = {ox(KG[c]): c for c in ENTITY_CLASSES}
_ENT = str(ENT)


def is_entity_node(node) -> bool:
    """Whether ``node`` is an entity IRI of kg."""
    return isinstance(node, NamedNode) and node.value.startswith(_ENT)


def is_aggregated(t: Triple) -> bool:
    """Entity facts merged across documents rather than copied: class, mention count, confidence."""
    return t.predicate in AGGREGATED and is_entity_node(t.subject)


def merge_entity(values: list[tuple[set, int, Literal | None]]) -> list[tuple[NamedNode, object]]:
    """The merged (predicate, object) pairs of one entity from its per-document (types, mentions,
    confidence): mentions summed, the highest confidence, the top class (and subclass) that
    carries the most mentions (ties: alphabetical)."""
    if not values:
        return []
    score: dict = {}
    for types, n, _ in values:
        for t in types:
            score[t] = score.get(t, 0) + n
    tops = [t for t in score if t in TOP]
    out = []
    if tops:
        top = min(tops, key=lambda t: (-score[t], t.value))
        subs = [t for types, _, _ in values if top in types for t in types if t not in TOP]
        out.append((R_TYPE, top))
        if subs:
            out.append((R_TYPE, min(set(subs), key=lambda t: (-score[t], t.value))))
    else:
        out += [(R_TYPE, t) for t in sorted(score, key=lambda t: t.value)]
    out.append((MENTIONS, Literal(sum(n for _, n, _ in values))))
    confs = [c for _, _, c in values if c is not None]
    if confs:
        out.append((CONFIDENCE, max(confs, key=lambda c: (Decimal(c.value), c.value))))
    return out


def data_block(items: set[tuple]) -> str:
    """Quads as the body of INSERT DATA / DELETE DATA, grouped by graph, in a stable order."""
    by_graph: dict = {}
    lines: dict = {}              # a document's triple is in its graph and in the merged view: written once
    for g, t in items:
        line = lines.get(t)
        if line is None:
            line = lines[t] = f"{t} ."           # a pyoxigraph Triple prints as N-Triples
        by_graph.setdefault(g, []).append(line)
    out = []
    for g in sorted(by_graph, key=lambda g: "" if g is None else g.value):
        lines = "\n".join(sorted(by_graph[g]))
        out.append(lines + "\n" if g is None else f"GRAPH {g} {{\n{lines}\n}}\n")
    return "".join(out)


def ntriples_lines(triples) -> str:
    """Triples as N-Triples lines (which SPARQL's INSERT DATA takes as they are)."""
    return "".join([f"{t} .\n" for t in triples])


def triples_of(triples) -> set[Triple]:
    """rdflib triples (a graph, or :func:`kg.graph.rdf.graph_triples`) as a set of pyoxigraph triples."""
    return {Triple(ox(s), ox(p), ox(o)) for s, p, o in triples}
