"""The explorer page: one self-contained HTML file around vis-network (shipped inside pyvis).

Nothing is fetched: vis-network's JS and CSS are inlined and the Content-Security-Policy allows
no network at all. Scripts run only if their sha256 is listed in the policy, so even an
injected ``onerror=`` attribute could not execute; and none can be injected, because text from
documents reaches the page only as JSON data (``<``, ``>``, ``&`` escaped) and is shown with
``textContent`` or drawn on the canvas. The page's behaviour lives in :data:`EXPLORER_JS`.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import string
from functools import lru_cache
from pathlib import Path

from kg.errors import OutputError

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, ``<!--`` or raw line separators.

    >>> script_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group()], text)


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """The newest vis-network JS and CSS shipped inside pyvis (the CDN copies are not used)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"),
                   key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not found:
        raise OutputError(f"pyvis ships no vis-network copy under {lib}")
    js = found[-1].read_text(encoding="utf-8")
    css = found[-1].with_name("vis-network.css").read_text(encoding="utf-8")
    # Inlined code must not be able to end its own element early.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)   # devtools would look for it
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


CSS = """
html, body { margin: 0; height: 100%; font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; color: #222; overflow: hidden; }
header { height: 44px; box-sizing: border-box; padding: 8px 12px; border-bottom: 1px solid #ddd;
  display: flex; align-items: center; gap: 14px; background: #fafafa; }
header h1 { font-size: 17px; margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 40%; }
#summary { color: #666; font-size: 13px; white-space: nowrap; }
#searchbox { margin-left: auto; position: relative; }
#search { width: 260px; padding: 5px 8px; font-size: 14px; border: 1px solid #bbb; border-radius: 4px; }
#results { position: absolute; right: 0; top: 32px; z-index: 20; background: #fff; border: 1px solid #ccc;
  list-style: none; margin: 0; padding: 0; width: 300px; max-height: 360px; overflow: auto; box-shadow: 0 2px 8px rgba(0,0,0,.15); }
#results li { padding: 5px 8px; cursor: pointer; font-size: 13px; }
#results li:hover, #results li.active { background: #e8f0fe; }
#results .cls { color: #888; margin-left: 6px; font-size: 11px; }
#controls { position: absolute; top: 44px; left: 0; bottom: 0; width: 210px; overflow: auto; box-sizing: border-box;
  padding: 8px 10px; border-right: 1px solid #ddd; background: #fff; font-size: 13px; z-index: 5; }
#controls h3 { font-size: 13px; margin: 10px 0 4px; color: #444; }
#controls label { display: block; margin: 2px 0; cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#controls .n { color: #999; font-size: 11px; }
.sw { display: inline-block; width: 11px; height: 11px; border-radius: 6px; margin: 0 5px 0 2px; vertical-align: -1px; }
#graph { position: absolute; top: 44px; left: 210px; right: 0; bottom: 0; }
#panel { position: absolute; top: 44px; right: 0; bottom: 0; width: 380px; overflow: auto; box-sizing: border-box;
  padding: 10px 14px; background: #fff; border-left: 1px solid #ccc; box-shadow: -2px 0 8px rgba(0,0,0,.08); z-index: 10; font-size: 13px; }
#panel h2 { font-size: 18px; margin: 0 24px 2px 0; }
#panel .sub { color: #555; margin-bottom: 6px; }
#panel .meta { color: #666; margin: 2px 0; }
#panel .close { position: absolute; top: 8px; right: 10px; border: 0; background: none; font-size: 18px; cursor: pointer; }
#panel a { color: #1a5fb4; }
.fact { border-top: 1px solid #eee; padding: 6px 0; }
.fact .rel { font-weight: bold; }
.fact button.go { border: 0; background: none; color: #1a5fb4; cursor: pointer; padding: 0; font: inherit; text-decoration: underline; }
.fact .event { background: #fff6e0; border-radius: 3px; padding: 2px 5px; margin: 3px 0; }
.fact blockquote { margin: 3px 0 0 8px; padding-left: 8px; border-left: 3px solid #ddd; color: #333; }
.fact .src { color: #888; font-size: 11px; margin-left: 8px; }
#tip { position: absolute; z-index: 30; pointer-events: none; background: #fffffa; border: 1px solid #999; border-radius: 4px;
  padding: 6px 8px; box-shadow: 0 2px 6px rgba(0,0,0,.2); white-space: pre-wrap; max-width: 520px; font-size: 12px; line-height: 1.4; }
"""

