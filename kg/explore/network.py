"""Graph analytics over a kg RDF graph: the entity network, PageRank, degree, summary counts.

Functions take an rdflib graph (or, for :func:`pagerank` and :func:`degree`, the networkx
graph from :func:`to_networkx`) and return plain dicts keyed by entity IRI.

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import RDF, RDFS
>>> from kg.vocab import ENT, KG
>>> g = Graph()
>>> for name, cls in [("Microsoft", KG.Organization), ("OpenAI", KG.Organization), ("Sam_Altman", KG.Person)]:
...     _ = g.add((ENT[name], RDF.type, cls)); _ = g.add((ENT[name], RDFS.label, Literal(name, lang="en")))
>>> _ = g.add((ENT.Microsoft, KG.investsIn, ENT.OpenAI))
>>> _ = g.add((ENT.Sam_Altman, KG.worksFor, ENT.OpenAI))
>>> {k.rsplit("/", 1)[1]: v for k, v in degree(g).items()}
{'Microsoft': 1, 'OpenAI': 2, 'Sam_Altman': 1}
>>> max(pagerank(g).items(), key=lambda kv: kv[1])[0]
'https://w3id.org/kgnews/entity/OpenAI'
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.explore.events import EVENT_CLASSES, edge_of
from kg.vocab import (
    CLASSES,
    ENTITY_CLASSES,
    KG,
    RELATIONS,
    SYMMETRIC,
    local_name,
    superclasses,
)


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The entity network, the one reading of RDF that rendering, export and analytics share.

    One node per entity IRI (attributes ``label``: English, else Chinese, else any label, else the
    local name; ``cls``: its top class from :data:`kg.vocab.ENTITY_CLASSES`, or None for a relation
    end with no entity type; ``sub``: its most specific class below that, or None). One edge per
    relation triple between IRIs (key and attribute ``relation``, ``symmetric``, ``source="triple"``);
    a symmetric relation is one edge whichever way round it was written, from the smaller IRI. An
    investment event whose investor and investee have no direct ``investsIn`` triple adds that
    edge (``source="event"``, ``event`` its IRI). Nodes and edges are added in sorted order.

    >>> from rdflib import Graph
    >>> from kg.vocab import ENT, EVT, KG
    >>> g = Graph()
    >>> _ = g.add((EVT.e1, KG.investor, ENT.SoftBank)); _ = g.add((EVT.e1, KG.investee, ENT.OpenAI))
    >>> _ = g.add((ENT.OpenAI, KG.competesWith, ENT.Google)); _ = g.add((ENT.Google, KG.competesWith, ENT.OpenAI))
    >>> [(u.rsplit("/", 1)[1], v.rsplit("/", 1)[1], d["relation"]) for u, v, d in to_networkx(g).edges(data=True)]
    [('Google', 'OpenAI', 'competesWith'), ('SoftBank', 'OpenAI', 'investsIn')]
    """
    # One pass over the triples (rdflib lookups per node made a 5,000-entity page take seconds).
    entity_classes = _entity_classes()
    types: dict[URIRef, set[URIRef]] = {}
    labels: dict[URIRef, list[Literal]] = {}
    edges: set[tuple[str, str, str]] = set()
    # Event roles (kg.explore.events.EVENT_EDGES): role property -> (event class, "s" or "o")
    roles = {KG[r]: (cls, side) for cls in EVENT_CLASSES for r, side in zip(edge_of(cls)[:2], "so")}
    ends: dict = {}                   # (event, event class) -> {"s": [...], "o": [...]} entity IRIs
    relations = {KG[rel]: rel for rel in RELATIONS}
    for s, p, o in graph.triples((None, None, None)):
        if not isinstance(s, URIRef):
            continue
        if p == RDF.type:
            types.setdefault(s, set()).add(o)
        elif p == RDFS.label and isinstance(o, Literal):
            labels.setdefault(s, []).append(o)
        elif p in relations and isinstance(o, URIRef):
            rel = relations[p]
            a, b = (min(s, o), max(s, o)) if rel in SYMMETRIC else (s, o)
            edges.add((rel, str(a), str(b)))
        elif p in roles and isinstance(o, URIRef):
            cls, side = roles[p]        # the role says which event class it is, typed or not
            ends.setdefault((s, cls), {"s": [], "o": []})[side].append(o)
    events = set()
    for (s, cls), both in sorted(ends.items()):
        rel = edge_of(cls)[2]
        for a in sorted(both["s"]):
            for b in sorted(both["o"]):
                if (rel, str(a), str(b)) not in edges:
                    events.add((rel, str(a), str(b), str(s)))
    nodes = {s for s, ts in types.items() if any(t in entity_classes for t in ts)}
    nodes |= {URIRef(v) for _rel, s, o in edges for v in (s, o)}
    nodes |= {URIRef(v) for _rel, s, o, _e in events for v in (s, o)}
    G = nx.MultiDiGraph()
    for node in sorted(nodes):
        top, sub = _classes(types.get(node, ()), entity_classes)
        G.add_node(str(node), label=_label(labels.get(node, ()), node), cls=top, sub=sub)
    for rel, s, o in sorted(edges):
        G.add_edge(s, o, key=rel, relation=rel, symmetric=rel in SYMMETRIC, source="triple")
    for rel, s, o, event in sorted(events):
        if not G.has_edge(s, o, key=rel):               # the first event (by IRI) stands for the pair
            G.add_edge(s, o, key=rel, relation=rel, symmetric=False, source="event", event=event)
    return G


