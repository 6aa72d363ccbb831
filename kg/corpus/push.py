"""A corpus store copied into an existing SPARQL server over the Graph Store HTTP Protocol (``kg push``,
``kg build --store DIR --endpoint URL``), and queries to such a server (``kg query --endpoint URL``).

What the server holds after a push, graph for graph as in the store (:mod:`kg.corpus.store`):

* each document's named graph ``doc:<id>``, written with ``PUT`` (which replaces it);
* the merged view in the named graph ``<https://w3id.org/kgnews/store/merged>`` (a server's default graph
  means different things on different servers; ``kg query --endpoint`` names this one as the query's default
  graph with ``default-graph-uri``);
* the index ``<https://w3id.org/kgnews/store/index>`` and the merge log ``.../store/merges``.

Resuming: after each batch of documents their index entries are added (``POST``) to the server's index graph,
so the server itself says which documents it holds completely. A push first reads that index: documents
there with the same content hash are skipped, documents there but no longer in the store have their graph
deleted, the rest are ``PUT``. The merged view, the merge log and the index are then replaced whole, each unless the
graph ``<https://w3id.org/kgnews/store/pushed>`` (their SHA-256 digests, written after the last of them) says
the server holds exactly that already: a push with nothing new sends no triple. The record is deleted before
any graph it describes is changed, so it never vouches for a graph a cut-off push left half written. A push
cut off anywhere (the server gone, Ctrl-C) leaves complete document graphs only, and the next push goes on
from there; no triple is ever added twice, because every write replaces a whole graph.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kg.corpus.remote import EndpointError, GraphStore, SparqlEndpoint
from kg.corpus.report import progress_bar
from kg.corpus.store import INDEX, MERGES, S_SHA, CorpusStore
from kg.vocab import RES_URI

MERGED = RES_URI + "store/merged"
PUSHED = RES_URI + "store/pushed"   # digests of the merged view, merge log and index as the last push left them
CHUNK = 50_000          # triples per request of the merged view: PUT the first chunk, POST the others
INDEX_BATCH = 50        # documents whose index entries are posted together


@dataclass
class PushReport:
    """What one push did."""
    put: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept: int = 0           # of the merged view, merge log and index: already on the server as they are
    triples: int = 0        # triples sent

    def summary(self, url: str) -> str:
        """The one line ``kg push`` prints."""
        return (f"{self.put} document graphs written, {self.unchanged} already there, {self.deleted} deleted; "
                f"{3 - self.kept} of 3 store graphs replaced; {self.triples} triples sent -> {url}")


def _nt(triples) -> bytes:
    from pyoxigraph import RdfFormat, serialize

    return serialize(sorted(triples, key=str), format=RdfFormat.N_TRIPLES) or b""


def remote_index(gsp: GraphStore) -> dict[str, str]:
    """doc IRI -> content hash, for every document the server's index graph lists (complete on the server)."""
    return _sha_table(gsp, INDEX.value, "index graph")


def _sha_table(gsp: GraphStore, graph: str, what: str) -> dict[str, str]:
    """subject IRI -> its ``S_SHA`` value, from the server's ``graph`` (empty if the server has none)."""
    from pyoxigraph import RdfFormat, parse

    body = gsp.get(graph)
    if not body:
        return {}
    try:
        return {t.subject.value: t.object.value for t in parse(body, format=RdfFormat.N_TRIPLES)
                if t.predicate == S_SHA}
    except SyntaxError as e:
        raise EndpointError(f"{gsp.url}: the server's {what} is not N-Triples ({e})") from None


def push_store(store_path: str | Path, url: str, *, progress: bool | None = None) -> PushReport:
    """Copy the store at ``store_path`` into the Graph Store endpoint ``url`` (see the module's docstring).
    Raises :class:`EndpointError` when the server cannot be reached or refuses a request."""
    report = PushReport()
    try:
        _push(store_path, GraphStore(url), report, progress)
    except EndpointError as e:
        raise EndpointError(f"{e}; {report.put} document graphs were written, run kg push --store {store_path} "
                            f"--endpoint {url} again to resume") from None
    return report


