"""Reading the entity network: centrality, communities, neighbours and paths, with evidence.

Every function returns plain data (dicts, lists, strings keyed by entity IRI), like networkx.
They take an rdflib graph or the :func:`kg.explore.network.to_networkx` graph built from it.

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import RDF, RDFS
>>> from kg.vocab import ENT, KG
>>> g = Graph()
>>> for name, zh in [("Microsoft", "微软"), ("OpenAI", None), ("Google", "谷歌")]:
...     _ = g.add((ENT[name], RDF.type, KG.Company)); _ = g.add((ENT[name], RDFS.label, Literal(name, lang="en")))
...     _ = zh and g.add((ENT[name], RDFS.label, Literal(zh, lang="zh")))
>>> _ = g.add((ENT.Microsoft, KG.investsIn, ENT.OpenAI)); _ = g.add((ENT.Google, KG.competesWith, ENT.OpenAI))
>>> find_entity(g, "微软")
'https://w3id.org/kgnews/entity/Microsoft'
>>> [(h["from_label"], h["relations"][0]["relation"], h["to_label"]) for h in path(g, "微软", "谷歌")]
[('Microsoft', 'investsIn', 'OpenAI'), ('OpenAI', 'competesWith', 'Google')]
"""
from __future__ import annotations

from itertools import pairwise
from typing import Any
from urllib.parse import unquote

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import UsageError
from kg.explore.network import _nx, undirected
from kg.vocab import KG, KG_URI, PROV, SYMMETRIC


def names(graph: Graph, iri: str) -> list[str]:
    """Every name of an entity: labels then aliases, English before Chinese, no repeats.

    >>> from kg.vocab import ENT
    >>> g = Graph(); _ = g.add((ENT.Microsoft, RDFS.label, Literal("微软", lang="zh")))
    >>> _ = g.add((ENT.Microsoft, RDFS.label, Literal("Microsoft", lang="en")))
    >>> names(g, str(ENT.Microsoft))
    ['Microsoft', '微软']
    """
    s = URIRef(iri)
    out = []
    for prop in (RDFS.label, SKOS.altLabel):
        lits = [o for o in graph.objects(s, prop) if isinstance(o, Literal)]
        lits.sort(key=lambda o: ({"en": 0, "zh": 1}.get((o.language or "")[:2], 2), str(o)))
        out += [str(o) for o in lits]
    return list(dict.fromkeys(out))


def find_entity(graph: Graph, query: str, G: nx.MultiDiGraph | None = None) -> str:
    """The IRI of the entity called ``query``: its IRI, its local name, or any label or alias in
    any language (case-insensitive). Raises :class:`UsageError` if none or several match."""
    G = G if G is not None else _nx(graph)
    q = " ".join(query.split()).casefold()
    if not q:
        raise UsageError("empty entity name")
    hits = [v for v in sorted(G.nodes) if v == query or _local(v).casefold() == q.replace(" ", "_")]
    if not hits:
        hits = [v for v in sorted(G.nodes) if any(" ".join(n.split()).casefold() == q for n in names(graph, v))]
    if not hits:
        raise UsageError(f"no entity named {query!r}")
    if len(hits) > 1:
        raise UsageError(f"{query!r} names {len(hits)} entities: " + ", ".join(_local(h) for h in hits[:5]))
    return hits[0]


def evidence(graph: Graph, s: str, relation: str, o: str) -> list[dict[str, Any]]:
    """The sentences stating ``s relation o`` (either way round for a symmetric relation), and
    the investment events behind an ``investsIn``, each with its document and confidence."""
    pairs = {(s, o), (o, s)} if relation in SYMMETRIC else {(s, o)}
    found = []
    for a, b in sorted(pairs):
        for st in graph.subjects(RDF.subject, URIRef(a)):
            if (st, RDF.predicate, KG[relation]) in graph and (st, RDF.object, URIRef(b)) in graph:
                found.append(_item(graph, st, "statement"))
    if relation == "investsIn":
        for ev in graph.subjects(KG.investor, URIRef(s)):
            if (ev, KG.investee, URIRef(o)) in graph:
                item = _item(graph, ev, "investment")
                for p in ("amount", "currency", "year", "date", "round"):
                    if (val := graph.value(ev, KG[p])) is not None:
                        item[p] = _amount(val) if p == "amount" else str(val)
                found.append(item)
    return sorted(found, key=lambda d: (d["kind"], d["document"], d["sentence"]))


