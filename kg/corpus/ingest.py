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
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus.report import BuildFacts, progress_bar
from kg.corpus.resolve import resolve
from kg.corpus.store import CorpusStore
from kg.corpus.work import Rendered, counts_of, extract_with, render
from kg.errors import InputError
from kg.extract.document import Extractor
from kg.model import Document, Extraction
from kg.textio import Notice, read_documents
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
    failed: int = 0
    paths: list[str] = field(default_factory=list)     # paths extracted, in commit order
    facts: BuildFacts = field(default_factory=BuildFacts)   # what each document gave, in input order

    def summary(self) -> str:
        """The report as the one line ``kg build --store`` prints."""
        failed = f", {self.failed} failed (left as they were)" if self.failed else ""
        return (f"{self.extracted} extracted ({self.replaced} replaced an earlier version), "
                f"{self.unchanged} unchanged, {self.removed} removed, {self.merges} merges{failed}; "
                f"store: {self.documents} documents, {self.triples} merged triples")


# The extraction processes run at a lower priority than the store-writing process. The writer's work (resolve,
# commit) is the one serial step; with --jobs N on N cores there are N + 1 busy processes, and a fair share
# left the writer 2/3 of a core on 2 cores: the processes then waited for it (bench --jobs 2: 12.8 -> 11.9 s).
WORKER_NICE = 5

# ---------------------------------------------------------------- worker side
_extractor = None


def _init_worker() -> None:
    global _extractor
    if _extractor is None:      # a forked --jobs process has its parent's, loaded already
        _extractor = Extractor()


def _init_pool_worker() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the main process's to handle
    try:
        os.nice(WORKER_NICE)
    except (AttributeError, OSError):               # no nice() on this platform: fair share it is
        pass
    _init_worker()


def _extract(doc: Document) -> Extraction | str:
    """:func:`kg.corpus.work.extract_with` this process's extractor (a ``--jobs`` worker)."""
    return extract_with(_extractor, doc)


# ---------------------------------------------------------------- main side
_SETTLED = (Rendered, str)      # a render that is back (or why it failed), not a handle still waiting for one

@dataclass
class Plan:
    """What a build does to the store. A document is one text (its content hash), held by one or more
    files; the index records which."""
    extract: list = field(default_factory=list)     # (Document, its files, [(old IRI, file)] it takes over)
    add: list = field(default_factory=list)         # (IRI, file): a file now holds a stored text
    drop: list = field(default_factory=list)        # (IRI, file): a file gone, or now holding another stored text
    gone: list = field(default_factory=list)        # IRIs no file holds any more
    unchanged: int = 0


def plan(documents: list[Document], inputs: list[str], known: dict[str, set[str]]) -> Plan:
    """The :class:`Plan` for ``documents`` (every file read, duplicates of a text included) against
    ``known`` (doc IRI -> files, :meth:`CorpusStore.files`)."""
    out = Plan()
    now: dict[str, str] = {}                 # file -> IRI of the text it holds now
    by_iri: dict[str, list] = {}             # IRI -> [Document, files]
    for d in documents:
        iri = str(DOC[d.id])
        now[_abs(d.path)] = iri
        by_iri.setdefault(iri, [d, []])[1].append(_abs(d.path))
    dirs = [_abs(i) for i in inputs if os.path.isdir(i)]
    named = {_abs(i) for i in inputs if not os.path.isdir(i)}
    takes_over: dict[str, list] = {}
    for old, files in known.items():
        for f in sorted(files):
            new = now.get(f)
            if new is not None and new != old:
                if new in known:
                    out.drop.append((old, f))          # the file now holds a text stored already
                else:
                    takes_over.setdefault(new, []).append((old, f))
            elif new is None and not os.path.exists(f) and (f in named or any(f.startswith(d + os.sep) for d in dirs)):
                out.drop.append((old, f))              # the file is gone from an input
    for iri, (d, files) in by_iri.items():
        if iri in known:
            out.unchanged += 1
            out.add += [(iri, f) for f in files if f not in known[iri]]
        else:
            out.extract.append((d, files, takes_over.get(iri, [])))
    left = {iri: set(files) for iri, files in known.items()}
    for iri, f in out.drop:
        left[iri].discard(f)
    taken = {old for _, _, over in out.extract for old, _ in over}
    out.gone = sorted(iri for iri, files in left.items() if not files and iri not in taken)
    return out


