"""``kg push`` / ``kg build --endpoint`` / ``kg query --endpoint``: a store loaded into two real SPARQL servers that
the tests start on 127.0.0.1, the Oxigraph server and Virtuoso, over the Graph Store HTTP Protocol.

Each scenario: push (every graph has the store's triple count), push again (nothing written, counts the same),
remove a document (its graph gone on the server), kill the server in the middle of a push (one error line),
restart it and push again (it resumes: the documents already there are skipped, the counts are exact).
Credentials: Virtuoso's digest endpoint with KG_ENDPOINT_USER/PASSWORD, a bearer-token proxy in front of the Oxigraph
server with KG_ENDPOINT_TOKEN. Without the server binaries these tests skip saying why; ``KG_REQUIRE_SERVERS=1`` (CI) makes that a failure.
"""
from __future__ import annotations

import http.server
import json
import shutil
import threading
import urllib.error
import urllib.request

import pytest

from kg.corpus.push import MERGED, PUSHED
from kg.corpus.store import INDEX, MERGES
from tests.tools import services

KGNEWS = "https://w3id.org/kgnews/"
COUNTS = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
          f'FILTER(STRSTARTS(STR(?g), "{KGNEWS}")) }} GROUP BY ?g')


def _need(name: str) -> None:
    why = services.unavailable(name)
    if why is None:
        return
    if services.required():
        pytest.fail(f"{services.REQUIRE_ENV}=1 and {why}", pytrace=False)
    pytest.skip(why)


def expected(store) -> dict[str, int]:
    """Triples per graph the server must hold for the store at ``store``."""
    from pyoxigraph import NamedNode

    from kg.corpus.store import CorpusStore

    with CorpusStore(store) as s:
        out = {iri: s.count(NamedNode(iri)) for iri in s.documents()}
        out[MERGED] = s.count()
        out[INDEX.value], out[MERGES.value] = s.count(INDEX), s.count(MERGES)
    out[PUSHED] = 3         # the digests of the three graphs above
    return {g: n for g, n in out.items() if n}


def remote_counts(query_url: str) -> dict[str, int]:
    """Triples per kg graph on the server (raw SPARQL, no default graph named)."""
    from kg.corpus.remote import SparqlEndpoint

    body = json.loads(SparqlEndpoint(query_url).query(COUNTS, "SELECT"))
    return {b["g"]["value"]: int(b["n"]["value"]) for b in body["results"]["bindings"]}


def scenario(server, gsp: str, store, tmp_path, cli, monkeypatch) -> None:
    from kg.corpus import push, remote

    work = tmp_path / "store"
    shutil.copytree(store, work)
    want = expected(work)
    docs = sum(g.startswith(KGNEWS + "doc/") for g in want)
    r = cli("push", "--store", work, "--endpoint", gsp)
    assert r.returncode == 0, r.stderr
    assert f"{docs} document graphs written, 0 already there, 0 deleted; 3 of 3 store graphs replaced" in r.stderr
    assert remote_counts(server.query) == want
    r = cli("push", "--store", work, "--endpoint", gsp)                  # again: nothing to write
    assert r.returncode == 0, r.stderr
    assert f"0 document graphs written, {docs} already there, 0 deleted; 0 of 3 store graphs replaced; " \
           "0 triples sent" in r.stderr
    assert remote_counts(server.query) == want
    q = cli("query", "--endpoint", server.query, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json")
    assert q.returncode == 0, q.stderr
    assert int(json.loads(q.stdout)["results"]["bindings"][0]["n"]["value"]) == want[MERGED]
    q = cli("query", "--endpoint", server.query, "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }")
    assert q.returncode == 2 and "SERVICE is refused" in q.stderr

    victim = min(g for g in want if g.startswith(KGNEWS + "doc/"))
    assert cli("remove", victim, "--store", work).returncode == 0
    r = cli("push", "--store", work, "--endpoint", gsp)
    assert r.returncode == 0 and ", 1 deleted" in r.stderr
    now = remote_counts(server.query)
    assert victim not in now and now == expected(work)

    # Build two more documents in, then kill the server on the second document's PUT.
    from bench.corpus import write_corpus
    write_corpus(tmp_path / "more", docs=3, kb=0.6, seed=9)
    assert cli("build", tmp_path / "more", "--store", work, "--jobs", "1").returncode == 0
    monkeypatch.setattr(push, "INDEX_BATCH", 1)
    real_put, calls = remote.GraphStore.put, []

    def put_then_die(self, graph, body):
        calls.append(graph)
        if len(calls) == 3:
            server.kill()
        return real_put(self, graph, body)

    monkeypatch.setattr(remote.GraphStore, "put", put_then_die)
    r = cli("push", "--store", work, "--endpoint", gsp)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "the server is unreachable" in r.stderr and "again to resume" in r.stderr
    monkeypatch.setattr(remote.GraphStore, "put", real_put)
    server.start()
    r = cli("push", "--store", work, "--endpoint", gsp)
    assert r.returncode == 0, r.stderr
    assert "1 document graphs written" in r.stderr, r.stderr        # two were complete before the kill
    assert remote_counts(server.query) == expected(work)

    # Killed again, this time in the merged view's PUT (a removal writes no document graph): the record of
    # what was pushed whole must not let the next push skip the half-written graphs.
    victim = min(g for g in expected(work) if g.startswith(KGNEWS + "doc/"))
    assert cli("remove", victim, "--store", work).returncode == 0
    calls.clear()
    monkeypatch.setattr(push, "CHUNK", 50)          # several requests per graph: die between two of them
    real_post = remote.GraphStore.post

    def post_then_die(self, graph, body):
        if graph == MERGED:
            server.kill()
        return real_post(self, graph, body)

    monkeypatch.setattr(remote.GraphStore, "post", post_then_die)
    r = cli("push", "--store", work, "--endpoint", gsp)
    assert r.returncode == 2 and "the server is unreachable" in r.stderr, r.stderr
    monkeypatch.setattr(remote.GraphStore, "post", real_post)
    server.start()
    r = cli("push", "--store", work, "--endpoint", gsp)
    assert r.returncode == 0 and "3 of 3 store graphs replaced" in r.stderr, r.stderr
    assert remote_counts(server.query) == expected(work)


def test_push_into_oxigraph_server(small_store, tmp_path, cli, monkeypatch):
    _need("oxigraph")
    with services.Oxigraph(tmp_path / "ox") as server:
        scenario(server, server.gsp, small_store, tmp_path, cli, monkeypatch)


@pytest.mark.slow
def test_push_into_virtuoso(small_store, tmp_path, cli, monkeypatch):
    _need("virtuoso")
    with services.Virtuoso(tmp_path / "virtuoso") as server:
        scenario(server, server.gsp, small_store, tmp_path, cli, monkeypatch)


@pytest.mark.slow
def test_virtuoso_digest_authentication_from_the_environment(small_store, tmp_path, cli, monkeypatch):
    _need("virtuoso")
    with services.Virtuoso(tmp_path / "virtuoso") as server:
        r = cli("push", "--store", small_store, "--endpoint", server.gsp_auth)
        assert r.returncode == 2 and "HTTP 401" in r.stderr and r.stderr.count("\n") == 1, r.stderr
        monkeypatch.setenv("KG_ENDPOINT_USER", "dba")
        monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "dba")
        r = cli("push", "--store", small_store, "--endpoint", server.gsp_auth)
        assert r.returncode == 0, r.stderr
        assert remote_counts(server.query) == expected(small_store)


