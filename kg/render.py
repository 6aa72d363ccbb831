"""Render a kg graph as one self-contained HTML page (pyvis builds it, vis-network draws it).

The page works offline: the vis-network JS/CSS shipped inside the pyvis package are inlined,
and pyvis's own template (which always links bootstrap from a CDN, and switches tooltips to
``innerHTML`` when a title contains "href") is not used. Text from documents only ever reaches
the page as JSON data with ``<``, ``>`` and ``&`` escaped, and is shown through ``textContent``
(tooltips) or drawn on the canvas (labels), so it is never parsed as HTML.
"""
from __future__ import annotations

import html
import json
import os
import re
import secrets
import string
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import networkx as nx
import numpy as np
import pyvis
from pyvis.network import Network
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.errors import OutputError
from kg.vocab import ENTITY_CLASSES, KG, KG_URI, PROV, RELATIONS, SYMMETRIC, top_class

COLORS = {"Organization": "#4e79a7", "Person": "#f28e2b", "Product": "#59a14f", "Place": "#e15759"}
OTHER = "Entity"            # relation endpoints without a kg entity type (should not happen)
OTHER_COLOR = "#9e9e9e"
ZH = {"Organization": "组织", "Person": "人物", "Product": "产品", "Place": "地点", OTHER: "其他"}
MAX_EVIDENCE = 8            # tooltips list at most this many sentences per edge
MAX_SENTENCE = 300          # characters of a sentence shown in a tooltip

OPTIONS = {
    "layout": {"randomSeed": 7, "improvedLayout": True},   # fixed seed: same graph, same picture
    "physics": {
        "enabled": True, "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 150, "avoidOverlap": 0.5},
        "stabilization": {"enabled": True, "iterations": 200, "fit": True},
    },
    # multi stays false: labels are drawn as plain text, never interpreted as markup.
    "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "face": "sans-serif", "multi": False}},
    "edges": {"font": {"size": 11, "align": "middle", "multi": False}, "smooth": {"type": "dynamic"},
              "color": {"color": "#8a8a8a", "highlight": "#333333", "hover": "#333333"}},
    "interaction": {"hover": True, "tooltipDelay": 120},
}


def render_html(graph: Graph, out_path: str | Path, *, title: str = "kg graph") -> dict:
    """Write ``graph`` as one offline HTML page at ``out_path``; return ``{"nodes": n, "edges": m}``.

    Raises :class:`kg.errors.OutputError` when the file cannot be written.
    """
    nodes, edges = _collect(graph)
    net = _build_network(graph, nodes, edges)
    page = _page(net, title, classes={c for c, _ in nodes.values()})
    _write_atomic(Path(out_path), page)
    return {"nodes": len(nodes), "edges": len(edges)}


# ---------------------------------------------------------------- reading the graph

def _local(iri) -> str:
    return str(iri)[len(KG_URI):] if str(iri).startswith(KG_URI) else ""


def _entity_class(g: Graph, s) -> tuple[str, str | None] | None:
    """(top class, subclass or None) of an entity, or None if it is not an entity."""
    tops, subs = set(), set()
    for c in g.objects(s, RDF.type):
        name = _local(c)
        try:
            top = top_class(name) if name else None
        except (ValueError, AttributeError):   # kg:Document, kg:Investment, unknown terms
            top = None
        if top:
            tops.add(top)
            if name != top:
                subs.add((top, name))
    for top in ENTITY_CLASSES:                  # fixed order decides a (rare) multi-typed entity
        if top in tops:
            return top, min((n for t, n in subs if t == top), default=None)
    return None


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
    # A symmetric relation is one edge whichever way round it (or its evidence) was written.
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