def build_store(inputs: list[str], store_path: str | Path, *, jobs: int | None = None,
                progress: bool | None = None, notices: list[Notice] | None = None,
                cluster: str | None = None) -> BuildReport:
    """Extract ``inputs`` (files or directories) into the store at ``store_path`` (created if
    missing); with ``cluster`` (``local:N`` or a scheduler address) on Dask workers
    (:mod:`kg.corpus.cluster`), else in ``jobs`` local processes. Raises
    :class:`kg.errors.InputError` for unreadable input, before any model loads. With
    ``notices``, a document that cannot be read or extracted is reported there and left as it was in
    the store (an edited file keeps its earlier version); the others go on."""
    from pyoxigraph import NamedNode

    inputs = [str(i) for i in inputs]
    local: list[Notice] = [] if notices is None else notices
    documents = read_documents(inputs, local if notices is not None else None, unique=False)
    jobs = max(1, jobs or os.cpu_count() or 1)
    report = BuildReport()
    # With other processes extracting, this one only resolves and commits, and is what bounds the build: its
    # store updates run on a thread of their own while it prepares the next (kg.corpus.writer). With one job
    # everything runs in order in this one thread.
    background = cluster is not None or jobs > 1
    with CorpusStore(store_path, write=True, create=True, background=background) as store:
        known = store.files()
        todo = plan(documents, inputs, known)
        work = todo.extract
        processes = None
        if cluster is None and jobs > 1 and len(work) > 1:
            with store.database_closed():       # RocksDB's threads must not be forked (see _Processes)
                processes = _Processes(jobs, len(work))
        report.unchanged = todo.unchanged
        left = {iri: set(files) for iri, files in known.items()}
        for iri, f in todo.drop:
            left[iri].discard(f)
        try:
            store.set_files(add=todo.add, drop=todo.drop)
            for iri in todo.gone:
                store.remove(NamedNode(iri))
                report.removed += 1
        except BaseException:
            if processes is not None:
                processes.close()
            raise
        bar = progress_bar(len(work), progress)
        counts: dict[str, tuple[dict, str]] = {}
        failed: set[str] = set()
        results = session = None
        # Resolution runs in input order against the store plus the registrations of documents resolved but
        # not committed yet (``overlay``); with --jobs N or a cluster, each resolved document is rendered by a
        # worker meanwhile (``pending``), so this process only resolves and commits. A document that replaces an
        # earlier version may delete registrations when it commits: the queue is drained before the next.
        overlay: dict[str, str] = {}
        pending: deque = deque()
        broken: list = []

        def lookup(rk: str) -> str | None:
            return overlay.get(rk) or store.lookup(rk)

        def commit_next() -> None:
            d, files, over, old, merges, register, got = pending.popleft()
            if not isinstance(got, _SETTLED):
                broken.append(d)        # until its render is back: the documents after it resolved against it
                got = got.result()
                broken.pop()
            if isinstance(got, str):    # its render failed: like a failed extraction
                if notices is None:
                    pending.clear()
                    raise InputError(f"{d.path}: {got}")
                local.append(Notice(d.path, got))
                report.failed += 1
                failed.add(d.id)
                return
            store.commit(NamedNode(f"https://w3id.org/kgnews/doc/{d.id}"), got.graph, file=files,
                         sha=d.sha256, remove=[NamedNode(i) for i in old], drop=over, merges=merges,
                         register=register)
            report.extracted += 1
            report.replaced += bool(old)
            report.removed += len(old)
            report.merges += len(merges)
            report.paths.append(d.path)
            counts[d.id] = (got.counts, "extracted")
            if bar is not None:
                bar.update(1, len(d.text.encode("utf-8")))

        def ready() -> bool:            # the oldest pending document can be committed without waiting
            got = pending[0][-1]
            return isinstance(got, _SETTLED) or got.done()

        def drain() -> None:
            while pending:
                commit_next()
            overlay.clear()             # the store has it all now, and is the one to ask

        try:
            docs = [d for d, _, _ in work]
            if cluster is not None and docs:
                from kg.corpus.cluster import Session
                session = Session(cluster)
            elif processes is not None:
                session = processes
            if session is not None:
                results, window = session.extractions(docs), session.window
            else:
                results, window = _extractions(docs), 0
            for (d, files, over), got in zip(work, results):
                if isinstance(got, str):
                    if notices is None:
                        drain()
                        raise InputError(f"{d.path}: {got}")
                    local.append(Notice(d.path, got))
                    report.failed += 1
                    failed.add(d.id)
                    continue
                x2, merges, register = resolve(got, lookup)
                overlay.update(register)
                graph = render(x2) if session is None else session.render(x2)
                for old_iri, f in over:
                    left[old_iri].discard(f)
                old = sorted({o for o, _ in over if not left[o]})
                pending.append((d, files, over, old, merges, register, graph))
                if old:
                    drain()
                while pending and (len(pending) > window or ready()):
                    commit_next()
            drain()
        except InputError:              # the cluster is gone: keep what does not need it
            while not broken and pending and isinstance(pending[0][-1], _SETTLED):
                commit_next()
            raise
        finally:
            if results is not None:
                results.close()     # stop the workers now, not when the generator is collected
            if session is not None:
                session.close()
            if bar is not None:
                bar.close()
        for d in documents:
            if d.id in failed:      # reported as a notice, left as it was
                continue
            got = counts.get(d.id)
            if got is None:         # unchanged: count what the store holds for it
                got = (counts_of(store.doc_triples(NamedNode(str(DOC[d.id])))), "unchanged")
            report.facts.add(d.path, d.id, d.lang, len(d.text), *got)
        report.documents = len(store.files())
        report.triples = store.count()
    return report


