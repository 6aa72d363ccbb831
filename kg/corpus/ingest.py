"""Build a corpus into a store: read, skip what is unchanged, extract in parallel, commit in order.

A document is known by its content hash: a second run over the same folder extracts nothing; an
edited file is extracted again and replaces its earlier version; a file that disappeared from a
folder given as input is removed from the store. Extraction runs in ``jobs`` processes, but
documents are committed one at a time in input order, so ``--jobs 4`` writes exactly what
``--jobs 1`` writes, and an interrupted build (Ctrl-C, a kill, a crash) leaves every committed
document complete; the next run resumes with the rest.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus.report import BuildFacts, progress_bar
from kg.corpus.resolve import resolve
from kg.corpus.store import CorpusStore, triples_of
from kg.errors import InputError
from kg.explore.facts import fact_counts
from kg.extract.document import Extractor
from kg.graph.rdf import to_graph
from kg.model import Document, Extraction
from kg.textio import read_documents
from kg.vocab import DOC


@dataclass
class BuildReport:
    """What one ``kg build --store`` did: documents extracted, unchanged, replaced, removed, merges, and the
    store's size after."""
    extracted: int = 0
    unchanged: int = 0
    replaced: int = 0
    removed: int = 0
    merges: int = 0
    triples: int = 0
    documents: int = 0
    paths: list[str] = field(default_factory=list)     # paths extracted, in commit order
    facts: BuildFacts = field(default_factory=BuildFacts)   # what each document gave, in input order

    def summary(self) -> str:
        """The report as the one line ``kg build --store`` prints."""
        return (f"{self.extracted} extracted ({self.replaced} replaced an earlier version), "
                f"{self.unchanged} unchanged, {self.removed} removed, {self.merges} merges; "
                f"store: {self.documents} documents, {self.triples} merged triples")


# ---------------------------------------------------------------- worker side
_extractor = None


def _init_worker() -> None:
    global _extractor
    _extractor = Extractor()


def _init_pool_worker() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the main process's to handle
    _init_worker()


def _extract(doc: Document) -> tuple[Extraction, bytes]:
    """Extract one document and render its graph (N-Triples), in a worker process."""
    from pyoxigraph import RdfFormat, serialize

    x = _extractor.extract(doc)
    return x, serialize(triples_of(to_graph([x])), format=RdfFormat.N_TRIPLES)


# ---------------------------------------------------------------- main side
def plan(documents: list[Document], inputs: list[str], known: dict[str, tuple[str, str]]):
    """(documents to extract, with the doc IRIs each replaces; doc IRIs to remove; unchanged count)."""
    by_file: dict[str, list[str]] = {}
    for iri, (file, _) in known.items():
        by_file.setdefault(file, []).append(iri)
    todo, unchanged, seen_iris = [], 0, set()
    for d in documents:
        iri = str(DOC[d.id])
        seen_iris.add(iri)
        old = [i for i in by_file.get(_abs(d.path), []) if i != iri]
        if iri in known:
            unchanged += 1
            if old:
                todo.append((None, old))      # the file now holds a text already stored elsewhere
            continue
        todo.append((d, old))
    replaced = {i for _, old in todo for i in old}
    dirs = [_abs(i) for i in inputs if os.path.isdir(i)]
    files = {_abs(i) for i in inputs if not os.path.isdir(i)}
    gone = sorted(iri for iri, (file, _) in known.items()
                  if iri not in seen_iris and iri not in replaced and not os.path.exists(file)
                  and (file in files or any(file.startswith(d + os.sep) for d in dirs)))
    return todo, gone, unchanged


