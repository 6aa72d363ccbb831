"""The corpus store: build a folder of generated articles, rebuild, edit, remove, interrupt.

Commands run through :func:`kg.cli.main` in this process (the interrupted builds in a process of their
own, which a signal can stop) on a real Oxigraph store, and are checked with SPARQL counts and with the
store's own consistency check (the merged view rebuilt from the document graphs must equal the stored one).
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from kg.cli import main
from kg.corpus.store import CorpusStore
from tests.paths import ROOT


def kg(*args, cwd: Path) -> subprocess.CompletedProcess:
    """``kg ARGS`` run by :func:`kg.cli.main` in ``cwd``, in this process (no spaCy start-up per command)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def count(store: Path, sparql: str) -> int:
    with CorpusStore(store) as s:
        row = next(iter(s.db.query(sparql, prefixes={"kg": "https://w3id.org/kgnews/ontology#"})))
        return int(row[0].value)


def summary(proc: subprocess.CompletedProcess) -> dict[str, int]:
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"(\d+) extracted \((\d+) replaced.*?(\d+) unchanged, (\d+) removed", proc.stderr)
    assert m, proc.stderr
    return dict(zip(("extracted", "replaced", "unchanged", "removed"), map(int, m.groups())))


DOCS = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:Document }"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a kg:Document } }"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def consistent(store: Path) -> list[str]:
    with CorpusStore(store) as s:
        return s.check()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    write_corpus(d / "news", docs=DOCS_IN_CORPUS, kb=0.4)
    return d


DOCS_IN_CORPUS = 40     # enough for merges across documents; each document costs ~30 ms of extraction


def test_build_rebuild_edit_remove(corpus: Path):
    store = corpus / "store"
    first = summary(kg("build", "news", "--store", store, "--jobs", "1", cwd=corpus))   # two: test_jobs_...
    n = DOCS_IN_CORPUS
    assert first == {"extracted": n, "replaced": 0, "unchanged": 0, "removed": 0}
    assert count(store, DOCS) == n and count(store, GRAPHS) == n
    triples = count(store, TRIPLES)
    assert triples > 25 * n
    assert consistent(store) == []

    # A second run extracts nothing and changes nothing.
    assert summary(kg("build", "news", "--store", store, cwd=corpus))["extracted"] == 0
    assert count(store, TRIPLES) == triples

    # Edit one article: only it is extracted again, and its old version is gone.
    path = corpus / "news" / "00004-en.txt"
    with CorpusStore(store) as s:
        old_iri = next(iri for iri, (f, _) in s.documents().items() if f == str(path))
    path.write_text(path.read_text(encoding="utf-8") + "Zentrix Dynamics raised $40 million from Sequoia Capital.\n",
                    encoding="utf-8")
    edit = summary(kg("build", "news", "--store", store, cwd=corpus))
    assert edit == {"extracted": 1, "replaced": 1, "unchanged": n - 1, "removed": 1}
    assert count(store, DOCS) == n
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{old_iri}> {{ ?s ?p ?o }} }}") == 0
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ ?s ?p <{old_iri}> }} UNION {{ <{old_iri}> ?p ?o }} }}") == 0
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s kg:investsIn <https://w3id.org/kgnews/entity/Zentrix_Dynamics> }") == 1
    assert consistent(store) == []

    # Remove it: no trace of the document, nor of the entity only it mentioned.
    proc = kg("remove", "news/00004-en.txt", "--store", store, cwd=corpus)
    assert proc.returncode == 0, proc.stderr
    with CorpusStore(store) as s:
        assert str(path) not in {f for f, _ in s.documents().values()}
        new_iri = proc.stderr.split()[2]
        assert all(new_iri not in str(q) for q in s.db)
        assert not any("Zentrix" in str(q) for q in s.db)
        assert s.check() == []
    assert count(store, DOCS) == n - 1


@pytest.mark.slow       # two worker processes load spaCy each
def test_jobs_give_identical_stores(tmp_path: Path):
    write_corpus(tmp_path / "news", docs=12, kb=0.6, seed=3)
    outs = []
    for jobs in (1, 2):
        store = tmp_path / f"s{jobs}"
        assert summary(kg("build", "news", "--store", store, "--jobs", jobs, cwd=tmp_path))["extracted"] == 12
        out = tmp_path / f"s{jobs}.nq"
        assert kg("export", "--store", store, "--out", out, cwd=tmp_path).returncode == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and len(outs[0]) > 10000