def _push(store_path, gsp: GraphStore, report: PushReport, progress: bool | None) -> None:
    from pyoxigraph import NamedNode

    with CorpusStore(store_path) as store:
        local = store.documents()                       # IRI -> (file, sha)
        there = remote_index(gsp)
        todo = [iri for iri in sorted(local) if there.get(iri) != local[iri][1]]
        report.unchanged = len(local) - len(todo)
        gone = sorted(set(there) - set(local))
        pushed = _pushed(gsp)
        if pushed and (todo or gone):                   # the index changes below: its record goes first
            gsp.delete(PUSHED)
            pushed = {}
        for iri in gone:                                # removed from the store since the last push
            gsp.delete(iri)
            report.deleted += 1
        bar = progress_bar(len(todo), progress)
        batch: list = []
        try:
            for iri in todo:
                doc = NamedNode(iri)
                triples = store.doc_triples(doc)
                gsp.put(iri, _nt(triples))
                report.put += 1
                report.triples += len(triples)
                batch += [q.triple for q in store.db.quads_for_pattern(doc, None, None, INDEX)]
                if report.put % INDEX_BATCH == 0:
                    gsp.post(INDEX.value, _nt(batch))
                    batch = []
                if bar is not None:
                    bar.update(1, 0)
            if batch:
                gsp.post(INDEX.value, _nt(batch))
        finally:
            if bar is not None:
                bar.close()
        _put_finals(store, gsp, report, pushed)


def _pushed(gsp: GraphStore) -> dict[str, str]:
    """graph IRI -> digest, from the server's :data:`PUSHED` graph (empty if it has none)."""
    return _sha_table(gsp, PUSHED, f"{PUSHED} graph")


def _digest(triples: list) -> str:
    h = hashlib.sha256()
    for t in triples:
        h.update(str(t).encode("utf-8") + b"\n")
    return h.hexdigest()


def _put_finals(store: CorpusStore, gsp: GraphStore, report: PushReport, pushed: dict[str, str]) -> None:
    """Replace the merged view, the merge log and the index (last: it says what is complete) on the server,
    each unless :data:`PUSHED` says the server already holds exactly it; then record their digests."""
    from pyoxigraph import DefaultGraph, Literal, NamedNode, Triple

    digests = {}
    for name, graph in ((MERGED, DefaultGraph()), (MERGES.value, MERGES), (INDEX.value, INDEX)):
        triples = sorted((q.triple for q in store.db.quads_for_pattern(None, None, None, graph)), key=str)
        digests[name] = digest = _digest(triples)
        if pushed.get(name) == digest:
            report.kept += 1
            continue
        if pushed:              # the record must not outlive a graph it describes: drop it before the change
            gsp.delete(PUSHED)
            pushed = {}
        report.triples += _put_chunked(gsp, name, triples)
    if pushed != digests:
        gsp.put(PUSHED, _nt([Triple(NamedNode(g), S_SHA, Literal(d)) for g, d in sorted(digests.items())]))


def _put_chunked(gsp: GraphStore, graph: str, triples: list) -> int:
    """Replace ``graph`` with these (sorted) triples: one PUT, then POSTs of :data:`CHUNK` triples each."""
    gsp.put(graph, _nt(triples[:CHUNK]))
    for i in range(CHUNK, len(triples), CHUNK):
        gsp.post(graph, _nt(triples[i:i + CHUNK]))
    return len(triples)


def query_endpoint(url: str, sparql: str, *, allow_service: bool = False, timeout: float | None = None):
    """Run a read-only query on the SPARQL endpoint ``url`` (after :func:`kg.graph.guard.check`, our prefixes
    predefined, the merged view as default graph); an rdflib ``Result`` for :func:`kg.graph.query.format_result`."""
    import io

    from rdflib import Graph
    from rdflib.query import Result

    from kg.errors import QueryError
    from kg.graph.guard import check
    from kg.vocab import PREFIXES

    analysis = check(sparql, allow_service=allow_service)
    kind = _kind(analysis)
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))
    endpoint = SparqlEndpoint(url, timeout=timeout or 300)
    body = endpoint.query(prologue + analysis.text, kind, default_graph=MERGED)
    try:
        if kind in ("CONSTRUCT", "DESCRIBE"):
            result = Result(kind)
            result.graph = Graph().parse(data=body.decode("utf-8"), format="nt")
            return result
        return Result.parse(io.BytesIO(body), format="json")
    except Exception as e:  # noqa: BLE001 - whatever the server sent that is not a result
        raise QueryError(f"{url}: the answer is not a SPARQL result ({' '.join(str(e).split())[:200]})") from None


def _kind(analysis) -> str:
    name = getattr(analysis.parsed[-1], "name", "") if analysis.parsed is not None else ""
    for kind in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        if name.upper().startswith(kind):
            return kind
    return "SELECT"
