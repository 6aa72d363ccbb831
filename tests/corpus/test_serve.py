"""kg serve: a real waitress server on a free 127.0.0.1 port, queried with SPARQLWrapper and plain HTTP."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.paths import ROOT

ENV = dict(os.environ, PYTHONPATH=str(ROOT))


@pytest.fixture(scope="module")
def endpoint(small_store):
    """A real server process on the session's small store (six generated articles), read-only. Its timeout
    leaves room for a loaded machine (CI, other jobs) yet cuts off the cartesian query within seconds."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(small_store), "--port", "0",
                             "--timeout", "4", "--max-bytes", "20000", "--workers", "2"],
                            cwd=small_store.parent, env=ENV, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    assert "serving" in line, line
    url = line.split(" at ")[1].split()[0]
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    assert proc.returncode in (0, 130)


def http(url, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get(url, query: str, accept: str = "application/sparql-results+json"):
    return http(f"{url}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept})


SELECT = "SELECT ?s ?o WHERE { ?s kg:investsIn ?o } ORDER BY ?s ?o LIMIT 5"


def test_sparqlwrapper_select_in_every_result_format(endpoint):
    from SPARQLWrapper import (
        CSV,
        JSON,
        POST,
        POSTDIRECTLY,
        TSV,
        URLENCODED,
        XML,
        SPARQLWrapper,
    )

    sw = SPARQLWrapper(endpoint)
    sw.setQuery("PREFIX kg: <https://w3id.org/kgnews/ontology#> " + SELECT)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert len(rows) == 5 and all(r["s"]["value"].startswith("https://w3id.org/kgnews/entity/") for r in rows)
    for method, request in ((POST, URLENCODED), (POST, POSTDIRECTLY)):
        sw.setMethod(method)
        sw.setRequestMethod(request)
        assert sw.query().convert()["results"]["bindings"] == rows
    sw.setReturnFormat(XML)
    assert len(sw.query().convert().getElementsByTagName("result")) == 5
    sw.setReturnFormat(CSV)
    assert sw.query().convert().decode().splitlines()[0] == "s,o"
    sw.setReturnFormat(TSV)
    assert sw.query().convert().decode().splitlines()[0] == "?s\t?o"


def test_sparqlwrapper_construct_and_ask(endpoint):
    from SPARQLWrapper import JSON, JSONLD, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setQuery("PREFIX kg: <https://w3id.org/kgnews/ontology#> CONSTRUCT WHERE { ?s kg:investsIn ?o }")
    sw.setReturnFormat(TURTLE)
    turtle = sw.query().convert()
    from rdflib import Graph
    g = Graph().parse(data=turtle, format="turtle")
    assert len(g) > 3
    sw.setReturnFormat(JSONLD)
    assert len(sw.query().convert()) == len(g)
    sw.setQuery("ASK { ?s ?p ?o }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


@pytest.mark.parametrize("text, word", [
    ("INSERT DATA { <http://a/a> <http://a/b> <http://a/c> }", "Update"),
    ("DELETE WHERE { ?s ?p ?o }", "Update"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
])
def test_update_load_and_service_are_refused(endpoint, text, word):
    raw = "application/sparql-query" if word == "SERVICE" else "application/sparql-update"
    param = "query" if word == "SERVICE" else "update"
    for body, ctype in ((text.encode(), raw),
                        (urllib.parse.urlencode({param: text}).encode(), "application/x-www-form-urlencoded"),
                        (urllib.parse.urlencode({"query": text}).encode(), "application/x-www-form-urlencoded")):
        code, _, msg = http(endpoint, body, {"Content-Type": ctype})
        assert code == 403, (code, msg)
        assert word in msg.decode() and "refused" in msg.decode()
    code, _, _ = get(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert code == 200          # nothing was written; the server still answers


def test_sparqlwrapper_sees_the_refusal(endpoint):
    from SPARQLWrapper import POST, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <http://a/a> <http://a/b> <http://a/c> }")
    with pytest.raises(Exception) as err:
        sw.query()
    assert "403" in str(err.value) or "Forbidden" in str(err.value)


@pytest.mark.slow      # a server or interpreter of its own, waits on purpose: in make test-all
def test_a_query_over_the_timeout_is_cut_off(endpoint):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    t0 = time.monotonic()
    code, _, msg = get(endpoint, slow)
    elapsed = time.monotonic() - t0
    assert code == 503 and b"cut off" in msg
    assert elapsed < 10
    for _ in range(3):          # the killed worker was replaced
        code, _, body = get(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert code == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 100


def test_negotiation_cors_limits_and_page(endpoint):
    code, headers, body = get(endpoint, SELECT, accept="text/csv")
    assert code == 200 and headers["Content-Type"].startswith("text/csv") and body.startswith(b"s,o")
    code, headers, _ = get(endpoint, SELECT, accept="text/tab-separated-values")
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    code, headers, body = get(endpoint, SELECT, accept="*/*")
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert headers["Access-Control-Allow-Origin"] == "*"
    code, headers, _ = get(endpoint, SELECT, accept="image/png")
    assert code == 406
    code, headers, _ = http(endpoint, method="OPTIONS", headers={"Origin": "http://yasgui.example",
                                                                "Access-Control-Request-Method": "POST"})
    assert code == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    code, _, _ = http(endpoint, ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 30000).encode(),
                      {"Content-Type": "application/sparql-query"})
    assert code == 413
    code, _, msg = get(endpoint, "SELECT WHERE {")
    assert code == 400 and b"malformed" in msg
    code, headers, page = http(endpoint.rsplit("/", 1)[0] + "/")
    assert code == 200 and b"static/yasgui.min.js" in page           # the YASGUI page (tests/corpus/test_query_page.py)