def test_merge_log_and_one_node_per_name(tmp_path: Path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text("Quarrow Robotics Inc. raised $20 million from Sequoia Capital.\n", encoding="utf-8")
    (news / "b.txt").write_text("Quarrow Robotics raised $30 million from Accel in 2024.\n", encoding="utf-8")
    (news / "c.txt").write_text("星海智能有限公司获得了腾讯的5亿元投资。\n", encoding="utf-8")
    (news / "d.txt").write_text("星海智能公司获得了阿里巴巴的3亿元投资。\n", encoding="utf-8")
    store = tmp_path / "s"
    assert summary(kg("build", "news", "--store", store, "--jobs", "1", cwd=tmp_path))["extracted"] == 4
    with CorpusStore(store) as s:
        merges = s.merges()
        assert [(a, into.rsplit("/", 1)[1]) for a, into, _, _ in merges] == [
            ("Quarrow Robotics", "Quarrow_Robotics_Inc."), ("星海智能公司", "星海智能有限公司")]
        investees = {row[0].value for row in s.db.query(
            "SELECT DISTINCT ?o WHERE { ?s <https://w3id.org/kgnews/ontology#investsIn> ?o }")}
        assert len(investees) == 2
        assert s.check() == []


@pytest.mark.slow       # a real build in a process of its own, stopped once the store has grown
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_build_leaves_a_consistent_store_and_resumes(tmp_path: Path, sig):
    write_corpus(tmp_path / "news", docs=40, kb=2.0, seed=11)
    store = tmp_path / "s"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", "news", "--store", str(store), "--jobs", "1"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    # Wait until some documents are in (the write-ahead log grows with each commit), then interrupt.
    while time.monotonic() < deadline and _wal_bytes(store) < 400_000:
        time.sleep(0.2)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (-signal.SIGKILL if sig == signal.SIGKILL else 130), err
    assert "Traceback" not in err
    assert consistent(store) == []
    done = count(store, DOCS)
    assert 0 < done < 40
    resumed = summary(kg("build", "news", "--store", store, "--jobs", "1", cwd=tmp_path))
    assert resumed["extracted"] == 40 - done and resumed["unchanged"] == done
    assert count(store, DOCS) == 40
    assert consistent(store) == []


def _wal_bytes(store: Path) -> int:
    try:
        return sum(p.stat().st_size for p in (store / "oxigraph").iterdir() if p.suffix in (".log", ".sst"))
    except OSError:
        return 0


def test_store_errors_are_one_line(tmp_path: Path):
    for args in (("query", "--store", "nowhere", "SELECT * {}"), ("stats", "--store", "nowhere"),
                 ("export", "--store", "nowhere", "--out", "x.ttl"), ("remove", "x.txt", "--store", "nowhere")):
        proc = kg(*args, cwd=tmp_path)
        assert proc.returncode == 2 and proc.stderr.startswith("kg: error: ") and "Traceback" not in proc.stderr
        assert len(proc.stderr.splitlines()) == 1, proc.stderr
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Microsoft invested $10 billion in OpenAI in 2023.\n", encoding="utf-8")
    assert kg("build", "news", "--store", "s", "--jobs", "1", cwd=tmp_path).returncode == 0
    for args in (("remove", "missing.txt", "--store", "s"), ("export", "--store", "s", "--out", "x.docx"),
                 ("query", "--store", "s", "INSERT DATA { <a:a> <a:b> <a:c> }"),
                 ("query", "--store", "s", "SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }")):
        proc = kg(*args, cwd=tmp_path)
        assert proc.returncode == 2 and proc.stderr.startswith("kg: error: "), (args, proc.stderr)
    proc = kg("query", "--store", "s", "--format", "csv",
              "SELECT ?o WHERE { ent:Microsoft kg:investsIn ?o }", cwd=tmp_path)
    assert proc.stdout.split() == ["o", "https://w3id.org/kgnews/entity/OpenAI"]


def test_export_formats_and_stats(tmp_path: Path, small_store: Path):
    import networkx as nx
    from rdflib import Dataset, Graph

    shutil.copytree(small_store, tmp_path / "s", ignore=shutil.ignore_patterns(".lock"))
    n = count(tmp_path / "s", TRIPLES)
    for suffix in ("ttl", "nt", "jsonld", "trig", "nq", "graphml", "gexf"):
        proc = kg("export", "--store", "s", "--out", f"g.{suffix}", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    assert len(Graph().parse(tmp_path / "g.ttl")) == n
    assert len(Graph().parse(tmp_path / "g.nt")) == n
    ds = Dataset()
    ds.parse(tmp_path / "g.nq", format="nquads")
    assert len(ds.default_graph if hasattr(ds, "default_graph") else ds.default_context) == n
    G = nx.read_graphml(tmp_path / "g.graphml")
    assert G.number_of_nodes() > 10 and G.number_of_edges() > 5
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == G.number_of_nodes()
    proc = kg("stats", "--store", "s", "--json", cwd=tmp_path)
    import json
    d = json.loads(proc.stdout)
    assert d["triples"] == n and d["classes"]["Document"] == 6 and d["relations"]["investsIn"] > 0
