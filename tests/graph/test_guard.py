"""The SERVICE/LOAD guard (kg.graph.guard) cannot be talked round: a table of obfuscations, each refused by
both engines (rdflib for graph files, Oxigraph for stores) and by ``kg serve``, while a real listener on
127.0.0.1 stands where SERVICE and LOAD would connect and must receive nothing.
Also the limits on size and nesting (Oxigraph segfaulted on deep queries), through ``kg query --store``.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from pyoxigraph import Store
from rdflib import Graph

from kg.corpus.sparql import run as oxigraph_run
from kg.errors import QueryError
from kg.graph.guard import MAX_NESTING, MAX_TOKENS, analyse, check
from kg.graph.query import run_query
from tests.paths import ROOT

ENV = dict(os.environ, PYTHONPATH=str(ROOT))


class Listener:
    """A TCP server on 127.0.0.1 that records every connection made to it (and answers nothing)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.hits: list[bytes] = []
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.hits.append(conn.recv(4096) or b"(connected)")
            except OSError:
                self.hits.append(b"(connected)")
            conn.close()

    def close(self):
        self.stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


# {u}: the listener's URL. Each of these would reach it if the guard let it through.
QUERIES = [
    "SELECT * {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "select * {{ service <{u}> {{ ?s ?p ?o }} }}",
    "SeLeCt * {{ SeRvIcE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE SILENT <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ # comment\rSERVICE <{u}> {{ ?s ?p ?o }} }}",                 # a comment ends at CR
    "SELECT * {{ # comment\rSERVICE <{u}> {{ ?s ?p ?o }} # more\n }}",
    "SELECT * {{ # comment\r\nSERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND('''\\'''' AS ?x) SERVICE <{u}> {{ ?s ?p 'z' }} }}",      # \' inside '''
    'SELECT * {{ BIND("""\\"""" AS ?x) SERVICE <{u}> {{ ?s ?p "z" }} }}',
    'SELECT * {{ BIND("#" AS ?x) SERVICE <{u}> {{ ?s ?p ?o }} }}',
    "SELECT * {{ BIND(\"'''\" AS ?x) SERVICE <{u}> {{ ?s ?p ?o }} BIND(\"'''\" AS ?y) }}",
    "SELECT * {{ BIND('\"' AS ?a) SERVICE <{u}> {{ ?s ?p ?o }} BIND('\"' AS ?b) }}",
    "SELECT * {{ BIND('''a''b''' AS ?a) SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{u}> {{ ?s ?p ?o }} }}",                       # \\u escapes apply everywhere
    "SELECT * {{ \\U00000053ERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053\\u0045\\u0052\\u0056\\u0049\\u0043\\u0045 <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE <\\u0068ttp://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE <{u}#x> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s <http://a.example/#> ?o . SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "PREFIX r: <{u}> SELECT * {{ SERVICE r: {{ ?s ?p ?o }} }}",
    "PREFIX r: <{u}> SELECT * {{ SERVICE r:x\\#y {{ ?s ?p ?o }} }}",           # a local-name escape
    "PREFIX r: <{u}> SELECT * {{ SERVICE r:x\\'y {{ ?s ?p ?o }} }}",
    "SELECT * {{ VALUES ?e {{ <{u}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(<{u}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(1 AS ?a) FILTER EXISTS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ BIND(1 AS ?a) FILTER NOT EXISTS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ {{ SELECT * {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * {{ {{ SELECT * {{ {{ SELECT * {{ {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }} }} }} }}",
    "SELECT * {{ BIND(1 AS ?a) OPTIONAL {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ {{ BIND(1 AS ?a) }} UNION {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ BIND(1 AS ?a) MINUS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ GRAPH ?g {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE\t<{u}>\n{{ ?s ?p ?o }} }}",
    "SELECT*{{SERVICE<{u}>{{?s?p?o}}}}",
    "BASE <{u}> SELECT * {{ SERVICE <> {{ ?s ?p ?o }} }}",
    "BASE <http://127.0.0.1:{port}/a/> SELECT * {{ SERVICE <../> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE <{u}> {{ ?s ?p ?o }} }} # SERVICE in a comment too",
    "SELECT (COUNT(*) AS ?n) {{ SERVICE <{u}> {{ ?s ?p ?o }} }} GROUP BY ?s HAVING (COUNT(*) > 0)",
    "SELECT * {{ SERVICE <{u}> {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ SERVICE\f<{u}> {{ ?s ?p ?o }} }}",                            # form feed is no SPARQL space
]
# Updates: what an endpoint started with --allow-update (and without --allow-service) must still refuse.
UPDATES = [
    "LOAD <{u}>",
    "load silent <{u}> into graph <http://g.example/x>",
    "INSERT DATA {{ <http://a.example/a> <http://a.example/b> 'c' }} ; LOAD <{u}>",
    "# comment\rLOAD <{u}>",
    "INSERT DATA {{ <http://a.example/a> <http://a.example/b> '''\\'''' }} ; LOAD <{u}>",
    "\\u004cOAD <{u}>",
    "DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "WITH <http://g.example/x> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "PREFIX r: <{u}> LOAD r:",
]
# Not refused: the words appear only where they are data or comments; the listener must still hear nothing.
HARMLESS = [
    "SELECT * {{ ?s ?p 'SERVICE <{u}> {{ ?s ?p ?o }}' }}",
    "# SERVICE <{u}> {{ ?s ?p ?o }}\nSELECT * {{ ?s ?p ?o }}",
    "SELECT ?service {{ ?service <http://a.example/load> ?load }}",
    "SELECT * {{ ?s ?p \"\"\"SERVICE <{u}> {{ ?a ?b ?c }}\"\"\" }}",
    "SELECT * {{ ?s <{u}> ?o }}",
]


