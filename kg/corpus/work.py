"""The units of work of a build, wherever they run (a ``--jobs`` process, a ``--cluster`` task, the writing process
itself with one job): one document extracted, and, once the store's resolution has named its entities, its graph
rendered. A graph is rendered once, after resolution: rendered before it, it was rendered again whenever
resolution renamed a key, which a corpus that spells a name with and without "Inc." does for most documents.
What a render gives is what the store-writing process commits: with several processes that one process bounds
the build, so the worker leaves it as little to do as it can."""
from __future__ import annotations

from dataclasses import dataclass

from kg.corpus.quads import DocGraph, triples_of
from kg.explore.facts import fact_counts, fact_predicates
from kg.extract.document import Extractor
from kg.graph.rdf import graph_triples
from kg.model import Document, Extraction


@dataclass(frozen=True)
class Rendered:
    """A document's graph as the store-writing process takes it: ready to commit, and what it gave (the
    :func:`kg.explore.facts.fact_counts` the build report prints)."""
    graph: DocGraph
    counts: dict[str, int]


def extract_with(extractor: Extractor, doc: Document) -> Extraction | str:
    """Extract one document; a failure comes back as its one-line reason, so that one bad document does not
    stop the others."""
    try:
        return extractor.extract(doc)
    except Exception as e:  # noqa: BLE001 - reported per document by build_store
        return _failed("extraction", e)


def render(x: Extraction) -> Rendered | str:
    """Extraction ``x``'s graph, after resolution; a failure comes back as its one-line reason (the document is
    then reported and left as it was, like one whose extraction failed)."""
    try:
        return rendered(x)
    except Exception as e:  # noqa: BLE001 - reported per document by build_store
        return _failed(f"rendering {x.document.path}", e)


def rendered(x: Extraction) -> Rendered:
    """``x``'s graph, as the store-writing process commits it."""
    triples = triples_of(graph_triples([x]))
    return Rendered(DocGraph.of(triples), counts_of(triples))


def counts_of(triples) -> dict[str, int]:
    """:func:`kg.explore.facts.fact_counts` of pyoxigraph triples."""
    counted = fact_predicates()         # the rest need no strings made
    return fact_counts((t.subject.value, p, t.object.value) for t in triples
                       for p in (t.predicate.value,) if p in counted)


def _failed(what: str, e: Exception) -> str:
    """``what`` failed, with the error's type and its first 200 characters, as one line."""
    text = " ".join(str(e).split())[:200]
    return f"{what} failed ({type(e).__name__}{': ' + text if text else ''})"