def _collect(g: Graph) -> tuple[dict, dict]:
    """Entities {iri: (top, sub)} and edges {key: {"evidence": [...], "events": [...]}}."""
    nodes = {}
    for s in set(g.subjects(RDF.type, None)):
        if isinstance(s, URIRef) and (cls := _entity_class(g, s)):
            nodes[str(s)] = cls
    edges: dict[tuple, dict] = {}

    def edge(rel, s, o):
        for end in (s, o):
            nodes.setdefault(str(end), (OTHER, None))
        return edges.setdefault(_key(rel, s, o), {"evidence": [], "events": []})

    for rel in sorted(RELATIONS):
        for s, o in g.subject_objects(KG[rel]):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                edge(rel, s, o)
    for st in g.subjects(RDF.type, RDF.Statement):
        s, p, o = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        key = _key(_local(p), s, o)
        if key in edges:    # evidence for a triple that is not in the graph draws nothing
            edges[key]["evidence"].append((
                _doc_path(g, st), _offset(g.value(st, KG.startOffset)),
                _short(str(g.value(st, KG.sentence) or "")), str(g.value(st, KG.confidence) or "?")))
    for ev in g.subjects(RDF.type, KG.Investment):
        s, o = g.value(ev, KG.investor), g.value(ev, KG.investee)
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            v = {p: g.value(ev, KG[p]) for p in ("amount", "currency", "year", "date", "round", "roundAmount")}
            edge("investsIn", s, o)["events"].append((
                str(v["date"] or v["year"] or ""), _amount(v["amount"]) if v["amount"] is not None else "",
                str(v["currency"] or ""), str(v["round"] or ""),
                _amount(v["roundAmount"]) if v["roundAmount"] is not None else "",
                _short(str(g.value(ev, KG.sentence) or "")), _doc_path(g, ev),
                str(g.value(ev, KG.confidence) or "?")))
    for e in edges.values():
        e["evidence"] = sorted(set(e["evidence"]))
        e["events"] = sorted(set(e["events"]))
    return nodes, edges


# ---------------------------------------------------------------- building the pyvis network

def _pagerank(ids: list[str], links: list[tuple[str, str]]) -> dict[str, float]:
    """PageRank by power iteration on networkx's Google matrix.

    ``nx.pagerank`` needs scipy, which kg does not depend on; this is the same computation in numpy.
    """
    if not ids:
        return {}
    dg = nx.DiGraph()
    dg.add_nodes_from(ids)
    for a, b in links:
        w = dg.edges[a, b]["weight"] + 1 if dg.has_edge(a, b) else 1
        dg.add_edge(a, b, weight=w)
    m = nx.google_matrix(dg, alpha=0.85, nodelist=ids, weight="weight")
    r = np.full(len(ids), 1.0 / len(ids))
    for _ in range(500):
        nxt = r @ m
        done = np.abs(nxt - r).sum() < 1e-12
        r = nxt
        if done:
            break
    return dict(zip(ids, r.tolist()))


def _node_title(g: Graph, iri: str, cls: tuple[str, str | None]) -> str:
    s = URIRef(iri)
    lines = [" / ".join(_names(g, s)), " · ".join(c for c in cls if c)]
    alt = sorted({str(a) for a in g.objects(s, SKOS.altLabel)})
    if alt:
        lines.append("also: " + ", ".join(alt[:12]) + (" …" if len(alt) > 12 else ""))
    if (n := g.value(s, KG.mentionCount)) is not None:
        lines.append(f"mentions: {n}")
    lines += [f"same as: {o}" for o in sorted(str(o) for o in g.objects(s, OWL.sameAs))]
    lines.append(iri)
    return "\n".join(lines)


def _edge_label(rel: str, events: list) -> str:
    with_amount = [e for e in events if e[1]]
    if rel != "investsIn" or not with_amount:
        return rel
    when, amount, cur = with_amount[0][:3]
    more = f" (+{len(events) - 1})" if len(events) > 1 else ""
    return f"{rel}\n{amount} {cur}".rstrip() + (f" ({when})" if when else "") + more


def _edge_title(g: Graph, key: tuple, info: dict) -> str:
    rel, s, o = key
    arrow = "—" if rel in SYMMETRIC else "→"
    lines = [f"{_names(g, URIRef(s))[0]} {arrow}{rel}{arrow} {_names(g, URIRef(o))[0]}"]
    for when, amount, cur, rnd, total, sentence, doc, conf in info["events"]:
        what = " ".join(x for x in (amount, cur) if x) or "amount not stated"
        extra = ", ".join(x for x in (when, rnd, f"round total {total} {cur}".rstrip() if total else "") if x)
        lines += ["", f"investment: {what}" + (f" ({extra})" if extra else ""),
                  f"  “{sentence}”", f"  {doc} · confidence {conf}"]
    ev = info["evidence"]
    if ev:
        lines += ["", f"evidence ({len(ev)}):"]
    for doc, _start, sentence, conf in ev[:MAX_EVIDENCE]:
        lines += [f"• “{sentence}”", f"  {doc} · confidence {conf}"]
    if len(ev) > MAX_EVIDENCE:
        lines.append(f"… and {len(ev) - MAX_EVIDENCE} more")
    return "\n".join(lines)


