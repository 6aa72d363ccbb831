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
