"""Render a kg graph as one self-contained, offline HTML explorer (pyvis builds it, vis-network draws it).

Nodes are coloured by class (or by Louvain community) and sized by PageRank, with English and
Chinese names; edges carry their relation, arrows show direction, and investment edges their
amount, currency and year. Hover shows evidence; a click opens every fact of a node, one entry per
distinct sentence, and each sentence opens its article with the sentence highlighted
(:mod:`kg.explore.evidence` says where the text comes from); search, class, relation and year filters
and a legend live in the page (see :mod:`kg.explore.page`). At corpus size the page stays legible:
entities with no relation are hidden (a toggle shows them) once the graph has more than
:data:`HIDE_UNCONNECTED_FROM` nodes, the :data:`LABELLED` most central entities keep readable labels at
any zoom while the others appear as you zoom in, and edge labels wait until they fit. Big graphs: show the
neighbourhood of one entity (``focus``/``depth``) or the ``top`` entities by PageRank; positions
are computed in Python (:mod:`kg.explore.layout`) so the browser runs at most a short, bounded physics
pass (none above :data:`PHYSICS_MAX_NODES` nodes) and then stops.

Output is deterministic: the same graph gives a byte-identical page.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
from pyvis.network import Network
from rdflib import Graph

from kg.atomic import atomic_write_text, check_writable
from kg.errors import UsageError
from kg.explore.evidence import Evidence, amount_text, read_sources, short
from kg.explore.facts import EntityInfo, Fact, documents, entities, read_facts
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
from kg.vocab import ENTITY_CLASSES, SYMMETRIC, label

# One colour per entity class of the ontology, in its order (a fifth class would take the fifth colour).
CLASS_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")
COLORS = dict(zip(ENTITY_CLASSES, CLASS_COLORS))
OTHER = "Entity"            # relation endpoints without a kg entity type (should not happen)
OTHER_COLOR = "#9e9e9e"
COMMUNITY_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                    "#9c755f", "#17becf", "#8c6d31", "#637939")
PHYSICS_MAX_NODES = 400     # above this, the precomputed layout is final: no physics at all
HIDE_UNCONNECTED_FROM = 12  # a graph with more nodes than this opens with its unconnected entities hidden
LABELLED = 30               # the most central entities, labelled at every zoom (at least LABEL_PX on screen)
LABEL_PX = 12
COLOR_BY = ("class", "community")
FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"


def options(physics: bool, big: bool) -> dict:
    """vis-network options: fixed seed, bounded stabilization, labels as plain text (``multi`` off). A label is
    drawn once it is 8 px on screen (the page raises the central entities' fonts so theirs always are); edge labels
    wait for 9 px, and the page takes back those that would cover a node's label."""
    return {
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "physics": {
            "enabled": physics, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 190, "avoidOverlap": 0.6},
            "stabilization": {"enabled": physics, "iterations": 150, "updateInterval": 50, "fit": True},
        },
        "nodes": {"shape": "dot", "borderWidth": 1,
                  "font": {"size": 14, "face": FONT, "multi": False, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 8, "maxVisible": 40}}},
        "edges": {"font": {"size": 11, "face": FONT, "align": "middle", "multi": False, "color": "#444444",
                           "strokeWidth": 2, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 9}},
                  "smooth": False, "width": 1, "selectionWidth": 2,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "color": {"color": "#9a9a9a", "highlight": "#333333", "hover": "#333333"}},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "keyboard": False},
    }


