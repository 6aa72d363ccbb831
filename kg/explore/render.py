"""Render a kg graph as one self-contained, offline HTML explorer (pyvis builds it, vis-network draws it).

Nodes are coloured by class (or by Louvain community) and sized by PageRank, with English and
Chinese names; edges carry their relation, arrows show direction, and investment edges their
amount, currency and year. Hover shows evidence; a click opens every fact of a node; search,
class and relation filters live in the page (see :mod:`kg.explore.page`). Big graphs: show the
neighbourhood of one entity (``focus``/``depth``) or the ``top`` entities by PageRank; positions
are computed in Python (:mod:`kg.explore.layout`) so the browser runs at most a short, bounded physics
pass (none above :data:`PHYSICS_MAX_NODES` nodes) and then stops.

Output is deterministic: the same graph gives a byte-identical page.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote

import networkx as nx
from pyvis.network import Network
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.atomic import atomic_write_text, check_writable
from kg.errors import UsageError
from kg.explore.layout import positions
from kg.explore.network import (
    communities,
    community_index,
    pagerank,
    to_networkx,
    undirected,
)
from kg.explore.page import page
from kg.explore.paths import find_entity
from kg.vocab import ENTITY_CLASSES, KG, PROV, SYMMETRIC, WD, label, local_name

# One colour per entity class of the ontology, in its order (a fifth class would take the fifth colour).
CLASS_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")
COLORS = dict(zip(ENTITY_CLASSES, CLASS_COLORS))
OTHER = "Entity"            # relation endpoints without a kg entity type (should not happen)
OTHER_COLOR = "#9e9e9e"
COMMUNITY_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                    "#9c755f", "#17becf", "#8c6d31", "#637939")
MAX_SENTENCE = 400          # characters of one evidence sentence carried into the page
PHYSICS_MAX_NODES = 400     # above this, the precomputed layout is final: no physics at all
COLOR_BY = ("class", "community")
FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"


def options(physics: bool, big: bool) -> dict:
    """vis-network options: fixed seed, bounded stabilization, labels as plain text (``multi`` off)."""
    return {
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "physics": {
            "enabled": physics, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 190, "avoidOverlap": 0.6},
            "stabilization": {"enabled": physics, "iterations": 150, "updateInterval": 50, "fit": True},
        },
        "nodes": {"shape": "dot", "borderWidth": 1,
                  "font": {"size": 14, "face": FONT, "multi": False, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 7}}},
        "edges": {"font": {"size": 11, "face": FONT, "align": "middle", "multi": False, "color": "#444444"},
                  "smooth": False, "width": 1, "selectionWidth": 2,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "color": {"color": "#9a9a9a", "highlight": "#333333", "hover": "#333333"}},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "keyboard": False},
    }


def render_html(graph: Graph, out_path: str | Path, *, title: str = "kg graph", focus: str | None = None,
                depth: int = 2, top: int | None = None, color_by: str = "class") -> dict:
    """Write ``graph`` as one offline HTML page at ``out_path``.

    ``focus`` (a name or IRI) keeps the entities within ``depth`` hops of it; ``top`` keeps the
    ``top`` entities by PageRank (after ``focus``); ``color_by`` is "class" or "community".
    Returns ``{"nodes": shown, "edges": shown, "total_nodes": n, "total_edges": m}``.
    Raises :class:`kg.errors.UsageError` for bad options, :class:`kg.errors.OutputError` when the
    file cannot be written.
    """
    if color_by not in COLOR_BY:
        raise UsageError(f"--color-by must be one of {', '.join(COLOR_BY)}")
    if depth < 0:
        raise UsageError("--depth must be 0 or more")
    if top is not None and top < 1:
        raise UsageError("--top must be at least 1")
    check_writable(out_path)
    G = to_networkx(graph)
    graph = _Index(graph)
    nodes = {v: (d["cls"] or OTHER, d["sub"]) for v, d in G.nodes(data=True)}
    edges = _evidence(graph, G)
    rank = pagerank(G)
    keep = _select(graph, G, rank, focus, depth, top)
    shown_nodes = {iri: nodes[iri] for iri in sorted(keep)}
    shown_edges = {k: v for k, v in sorted(edges.items()) if k[1] in keep and k[2] in keep}
    groups = _communities(G.subgraph(keep)) if color_by == "community" else []
    _net, data = _build(graph, shown_nodes, shown_edges, rank, groups)
    summary = f"{len(shown_nodes)} nodes · {len(shown_edges)} edges"
    if len(shown_nodes) < len(nodes):
        summary += f" (of {len(nodes)} · {len(edges)})"
    data["summary"] = summary
    atomic_write_text(out_path, page(title=title, summary=summary, data=data,
                                     controls=_controls(graph, shown_nodes, shown_edges, groups, rank)))
    return {"nodes": len(shown_nodes), "edges": len(shown_edges), "total_nodes": len(nodes), "total_edges": len(edges)}


# ---------------------------------------------------------------- reading the graph

class _Index:
    """The few rdflib ``Graph`` lookups the renderer makes, answered from dicts filled in one
    pass over the triples (rdflib's own lookups made a 5,000-entity page take 10 s)."""

    def __init__(self, g: Graph):
        self.po: dict = {}
        self.typed: dict = {}
        for s, p, o in g.triples((None, None, None)):
            self.po.setdefault(s, {}).setdefault(p, []).append(o)
            if p == RDF.type:
                self.typed.setdefault(o, []).append(s)

    def objects(self, s, p):
        """Like :meth:`rdflib.Graph.objects`."""
        return iter(self.po.get(s, {}).get(p, ()))

    def value(self, s, p):
        """Like :meth:`rdflib.Graph.value`, but the smallest of several values rather than any one."""
        vals = self.po.get(s, {}).get(p)
        return None if not vals else vals[0] if len(vals) == 1 else min(vals)

    def subjects(self, p, o):
        """The subjects of type ``o`` (only ``rdf:type`` lookups are indexed)."""
        assert p == RDF.type
        return iter(dict.fromkeys(self.typed.get(o, ())))


def _lang_value(g: Graph, s, prop, lang: str | None) -> str | None:
    vals = sorted(str(o) for o in g.objects(s, prop) if isinstance(o, Literal)
                  and (lang is None or (o.language or "").lower().startswith(lang)))
    return vals[0] if vals else None


def _names(g: Graph, s) -> list[str]:
    """English and Chinese canonical names (either may be missing), else any label or the IRI."""
    names = [n for n in (_lang_value(g, s, RDFS.label, "en"), _lang_value(g, s, RDFS.label, "zh")) if n]
    if not names:
        other = _lang_value(g, s, RDFS.label, None)
        names = [other or unquote(str(s).rstrip("/").rsplit("/", 1)[-1]).replace("_", " ")]
    return list(dict.fromkeys(names))


def _key(rel: str, s, o) -> tuple:
    # A symmetric relation is one edge whichever way round it (or its evidence) was written,
    # as in kg.explore.network.to_networkx.
    return (rel, *sorted((str(s), str(o)))) if rel in SYMMETRIC else (rel, str(s), str(o))


def _doc_path(g: Graph, item) -> str:
    docs = sorted(str(g.value(d, KG.sourcePath) or d) for d in g.objects(item, PROV.wasDerivedFrom))
    return ", ".join(docs) or "(unknown document)"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SENTENCE else text[:MAX_SENTENCE - 1] + "…"


def _offset(lit) -> int:
    try:
        return int(lit)
    except (TypeError, ValueError):   # missing or malformed: sort first rather than fail
        return 0


def _amount(lit) -> str:
    try:
        return format(Decimal(str(lit)), ",f")
    except (InvalidOperation, ValueError):
        return str(lit)


def _evidence(g: Graph, G: nx.MultiDiGraph) -> dict:
    """Every edge of the network, ``(relation, s, o)``, with its evidence sentences and investment events."""
    edges: dict[tuple, dict] = {(rel, s, o): {"evidence": [], "events": []} for s, o, rel in G.edges(keys=True)}
    for st in g.subjects(RDF.type, RDF.Statement):
        s, p, o = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        key = _key(local_name(p), s, o)
        if key in edges:    # evidence for a triple that is not in the graph draws nothing
            edges[key]["evidence"].append((
                _doc_path(g, st), _offset(g.value(st, KG.startOffset)),
                _short(str(g.value(st, KG.sentence) or "")), str(g.value(st, KG.confidence) or "?")))
    for ev in g.subjects(RDF.type, KG.Investment):
        key = ("investsIn", str(g.value(ev, KG.investor)), str(g.value(ev, KG.investee)))
        if key in edges:
            v = {p: g.value(ev, KG[p]) for p in ("amount", "currency", "year", "date", "round", "roundAmount")}
            edges[key]["events"].append((
                str(v["date"] or v["year"] or ""), _amount(v["amount"]) if v["amount"] is not None else "",
                str(v["currency"] or ""), str(v["round"] or ""),
                _amount(v["roundAmount"]) if v["roundAmount"] is not None else "",
                _short(str(g.value(ev, KG.sentence) or "")), _doc_path(g, ev),
                str(g.value(ev, KG.confidence) or "?")))
    for e in edges.values():
        e["evidence"] = sorted(set(e["evidence"]))
        e["events"] = sorted(set(e["events"]))
    return edges


# ---------------------------------------------------------------- choosing what to show

def _select(graph: Graph, G: nx.MultiDiGraph, rank: dict, focus: str | None, depth: int, top: int | None) -> set:

    keep = set(G.nodes)
    if focus is not None:
        start = find_entity(graph, focus, G)
        keep = set(nx.single_source_shortest_path_length(undirected(G), start, cutoff=depth))
    if top is not None and top < len(keep):
        keep = set(sorted(keep, key=lambda v: (-rank[v], v))[:top])
    return keep


def _communities(G) -> list[list[str]]:
    return communities(nx.MultiDiGraph(G))


# ---------------------------------------------------------------- building the pyvis network

class _Network(Network):
    """pyvis checks each edge's endpoints with ``in`` on a list, quadratic in the node count; its
    dict of the same nodes answers that in constant time."""

    def get_nodes(self):
        return self.node_map


def _edge_label(rel: str, events: list) -> str:
    with_amount = [e for e in events if e[1]]
    if rel != "investsIn" or not with_amount:
        return rel
    when, amount, cur = with_amount[0][:3]
    more = f" (+{len(events) - 1})" if len(events) > 1 else ""
    return f"{rel}\n{amount} {cur}".rstrip() + (f" ({when})" if when else "") + more


def _node_info(g: Graph, iri: str, cls: tuple, rank: float, community: int | None) -> dict:
    s = URIRef(iri)
    names = _names(g, s)
    aliases = sorted({str(a) for a in g.objects(s, SKOS.altLabel)} - set(names))
    wd = sorted(str(o)[len(str(WD)):] for o in g.objects(s, OWL.sameAs) if str(o).startswith(str(WD)))
    mentions = g.value(s, KG.mentionCount)
    return {"names": names, "aliases": aliases, "cls": cls[0], "clsZh": label(cls[0], "zh"), "sub": cls[1] or "",
            "wd": wd, "iri": iri, "mentions": int(mentions) if mentions is not None and str(mentions).isdigit() else None,
            "pagerank": round(rank, 5), "community": community}


def _build(g: Graph, nodes: dict, edges: dict, rank: dict, groups: list[list[str]]) -> tuple[Network, dict]:

    order = sorted(nodes)                       # sorted IRIs -> stable short ids n0, n1, ...
    ids = {iri: f"n{i}" for i, iri in enumerate(order)}
    keys = sorted(edges)
    physics = len(order) <= PHYSICS_MAX_NODES
    pos = positions(order, [(s, o) for _rel, s, o in keys], spacing=190.0 if physics else 120.0)
    member = community_index(groups)
    shown = [rank[i] for i in order]
    lo, hi = min(shown, default=0.0), max(shown, default=0.0)

    net = _Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    info_nodes, info_edges = {}, {}
    for iri in order:
        top = nodes[iri][0]
        c = member.get(iri)
        color = (COMMUNITY_COLORS[c] if c is not None and c < len(COMMUNITY_COLORS) else OTHER_COLOR) if groups \
            else COLORS.get(top, OTHER_COLOR)
        size = 18.0 if hi - lo < 1e-12 else 10 + 24 * ((rank[iri] - lo) / (hi - lo)) ** 0.5
        net.add_node(ids[iri], label="\n".join(_names(g, URIRef(iri))), shape="dot", color=color,
                     size=round(size, 1), x=pos[iri][0], y=pos[iri][1])
        info_nodes[ids[iri]] = _node_info(g, iri, nodes[iri], rank[iri], c)
    # Several relations between one pair would be drawn on top of each other: bend them apart.
    per_pair: dict[tuple, int] = {}
    for key in keys:
        pair = tuple(sorted(key[1:]))
        per_pair[pair] = per_pair.get(pair, 0) + 1
    seen: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        rel, s, o = key
        pair = tuple(sorted((s, o)))
        k = seen[pair] = seen.get(pair, -1) + 1
        opts = {"id": f"e{i}", "label": _edge_label(rel, edges[key]["events"]),
                "arrows": {"to": {"enabled": rel not in SYMMETRIC}}}
        if per_pair[pair] > 1:
            opts["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 + 0.2 * k, 2)}
        net.add_edge(ids[s], ids[o], **opts)
        info_edges[f"e{i}"] = {"rel": rel, "sym": rel in SYMMETRIC,
                               "ev": [[doc, sentence, conf] for doc, _start, sentence, conf in edges[key]["evidence"]],
                               "inv": [list(e) for e in edges[key]["events"]]}
    nodes_data, edges_data, *_rest = net.get_network_data()
    data = {"nodes": nodes_data, "edges": edges_data, "options": options(physics, big=len(order) > 1000),
            "physics": physics, "info": {"nodes": info_nodes, "edges": info_edges}}
    return net, data


def _controls(g: Graph, nodes: dict, edges: dict, groups: list[list[str]], rank: dict) -> dict:
    count: dict[str, int] = {}
    for top, _sub in nodes.values():
        count[top] = count.get(top, 0) + 1
    shown = list(ENTITY_CLASSES) + ([OTHER] if OTHER in count else [])
    classes = [(c, f"{c} {label(c, 'zh')}", "" if groups else COLORS.get(c, OTHER_COLOR), count.get(c, 0))
               for c in shown]
    rels: dict[str, int] = {}
    for rel, _s, _o in edges:
        rels[rel] = rels.get(rel, 0) + 1
    relations = [(rel, f"{rel} {label(rel, 'zh')}", n) for rel, n in sorted(rels.items())]
    legend = []
    for i, group in enumerate(groups[:len(COMMUNITY_COLORS)]):
        head = max(group, key=lambda v: (rank[v], v))          # named after its highest-ranked member
        legend.append((str(i), f"{i + 1}. {_names(g, URIRef(head))[0]}", COMMUNITY_COLORS[i], len(group)))
    rest = sum(len(gr) for gr in groups[len(COMMUNITY_COLORS):])
    if rest:
        legend.append(("other", "other communities", OTHER_COLOR, rest))
    return {"legend": legend, "classes": classes, "relations": relations,
            "legend_title": "Communities 社区" if groups else None}
