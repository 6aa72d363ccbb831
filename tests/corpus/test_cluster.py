"""``kg build --store --cluster``: a real Dask scheduler and two worker processes (no nanny) started here build the
same store as ``--jobs 1``, byte for byte in the N-Quads export; a worker killed mid-run changes nothing; a scheduler
lost mid-run is one error line and a rerun resumes.

Without dask distributed these tests skip saying so (``KG_REQUIRE_SERVERS=1`` makes that a failure).
"""
from __future__ import annotations

import json
import signal

import pytest

from tests.paths import ARTICLES, DEV
from tests.tools import services

_missing = services.unavailable("dask")
if _missing and services.required():
    raise RuntimeError(f"{services.REQUIRE_ENV}=1 and {_missing}")
pytestmark = pytest.mark.skipif(_missing is not None, reason=_missing or "")


def _export(store, out) -> bytes:
    from kg.corpus.export import export_store

    export_store(store, out)
    return out.read_bytes()


def _build(inputs, store, **how):
    from kg.corpus.ingest import build_store

    return build_store(inputs, store, progress=False, notices=[], **how)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A scheduler and two one-thread worker processes on 127.0.0.1."""
    with services.DaskCluster(2, tmp_path_factory.mktemp("dask")) as c:
        yield c


@pytest.mark.slow
def test_cluster_build_equals_jobs_1(tmp_path, dask_cluster):
    one = _build([ARTICLES], tmp_path / "one", jobs=1)
    two = _build([ARTICLES], tmp_path / "two", cluster=dask_cluster.address)
    assert (two.extracted, two.triples) == (one.extracted, one.triples) and one.extracted == 4
    assert _export(tmp_path / "two", tmp_path / "two.nq") == _export(tmp_path / "one", tmp_path / "one.nq")
    again = _build([ARTICLES], tmp_path / "two", cluster=dask_cluster.address)     # nothing new: no task
    assert (again.extracted, again.unchanged) == (0, 4)


def test_unreachable_scheduler_is_one_line(tmp_path, cli):
    port = services.free_port()
    r = cli("build", ARTICLES, "--store", tmp_path / "s", "--cluster", f"tcp://127.0.0.1:{port}")
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert f"--cluster tcp://127.0.0.1:{port}: cannot reach the scheduler" in r.stderr


def test_cluster_usage_errors(tmp_path, cli):
    r = cli("build", ARTICLES, "--store", tmp_path / "s", "--cluster", "local:2", "--jobs", "2")
    assert r.returncode == 2 and "not both" in r.stderr
    r = cli("build", ARTICLES, "--out", tmp_path / "x.ttl", "--cluster", "local:2")
    assert r.returncode == 2 and "--cluster goes with --store" in r.stderr
    r = cli("build", ARTICLES, "--store", tmp_path / "s", "--cluster", "http://x")
    assert r.returncode == 2 and "give local:N" in r.stderr


def _dev_texts(folder):
    folder.mkdir()
    for gold in sorted(DEV.glob("*.json")):
        d = json.loads(gold.read_text(encoding="utf-8"))
        text = d["text"] if "text" in d else (DEV / d["text_file"]).read_text(encoding="utf-8")
        (folder / (gold.name.removesuffix(".json") + ".txt")).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_dev_set_on_cluster_with_a_killed_worker(tmp_path, monkeypatch):
    """The dev set through two workers, one SIGKILLed after the first document came back: its tasks run on
    the other, every document is committed once, and the export equals ``--jobs 1``'s byte for byte."""
    from kg.corpus import cluster

    texts = _dev_texts(tmp_path / "dev")
    n = len(list(texts.iterdir()))
    assert n >= 10, "the dev set is missing (../shared/eval/dev)"
    one = _build([texts], tmp_path / "one", jobs=1)
    killed = []
    with services.DaskCluster(2, tmp_path / "dask") as c:
        ordered = cluster._ordered

        def kill_after_first(client, documents, spec):
            for i, result in enumerate(ordered(client, documents, spec)):
                if i == 0:
                    victim = c.workers[0]
                    victim.send_signal(signal.SIGKILL)
                    victim.wait()
                    killed.append(victim.pid)
                yield result

        monkeypatch.setattr(cluster, "_ordered", kill_after_first)
        two = _build([texts], tmp_path / "two", cluster=c.address)
        assert killed and c.workers[1].poll() is None       # the other worker did the rest
    assert (two.extracted, two.failed, two.triples) == (one.extracted, 0, one.triples) and one.extracted == n
    assert _export(tmp_path / "two", tmp_path / "two.nq") == _export(tmp_path / "one", tmp_path / "one.nq")


