"""Summary of a kg graph: counts per class and relation, the top entities, communities.

>>> from rdflib import Graph
>>> from rdflib.namespace import RDF
>>> from kg.vocab import ENT, KG
>>> g = Graph(); _ = g.add((ENT.OpenAI, RDF.type, KG.Company))
>>> s = stats(g)
>>> s["triples"], s["classes"]["Organization"], s["relations"]["investsIn"], s["top"][0]["label"]
(1, 1, 0, 'OpenAI')
"""
from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.explore.network import _subclasses, centrality, communities, to_networkx
from kg.graph.query import compact, pad_text, text_width
from kg.vocab import ENTITY_CLASSES, KG, RECORD_CLASSES, RELATIONS

TOP = 10

def stats(graph: Graph) -> dict[str, Any]:
    """Counts per class and per relation, total triples, and the top entities by PageRank.

    >>> from rdflib import Graph
    >>> from rdflib.namespace import RDF
    >>> from kg.vocab import ENT, KG
    >>> g = Graph(); _ = g.add((ENT.OpenAI, RDF.type, KG.Company))
    >>> s = stats(g)
    >>> s["triples"], s["classes"]["Organization"], s["relations"]["investsIn"], s["top"][0]["label"]
    (1, 1, 0, 'OpenAI')
    """
    G = to_networkx(graph)
    classes: dict[str, int] = {}
    for top in ENTITY_CLASSES:
        members = {s for c in _subclasses(top) for s in graph.subjects(RDF.type, c)}
        classes[top] = len(members)
    for record in RECORD_CLASSES:                 # Document, Investment, ...: what kg.ttl declares
        classes[record] = len(set(graph.subjects(RDF.type, KG[record])))
    classes["Statement"] = len(set(graph.subjects(RDF.type, RDF.Statement)))
    relations = {rel: len(set(graph.subject_objects(KG[rel]))) for rel in sorted(RELATIONS)}

    cent = centrality(G)
    ranks = {v: c["pagerank"] for v, c in cent.items()}
    top = sorted(ranks.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    groups = communities(G)
    return {
        "triples": len(graph),
        "entities": G.number_of_nodes(),
        "classes": classes,
        "relations": relations,
        "top": [{"entity": iri, "label": G.nodes[iri].get("label", iri), "cls": G.nodes[iri].get("cls"),
                 "pagerank": round(score, 6), "degree": G.degree(iri),
                 "betweenness": round(cent[iri]["betweenness"], 6)} for iri, score in top],
        "communities": {"count": sum(1 for c in groups if len(c) > 1), "singletons": sum(1 for c in groups if len(c) == 1),
                        "largest": [{"size": len(c), "members": [G.nodes[v].get("label", v) for v in
                                     sorted(c, key=lambda v: (-ranks[v], v))[:5]]} for c in groups[:5] if len(c) > 1]},
    }

def format_stats(d: dict[str, Any]) -> str:
    """The dict from :func:`stats` as a readable text table."""
    lines = [f"triples   {d['triples']}", f"entities  {d['entities']}", "", "classes"]
    names = list(d["classes"]) + list(d["relations"])
    w = max(text_width(n) for n in names) if names else 0
    lines += [f"  {pad_text(name, w)}  {count:>6}" for name, count in d["classes"].items()]
    lines += ["", "relations"]
    lines += [f"  {pad_text(name, w)}  {count:>6}" for name, count in d["relations"].items()]
    if d["top"]:
        lines += ["", f"top {len(d['top'])} entities by PageRank"]
        rows = [("#", "entity", "class", "PageRank", "degree", "between", "IRI")]
        rows += [(str(i), e["label"], e.get("cls") or "", f"{e['pagerank']:.4f}", str(e["degree"]),
                  f"{e.get('betweenness', 0):.4f}", compact(URIRef(e["entity"]))) for i, e in enumerate(d["top"], 1)]
        widths = [max(text_width(r[c]) for r in rows) for c in range(7)]
        for r in rows:
            lines.append("  " + "  ".join(pad_text(cell, widths[c]) if c not in (3, 4, 5) else cell.rjust(widths[c])
                                          for c, cell in enumerate(r)).rstrip())
    com = d.get("communities")
    if com and com["count"]:
        lines += ["", f"communities (Louvain): {com['count']}, plus {com['singletons']} unconnected entities"]
        lines += [f"  {c['size']:>4}  " + ", ".join(c["members"]) + (" …" if c["size"] > len(c["members"]) else "")
                  for c in com["largest"]]
    return "\n".join(lines) + "\n"
