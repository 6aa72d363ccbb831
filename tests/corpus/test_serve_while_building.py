"""kg serve answers while kg build --store and kg remove write the same store: the endpoint sees the documents
committed so far (snapshots published after commits), each one whole, and all of them once the build ends.

Real processes: a kg serve on 127.0.0.1 and a kg build writing the store, queried over HTTP while it runs.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.parse

import pytest

from bench.corpus import write_corpus
from kg.corpus.ingest import build_store
from kg.corpus.store import CorpusStore
from tests.corpus.test_serve import ENV, http

pytestmark = pytest.mark.slow           # a build of 60 articles next to a live server

DOCS = 60
FIRST = 6
INDEX = "https://w3id.org/kgnews/store/index"
STATE = f"""
SELECT ?g (COUNT(*) AS ?n) ?indexed WHERE {{
  {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "https://w3id.org/kgnews/doc/")) BIND(0 AS ?indexed) }}
  UNION {{ GRAPH <{INDEX}> {{ ?g <https://w3id.org/kgnews/store#sha256> ?h }} BIND(1 AS ?indexed) }}
}} GROUP BY ?g ?indexed"""


def state(endpoint: str) -> tuple[dict[str, int], set[str]]:
    """(document graph -> triples, documents in the index) as the endpoint answers now."""
    code, _h, body = http(endpoint, data=urllib.parse.urlencode({"query": STATE}).encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                   "Accept": "application/sparql-results+json"})
    assert code == 200, body
    graphs, indexed = {}, set()
    for row in json.loads(body)["results"]["bindings"]:
        if row["indexed"]["value"] == "1":
            indexed.add(row["g"]["value"])
        else:
            graphs[row["g"]["value"]] = int(row["n"]["value"])
    return graphs, indexed


def final_counts(store) -> dict[str, int]:
    with CorpusStore(store) as s:
        return {g.value: s.count(g) for g in s.db.named_graphs() if g.value.startswith("https://w3id.org/kgnews/doc/")}


def test_queries_during_a_build_see_whole_documents_and_all_at_the_end(tmp_path):
    write_corpus(tmp_path / "news", docs=DOCS, kb=1.5, seed=3)
    (tmp_path / "first").mkdir()
    for f in sorted((tmp_path / "news").iterdir())[:FIRST]:
        shutil.copy(f, tmp_path / "first" / f.name)
    store = tmp_path / "store"
    build_store([tmp_path / "first"], store, jobs=1, progress=False)
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", "0",
                               "--workers", "1"], cwd=tmp_path, env=ENV, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        assert "serving" in line, line
        endpoint = line.split(" at ")[1].split()[0]
        seen = [state(endpoint)]
        assert len(seen[0][1]) == FIRST
        build = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(tmp_path / "news"), "--store",
                                  str(store), "--jobs", "1"], cwd=tmp_path, env=ENV, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 600
        while build.poll() is None and time.monotonic() < deadline:
            seen.append(state(endpoint))
            time.sleep(0.1)
        _out, err = build.communicate(timeout=60)
        assert build.returncode == 0, err                 # a build next to a running server is not refused
        end = time.monotonic() + 20                          # the last snapshot comes with the build's last commit
        while len(seen[-1][1]) < DOCS and time.monotonic() < end:
            time.sleep(0.2)
            seen.append(state(endpoint))
        final = final_counts(store)
        assert len(final) == DOCS and len(seen[-1][1]) == DOCS, (len(final), len(seen[-1][1]))
        for graphs, indexed in seen:
            assert set(graphs) == indexed                  # no graph without its index entry, nor the reverse
            for g, n in graphs.items():
                assert n == final[g], g                    # every document whole: never part of its triples
        sizes = [len(indexed) for _g, indexed in seen]
        assert sizes == sorted(sizes)
        assert all(a <= b for (_ga, a), (_gb, b) in zip(
            [(g, set(i)) for g, i in seen], [(g, set(i)) for g, i in seen[1:]]))
        during = sorted({n for n in sizes if FIRST < n < DOCS})
        assert during, f"no document seen while the build ran ({sizes[:3]} ... {sizes[-3:]})"

        # kg remove, still serving: the document goes, and nothing else.
        gone = min(final)
        r = subprocess.run([sys.executable, "-m", "kg.cli", "remove", gone.rsplit("/", 1)[1], "--store", str(store)],
                           cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=120, check=False)
        assert r.returncode == 0, r.stderr
        end = time.monotonic() + 20
        graphs, indexed = state(endpoint)
        while gone in indexed and time.monotonic() < end:
            time.sleep(0.2)
            graphs, indexed = state(endpoint)
        assert gone not in indexed and gone not in graphs and len(indexed) == DOCS - 1
    finally:
        server.terminate()
        server.wait(timeout=30)
    with CorpusStore(store) as s:
        assert s.check() == []
