"""The store's background writer (``CorpusStore(background=True)``, used by ``--jobs N`` and clusters): the same
store as committing in the foreground, a failed update raised in the caller with nothing written after it, and
a writer that waits out a serving kg's momentary snapshot lock. Real pyoxigraph stores."""
from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from kg.corpus.store import CorpusStore
from kg.corpus.writer import BackgroundWriter
from kg.errors import InputError
from kg.vocab import DOC, ENT, KG

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def entity(name: str, cls: str, mentions: int, confidence: str) -> set[Triple]:
    e = NamedNode(str(ENT[name.replace(" ", "_")]))
    return {Triple(e, RDF_TYPE, NamedNode(str(KG[cls]))), Triple(e, LABEL, Literal(name)),
            Triple(e, NamedNode(str(KG.mentionCount)), Literal(mentions)),
            Triple(e, NamedNode(str(KG.confidence)), Literal(confidence, datatype=NamedNode(
                "http://www.w3.org/2001/XMLSchema#decimal")))}


def relation(a: str, rel: str, b: str) -> Triple:
    return Triple(NamedNode(str(ENT[a.replace(" ", "_")])), NamedNode(str(KG[rel])), NamedNode(str(ENT[b])))


# Documents that share entities, disagree on one's class (the merge reads every document's graph then), and
# register resolution keys; the last replaces the first, as an edited file does.
DOCS = [
    ("a" * 16, entity("Tarnwell", "Organization", 3, "0.9") | entity("Quellix", "Organization", 2, "0.8")
     | entity("Orrin Vale", "Person", 1, "0.7") | {relation("Tarnwell", "acquires", "Quellix")},
     {"Organization|tarnwell": "Tarnwell", "Person|orrin vale": "Orrin_Vale"}, []),
    ("b" * 16, entity("Tarnwell", "Organization", 1, "0.95") | entity("Brenna Oake", "Person", 2, "0.7")
     | {relation("Brenna Oake", "worksFor", "Tarnwell")}, {"Person|brenna oake": "Brenna Oake"}, []),
    ("e" * 16, entity("Tarnwell", "Organization", 2, "0.5"), {}, []),
    ("c" * 16, entity("Quellix", "Product", 5, "0.6") | {relation("Tarnwell", "develops", "Quellix")}, {}, []),
    ("d" * 16, entity("Tarnwell", "Organization", 4, "0.9") | {relation("Tarnwell", "investsIn", "Quellix")},
     {}, ["a" * 16]),
]


class SlowUpdates:
    """A database whose updates take a while, so that the next commit is prepared while one is in flight."""

    def __init__(self, db):
        self.db = db

    def update(self, text):
        time.sleep(0.2)
        self.db.update(text)

    def __getattr__(self, name):
        return getattr(self.db, name)


def build(path, background: bool, docs=DOCS) -> tuple[set, list]:
    seen = []
    with CorpusStore(path, write=True, create=True, background=background) as store:
        store.db = SlowUpdates(store.db)
        for doc_id, triples, register, replaces in docs:
            store.commit(NamedNode(str(DOC[doc_id])), triples, file=f"/news/{doc_id}.txt", sha=doc_id * 4,
                         register=register, remove=[NamedNode(str(DOC[r])) for r in replaces])
            # registered by a commit that may still be in flight; gone with the only document that had it
            seen.append((store.lookup("Organization|tarnwell"), store.lookup("Person|orrin vale")))
        assert store.check() == []
        return set(store.db.quads_for_pattern(None, None, None, None)), seen


@pytest.mark.parametrize("docs", [len(DOCS) - 1, len(DOCS)], ids=["adding", "and-replacing"])
def test_background_commits_give_the_foreground_store(tmp_path, docs):
    fore, seen_fore = build(tmp_path / "fore", False, DOCS[:docs])
    back, seen_back = build(tmp_path / "back", True, DOCS[:docs])
    assert back == fore
    if docs < len(DOCS):
        return
    assert seen_back == seen_fore == [("Tarnwell", "Orrin_Vale")] * 4 + [("Tarnwell", None)]


def test_a_failed_background_update_is_raised_and_nothing_after_it_is_written(tmp_path):
    class FailingUpdate:
        def __init__(self, db):
            self.db, self.updates = db, 0

        def update(self, text):
            self.updates += 1
            if self.updates == 2:
                raise RuntimeError("IO error: No space left on device")
            self.db.update(text)

        def __getattr__(self, name):
            return getattr(self.db, name)

    store = CorpusStore(tmp_path / "s", write=True, create=True, background=True)
    store.db = FailingUpdate(store.db)
    with pytest.raises(RuntimeError, match="No space"):
        for doc_id, triples, register, _ in DOCS[:3]:
            store.commit(NamedNode(str(DOC[doc_id])), triples, file="/f", sha="0", register=register)
    failing, store.db = store.db, store.db.db
    store.close()
    failing.db = None           # the one database handle of this process goes with the store
    with CorpusStore(tmp_path / "s") as again:
        assert sorted(again.documents()) == [str(DOC["a" * 16])]


def test_the_background_thread_runs_jobs_in_order_and_reports_failures():
    done: list[int] = []
    w = BackgroundWriter()
    for i in range(20):
        w.submit(lambda i=i: (time.sleep(0.001 * (i % 3)), done.append(i)))
    w.submit(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        w.settle()
    w.close()
    assert done == list(range(20))


def _hold(path, mode, seconds: float) -> threading.Thread:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    fcntl.flock(fd, mode)

    def release():
        time.sleep(seconds)
        os.close(fd)

    t = threading.Thread(target=release)
    t.start()
    return t


def test_a_writer_waits_out_a_serving_kgs_snapshot_and_refuses_another_writer_at_once(tmp_path):
    CorpusStore(tmp_path / "s", write=True, create=True).close()
    serving = _hold(tmp_path / "s" / ".serve.lock", fcntl.LOCK_SH, 3.0)       # what kg serve announces
    snapshot = _hold(tmp_path / "s" / ".lock", fcntl.LOCK_SH, 0.5)            # its refresher, for a moment
    with CorpusStore(tmp_path / "s", write=True) as store:
        assert store.count() == 0
    snapshot.join()
    serving.join()
    with CorpusStore(tmp_path / "s", write=True):                 # no server: another writer is refused at once
        start = time.monotonic()
        with pytest.raises(InputError, match="in use"):
            CorpusStore(tmp_path / "s", write=True)
        assert time.monotonic() - start < 5