def fill(template: str, lst: Listener) -> str:
    return template.format(u=lst.url, port=lst.port)


def test_the_table_is_large_enough():
    assert len(QUERIES) + len(UPDATES) >= 30


@pytest.mark.parametrize("template", QUERIES)
def test_service_is_refused_by_both_engines(listener, template):
    sparql = fill(template, listener)
    with pytest.raises(QueryError, match="refused|malformed"):
        run_query(Graph(), sparql)
    with pytest.raises(QueryError, match="refused|malformed"):
        oxigraph_run(Store(), sparql)
    time.sleep(0.05)
    assert listener.hits == []


@pytest.mark.parametrize("template", UPDATES)
def test_load_and_service_in_updates_are_refused_even_when_updates_are_allowed(listener, template):
    with pytest.raises(QueryError, match="refused|malformed"):
        check(fill(template, listener), allow_update=True)
    assert listener.hits == []


@pytest.mark.parametrize("template", HARMLESS)
def test_data_and_comments_are_not_keywords(listener, template):
    sparql = fill(template, listener)
    assert len(run_query(Graph(), sparql).bindings) == 0
    assert list(oxigraph_run(Store(), sparql)) == []
    assert listener.hits == []


def test_the_engines_run_the_canonical_text():
    a = analyse("SELECT * { ?s ?p '''it\\'s''' } # SERVICE <http://x.example/>")
    assert a.text == 'SELECT * { ?s ?p "it\'s" }' and not a.service


def test_allow_service_lets_service_through(listener):
    """The policy is the switch, not a blanket ban: with --allow-service the listener is reached."""
    before = len(listener.hits)
    with pytest.raises(Exception):       # noqa: B017 - the listener answers nothing: the query fails...
        list(oxigraph_run(Store(), fill(QUERIES[0], listener), allow_service=True))
    deadline = time.monotonic() + 5
    while len(listener.hits) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(listener.hits) > before  # ...but it did connect
    listener.hits.clear()