def _build_network(g: Graph, nodes: dict, edges: dict) -> Network:
    order = sorted(nodes)                       # sorted IRIs -> stable short ids n0, n1, ...
    ids = {iri: f"n{i}" for i, iri in enumerate(order)}
    keys = sorted(edges)
    links = []
    for rel, s, o in keys:
        links.append((s, o))
        if rel in SYMMETRIC:
            links.append((o, s))
    rank = _pagerank(order, links)
    lo, hi = min(rank.values(), default=0.0), max(rank.values(), default=0.0)

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for iri in order:
        top = nodes[iri][0]
        size = 22.0 if hi - lo < 1e-12 else 12 + 30 * (rank[iri] - lo) / (hi - lo)
        net.add_node(ids[iri], label="\n".join(_names(g, URIRef(iri))), shape="dot",
                     color=COLORS.get(top, OTHER_COLOR), size=round(size, 1),
                     title=_node_title(g, iri, nodes[iri]))
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
                "title": _edge_title(g, key, edges[key]),
                "arrows": {"to": {"enabled": rel not in SYMMETRIC}}}
        if per_pair[pair] > 1:
            opts["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 + 0.2 * k, 2)}
        net.add_edge(ids[s], ids[o], **opts)
    net.set_options(json.dumps(OPTIONS))
    return net


# ---------------------------------------------------------------- the page

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _script_json(value) -> str:
    """JSON that is safe inside <script>: no "</script>", "<!--" or raw line separators."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group()], text)


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """The newest vis-network JS and CSS shipped inside pyvis (the CDN copies are not used)."""
    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    dirs = sorted(lib.glob("vis-*/vis-network.min.js"),
                  key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not dirs:
        raise OutputError(f"pyvis ships no vis-network copy under {lib}")
    js = dirs[-1].read_text(encoding="utf-8")
    css = dirs[-1].with_name("vis-network.css").read_text(encoding="utf-8")
    # Inlined code must not be able to end its own element early.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)   # devtools would look for it
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


_PAGE = string.Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$vis_css</style>
<style>
html, body { margin: 0; height: 100%; font-family: sans-serif; }
header { padding: 6px 12px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 18px; margin: 0; display: inline; }
header span { color: #666; margin-left: 12px; font-size: 13px; }
#graph { position: absolute; top: 40px; bottom: 0; left: 0; right: 0; }
#legend { position: absolute; top: 50px; left: 10px; z-index: 5; background: rgba(255,255,255,.9);
  border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px; font-size: 13px; }
#legend ul { list-style: none; margin: 4px 0 0; padding: 0; }
#legend li { margin: 2px 0; }
#legend .sw { display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-right: 6px; vertical-align: middle; }
.kg-tip { white-space: pre-wrap; max-width: 520px; font: 12px/1.35 sans-serif; }
</style>
</head>
<body>
<header><h1>$title</h1><span>$summary</span></header>
<div id="legend"><b>Legend</b><ul>
$legend
</ul></div>
<div id="graph"></div>
<script>$vis_js</script>
<script>
(function () {
  var DATA = $data;
  // Titles are plain text: shown through textContent so nothing in them is parsed as HTML.
  function tip(text) {
    var div = document.createElement("div");
    div.className = "kg-tip";
    div.textContent = text;
    return div;
  }
  DATA.nodes.forEach(function (n) { if (n.title) { n.title = tip(n.title); } });
  DATA.edges.forEach(function (e) { if (e.title) { e.title = tip(e.title); } });
  var network = new vis.Network(document.getElementById("graph"),
    {nodes: new vis.DataSet(DATA.nodes), edges: new vis.DataSet(DATA.edges)}, DATA.options);
  // Lay out once, then hold still so the reader can drag nodes without the graph drifting.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
  });
})();
</script>
</body>
</html>
""")


def _page(net: Network, title: str, classes: set[str]) -> str:
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    shown = list(ENTITY_CLASSES) + ([OTHER] if OTHER in classes else [])
    legend = "\n".join(
        f'<li><span class="sw" style="background:{COLORS.get(c, OTHER_COLOR)}"></span>'
        f"{html.escape(c)} {html.escape(ZH[c])}</li>" for c in shown)
    vis_js, vis_css = _vis_assets()
    data = {"nodes": nodes, "edges": edges, "options": json.loads(options)}
    return _PAGE.substitute(
        title=html.escape(title), summary=f"{len(nodes)} nodes · {len(edges)} edges",
        legend=legend, vis_css=vis_css, vis_js=vis_js, data=_script_json(data))


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same directory and os.replace: never a half-written page."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        # os.open with 0o666 lets the umask decide the mode, as for any ordinary file.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
