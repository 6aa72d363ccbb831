"""kg serve's query page (YASGUI, vendored, served by kg serve itself), its Graph Store Protocol read side and
its SPARQL error messages: a real server on 127.0.0.1, plain HTTP and a real, offline Chromium."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import urllib.parse

import pytest
from pyoxigraph import NamedNode
from rdflib import Graph

from kg.corpus.store import CorpusStore
from tests.corpus.test_serve import ENV, http
from tests.paths import ROOT
from tests.tools.browser import (
    REQUIRE_ENV,
    BrowserMissing,
    browser,
    browser_missing,
    browser_required,
)

VENDOR = ROOT / "kg" / "corpus" / "static" / "vendor" / "yasgui"


@pytest.fixture(scope="module")
def served(small_store):
    """A server on the small store; ``(page URL, endpoint URL)`` read from its startup line."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(small_store), "--port", "0",
                             "--workers", "1"], cwd=small_store.parent, env=ENV, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"at (http://\S+/sparql) \(query page (http://\S+/);", line)
    assert m, line
    yield m.group(2), m.group(1)
    proc.terminate()
    proc.wait(timeout=30)


def test_vendored_yasgui_is_the_npm_build_and_licensed():
    source = (VENDOR / "SOURCE.txt").read_text(encoding="utf-8")
    assert "@zazuko/yasgui 4.6.2" in source and "MIT" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    for name in ("yasgui.min.js", "yasgui.min.css"):
        digest = hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()
        assert re.search(rf"{re.escape(name)}\s+sha256 {digest}", source), name


def test_page_assets_and_prefixes_are_served_by_kg_itself(served):
    page, _endpoint = served
    code, headers, body = http(page)
    assert code == 200 and b"static/yasgui.min.js" in body
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "unsafe-eval" not in csp
    assert not re.search(rb"""(?:src|href)=["']?(?:https?:)?//""", body)
    code, headers, js = http(page + "static/yasgui.min.js")
    assert code == 200 and js == (VENDOR / "yasgui.min.js").read_bytes() and "javascript" in headers["Content-Type"]
    assert http(page + "static/yasgui.min.js.map")[0] == 404
    assert http(page + "static/../pyproject.toml")[0] == 404
    code, _h, prefixes = http(page + "prefixes.json")
    assert code == 200 and json.loads(prefixes)["kg"] == "https://w3id.org/kgnews/ontology#"
    config = json.loads(re.search(rb'<script id="kg-config" type="application/json">(.*?)</script>', body,
                                  re.DOTALL).group(1))
    names = [t["name"] for t in config["tabs"]]
    assert names[1:] == sorted(p.stem for p in (ROOT / "examples" / "queries").glob("*.rq"))
    assert all(re.search(r"PREFIX\s+kg:\s+<https://w3id.org/kgnews/ontology#>", t["query"]) for t in config["tabs"])


def test_graph_store_protocol_read_side(served, small_store):
    page, _endpoint = served
    with CorpusStore(small_store) as s:
        doc = min(s.documents())
        n_doc, n_default = s.count(NamedNode(doc)), s.count()
    code, headers, body = http(page + "data?" + urllib.parse.urlencode({"graph": doc}))
    assert code == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=body.decode("utf-8"), format="turtle")) == n_doc
    code, headers, body = http(page + "data?default", headers={"Accept": "application/n-triples"})
    assert code == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert len(Graph().parse(data=body.decode("utf-8"), format="nt")) == n_default
    assert http(page + "data?" + urllib.parse.urlencode({"graph": "https://w3id.org/kgnews/doc/none"}))[0] == 404
    assert http(page + "data?graph=not%20an%20iri")[0] == 400
    assert http(page + "data")[0] == 400
    code, headers, _b = http(page + "data?default", data=b"<a> <b> <c> .", method="PUT",
                             headers={"Content-Type": "application/n-triples"})
    assert code == 405 and headers["Allow"] == "GET"


@pytest.mark.parametrize("query, expected", [
    ("SELECT ?x WHERE { ?x ?p }", "line 1, column "),
    ("SELECT ?x WHERE {\n  ?x a ex:Thing }", "line 2, column 8: unknown prefix 'ex:'"),
    ("SELEC ?x WHERE { ?x ?p ?o }", "line 1, column "),
])
def test_syntax_errors_name_line_and_column(served, query, expected):
    _page, endpoint = served
    code, _h, body = http(endpoint, data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    text = body.decode("utf-8")
    assert code == 400 and expected in text and text.count("\n") == 1 and len(text) < 200, text
    assert "[_]" not in text and "u{" not in text                     # no parser internals


MISSING = None if browser_required() else browser_missing()


@pytest.mark.skipif(MISSING is not None, reason=f"browser tests: {MISSING}")
def test_yasgui_runs_a_query_offline(served):
    page_url, _endpoint = served
    try:
        with browser() as ctx:
            p = ctx.new_page()
            blocked, errors, csp = [], [], []
            p.route("**/*", lambda r: r.continue_() if r.request.url.startswith(page_url)
                    else (blocked.append(r.request.url), r.abort()))
            p.on("pageerror", lambda e: errors.append(str(e)))
            p.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
            p.goto(page_url, wait_until="load")
            p.wait_for_selector(".yasqe .CodeMirror")
            tabs = p.locator(".yasgui .tabsList .tab").count()
            assert tabs == 1 + len(list((ROOT / "examples" / "queries").glob("*.rq")))
            p.evaluate("""() => { kg.yasgui.getTab().setQuery(
                'PREFIX kg: <https://w3id.org/kgnews/ontology#>\\n' +
                'SELECT ?investor ?target WHERE { ?investor kg:investsIn ?target } ORDER BY ?investor LIMIT 7'); }""")
            p.click(".yasqe_queryButton")
            p.wait_for_selector(".yasr table tbody tr td", timeout=30_000)
            cells = p.inner_text(".yasr table tbody")
            assert "kgnews/entity/" in cells or "ent:" in cells
            rows = p.locator(".yasr table tbody tr").count()
            assert rows == 7
            p.screenshot(path=str(_shot()))
            assert blocked == [] and errors == [] and csp == [], (blocked, errors, csp)
    except BrowserMissing as e:
        if browser_required():
            pytest.fail(f"{REQUIRE_ENV}=1 and {e}", pytrace=False)
        pytest.skip(f"browser tests: {e}")


def _shot():
    out = ROOT / "build" / "browser-tests"
    out.mkdir(parents=True, exist_ok=True)
    return out / "query-page.png"
