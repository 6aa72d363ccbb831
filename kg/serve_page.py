"""The HTML page ``kg serve`` shows at ``/``: a query box and a result table, self-contained."""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
textarea{width:100%;height:14em;font:13px ui-monospace,monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f3f3f3}#status{margin-left:1em;color:#555}.err{color:#b00}
</style></head><body>
<h1>kg SPARQL endpoint</h1>
<p>Prefixes <code>kg: ent: doc: rdfs: rdf: skos: prov: xsd: owl:</code> are predefined. The endpoint is
<code>/sparql</code> (SPARQL 1.1 Protocol, GET or POST); read-only.</p>
<textarea id="q">SELECT ?investor ?target WHERE { ?investor kg:investsIn ?target } LIMIT 20</textarea>
<p><button id="run">Run query</button><span id="status"></span></p>
<div id="out"></div>
<script>
(function () {
  var q = document.getElementById("q"), out = document.getElementById("out"), st = document.getElementById("status");
  function cell(t) {
    if (!t) return "";
    return t.type === "literal" && t["xml:lang"] ? t.value + " @" + t["xml:lang"] : t.value;
  }
  function show(data) {
    out.textContent = "";
    if (typeof data.boolean === "boolean") { out.textContent = String(data.boolean); return; }
    var vars = data.head.vars, table = document.createElement("table"), tr = document.createElement("tr");
    vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; tr.appendChild(th); });
    table.appendChild(tr);
    data.results.bindings.forEach(function (b) {
      var row = document.createElement("tr");
      vars.forEach(function (v) { var td = document.createElement("td"); td.textContent = cell(b[v]); row.appendChild(td); });
      table.appendChild(row);
    });
    out.appendChild(table);
    st.textContent = data.results.bindings.length + " rows";
  }
  document.getElementById("run").onclick = function () {
    st.textContent = "running..."; var t0 = Date.now();
    fetch("sparql", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json, text/turtle;q=0.5"},
                     body: "query=" + encodeURIComponent(q.value)})
      .then(function (r) {
        var ct = r.headers.get("Content-Type") || "";
        return r.text().then(function (body) {
          if (!r.ok) throw new Error(r.status + ": " + body);
          if (ct.indexOf("json") >= 0) { show(JSON.parse(body)); }
          else { out.textContent = ""; var pre = document.createElement("pre"); pre.textContent = body; out.appendChild(pre); st.textContent = ""; }
          st.textContent += " (" + (Date.now() - t0) + " ms)";
        });
      })
      .catch(function (e) { out.textContent = ""; var p = document.createElement("p"); p.className = "err"; p.textContent = e.message; out.appendChild(p); st.textContent = ""; });
  };
})();
</script></body></html>
"""
