(function () {
  "use strict";
  // Everything from the documents arrives as JSON data and is shown with textContent (or drawn on the canvas).
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var NODE = DATA.info.nodes, EDGE = DATA.info.edges, DOCS = DATA.docs;
  var nodes = new vis.DataSet(DATA.nodes), edges = new vis.DataSet(DATA.edges);
  var network = new vis.Network(document.getElementById("graph"), {nodes: nodes, edges: edges}, DATA.options);
  var kg = window.kg = {network: network, nodes: nodes, edges: edges, settled: false, settledMs: null, labelled: [],
                        hiddenEdgeLabels: {}};
  var byNode = {}, edgeLabel = {};
  DATA.edges.forEach(function (e) {
    (byNode[e.from] = byNode[e.from] || []).push(e.id);
    if (e.to !== e.from) { (byNode[e.to] = byNode[e.to] || []).push(e.id); }
    edgeLabel[e.id] = e.label;
  });
  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    if (cls) { x.className = cls; }
    return x;
  }
  function name(id) { return NODE[id] ? NODE[id].names.join(" / ") : id; }
  function arrow(info) { return info.sym ? " —" + info.rel + "— " : " —" + info.rel + "→ "; }
  function docPath(i) { return i >= 0 && DOCS[i] ? DOCS[i].path : "(unknown document)"; }
  function eventText(v) {
    var what = [v[1], v[2]].filter(Boolean).join(" ") || "amount not stated";
    var extra = [v[0], v[3], v[4] ? "round total " + v[4] + " " + v[2] : ""].filter(Boolean).join(", ");
    return (v[7] || "event").toLowerCase() + ": " + what + (extra ? " (" + extra + ")" : "");
  }
  function sources(s) { return s[1].map(function (src) { return docPath(src[0]) + " · confidence " + src[4]; }); }
  function edgeText(id) {
    var info = EDGE[id], e = edges.get(id), lines = [name(e.from) + arrow(info) + name(e.to)];
    info.inv.forEach(function (v) { lines.push(eventText(v)); });
    if (info.ev.length) { lines.push("", "evidence (" + info.ev.length + (info.ev.length > 1 ? " sentences" : " sentence") + "):"); }
    info.ev.slice(0, 8).forEach(function (s) { lines.push("• “" + s[0] + "”"); sources(s).forEach(function (t) { lines.push("  " + t); }); });
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

  // The article beside the fact: the paragraphs the page carries, the sentence highlighted at its offsets.
  var docView = document.getElementById("doc");
  function hideDoc() { docView.hidden = true; }
  function openDoc(src) {
    var d = DOCS[src[0]];
    docView.textContent = "";
    var close = el("button", "×", "close");
    close.title = "close";
    close.addEventListener("click", hideDoc);
    docView.appendChild(close);
    docView.appendChild(el("h2", d.title || d.path));
    docView.appendChild(el("div", d.path, "path"));
    var mark = null;
    d.parts.forEach(function (text, i) {
      if (i > 0) { docView.appendChild(el("div", "…", "gap")); }
      var p = el("p");
      if (i === src[1]) {
        p.appendChild(document.createTextNode(text.slice(0, src[2])));
        mark = el("mark", text.slice(src[2], src[3]));
        p.appendChild(mark);
        p.appendChild(document.createTextNode(text.slice(src[3])));
      } else {
        p.textContent = text;
      }
      docView.appendChild(p);
    });
    docView.appendChild(el("div", "Only the paragraphs holding the facts shown are in this page.", "note"));
    docView.hidden = false;
    if (mark) { mark.scrollIntoView({block: "center"}); }
    return mark;
  }
  kg.openDoc = openDoc;

  var panel = document.getElementById("panel");
  function hidePanel() { panel.hidden = true; hideDoc(); }
  function sentenceBox(s) {
    var box = el("div", null, "said");
    box.appendChild(el("blockquote", s[0]));
    s[1].forEach(function (src) {
      var row = el("div", docPath(src[0]) + " · confidence " + src[4], "src");
      if (src[1] >= 0) {
        var read = el("button", "read in article 阅读原文", "read");
        read.addEventListener("click", function () { openDoc(src); });
        row.appendChild(read);
      }
      box.appendChild(row);
    });
    return box;
  }
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
      info.inv.forEach(function (v) { box.appendChild(el("div", eventText(v), "event")); });
      info.ev.forEach(function (s) { box.appendChild(sentenceBox(s)); });
      if (!info.ev.length) { box.appendChild(el("div", "(no evidence sentence recorded)", "src")); }
      panel.appendChild(box);
    });
    panel.hidden = false;
    panel.scrollTop = 0;
  }
  function other(eid, id) { var e = edges.get(eid); return e.from === id ? e.to : e.from; }
  function focusNode(id) {
    if (nodes.get(id).hidden) { nodes.update({id: id, hidden: false}); }
    network.selectNodes([id]);
    var scale = Math.max(network.getScale(), 1.2), at = network.getPosition(id);
    cullEdgeLabels(viewRect(at, scale));       // the frames of the animation draw only the labels of where it ends
    network.focus(id, {scale: scale, animation: {duration: 300}});
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

  // Filters: class, relation, year range, undated facts, unconnected entities.
  var boxes = document.querySelectorAll("#controls input[data-kind]");
  var unconnected = document.getElementById("unconnected");
  var yearFrom = document.getElementById("year-from"), yearTo = document.getElementById("year-to");
  var undated = document.getElementById("undated");
  function inYears(info) {
    if (!yearFrom) { return true; }
    if (!info.years.length) { return undated.checked; }
    var lo = +yearFrom.value, hi = +yearTo.value;
    return info.years.some(function (y) { return y >= lo && y <= hi; });
  }
  function applyFilters() {
    var on = {cls: {}, rel: {}}, classOff = {}, linked = {}, nodeUpd = [], edgeUpd = [], shownN = 0, shownE = 0;
    Array.prototype.forEach.call(boxes, function (b) { on[b.dataset.kind][b.value] = b.checked; });
    DATA.nodes.forEach(function (n) { classOff[n.id] = !on.cls[NODE[n.id].cls]; });
    DATA.edges.forEach(function (e) {
      var h = !on.rel[EDGE[e.id].rel] || classOff[e.from] || classOff[e.to] || !inYears(EDGE[e.id]);
      if (!h) { shownE++; linked[e.from] = linked[e.to] = true; }
      if (!!edges.get(e.id).hidden !== h) { edgeUpd.push({id: e.id, hidden: h}); }
    });
    DATA.nodes.forEach(function (n) {
      var h = classOff[n.id] || (!unconnected.checked && !linked[n.id]);
      if (!h) { shownN++; }
      if (!!nodes.get(n.id).hidden !== h) { nodeUpd.push({id: n.id, hidden: h}); }
    });
    nodes.update(nodeUpd);
    edges.update(edgeUpd);
    document.getElementById("summary").textContent = DATA.summary +
      (shownN < DATA.nodes.length || shownE < DATA.edges.length ? " · shown (filtered): " + shownN + " / " + shownE : "");
    if (kg.settled) { placeLabels(); }
  }
  Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", applyFilters); });
  [unconnected, yearFrom, yearTo, undated].forEach(function (x) { if (x) { x.addEventListener("change", applyFilters); } });
  kg.applyFilters = applyFilters;

  // Labels: the most central visible entities are always labelled, at least labelPx on screen; the rest
  // appear as you zoom in (vis-network's drawThreshold). At fit zoom their labels are pushed apart until no
  // two overlap, and edge labels that would cover a node's label are taken back.
  var baseFont = DATA.options.nodes.font.size, edgeFont = DATA.options.edges.font.size;
  function centralIds() {
    var out = [];
    for (var i = 0; i < DATA.central.length && out.length < DATA.labelled; i++) {
      if (!nodes.get(DATA.central[i]).hidden) { out.push(DATA.central[i]); }
    }
    return out;
  }
  function setFonts(ids) {
    var size = Math.max(baseFont, Math.ceil(DATA.labelPx / network.getScale())), want = {}, upd = [];
    ids.forEach(function (id) { want[id] = size; });
    kg.labelled.concat(ids).forEach(function (id) {
      var cur = nodes.get(id), target = want[id] || baseFont;
      if (!cur.font || cur.font.size !== target) { upd.push({id: id, font: {size: target}}); }
    });
    kg.labelled = ids;
    if (upd.length) { nodes.update(upd); }
  }
  function labelBox(id) {
    var n = network.body.nodes[id], s = n.labelModule.size;
    return {id: id, dx: s.left - n.x, dy: s.top - n.y, w: s.width, h: s.height};
  }
  function overlap(a, b, pa, pb) {
    var gap = 4 / network.getScale();
    var ox = Math.min(pa.x + a.dx + a.w, pb.x + b.dx + b.w) - Math.max(pa.x + a.dx, pb.x + b.dx) + gap;
    var oy = Math.min(pa.y + a.dy + a.h, pb.y + b.dy + b.h) - Math.max(pa.y + a.dy, pb.y + b.dy) + gap;
    return ox > 0 && oy > 0 ? {x: ox, y: oy} : null;
  }
  function separate(ids) {
    var bx = ids.map(labelBox), pos = network.getPositions(ids), moved = false;
    for (var round = 0; round < 80; round++) {
      var any = false;
      for (var i = 0; i < bx.length; i++) {
        for (var j = i + 1; j < bx.length; j++) {
          var a = bx[i], b = bx[j], pa = pos[a.id], pb = pos[b.id], o = overlap(a, b, pa, pb);
          if (!o) { continue; }
          any = true;
          if (o.y <= o.x) {                    // the smaller push: vertical here
            var sy = (pa.y <= pb.y ? -1 : 1) * (o.y / 2 + 1);
            pa.y += sy; pb.y -= sy;
          } else {
            var sx = (pa.x <= pb.x ? -1 : 1) * (o.x / 2 + 1);
            pa.x += sx; pb.x -= sx;
          }
        }
      }
      if (!any) { break; }
      moved = true;
    }
    if (moved) { ids.forEach(function (id) { network.moveNode(id, pos[id].x, pos[id].y); }); }
    return moved;
  }
  // The canvas rectangle a view shows, widened by a margin: vis-network culls nodes outside the view but draws
  // every edge label, and at reading zoom a corpus page has thousands (a 3 s frame on a 7,000-edge page).
  function viewRect(center, scale) {
    var c = network.canvas.frame.canvas, w = c.clientWidth / scale, h = c.clientHeight / scale;
    return {l: center.x - 0.6 * w, r: center.x + 0.6 * w, t: center.y - 0.6 * h, b: center.y + 0.6 * h};
  }
  function offscreen(id, rect) {
    var e = network.body.edges[id];
    if (!e || !e.from || !e.to) { return true; }
    var x = (e.from.x + e.to.x) / 2, y = (e.from.y + e.to.y) / 2;
    return x < rect.l || x > rect.r || y < rect.t || y > rect.b;
  }
  // Which edge labels a view shows: only those whose middle is in ``rect``, then greedily the ones whose box
  // (estimated from the text, before drawing) overlaps no label already kept, the selected entity's edges and
  // the edges between labelled entities first, at most MAX_EDGE_LABELS. Overlapping labels cannot be read, and
  // drawing each one costs: a corpus page has thousands. Returns whether any label changed.
  // A label is taken back by shrinking its font below the draw threshold (vis-network ignores an empty label).
  var MAX_EDGE_LABELS = 150;
  function textWidth(t) {                      // in canvas units: CJK characters are about one em wide
    var w = 0;
    for (var i = 0; i < t.length; i++) { w += t.charCodeAt(i) >= 0x2e80 ? 1.05 : 0.62; }
    return w * edgeFont;
  }
  function cullEdgeLabels(rect) {
    var sel = {}, lab = {};
    network.getSelectedNodes().forEach(function (id) { sel[id] = true; });
    kg.labelled.forEach(function (id) { lab[id] = true; });
    var tiers = [[], [], []];
    network.body.edgeIndices.forEach(function (id) {
      var e = network.body.edges[id];
      if (!edgeLabel[id] || offscreen(id, rect)) { return; }
      tiers[sel[e.fromId] || sel[e.toId] ? 0 : (lab[e.fromId] && lab[e.toId] ? 1 : 2)].push(id);
    });
    var kept = [], show = {};
    tiers[0].concat(tiers[1], tiers[2]).some(function (id) {
      var e = network.body.edges[id], x = (e.from.x + e.to.x) / 2, y = (e.from.y + e.to.y) / 2;
      var w = textWidth(String(edgeLabel[id])) + 6, h = edgeFont * 1.4;
      var box = {l: x - w / 2, r: x + w / 2, t: y - h / 2, b: y + h / 2};
      var free = kept.every(function (k) { return box.r < k.l || k.r < box.l || box.b < k.t || k.b < box.t; });
      if (free) { kept.push(box); show[id] = true; }
      return kept.length >= MAX_EDGE_LABELS;
    });
    var upd = [], hidden = {};
    network.body.edgeIndices.forEach(function (id) {
      if (!edgeLabel[id]) { return; }
      var out = !show[id];
      if (out) { hidden[id] = true; }
      if (out !== !!kg.hiddenEdgeLabels[id]) { upd.push({id: id, font: {size: out ? 1 : edgeFont}}); }
    });
    kg.hiddenEdgeLabels = hidden;
    if (upd.length) { edges.update(upd); }
    return upd.length > 0;
  }
  kg.viewRect = function () { return viewRect(network.getViewPosition(), network.getScale()); };
  function declutterEdges() {
    cullEdgeLabels(kg.viewRect());
    network.redraw();                          // computes the sizes of the labels in view
    var labels = [];
    network.body.nodeIndices.forEach(function (id) {
      var m = network.body.nodes[id].labelModule;
      if (m.visible()) { labels.push(m.size); }
    });
    // Drawn, the labels have their real boxes: one that covers a node's label or an edge label kept before it
    // goes (the estimate above keeps this to a few).
    var hide = [], kept = [];
    var hit = function (s, b) {
      return s.left < b.left + b.width && b.left < s.left + s.width && s.top < b.top + b.height && b.top < s.top + s.height;
    };
    network.body.edgeIndices.forEach(function (id) {
      var m = network.body.edges[id].labelModule;
      if (!edgeLabel[id] || kg.hiddenEdgeLabels[id] || !m.visible()) { return; }
      var s = m.size;
      if (labels.some(function (b) { return hit(s, b); }) || kept.some(function (b) { return hit(s, b); })) {
        hide.push({id: id, font: {size: 1}});
        kg.hiddenEdgeLabels[id] = true;
      } else {
        kept.push({left: s.left, top: s.top, width: s.width, height: s.height});
      }
    });
    if (hide.length) { edges.update(hide); network.redraw(); }
  }
  function placeLabels() {
    for (var pass = 0; pass < 8; pass++) {
      network.fit({animation: false});
      var ids = centralIds();
      setFonts(ids);
      network.redraw();                        // computes the label sizes
      if (!separate(ids)) { break; }
    }
    network.fit({animation: false});
    setFonts(centralIds());
    declutterEdges();
  }
  kg.placeLabels = placeLabels;
  kg.declutter = declutterEdges;
  var zoomTimer = null;
  network.on("zoom", function () {
    setFonts(kg.labelled);
    if (zoomTimer) { clearTimeout(zoomTimer); }
    zoomTimer = setTimeout(function () { zoomTimer = null; declutterEdges(); }, 150);
  });
  network.on("dragEnd", function () { declutterEdges(); });
  network.on("animationFinished", function () { declutterEdges(); });

  // Lay out, stop the physics, place the labels, and say so (tests and the benchmark wait for data-settled).
  function settle() {
    placeLabels();
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
    settle();
  }
})();
