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
deleted, the rest are ``PUT``. The merged view, the index and the merge log are then replaced whole. A push
cut off anywhere (the server gone, Ctrl-C) leaves complete document graphs only, and the next push goes on
from there; no triple is ever added twice, because every write replaces a whole graph.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.corpus.remote import EndpointError, GraphStore, SparqlEndpoint
from kg.corpus.report import progress_bar
from kg.corpus.store import INDEX, MERGES, S_SHA, CorpusStore
from kg.vocab import RES_URI

MERGED = RES_URI + "store/merged"
CHUNK = 50_000          # triples per request of the merged view: PUT the first chunk, POST the others
INDEX_BATCH = 50        # documents whose index entries are posted together


@dataclass
class PushReport:
    """What one push did."""
    put: int = 0
    unchanged: int = 0
    deleted: int = 0
    triples: int = 0        # triples sent

    def summary(self, url: str) -> str:
        """The one line ``kg push`` prints."""
        return (f"{self.put} document graphs written, {self.unchanged} already there, {self.deleted} deleted; "
                f"{self.triples} triples sent -> {url}")


def _nt(triples) -> bytes:
    from pyoxigraph import RdfFormat, serialize

    return serialize(sorted(triples, key=str), format=RdfFormat.N_TRIPLES) or b""


def remote_index(gsp: GraphStore) -> dict[str, str]:
    """doc IRI -> content hash, for every document the server's index graph lists (complete on the server)."""
    from pyoxigraph import RdfFormat, parse

    body = gsp.get(INDEX.value)
    if not body:
        return {}
    try:
        return {t.subject.value: t.object.value for t in parse(body, format=RdfFormat.N_TRIPLES)
                if t.predicate == S_SHA}
    except SyntaxError as e:
        raise EndpointError(f"{gsp.url}: the server's index graph is not N-Triples ({e})") from None


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
    from pyoxigraph import DefaultGraph, NamedNode

    with CorpusStore(store_path) as store:
        local = store.documents()                       # IRI -> (file, sha)
        there = remote_index(gsp)
        for iri in sorted(set(there) - set(local)):     # removed from the store since the last push
            gsp.delete(iri)
            report.deleted += 1
        todo = [iri for iri in sorted(local) if there.get(iri) != local[iri][1]]
        report.unchanged = len(local) - len(todo)
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
        report.triples += _put_chunked(gsp, MERGED, store.db.quads_for_pattern(None, None, None, DefaultGraph()))
        for g in (MERGES, INDEX):                       # the index last: it says what is complete
            report.triples += _put_chunked(gsp, g.value, store.db.quads_for_pattern(None, None, None, g))


def _put_chunked(gsp: GraphStore, graph: str, quads) -> int:
    """Replace ``graph`` with these quads' triples: one PUT, then POSTs of :data:`CHUNK` triples each."""
    triples = sorted((q.triple for q in quads), key=str)
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