def pagerank(graph: Graph | nx.MultiDiGraph, alpha: float = 0.85, tol: float = 1.0e-10,
             max_iter: int = 200) -> dict[str, float]:
    """PageRank of every entity; symmetric relations (competesWith, partnersWith) count in
    both directions. Scores sum to 1.

    Power iteration over the edge list with numpy, giving networkx's result (``networkx.pagerank``
    needs SciPy, which kg does not depend on); fast enough for graphs of many thousand entities.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "c"), ("b", "c")])
    >>> {k: round(v, 3) for k, v in pagerank(G).items()}
    {'a': 0.213, 'b': 0.213, 'c': 0.574}
    """
    import numpy as np

    G = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    nodes = sorted(G.nodes)
    if not nodes:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    src, dst = [], []
    for u, v, data in G.edges(data=True):
        src.append(index[u])
        dst.append(index[v])
        if data.get("symmetric"):
            src.append(index[v])
            dst.append(index[u])
    n = len(nodes)
    src_a, dst_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    out_w = np.bincount(src_a, minlength=n).astype(float)   # parallel edges add weight
    dangling = out_w == 0
    share = np.divide(1.0, out_w, out=np.zeros(n), where=~dangling)
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        # Dangling nodes (no out-edges) spread their rank evenly, as in networkx.
        new = np.bincount(dst_a, weights=rank[src_a] * share[src_a], minlength=n) * alpha
        new += (1.0 - alpha) / n + alpha * rank[dangling].sum() / n
        err = np.abs(new - rank).sum()
        rank = new
        if err < n * tol:
            break
    return dict(zip(nodes, rank.tolist()))


def degree(graph: Graph | nx.MultiDiGraph) -> dict[str, int]:
    """Number of relation edges at each entity (in plus out; parallel relations each count)."""
    G = graph if isinstance(graph, nx.Graph) else to_networkx(graph)
    return {n: G.degree(n) for n in sorted(G.nodes)}


def _label(labels, node) -> str:
    """English label if there is one, else Chinese, else any, else the IRI's local name."""
    ranked = sorted(labels, key=lambda lbl: ({"en": 0, "zh": 1}.get((lbl.language or "")[:2], 2), str(lbl)))
    if ranked:
        return str(ranked[0])
    return unquote(str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]).replace("_", " ")


def _classes(types, entity_classes: dict[URIRef, str]) -> tuple[str | None, str | None]:
    """(top class, most specific kg class below it) of a node's types; the ontology's order of the
    top classes decides for a node typed twice."""
    tops = {entity_classes[t] for t in types if t in entity_classes}
    for top in ENTITY_CLASSES:
        if top in tops:
            subs = sorted(local_name(t) for t in types if entity_classes.get(t) == top and local_name(t) != top)
            deepest = max(subs, key=lambda c: (len(superclasses(c)), c), default=None)
            return top, deepest
    return None, None


@lru_cache(maxsize=1)
def _entity_classes() -> dict[URIRef, str]:
    """Every kg class at or below one of the four top entity classes -> that top class."""
    found = {}
    for c in sorted(CLASSES):
        tops = [t for t in ENTITY_CLASSES if t in superclasses(c)]
        if tops:
            found[KG[c]] = tops[0]
    return found


def _subclasses(top: str) -> list[URIRef]:
    return sorted(c for c, t in _entity_classes().items() if t == top)


SEED = 7                  # Louvain and sampled betweenness are randomized: fixed seed, same answer

EXACT_BETWEENNESS = 1000  # above this many entities, betweenness is estimated from this many sources

def _nx(graph) -> nx.MultiDiGraph:
    if isinstance(graph, nx.Graph):
        return graph
    return to_networkx(graph)

def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected graph on the same entities (parallel relations merged), sorted for
    deterministic traversal.

    >>> sorted(undirected(nx.MultiDiGraph([("b", "a"), ("a", "b"), ("b", "c")])).edges)
    [('a', 'b'), ('b', 'c')]
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes))
    H.add_edges_from(sorted(tuple(sorted((u, v))) for u, v in G.edges() if u != v))
    return H

def centrality(graph) -> dict[str, dict[str, float]]:
    """Degree, PageRank and betweenness of every entity.

    Betweenness is exact up to 1,000 entities and estimated from 1,000 sampled sources above.

    >>> c = centrality(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
    >>> c["b"]["degree"], c["b"]["betweenness"], round(c["c"]["pagerank"], 3)
    (2, 1.0, 0.474)
    """
    G = _nx(graph)
    H = undirected(G)
    n = H.number_of_nodes()
    k = None if n <= EXACT_BETWEENNESS else EXACT_BETWEENNESS
    between = nx.betweenness_centrality(H, k=k, seed=SEED if k else None)
    ranks = pagerank(G)
    return {v: {"degree": G.degree(v), "pagerank": ranks[v], "betweenness": between[v]} for v in sorted(G.nodes)}

def communities(graph, resolution: float = 1.0) -> list[list[str]]:
    """Louvain communities of the undirected entity network, largest first, each sorted;
    an entity with no relation is a community of its own.

    >>> communities(nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")]))
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    H = undirected(_nx(graph))
    if H.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(H, resolution=resolution, seed=SEED)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))

def community_index(groups: list[list[str]]) -> dict[str, int]:
    """Entity -> index of its community in ``groups``.

    >>> community_index([["a", "b"], ["c"]])
    {'a': 0, 'b': 0, 'c': 1}
    """
    return {v: i for i, group in enumerate(groups) for v in group}
