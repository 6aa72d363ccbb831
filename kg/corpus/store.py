"""A corpus store on disk (Oxigraph): one named graph per document, a merged default graph.

Layout of a store directory: ``kg-store.json`` (a marker), ``oxigraph/`` (the RocksDB data) and
``.lock`` (an advisory lock: one writer, or any number of readers).

* Named graph ``doc:<id>``: exactly what :func:`kg.graph.rdf.to_graph` writes for that document alone.
* The default graph, the merged view: every triple of every document graph once, except that an
  entity's ``rdf:type``, ``kg:mentionCount`` and ``kg:confidence`` are merged (mentions summed,
  confidence the highest, the class the one most mentions carry).
* ``<https://w3id.org/kgnews/store/index>``: which file each document came from and its content
  hash, and the resolution keys of entities (see :mod:`kg.corpus.resolve`).
* ``<https://w3id.org/kgnews/store/merges>``: the merge log, one ``kgs:Merge`` per alias merged.

Adding, replacing or removing a document is one SPARQL Update, which Oxigraph applies as one
transaction: a crash leaves the store as it was before or after that document, never between. A store opened
with ``background=True`` applies those updates on a thread of its own (:mod:`kg.corpus.writer`), in order,
while the caller prepares the next; every read waits for them first.

>>> import tempfile
>>> from pyoxigraph import Triple
>>> from kg.vocab import KG
>>> with CorpusStore(tempfile.mkdtemp() + "/s", write=True, create=True) as s:
...     doc = ox(DOC["0123456789abcdef"])
...     s.commit(doc, {Triple(ox(ENT.Microsoft), ox(KG.investsIn), ox(ENT.OpenAI))}, file="/a.txt", sha="0" * 64)
...     s.count(), s.count(doc), sorted(s.documents())
(1, 1, ['https://w3id.org/kgnews/doc/0123456789abcdef'])
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, Store, Triple

from kg.atomic import atomic_write_text
from kg.corpus import snapshot
from kg.corpus.quads import (
    AGGREGATED,
    CONFIDENCE,
    MENTIONS,
    R_PROV,
    R_TYPE,
    DocGraph,
    data_block,
    is_aggregated,
    merge_entity,
    ox,  # noqa: F401 - the doctest above
)
from kg.corpus.writer import BackgroundWriter
from kg.errors import InputError, OutputError
from kg.graph.rdf import entity_iri
from kg.vocab import DOC, ENT, KG, RES_URI  # noqa: F401 - DOC, ENT, KG: the doctest above

MARKER = "kg-store.json"
DATA = "oxigraph"
KGS = "https://w3id.org/kgnews/store#"
INDEX = NamedNode(RES_URI + "store/index")
MERGES = NamedNode(RES_URI + "store/merges")
MERGE_NS = RES_URI + "merge/"
INTERNAL = (INDEX, MERGES)
# RocksDB keeps writes in one memtable per column family (Oxigraph has a dozen: one per quad index and the
# string table) until a memtable is full, 64 MB each by default, so a long build held well over 1 GB of
# memtables (the bench store process peaked at 1.7 GB for 5.2 MB of text). A flush after this many quads
# written moves them to disk files: the writer stays near 100 MB, and the build is faster for it.
FLUSH_QUADS = 100_000
# A writer remembers the merged class, mentions and confidence of the entities it wrote (see
# CorpusStore._default_values); past this many entities it forgets them, after its updates have landed.
REMEMBERED_ENTITIES = 200_000
LOCK_WAIT = 10.0        # seconds a writer waits for a serving kg's snapshot to let go of the store
S_FILE, S_SHA, S_NORM, S_KEY = (NamedNode(KGS + n) for n in ("file", "sha256", "resolutionKey", "key"))
S_MERGE, S_ALIAS, S_INTO, S_RULE = (NamedNode(KGS + n) for n in ("Merge", "alias", "into", "rule"))


class CorpusStore:
    """An open store. ``write=True`` takes the exclusive lock; readers share theirs. ``background=True``
    (a writer) applies commits on a background thread: reads, :meth:`close` and removals wait for them."""

    def __init__(self, path: str | Path, *, write: bool = False, create: bool = False, background: bool = False):
        self.path = Path(path)
        self.write = write
        self._check_layout(create)
        self._lock = os.open(self.path / ".lock", os.O_RDWR | os.O_CREAT, 0o666)
        if not self._take_lock(fcntl.LOCK_EX if write else fcntl.LOCK_SH):
            os.close(self._lock)
            raise InputError(f"{self.path}: the store is in use by another kg process "
                             f"({'a build or kg serve' if write else 'a build or removal'})") from None
        try:
            data = str(self.path / DATA)
            self.db = Store(data) if write else Store.read_only(data)
        except (OSError, RuntimeError) as e:    # RocksDB reports a damaged store as RuntimeError
            self.close()
            raise InputError(f"{self.path}: cannot open the store ({_first_line(e)})") from None
        # A writer publishes snapshots for a kg serve reading the store meanwhile (kg.corpus.snapshot).
        self._publisher = snapshot.Publisher(self.path) if write else None
        self._unflushed = 0         # quads written since the last flush (see FLUSH_QUADS)
        # The one writer holds the exclusive lock, so what it wrote stays true: it keeps the merged entity
        # values it wrote (entity -> [(predicate, object)] of the default graph) instead of reading them back,
        # and the registrations of commits that may still be in flight.
        self._merged: dict = {}
        self._registered: dict[str, str] = {}
        self._background = background and write
        self._writer = BackgroundWriter() if self._background else None

    def _settle(self) -> None:
        """Wait until every commit handed to the background thread is in the database."""
        if self._writer is not None:
            self._writer.settle()
        self._registered.clear()

    def _take_lock(self, mode: int) -> bool:
        """Take the store's lock, or False when another process holds it. A ``kg serve`` takes the shared lock
        for a moment whenever it snapshots a store nobody writes: a writer waits that moment out."""
        deadline = None
        while True:
            try:
                fcntl.flock(self._lock, mode | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if deadline is None:
                    if mode != fcntl.LOCK_EX or not snapshot.server_present(self.path):
                        return False
                    deadline = time.monotonic() + LOCK_WAIT
                elif time.monotonic() > deadline:
                    return False
                time.sleep(0.05)

    @staticmethod
    def check_exists(path: str | Path) -> None:
        """Raise :class:`InputError` unless ``path`` is a kg store (without opening it)."""
        p = Path(path)
        if not (p / MARKER).is_file():
            raise InputError(f"{p}: {'no such store' if not p.exists() else 'not a kg store (no kg-store.json)'}")

    def _check_layout(self, create: bool) -> None:
        p = self.path
        if (p / MARKER).is_file():
            return
        if not create:
            what = "no such store" if not p.exists() else "not a kg store (no kg-store.json)"
            raise InputError(f"{p}: {what}")
        if p.exists() and (not p.is_dir() or any(p.iterdir())):
            raise OutputError(f"{p}: exists and is not a kg store (use a new or empty directory)")
        if not p.parent.is_dir():
            raise OutputError(f"{p}: directory {str(p.parent)!r} does not exist")
        try:
            p.mkdir(exist_ok=True)
        except OSError as e:
            raise OutputError(f"{p}: cannot create the store ({e.strerror or e})") from None
        atomic_write_text(p / MARKER, json.dumps({"format": "kg-store", "version": 1}) + "\n")

    def close_db(self) -> None:
        """Close the database but keep the lock (for a process whose children open it)."""
        self._stop_writer()
        db = self.__dict__.pop("db", None)
        if db is not None and self.write:
            db.flush()
            self._publish_last(db)
        del db

    @contextlib.contextmanager
    def database_closed(self):
        """The database closed (its lock kept) for the duration of the block, then opened again: for forking
        processes, which must not inherit RocksDB's threads."""
        self.close_db()
        try:
            yield
        finally:
            self.db = Store(str(self.path / DATA)) if self.write else Store.read_only(str(self.path / DATA))
            if self.write and self._writer is None:
                self._writer = BackgroundWriter() if self._background else None

    def _publish_last(self, db) -> None:
        publisher = self.__dict__.get("_publisher")
        if publisher is not None:
            publisher.closing(db)

    def close(self) -> None:
        """Release the store and its lock (also on exit from a ``with`` block)."""
        try:
            self._stop_writer()
        finally:
            self._release()

    def _stop_writer(self) -> None:
        writer = getattr(self, "_writer", None)
        self._writer = None
        if writer is not None:
            writer.close()          # an update that failed in the background is raised here

    def _release(self) -> None:
        db = self.__dict__.pop("db", None)
        try:
            if db is not None and self.write:
                db.flush()      # a damaged store may refuse this: the lock is released all the same
                self._publish_last(db)
        finally:
            del db
            if self._lock is not None:
                os.close(self._lock)
                self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            self.close()
        except RuntimeError:
            if exc is None:
                raise InputError(f"{self.path}: the store is damaged (it could not be closed cleanly)") from None
        if isinstance(exc, RuntimeError):       # RocksDB's "Corruption: ..." met in the middle of work
            raise InputError(f"{self.path}: the store is damaged ({_first_line(exc)}); "
                             "rebuild it with kg build --store into a new directory") from None

    # ------------------------------------------------------------------ reading
    def count(self, graph=None) -> int:
        """Triples in the default graph (or in ``graph``)."""
        # COUNT in the engine: iterating the quads in Python took 0.35 s for 100,000 triples, this 0.03 s
        self._settle()
        where = "?s ?p ?o" if graph is None or isinstance(graph, DefaultGraph) else f"GRAPH {graph} {{ ?s ?p ?o }}"
        return int(next(iter(self.db.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")))[0].value)

    def documents(self) -> dict[str, tuple[str, str]]:
        """doc IRI -> (absolute file path, sha256) for every document in the store; of several files
        with the same text, the first in sorted order (:meth:`files` has them all)."""
        self._settle()
        files = self.files()
        out = {iri: (min(f) if f else "", "") for iri, f in files.items()}
        for q in self.db.quads_for_pattern(None, S_SHA, None, INDEX):
            out[q.subject.value] = (out.get(q.subject.value, ("", ""))[0], q.object.value)
        return out

    def files(self) -> dict[str, set[str]]:
        """doc IRI -> the absolute paths of every file that holds its text (one document per text)."""
        self._settle()
        out: dict[str, set[str]] = {}
        for q in self.db.quads_for_pattern(None, S_FILE, None, INDEX):
            out.setdefault(q.subject.value, set()).add(q.object.value)
        for q in self.db.quads_for_pattern(None, S_SHA, None, INDEX):
            out.setdefault(q.subject.value, set())
        return out

    def set_files(self, add: list[tuple[str, str]] = (), drop: list[tuple[str, str]] = ()) -> None:
        """Record that files (``(doc IRI, path)``) hold, or no longer hold, a stored document's text."""
        ins = {(INDEX, Triple(NamedNode(i), S_FILE, Literal(f))) for i, f in add}
        dele = {(INDEX, Triple(NamedNode(i), S_FILE, Literal(f))) for i, f in drop}
        if ins or dele:
            self._settle()
            self.db.update("DELETE DATA {\n" + data_block(dele) + "} ;\nINSERT DATA {\n" + data_block(ins) + "}")

    def lookup(self, resolution_key: str) -> str | None:
        """The entity key registered for a resolution key, if any (also by a commit still in flight: the
        database does not have it yet, but nothing can have removed it meanwhile)."""
        if resolution_key in self._registered:
            return self._registered[resolution_key]
        for q in self.db.quads_for_pattern(None, S_NORM, Literal(resolution_key), INDEX):
            for k in self.db.quads_for_pattern(q.subject, S_KEY, None, INDEX):
                return k.object.value
        return None

    def doc_triples(self, doc: NamedNode) -> set[Triple]:
        """The triples of one document's named graph."""
        self._settle()
        return {q.triple for q in self.db.quads_for_pattern(None, None, None, doc)}

    def merges(self) -> list[tuple[str, str, str, str]]:
        """The merge log: (alias, into entity IRI, rule, document IRI), sorted."""
        self._settle()
        rows = []
        for q in self.db.quads_for_pattern(None, R_TYPE, S_MERGE, MERGES):
            val = {p: o for p in (S_ALIAS, S_INTO, S_RULE, R_PROV)
                   for o in [next(iter(self.db.quads_for_pattern(q.subject, p, None, MERGES))).object]}
            rows.append((val[S_ALIAS].value, val[S_INTO].value, val[S_RULE].value, val[R_PROV].value))
        return sorted(rows)

    def _values(self, entity, skip: set) -> list[tuple[set, int, Literal | None]]:
        """Per-document (types, mentions, confidence) of an entity, leaving out graphs in ``skip``."""
        self._settle()
        per: dict = {}
        for p in AGGREGATED:
            for q in self.db.quads_for_pattern(entity, p, None, None):
                g = q.graph_name
                if isinstance(g, DefaultGraph) or g in skip or g in INTERNAL:
                    continue
                v = per.setdefault(g, [set(), 0, None])
                if p == R_TYPE:
                    v[0].add(q.object)
                elif p == MENTIONS:
                    v[1] = int(q.object.value)
                else:
                    v[2] = q.object
        return [(t, n, c) for t, n, c in per.values()]

    def _elsewhere(self, t: Triple, skip: set) -> bool:
        """Whether a document graph outside ``skip`` holds ``t``."""
        for q in self.db.quads_for_pattern(t.subject, t.predicate, t.object, None):
            g = q.graph_name
            if not isinstance(g, DefaultGraph) and g not in skip and g not in INTERNAL:
                return True
        return False

    def _default_values(self, entity) -> list[tuple]:
        """The merged (predicate, object) of ``entity`` in the default graph: as this writer last wrote them,
        else from the database (an entity no commit of ours touched, so none in flight changes it)."""
        known = self._merged.get(entity)
        if known is not None:
            return known
        return [(q.predicate, q.object) for p in AGGREGATED
                for q in self.db.quads_for_pattern(entity, p, None, DefaultGraph())]

    # ------------------------------------------------------------------ writing
    def commit(self, doc: NamedNode | None, triples: set[Triple] | DocGraph, *, file: str | list[str] = "",
               sha: str = "", remove: list[NamedNode] = (), merges=(), register: dict[str, str] | None = None,
               drop: list[tuple[str, str]] = ()) -> None:
        """Add document ``doc`` with ``triples`` (a set, or the :class:`DocGraph` a worker made of them; held by
        ``file``: one path or several with the same text), remove the documents in ``remove`` (e.g. an earlier
        version of the same file) and the ``(doc IRI, path)`` file records in ``drop``, as one transaction.
        ``doc=None`` only removes."""

        graph = triples if isinstance(triples, DocGraph) else DocGraph.of(triples)
        remove = [r for r in remove if r != doc]
        if remove or len(self._merged) > REMEMBERED_ENTITIES:
            self._settle()          # reads below must see every earlier commit; the memory may go
            self._merged.clear()
        skip = set(remove) | ({doc} if doc is not None else set())
        dele: set[tuple] = set()          # (graph or None, triple)
        ins: set[tuple] = set()
        new_agg = graph.entities
        new_plain = graph.plain_triples() if remove else set()
        touched_old: set = set()
        for r in remove:
            for t in self.doc_triples(r):
                if is_aggregated(t):
                    touched_old.add(t.subject)
                elif t not in new_plain and not self._elsewhere(t, skip):
                    dele.add((None, t))
            for q in self.db.quads_for_pattern(None, None, r, INDEX):   # nothing points at docs there
                dele.add((INDEX, q.triple))
            for q in self.db.quads_for_pattern(r, None, None, INDEX):
                dele.add((INDEX, q.triple))
            for m in self.db.quads_for_pattern(None, R_PROV, r, MERGES):
                for q in self.db.quads_for_pattern(m.subject, None, None, MERGES):
                    dele.add((MERGES, q.triple))
        for e in touched_old | set(new_agg):
            current = self._default_values(e)
            mine = new_agg.get(e)
            cur_types = {o for p, o in current if p == R_TYPE}
            if e not in touched_old and mine is not None and current and mine[0] == cur_types:
                # Adding a document that agrees on the class: update the sum and the maximum.
                n = next((int(o.value) for p, o in current if p == MENTIONS), 0)
                c = next((o for p, o in current if p == CONFIDENCE), None)
                merged = merge_entity([(cur_types, n, c), (mine[0], mine[1], mine[2])])
            else:
                values = self._values(e, skip) + ([tuple(mine)] if mine is not None else [])
                merged = merge_entity(values)
                if not values:          # gone from every document: forget its registration too
                    for q in self.db.quads_for_pattern(e, None, None, INDEX):
                        dele.add((INDEX, q.triple))
            merged_set = {Triple(e, p, o) for p, o in merged}
            self._merged[e] = merged
            for p, o in current:
                if Triple(e, p, o) not in merged_set:
                    dele.add((None, Triple(e, p, o)))
            for t in merged_set:
                ins.add((None, t))
        for iri, f in drop:
            dele.add((INDEX, Triple(NamedNode(iri), S_FILE, Literal(f))))
        # The document's graph and its plain triples in the merged view are most of an update (thousands of
        # triples): written as N-Triples lines straight away, not through _data's grouping.
        bulk = [graph.plain]
        if doc is not None:
            bulk.append(f"GRAPH {doc} {{\n{graph.lines}}}\n")
            for f in [file] if isinstance(file, str) else file:
                ins.add((INDEX, Triple(doc, S_FILE, Literal(f))))
            ins.add((INDEX, Triple(doc, S_SHA, Literal(sha))))
            for rk, key in sorted((register or {}).items()):
                node = NamedNode(str(entity_iri(key)))
                ins.add((INDEX, Triple(node, S_NORM, Literal(rk))))
                ins.add((INDEX, Triple(node, S_KEY, Literal(key))))
            for m in merges:
                node = NamedNode(MERGE_NS + hashlib.sha256(
                    f"{doc.value}\x1f{m.alias}\x1f{m.into}".encode()).hexdigest()[:16])
                for p, o in ((R_TYPE, S_MERGE), (S_ALIAS, Literal(m.alias)),
                             (S_INTO, NamedNode(str(entity_iri(m.into)))), (S_RULE, Literal(m.rule)), (R_PROV, doc)):
                    ins.add((MERGES, Triple(node, p, o)))
            self._registered.update(register or {})
        ops = [f"DROP SILENT GRAPH {r}" for r in remove]
        ops.append("DELETE DATA {\n" + data_block(dele) + "}")
        ops.append("INSERT DATA {\n" + data_block(ins) + "".join(bulk) + "}")
        update, size = " ;\n".join(ops), len(ins) + len(dele) + graph.plain_size + (graph.size if doc is not None else 0)
        if self._writer is None:
            self._apply(update, size)
        else:
            self._writer.submit(lambda: self._apply(update, size))
            if remove:
                self._settle()      # removals may delete registrations: let lookups see the database again

    def _apply(self, update: str, size: int) -> None:
        """Run one commit's update (one transaction), flush now and then, tell a server reading snapshots."""
        self.db.update(update)
        self._unflushed += size
        if self._unflushed >= FLUSH_QUADS:
            self.db.flush()
            self._unflushed = 0
        if self._publisher is not None:
            self._publisher.committed(self.db)

    def remove(self, doc: NamedNode) -> None:
        """Drop one document: its graph, its share of the merged view, its index and merge entries."""
        self.commit(None, set(), remove=[doc])

    # ------------------------------------------------------------------ checking
    def check(self) -> list[str]:
        """Problems found by rebuilding the merged view from the document graphs ([] = consistent)."""
        self._settle()
        problems = []
        graphs = {g for g in self.db.named_graphs() if g not in INTERNAL}
        docs = {NamedNode(d) for d in self.documents()}
        if graphs != docs:
            problems.append(f"graphs without index entry: {len(graphs - docs)}, "
                            f"index entries without graph: {len(docs - graphs)}")
        expected: set[Triple] = set()
        per_entity: dict = {}
        for g in graphs:
            for t in self.doc_triples(g):
                if is_aggregated(t):
                    per_entity.setdefault(t.subject, None)
                else:
                    expected.add(t)
        for e in per_entity:
            expected |= {Triple(e, p, o) for p, o in merge_entity(self._values(e, set()))}
        actual = {q.triple for q in self.db.quads_for_pattern(None, None, None, DefaultGraph())}
        if actual != expected:
            problems.append(f"merged view differs: {len(actual - expected)} extra, {len(expected - actual)} missing")
        for m in self.db.quads_for_pattern(None, R_PROV, None, MERGES):
            if m.object not in docs:
                problems.append(f"merge record {m.subject.value} from a missing document")
        return problems


def _first_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return (text[:200] + "...") if len(text) > 200 else (text or type(e).__name__)