# The page's behaviour. Everything from documents is put into the DOM with textContent.
EXPLORER_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var NODE = DATA.info.nodes, EDGE = DATA.info.edges;
  var nodes = new vis.DataSet(DATA.nodes), edges = new vis.DataSet(DATA.edges);
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, DATA.options);
  var kg = window.kg = {network: network, nodes: nodes, edges: edges, settled: false, settledMs: null};
  var byNode = {};
  DATA.edges.forEach(function (e) {
    (byNode[e.from] = byNode[e.from] || []).push(e.id);
    if (e.to !== e.from) { (byNode[e.to] = byNode[e.to] || []).push(e.id); }
  });
  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    if (cls) { x.className = cls; }
    return x;
  }
  function name(id) { return NODE[id] ? NODE[id].names.join(" / ") : id; }
  function arrow(info) { return info.sym ? " —" + info.rel + "— " : " —" + info.rel + "→ "; }
  function eventText(v) {
    var what = [v[1], v[2]].filter(Boolean).join(" ") || "amount not stated";
    var extra = [v[0], v[3], v[4] ? "round total " + v[4] + " " + v[2] : ""].filter(Boolean).join(", ");
    return "investment: " + what + (extra ? " (" + extra + ")" : "");
  }
  function edgeText(id) {
    var info = EDGE[id], e = edges.get(id), lines = [name(e.from) + arrow(info) + name(e.to)];
    info.inv.forEach(function (v) { lines.push("", eventText(v), "  “" + v[5] + "”", "  " + v[6] + " · confidence " + v[7]); });
    if (info.ev.length) { lines.push("", "evidence (" + info.ev.length + "):"); }
    info.ev.slice(0, 8).forEach(function (v) { lines.push("• “" + v[1] + "”", "  " + v[0] + " · confidence " + v[2]); });
    if (info.ev.length > 8) { lines.push("… and " + (info.ev.length - 8) + " more (click a node for all)"); }
    return lines.join("\n");
  }
  function nodeText(id) {
    var n = NODE[id], lines = [name(id), [n.cls, n.sub].filter(Boolean).join(" · ")];
    if (n.aliases.length) { lines.push("also: " + n.aliases.slice(0, 12).join(", ")); }
    if (n.mentions) { lines.push("mentions: " + n.mentions); }
    lines.push("relations: " + (byNode[id] || []).length + " · PageRank " + n.pagerank);
    return lines.join("\n");
  }
  var tip = document.getElementById("tip");
  function showTip(text, p) {
    tip.textContent = text;
    tip.hidden = false;
    var box = document.body.getBoundingClientRect(), g = document.getElementById("graph");
    var x = p.x + g.offsetLeft + 14, y = p.y + g.offsetTop + 14;
    tip.style.left = Math.max(0, Math.min(x, box.width - tip.offsetWidth - 4)) + "px";
    tip.style.top = Math.max(0, Math.min(y, box.height - tip.offsetHeight - 4)) + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) { showTip(nodeText(p.node), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTip(edgeText(p.edge), p.pointer.DOM); });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) { network.on(ev, hideTip); });

  var panel = document.getElementById("panel");
  function hidePanel() { panel.hidden = true; }
  function showPanel(id) {
    var n = NODE[id];
    panel.textContent = "";
    var close = el("button", "×", "close");
    close.title = "close";
    close.addEventListener("click", hidePanel);
    panel.appendChild(close);
    panel.appendChild(el("h2", n.names[0]));
    if (n.names.length > 1) { panel.appendChild(el("div", n.names.slice(1).join(" / "), "sub")); }
    panel.appendChild(el("div", [n.cls, n.clsZh, n.sub].filter(Boolean).join(" · "), "meta"));
    if (n.aliases.length) { panel.appendChild(el("div", "Aliases: " + n.aliases.join(", "), "meta")); }
    n.wd.forEach(function (q) {
      if (!/^Q[0-9]+$/.test(q)) { return; }
      var row = el("div", "Wikidata: ", "meta"), a = el("a", q);
      a.href = "https://www.wikidata.org/wiki/" + q;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      row.appendChild(a);
      panel.appendChild(row);
    });
    panel.appendChild(el("div", "Mentions: " + (n.mentions || "?") + " · PageRank " + n.pagerank +
      (n.community !== null ? " · community " + (n.community + 1) : ""), "meta"));
    panel.appendChild(el("div", n.iri, "meta"));
    var facts = (byNode[id] || []).slice().sort(function (a, b) {
      var x = EDGE[a].rel + name(other(a, id)), y = EDGE[b].rel + name(other(b, id));
      return x < y ? -1 : x > y ? 1 : 0;
    });
    panel.appendChild(el("h3", "Facts (" + facts.length + ")"));
    facts.forEach(function (eid) {
      var info = EDGE[eid], e = edges.get(eid), box = el("div", null, "fact"), head = el("div");
      var out = e.from === id, peer = other(eid, id);
      head.appendChild(el("span", info.sym ? "— " + info.rel + " — " : out ? info.rel + " → " : "← " + info.rel + " ← ", "rel"));
      var go = el("button", name(peer), "go");
      go.addEventListener("click", function () { focusNode(peer); });
      head.appendChild(go);
      box.appendChild(head);
      info.inv.forEach(function (v) {
        box.appendChild(el("div", eventText(v), "event"));
        box.appendChild(el("blockquote", v[5]));
        box.appendChild(el("div", v[6] + " · confidence " + v[7], "src"));
      });
      info.ev.forEach(function (v) {
        box.appendChild(el("blockquote", v[1]));
        box.appendChild(el("div", v[0] + " · confidence " + v[2], "src"));
      });
      if (!info.ev.length && !info.inv.length) { box.appendChild(el("div", "(no evidence sentence recorded)", "src")); }
      panel.appendChild(box);
    });
    panel.hidden = false;
    panel.scrollTop = 0;
  }
  function other(eid, id) { var e = edges.get(eid); return e.from === id ? e.to : e.from; }
  function focusNode(id) {
    if (nodes.get(id).hidden) { nodes.update({id: id, hidden: false}); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.2), animation: {duration: 300}});
    showPanel(id);
  }
  kg.focus = focusNode;
  kg.edgeText = edgeText;
  network.on("click", function (p) {
    if (p.nodes.length) { showPanel(p.nodes[0]); } else if (!p.edges.length) { hidePanel(); }
  });

  // Search any Chinese or English label or alias.
  var norm = function (s) { return String(s).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); };
  var index = DATA.nodes.map(function (n) {
    return {id: n.id, keys: NODE[n.id].names.concat(NODE[n.id].aliases).map(norm)};
  });
  var search = document.getElementById("search"), results = document.getElementById("results"), found = [];
  function find(q) {
    q = norm(q);
    if (!q) { return []; }
    var exact = [], prefix = [], part = [];
    index.forEach(function (it) {
      if (it.keys.indexOf(q) >= 0) { exact.push(it.id); }
      else if (it.keys.some(function (k) { return k.indexOf(q) === 0; })) { prefix.push(it.id); }
      else if (it.keys.some(function (k) { return k.indexOf(q) > 0; })) { part.push(it.id); }
    });
    return exact.concat(prefix, part).slice(0, 12);
  }
  kg.find = find;
  function pick(id) { results.hidden = true; focusNode(id); }
  search.addEventListener("input", function () {
    found = find(search.value);
    results.textContent = "";
    found.forEach(function (id, i) {
      var li = el("li", name(id));
      if (i === 0) { li.className = "active"; }
      li.appendChild(el("span", NODE[id].cls, "cls"));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(id); });
      results.appendChild(li);
    });
    if (search.value && !found.length) { results.appendChild(el("li", "no match")); }
    results.hidden = !search.value;
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { found = find(search.value); if (found.length) { pick(found[0]); } }
    if (ev.key === "Escape") { results.hidden = true; }
  });
  search.addEventListener("blur", function () { results.hidden = true; });

  // Filters by class and relation.
  var boxes = document.querySelectorAll("#controls input[type=checkbox]");
  function applyFilters() {
    var on = {cls: {}, rel: {}}, hidden = {}, nodeUpd = [], edgeUpd = [], shownN = 0, shownE = 0;
    Array.prototype.forEach.call(boxes, function (b) { on[b.dataset.kind][b.value] = b.checked; });
    DATA.nodes.forEach(function (n) {
      var h = !on.cls[NODE[n.id].cls];
      hidden[n.id] = h;
      if (!h) { shownN++; }
      if (!!nodes.get(n.id).hidden !== h) { nodeUpd.push({id: n.id, hidden: h}); }
    });
    DATA.edges.forEach(function (e) {
      var h = !on.rel[EDGE[e.id].rel] || hidden[e.from] || hidden[e.to];
      if (!h) { shownE++; }
      if (!!edges.get(e.id).hidden !== h) { edgeUpd.push({id: e.id, hidden: h}); }
    });
    nodes.update(nodeUpd);
    edges.update(edgeUpd);
    document.getElementById("summary").textContent = DATA.summary +
      (shownN < DATA.nodes.length || shownE < DATA.edges.length ? " · filtered: " + shownN + " / " + shownE : "");
  }
  Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", applyFilters); });
  kg.applyFilters = applyFilters;

  // Lay out, stop the physics, and say so (tests and the benchmark wait for data-settled).
  function settle() {
    network.once("afterDrawing", function () {
      kg.settled = true;
      kg.settledMs = performance.now();
      document.body.setAttribute("data-settled", "true");
    });
    network.redraw();
  }
  if (DATA.physics && DATA.nodes.length) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      settle();
    });
  } else {
    network.fit({animation: false});
    settle();
  }
})();
"""

_PAGE = string.Template("""<!DOCTYPE html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src $hashes; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$vis_css</style>
<style>$css</style>
</head>
<body>
<header><h1>$title</h1><span id="summary">$summary</span>
<div id="searchbox"><input id="search" type="search" placeholder="Search 搜索: 微软 / Microsoft" autocomplete="off" aria-label="search">
<ul id="results" hidden></ul></div></header>
<div id="controls">
$controls
</div>
<div id="graph"></div>
<aside id="panel" hidden></aside>
<div id="tip" hidden></div>
<script id="kg-data" type="application/json">$data</script>
<script>$vis_js</script>
<script>$explorer_js</script>
</body>
</html>
""")


def page(*, title: str, summary: str, controls: str, data: dict, lang: str = "en") -> str:
    """The whole page. ``controls`` is trusted HTML built by :func:`controls_html`."""
    vis_js, vis_css = vis_assets()
    hashes = " ".join(_sha256(s) for s in (vis_js, EXPLORER_JS))
    return _PAGE.substitute(
        lang=lang, hashes=hashes, title=html.escape(title), summary=html.escape(summary), controls=controls,
        vis_css=vis_css, css=CSS, data=script_json(data), vis_js=vis_js, explorer_js=EXPLORER_JS)


def controls_html(legend: list[tuple[str, str, str, int]], classes: list[tuple[str, str, str, int]],
                  relations: list[tuple[str, int]], legend_title: str | None) -> str:
    """Legend and filter checkboxes. ``classes``: (value, label, colour or "", count);
    ``legend``: extra colour rows (community mode); ``relations``: (name, count)."""
    esc = html.escape
    out = []
    if legend_title:
        out.append(f"<h3>{esc(legend_title)}</h3>")
        out += [f'<div><span class="sw" style="background:{esc(color)}"></span>{esc(label)} '
                f'<span class="n">{count}</span></div>' for _value, label, color, count in legend]
    out.append("<h3>Classes 类别</h3>")
    for value, label, color, count in classes:
        sw = f'<span class="sw" style="background:{esc(color)}"></span>' if color else ""
        out.append(f'<label><input type="checkbox" data-kind="cls" value="{esc(value)}" checked>{sw}'
                   f'{esc(label)} <span class="n">{count}</span></label>')
    out.append("<h3>Relations 关系</h3>")
    out += [f'<label><input type="checkbox" data-kind="rel" value="{esc(rel)}" checked>{esc(rel)} '
            f'<span class="n">{count}</span></label>' for rel, count in relations]
    return "\n".join(out)