@pytest.mark.slow
def test_cli_local_cluster(tmp_path, cli):
    """``--cluster local:2`` starts a LocalCluster of two processes and gives the ``--jobs 1`` store."""
    assert cli("build", ARTICLES, "--store", tmp_path / "one", "--jobs", "1").returncode == 0
    r = cli("build", ARTICLES, "--store", tmp_path / "two", "--cluster", "local:2")
    assert r.returncode == 0, r.stderr
    assert "4 extracted" in r.stderr
    assert _export(tmp_path / "two", tmp_path / "two.nq") == _export(tmp_path / "one", tmp_path / "one.nq")


@pytest.mark.slow
def test_scheduler_lost_mid_run_is_one_line_and_a_rerun_resumes(tmp_path, cli, monkeypatch):
    """The scheduler SIGKILLed after two documents came back: one error line, exit 2, those documents stay
    committed; a rerun on a new cluster extracts only the rest and gives the ``--jobs 1`` store."""
    from bench.corpus import write_corpus
    from kg.corpus import cluster

    write_corpus(tmp_path / "news", docs=8, kb=1, seed=5)
    assert cli("build", tmp_path / "news", "--store", tmp_path / "one", "--jobs", "1").returncode == 0
    ordered = cluster._ordered
    with services.DaskCluster(2, tmp_path / "dask") as c:
        def kill_scheduler(client, documents, spec):
            for i, result in enumerate(ordered(client, documents, spec)):
                yield result
                if i == 1:
                    c.scheduler.send_signal(signal.SIGKILL)
                    c.scheduler.wait()

        monkeypatch.setattr(cluster, "_ordered", kill_scheduler)
        r = cli("build", tmp_path / "news", "--store", tmp_path / "two", "--cluster", c.address)
    assert r.returncode == 2, r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("kg: error")]
    assert len(errors) == 1 and "lost the scheduler" in errors[0] and "a rerun resumes" in errors[0], r.stderr
    from kg.corpus.store import CorpusStore

    with CorpusStore(tmp_path / "two") as s:
        kept = len(s.documents())               # committed before the loss, each one whole
        assert s.check() == []
    monkeypatch.setattr(cluster, "_ordered", ordered)
    with services.DaskCluster(2, tmp_path / "dask2") as c:
        r = cli("build", tmp_path / "news", "--store", tmp_path / "two", "--cluster", c.address)
    assert r.returncode == 0, r.stderr
    assert f"{8 - kept} extracted (0 replaced an earlier version), {kept} unchanged" in r.stderr, r.stderr
    assert _export(tmp_path / "two", tmp_path / "two.nq") == _export(tmp_path / "one", tmp_path / "one.nq")


@pytest.mark.slow
def test_cluster_update_with_renames_and_replacements_equals_jobs_1(tmp_path, dask_cluster):
    """Generated articles that spell the same invented companies differently (resolution renames them, and the
    cluster re-renders those documents on workers), then one edited and one deleted: the same store as --jobs 1
    at every step."""
    import shutil

    from bench.corpus import write_corpus

    news = tmp_path / "news"
    files = write_corpus(news, docs=10, kb=1, seed=4)
    one = _build([news], tmp_path / "one", jobs=1)
    two = _build([news], tmp_path / "two", cluster=dask_cluster.address)
    assert one.merges > 0 and (two.extracted, two.merges) == (one.extracted, one.merges)
    assert _export(tmp_path / "two", tmp_path / "a2.nq") == _export(tmp_path / "one", tmp_path / "a1.nq")
    edited = files[3]
    edited.write_text(files[7].read_text(encoding="utf-8") + "\n" + edited.read_text(encoding="utf-8"),
                      encoding="utf-8")
    files[5].unlink()
    shutil.copy(files[0], news / "copy-of-first.txt")
    one = _build([news], tmp_path / "one", jobs=1)
    two = _build([news], tmp_path / "two", cluster=dask_cluster.address)
    assert (two.extracted, two.replaced, two.removed) == (one.extracted, one.replaced, one.removed) == (1, 1, 2)
    assert _export(tmp_path / "two", tmp_path / "b2.nq") == _export(tmp_path / "one", tmp_path / "b1.nq")