def _extractions(documents: list[Document]):
    """The extraction of each document (or why it failed), in order, in this process (one job)."""
    if not documents:
        return
    _init_worker()
    for d in documents:
        yield _extract(d)


class _Processes:
    """``--jobs N`` extraction processes: :meth:`extractions` in input order, and :meth:`render` of each resolved
    document, so that the writing process only resolves and commits."""

    def __init__(self, jobs: int, documents: int):
        # On Linux the processes are forked from this one with the pipelines loaded once, here: spawned, each
        # loaded its own (1.3 s of CPU apiece, a fifth of a 500 KB build on two cores). The caller has closed
        # the store meanwhile, since a fork must not copy RocksDB's threads; elsewhere fork is unsafe: spawn.
        global _extractor
        fork = sys.platform == "linux"
        if fork:
            _init_worker()
            _extractor.warm()
        self.jobs = min(jobs, documents)
        try:
            ctx = multiprocessing.get_context("fork" if fork else "spawn")
            self.pool = ctx.Pool(self.jobs, initializer=_init_pool_worker)
        finally:
            _extractor = None       # the workers have it; this process only resolves and commits
        self.window = 2 * self.jobs

    def extractions(self, documents: list[Document]):
        """The extraction of each document (or why it failed), in order. At most 2 x jobs documents in flight: when
        writing is the bottleneck, results must not pile up in memory (Pool.imap fetches ahead without bound)."""
        pending: deque = deque()
        todo = iter(documents)
        for d in todo:
            pending.append(self.pool.apply_async(_extract, (d,)))
            if len(pending) >= self.window:
                break
        while pending:
            result = pending.popleft().get()
            d = next(todo, None)
            if d is not None:
                pending.append(self.pool.apply_async(_extract, (d,)))
            yield result

    def render(self, x: Extraction):
        """A handle whose ``result()`` is ``x``'s :class:`Rendered` graph, made in one of the processes."""
        return _Rendering(self.pool.apply_async(render, (x,)))

    def close(self) -> None:
        """Stop the processes."""
        self.pool.terminate()
        self.pool.join()


class _Rendering:
    def __init__(self, async_result):
        self.async_result = async_result

    def done(self) -> bool:
        return self.async_result.ready()

    def result(self) -> Rendered | str:
        return self.async_result.get()


def _abs(path: str) -> str:
    return os.path.abspath(path)


def remove_document(store_path: str | Path, what: str) -> str:
    """Remove one document, named by its file path, its IRI or its 16-hex id; returns its IRI. Named by a
    path whose text other files hold too, only that path's record goes; the document stays for the others."""
    from pyoxigraph import NamedNode

    with CorpusStore(store_path, write=True) as store:
        known = store.files()
        if what in known:
            target = what
        elif str(DOC[what]) in known:
            target = str(DOC[what])
        else:
            hits = sorted(i for i, files in known.items() if _abs(what) in files)
            if not hits:
                raise InputError(f"{what}: no such document in {store_path}")
            target = hits[0]
            if len(known[target]) > 1:
                store.set_files(drop=[(target, _abs(what))])
                return f"{_abs(what)} (its text stays: other files hold it too)"
        store.remove(NamedNode(target))
    return target