def render_html(graph: Graph, out_path: str | Path, *, title: str = "kg graph", focus: str | None = None,
                depth: int = 2, top: int | None = None, color_by: str = "class", include_text: bool = True,
                texts: dict[str, str] | None = None, sources: str | Path | None = None) -> dict:
    """Write ``graph`` as one offline HTML page at ``out_path``.

    ``focus`` (a name or IRI) keeps the entities within ``depth`` hops of it; ``top`` keeps the
    ``top`` entities by PageRank (after ``focus``); ``color_by`` is "class" or "community". The article view
    needs the documents' text: ``texts`` (doc IRI -> text) if given, else the source files read again
    (:func:`kg.explore.evidence.read_sources`, relative paths also from the directory ``sources``);
    ``include_text=False`` carries no text at all.
    Returns ``{"nodes": shown, "edges": shown, "total_nodes": n, "total_edges": m, "documents": d,
    "texts": documents whose text the page carries}``.
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
    nodes = {v: (d["cls"] or OTHER, d["sub"]) for v, d in G.nodes(data=True)}
    edges = {(rel, s, o): [] for s, o, rel in G.edges(keys=True)}
    for f in read_facts(graph):
        if f.key in edges:      # evidence for a triple that is not in the graph draws nothing
            edges[f.key].append(f)
    rank = pagerank(G)
    keep = _select(graph, G, rank, focus, depth, top)
    shown_nodes = {iri: nodes[iri] for iri in sorted(keep)}
    shown_edges = {k: v for k, v in sorted(edges.items()) if k[1] in keep and k[2] in keep}
    docs = documents(graph)
    if not include_text:
        texts = {}
    elif texts is None:
        texts = read_sources(docs, sources)
    evidence = Evidence(docs, texts)
    for facts in shown_edges.values():
        for f in facts:
            evidence.add(f)
    evidence.finish()
    groups = _communities(G.subgraph(keep)) if color_by == "community" else []
    info = entities(graph, shown_nodes)
    data = _build(info, shown_nodes, shown_edges, rank, groups, evidence)
    summary = f"{len(shown_nodes)} nodes · {len(shown_edges)} edges"
    if len(shown_nodes) < len(nodes):
        summary += f" (of {len(nodes)} · {len(edges)})"
    data["summary"] = summary
    atomic_write_text(out_path, page(title=title, summary=summary, data=data,
                                     controls=_controls(info, data, shown_nodes, shown_edges, groups, rank)))
    return {"nodes": len(shown_nodes), "edges": len(shown_edges), "total_nodes": len(nodes),
            "total_edges": len(edges), "documents": sum(1 for d in docs.values() if d.sha256),
            "texts": sum(1 for d in data["docs"] if d["parts"])}


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


def _event_row(f: Fact, sentences: list[list]) -> list:
    """``[when, amount, currency, round, round total, sentence index, confidence, event class]`` of an event."""
    v = f.values
    key = " ".join(f.sentence.split())
    index = next((i for i, s in enumerate(sentences) if " ".join(s[0].split()) == short(key)), -1)
    round_total = v.get("roundAmount")
    return [v.get("date") or v.get("year") or "", amount_text(f.amount) if "amount" in v or "price" in v else "",
            f.currency, v.get("round", ""), amount_text(round_total) if round_total else "", index,
            f.confidence or "?", f.event_class]


def _edge_label(rel: str, events: list) -> str:
    with_amount = [e for e in events if e[1]]
    if not with_amount:
        return rel
    when, amount, cur = with_amount[0][:3]
    more = f" (+{len(events) - 1})" if len(events) > 1 else ""
    return f"{rel}\n{amount} {cur}".rstrip() + (f" ({when})" if when else "") + more


def _node_info(e: EntityInfo, cls: tuple, rank: float, community: int | None, degree: int) -> dict:
    names = [n for n in (e.en, e.zh) if n] or [e.name]
    return {"names": names, "aliases": [a for a in e.aliases if a not in names], "cls": cls[0],
            "clsZh": label(cls[0], "zh"), "sub": cls[1] or "", "wd": list(e.wikidata), "iri": e.iri,
            "mentions": e.mentions, "pagerank": round(rank, 5), "community": community, "degree": degree}


def _build(info: dict[str, EntityInfo], nodes: dict, edges: dict, rank: dict, groups: list[list[str]],
           evidence: Evidence) -> dict:
    order = sorted(nodes)                       # sorted IRIs -> stable short ids n0, n1, ...
    ids = {iri: f"n{i}" for i, iri in enumerate(order)}
    keys = sorted(edges)
    physics = len(order) <= PHYSICS_MAX_NODES
    pos = positions(order, [(s, o) for _rel, s, o in keys], spacing=190.0 if physics else 120.0)
    member = community_index(groups)
    shown = [rank[i] for i in order]
    lo, hi = min(shown, default=0.0), max(shown, default=0.0)
    degree = dict.fromkeys(order, 0)
    for _rel, s, o in keys:
        degree[s] += 1
        degree[o] += 1
    hide_unconnected = len(order) > HIDE_UNCONNECTED_FROM and any(d == 0 for d in degree.values())

    net = _Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    info_nodes, info_edges = {}, {}
    for iri in order:
        top = nodes[iri][0]
        c = member.get(iri)
        color = (COMMUNITY_COLORS[c] if c is not None and c < len(COMMUNITY_COLORS) else OTHER_COLOR) if groups \
            else COLORS.get(top, OTHER_COLOR)
        size = _size(rank[iri], lo, hi)
        extra = {"hidden": True} if hide_unconnected and degree[iri] == 0 else {}
        e = info[iri]
        net.add_node(ids[iri], label="\n".join(n for n in (e.en, e.zh) if n) or e.name, shape="dot", color=color,
                     size=round(size, 1), x=pos[iri][0], y=pos[iri][1], **extra)
        info_nodes[ids[iri]] = _node_info(e, nodes[iri], rank[iri], c, degree[iri])
    # Several relations between one pair would be drawn on top of each other: bend them apart.
    per_pair: dict[tuple, int] = {}
    for key in keys:
        pair = tuple(sorted(key[1:]))
        per_pair[pair] = per_pair.get(pair, 0) + 1
    seen: dict[tuple, int] = {}
    years_all: list[int] = []
    for i, key in enumerate(keys):
        rel, s, o = key
        pair = tuple(sorted((s, o)))
        k = seen[pair] = seen.get(pair, -1) + 1
        facts = edges[key]
        sentences = evidence.sentences(facts)
        events = [_event_row(f, sentences) for f in facts if f.kind == "event"]
        years = sorted({f.year for f in facts if f.year is not None})
        years_all += years
        opts = {"id": f"e{i}", "label": _edge_label(rel, events), "arrows": {"to": {"enabled": rel not in SYMMETRIC}}}
        if per_pair[pair] > 1:
            opts["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 + 0.2 * k, 2)}
        net.add_edge(ids[s], ids[o], **opts)
        info_edges[f"e{i}"] = {"rel": rel, "relZh": label(rel, "zh"), "sym": rel in SYMMETRIC, "years": years,
                               "ev": sentences, "inv": events}
    nodes_data, edges_data, *_rest = net.get_network_data()
    central = sorted(order, key=lambda v: (-rank[v], v))
    return {"nodes": nodes_data, "edges": edges_data, "options": options(physics, big=len(order) > 1000),
            "physics": physics, "info": {"nodes": info_nodes, "edges": info_edges}, "docs": evidence.docs(),
            "central": [ids[v] for v in central], "labelled": LABELLED, "labelPx": LABEL_PX,
            "hideUnconnected": hide_unconnected,
            "years": [min(years_all), max(years_all)] if years_all else None,
            "sizes": [[round(_size(r, lo, hi), 1), round(r, 5)] for r in _legend_ranks(shown)]}


def _size(r: float, lo: float, hi: float) -> float:
    """Node radius from PageRank: 10 to 34, by the square root of its place between the lowest and highest."""
    return 18.0 if hi - lo < 1e-12 else 10 + 24 * ((r - lo) / (hi - lo)) ** 0.5


def _legend_ranks(ranks: list[float]) -> list[float]:
    """Lowest, median and highest PageRank shown: the three circles of the size legend."""
    if not ranks:
        return []
    ordered = sorted(ranks)
    picks = [ordered[0], ordered[len(ordered) // 2], ordered[-1]]
    return list(dict.fromkeys(picks))


def _controls(info: dict, data: dict, nodes: dict, edges: dict, groups: list[list[str]], rank: dict) -> dict:
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
        legend.append((str(i), f"{i + 1}. {info[head].name}", COMMUNITY_COLORS[i], len(group)))
    rest = sum(len(gr) for gr in groups[len(COMMUNITY_COLORS):])
    if rest:
        legend.append(("other", "other communities", OTHER_COLOR, rest))
    unconnected = sum(1 for n in data["info"]["nodes"].values() if n["degree"] == 0)
    return {"legend": legend, "classes": classes, "relations": relations,
            "legend_title": "Communities 社区" if groups else None, "sizes": data["sizes"],
            "unconnected": unconnected, "show_unconnected": not data["hideUnconnected"], "years": data["years"],
            "labelled": min(LABELLED, len(nodes))}
