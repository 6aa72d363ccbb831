"""The store's triples: rdflib terms as pyoxigraph terms, how an entity's facts from several documents merge in
the default graph (class, mention count, confidence), and quads written as the text of a SPARQL Update.

>>> from kg.vocab import KG
>>> [(p.value.rsplit("#", 1)[1], o.value if hasattr(o, "value") else o) for p, o in merge_entity(
...     [({ox(KG.Organization)}, 3, None), ({ox(KG.Person)}, 1, None)])]
[('type', 'https://w3id.org/kgnews/ontology#Organization'), ('mentionCount', '4')]
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse
from rdflib import BNode as RBNode
from rdflib import Literal as RLiteral
from rdflib import URIRef
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


def triples_of(triples) -> set[Triple]:
    """rdflib triples (a graph, or :func:`kg.graph.rdf.graph_triples`) as a set of pyoxigraph triples."""
    nodes: dict[str, NamedNode] = {}    # an IRI recurs in many triples of a document: made once
    out = set()
    for s, p, o in triples:
        ts, tp = nodes.get(s), nodes.get(p)
        if ts is None:
            ts = nodes[s] = ox(s)
        if tp is None:
            tp = nodes[p] = ox(p)
        if type(o) is URIRef:
            to = nodes.get(o)
            if to is None:
                to = nodes[o] = NamedNode(o)
        else:
            to = ox(o)
        out.add(Triple(ts, tp, to))
    return out


@dataclass(frozen=True)
class DocGraph:
    """One document's triples as :meth:`kg.corpus.store.CorpusStore.commit` writes them, made where the document
    was rendered. With ``--jobs N`` or a cluster, that is a worker, and the one writing process bounds the
    build: it then neither parses the document's triples nor prints them again, it pastes ``lines`` and
    ``plain`` into the update and merges ``entities`` with what the store holds.

    >>> from kg.vocab import ENT
    >>> a, b = ox(ENT.A), ox(ENT.B)
    >>> g = DocGraph.of({Triple(a, R_TYPE, ox(KG.Organization)), Triple(a, ox(KG.owns), b)})
    >>> g.size, g.plain_triples() == {Triple(a, ox(KG.owns), b)}, g.entities == {a: ({ox(KG.Organization)}, 0, None)}
    (2, True, True)
    """
    lines: str          # every triple, as N-Triples: the document's named graph
    plain: str          # the triples the merged view copies as they are, as N-Triples
    entities: dict      # entity node -> (types, mentions, confidence): the facts the merged view aggregates
    size: int           # how many triples
    plain_size: int     # how many of them the merged view copies as they are

    @classmethod
    def of(cls, triples) -> DocGraph:
        """The :class:`DocGraph` of pyoxigraph ``triples`` (a set: each triple once)."""
        lines, plain, entities = [], [], {}
        for t in triples:
            line = f"{t} .\n"              # a pyoxigraph Triple prints as N-Triples
            lines.append(line)
            if is_aggregated(t):
                v = entities.setdefault(t.subject, [set(), 0, None])
                if t.predicate == R_TYPE:
                    v[0].add(t.object)
                elif t.predicate == MENTIONS:
                    v[1] = int(t.object.value)
                else:
                    v[2] = t.object
            else:
                plain.append(line)
        return cls("".join(lines), "".join(plain), {e: tuple(v) for e, v in entities.items()}, len(lines), len(plain))

    def plain_triples(self) -> set[Triple]:
        """The triples the merged view copies as they are (a commit that replaces an earlier version compares
        them with what it removes)."""
        return {q.triple for q in parse(self.plain, format=RdfFormat.N_TRIPLES)}