# ------------------------------------------------------------------ through kg serve
@pytest.fixture(scope="module")
def endpoints(tmp_path_factory, listener):
    from pyoxigraph import Literal, NamedNode, Triple

    from kg.corpus.store import CorpusStore

    urls, procs = {}, []
    for mode in ("read-only", "update"):
        d = tmp_path_factory.mktemp(f"guard-{mode}")
        with CorpusStore(d / "s", write=True, create=True) as s:
            s.commit(NamedNode("https://w3id.org/kgnews/doc/0000000000000000"),
                     {Triple(NamedNode("http://a.example/a"), NamedNode("http://a.example/b"), Literal("c"))},
                     file=str(d / "a.txt"), sha="0" * 64)
        args = [sys.executable, "-m", "kg.cli", "serve", "--store", "s", "--port", "0", "--workers", "1"]
        if mode == "update":
            args.append("--allow-update")
        proc = subprocess.Popen(args, cwd=d, env=ENV, stderr=subprocess.PIPE, text=True)
        line = proc.stderr.readline()
        assert "serving" in line, line
        urls[mode] = line.split(" at ")[1].split()[0]
        procs.append(proc)
    yield urls
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=30)


def post(url: str, body: str, ctype: str):
    req = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_kg_serve_refuses_every_obfuscation(endpoints, listener):
    for template in QUERIES:
        sparql = fill(template, listener)
        for body, ctype in ((sparql, "application/sparql-query"),
                            (urllib.parse.urlencode({"query": sparql}), "application/x-www-form-urlencoded")):
            code, msg = post(endpoints["read-only"], body, ctype)
            assert code in (400, 403), (template, code, msg)
    for template in UPDATES:
        code, msg = post(endpoints["update"], fill(template, listener), "application/sparql-update")
        assert code in (400, 403), (template, code, msg)
    time.sleep(0.2)
    assert listener.hits == []
    # The update endpoint still takes a plain update, and the read-only one still answers.
    assert post(endpoints["update"], "INSERT DATA { <http://a.example/x> <http://a.example/y> 1 }",
                "application/sparql-update")[0] == 204
    assert post(endpoints["read-only"], "ASK { ?s ?p ?o }", "application/sparql-query")[0] == 200


# ------------------------------------------------------------------ limits (item 5)
DEEP = {
    "nested groups": "SELECT * WHERE " + "{ " * 10_000 + "?s ?p ?o" + " }" * 10_000,
    "20,000-way UNION": "SELECT * WHERE { " + " UNION ".join(f"{{ ?s ?p {i} }}" for i in range(20_000)) + " }",
    "30,000-term ||": "SELECT * WHERE { ?s ?p ?a FILTER(" + " || ".join(f"?a = {i}" for i in range(30_000)) + ") }",
    "10,000 negations": "SELECT * WHERE { BIND(" + "!" * 10_000 + "true AS ?x) }",
    "nested parentheses": "SELECT * WHERE { BIND(" + "(" * 5_000 + "1" + ")" * 5_000 + " AS ?x) }",
}


@pytest.mark.parametrize("name", list(DEEP))
def test_huge_and_deep_queries_get_one_clear_error(name):
    with pytest.raises(QueryError, match="too large|too deeply nested"):
        analyse(DEEP[name])


def test_the_limits_leave_room_for_real_queries():
    nested = "SELECT * WHERE " + "{ " * (MAX_NESTING - 2) + "?s ?p ?o" + " }" * (MAX_NESTING - 2)
    assert analyse(nested).form == "query"
    from kg.graph.guard import tokens_of
    assert len(tokens_of("ASK { VALUES ?x { " + "1 " * (MAX_TOKENS - 10) + "} }")) == MAX_TOKENS - 3
    values = "SELECT * WHERE { VALUES ?x { " + " ".join(str(i) for i in range(2000)) + " } }"
    assert len(list(oxigraph_run(Store(), values))) == 2000


@pytest.mark.parametrize("name", ["nested groups", "20,000-way UNION", "30,000-term ||"])
def test_kg_query_store_does_not_segfault(tmp_path, name):
    from kg.corpus.store import CorpusStore

    CorpusStore(tmp_path / "s", write=True, create=True).close()
    (tmp_path / "q.rq").write_text(DEEP[name], encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--store", "s", "--file", "q.rq"],
                          cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-300:])
    assert proc.stderr.startswith("kg: error: query too") and len(proc.stderr.splitlines()) == 1