def test_build_with_endpoint(tmp_path, cli):
    """``kg build --store --endpoint`` builds, then pushes; a server that is not there is one line, exit 2, and
    the store is built all the same."""
    from tests.paths import ARTICLES

    port = services.free_port()
    r = cli("build", ARTICLES, "--store", tmp_path / "s", "--jobs", "1", "--endpoint", f"http://127.0.0.1:{port}/store")
    assert r.returncode == 2 and "the server is unreachable" in r.stderr and "4 extracted" in r.stderr
    assert r.stderr.count("kg: error") == 1
    r = cli("push", "--store", tmp_path / "s", "--endpoint", "http://user:pw@127.0.0.1:1/store")
    assert r.returncode == 2 and "no credentials in the URL" in r.stderr


class _BearerProxy:
    """A reverse proxy in front of a server that answers 401 unless ``Authorization: Bearer <token>`` (the way an
    nginx in front of Oxigraph would); it records the Authorization headers it saw."""

    def __init__(self, upstream: str, token: str):
        proxy = self
        self.seen: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self):
                auth = self.headers.get("Authorization", "")
                proxy.seen.append(auth)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
                if auth != f"Bearer {token}":
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", "Bearer")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                req = urllib.request.Request(upstream + self.path, data=body, method=self.command, headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=60) as r:
                        status, data, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
                except urllib.error.HTTPError as e:
                    status, data, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = _forward

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_bearer_token_from_the_environment(small_store, tmp_path, cli, monkeypatch):
    """``KG_ENDPOINT_TOKEN`` goes to the server as ``Authorization: Bearer``; without it the refusal is one line."""
    _need("oxigraph")
    token = "t0k-" + "x" * 20
    with services.Oxigraph(tmp_path / "ox") as server:
        proxy = _BearerProxy(server.base, token)
        try:
            r = cli("push", "--store", small_store, "--endpoint", proxy.url + "/store")
            assert r.returncode == 2 and "HTTP 401" in r.stderr and r.stderr.count("\n") == 1, r.stderr
            monkeypatch.setenv("KG_ENDPOINT_TOKEN", token)
            r = cli("push", "--store", small_store, "--endpoint", proxy.url + "/store")
            assert r.returncode == 0, r.stderr
            assert token not in r.stderr
            assert remote_counts(server.query) == expected(small_store)
            q = cli("query", "--endpoint", proxy.url + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                    "--format", "json")
            assert q.returncode == 0, q.stderr
            assert int(json.loads(q.stdout)["results"]["bindings"][0]["n"]["value"]) == expected(small_store)[MERGED]
            assert proxy.seen[-1] == f"Bearer {token}"
        finally:
            proxy.close()