def build_store(inputs: list[str], store_path: str | Path, *, jobs: int | None = None,
                progress: bool | None = None) -> BuildReport:
    """Extract ``inputs`` (files or directories) into the store at ``store_path`` (created if
    missing). Raises :class:`kg.errors.InputError` for unreadable input, before any model loads."""
    from pyoxigraph import NamedNode, RdfFormat, parse

    inputs = [str(i) for i in inputs]
    documents = read_documents(inputs)
    jobs = max(1, jobs or os.cpu_count() or 1)
    report = BuildReport()
    with CorpusStore(store_path, write=True, create=True) as store:
        todo, gone, report.unchanged = plan(documents, inputs, store.documents())
        for iri in gone:
            store.remove(NamedNode(iri))
            report.removed += 1
        for d, old in todo:
            if d is None:
                for iri in old:
                    store.remove(NamedNode(iri))
                    report.removed += 1
        work = [(d, old) for d, old in todo if d is not None]
        bar = progress_bar(len(work), progress)
        counts: dict[str, tuple[dict, str]] = {}
        try:
            for (d, old), (x, nt) in zip(work, _extractions([d for d, _ in work], jobs)):
                x2, merges, register = resolve(x, store.lookup)
                if x2 is x:
                    triples = {t for t in parse(nt, format=RdfFormat.N_TRIPLES)}
                else:
                    triples = triples_of(to_graph([x2]))
                store.commit(NamedNode(f"https://w3id.org/kgnews/doc/{d.id}"), triples, file=_abs(d.path),
                             sha=d.sha256, remove=[NamedNode(i) for i in old], merges=merges, register=register)
                report.extracted += 1
                report.replaced += bool(old)
                report.removed += len(old)
                report.merges += len(merges)
                report.paths.append(d.path)
                counts[d.id] = (_counts(triples), "extracted")
                if bar is not None:
                    bar.update(1, len(d.text.encode("utf-8")))
        finally:
            if bar is not None:
                bar.close()
        for d in documents:
            got = counts.get(d.id)
            if got is None:         # unchanged: count what the store holds for it
                got = (_counts(store.doc_triples(NamedNode(str(DOC[d.id])))), "unchanged")
            report.facts.add(d.path, d.id, d.lang, len(d.text), *got)
        report.documents = len(store.documents())
        report.triples = store.count()
    return report


def _counts(triples) -> dict[str, int]:
    """:func:`kg.explore.facts.fact_counts` of pyoxigraph triples."""
    return fact_counts((t.subject.value, t.predicate.value, t.object.value) for t in triples)


def _extractions(documents: list[Document], jobs: int):
    """(Extraction, N-Triples) for each document, in order; in-process for one job."""
    if not documents:
        return
    if jobs == 1 or len(documents) == 1:
        _init_worker()
        for d in documents:
            yield _extract(d)
        return
    from collections import deque

    ctx = multiprocessing.get_context("spawn")     # no fork of a process holding RocksDB threads
    pool = ctx.Pool(min(jobs, len(documents)), initializer=_init_pool_worker)
    try:
        # At most 2 x jobs documents in flight: when writing is the bottleneck, results must not
        # pile up in memory (Pool.imap fetches ahead without bound).
        pending: deque = deque()
        todo = iter(documents)
        for d in todo:
            pending.append(pool.apply_async(_extract, (d,)))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            result = pending.popleft().get()
            d = next(todo, None)
            if d is not None:
                pending.append(pool.apply_async(_extract, (d,)))
            yield result
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _abs(path: str) -> str:
    return os.path.abspath(path)


def remove_document(store_path: str | Path, what: str) -> str:
    """Remove one document, named by its file path, its IRI or its 16-hex id; returns its IRI."""
    from pyoxigraph import NamedNode

    with CorpusStore(store_path, write=True) as store:
        known = store.documents()
        target = None
        if what in known:
            target = what
        elif str(DOC[what]) in known:
            target = str(DOC[what])
        else:
            hits = [i for i, (file, _) in known.items() if file == _abs(what)]
            target = hits[0] if hits else None
        if target is None:
            raise InputError(f"{what}: no such document in {store_path}")
        store.remove(NamedNode(target))
    return target