def neighbors(graph: Graph, entity: str, depth: int = 1) -> list[dict[str, Any]]:
    """Entities within ``depth`` hops of ``entity`` (a name or IRI), nearest first, each with the
    relations linking it to the entity (direct neighbours only).

    >>> from kg.vocab import ENT, KG
    >>> g = Graph(); _ = g.add((ENT.A, KG.owns, ENT.B)); _ = g.add((ENT.B, KG.owns, ENT.C))
    >>> [(d["label"], d["distance"], d["relations"]) for d in neighbors(g, "A", depth=2)]
    [('B', 1, ['owns →']), ('C', 2, [])]
    """
    if depth < 1:
        raise UsageError("--depth must be at least 1")
    G = _nx(graph)
    start = find_entity(graph, entity, G)
    dist = nx.single_source_shortest_path_length(undirected(G), start, cutoff=depth)
    out = []
    for v, d in sorted(dist.items(), key=lambda kv: (kv[1], _label(G, kv[0]), kv[0])):
        if v == start:
            continue
        rels = [r if r in SYMMETRIC else f"{r} →" for r in _relations(G, start, v)]
        rels += [r if r in SYMMETRIC else f"← {r}" for r in _relations(G, v, start)]
        out.append({"entity": v, "label": _label(G, v), "cls": G.nodes[v].get("cls"), "distance": d,
                    "relations": sorted(rels)})
    return out


def path(graph: Graph, a: str, b: str) -> list[dict[str, Any]]:
    """How two entities are connected: the hops of a shortest path (edges read either way), each
    with its relations and their evidence. Raises :class:`UsageError` if they are not connected."""
    G = _nx(graph)
    s, t = find_entity(graph, a, G), find_entity(graph, b, G)
    try:
        nodes = nx.shortest_path(undirected(G), s, t)
    except nx.NetworkXNoPath:
        raise UsageError(f"{_label(G, s)!r} and {_label(G, t)!r} are not connected") from None
    hops = []
    for u, v in pairwise(nodes):
        rels = [{"relation": r, "subject": u, "object": v, "evidence": evidence(graph, u, r, v)}
                for r in _relations(G, u, v)]
        rels += [{"relation": r, "subject": v, "object": u, "evidence": evidence(graph, v, r, u)}
                 for r in _relations(G, v, u)]
        hops.append({"from": u, "from_label": _label(G, u), "to": v, "to_label": _label(G, v), "relations": rels})
    return hops


def format_path(hops: list[dict[str, Any]]) -> str:
    """The hops from :func:`path` as text: one line per relation, evidence indented below."""
    if not hops:
        return "(the same entity)\n"
    lines = [hops[0]["from_label"]]
    labels = {h["from"]: h["from_label"] for h in hops} | {h["to"]: h["to_label"] for h in hops}
    for h in hops:
        for r in h["relations"]:
            arrow = f"—{r['relation']}—" if r["relation"] in SYMMETRIC else f"—{r['relation']}→"
            lines.append(f"  {labels[r['subject']]} {arrow} {labels[r['object']]}")
            lines += [f"      {_evidence_line(e)}" for e in r["evidence"]]
        lines.append(h["to_label"])
    return "\n".join(lines) + "\n"


def format_neighbors(rows: list[dict[str, Any]]) -> str:
    """The rows from :func:`neighbors` as text."""
    lines = [f"{d['distance']}  {d['label']}" + (f" ({d['cls']})" if d["cls"] else "")
             + (f"  {', '.join(d['relations'])}" if d["relations"] else "") for d in rows]
    return "\n".join(lines) + "\n" if lines else "(no neighbours)\n"


def _evidence_line(e: dict[str, Any]) -> str:
    what = ""
    if e["kind"] == "investment":
        what = " ".join(e.get(k, "") for k in ("amount", "currency")).strip() or "amount not stated"
        when = e.get("date") or e.get("year")
        what = f"[investment {what}{' ' + when if when else ''}] "
    return f"{what}“{e['sentence']}” ({e['document']}, confidence {e['confidence']})"


def _amount(lit) -> str:
    """``1000000000`` -> ``1,000,000,000``; anything unreadable as it is."""
    from decimal import Decimal, InvalidOperation
    try:
        return format(Decimal(str(lit)), ",f")
    except (InvalidOperation, ValueError):
        return str(lit)


def _item(graph: Graph, node, kind: str) -> dict[str, Any]:
    docs = sorted(str(graph.value(d, KG.sourcePath) or d) for d in graph.objects(node, PROV.wasDerivedFrom))
    return {"kind": kind, "sentence": " ".join(str(graph.value(node, KG.sentence) or "").split()),
            "document": ", ".join(docs) or "(unknown document)",
            "confidence": str(graph.value(node, KG.confidence) or "?")}


def _relations(G: nx.MultiDiGraph, u: str, v: str) -> list[str]:
    return sorted(d["relation"] for d in (G.get_edge_data(u, v) or {}).values())


def _label(G: nx.MultiDiGraph, v: str) -> str:
    return str(G.nodes[v].get("label") or _local(v))


def _local(iri: str) -> str:
    if iri.startswith(KG_URI):
        return iri[len(KG_URI):]
    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])
