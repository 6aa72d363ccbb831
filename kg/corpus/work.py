"""The unit of work of a build: one document extracted and its graph rendered, wherever it runs (a ``--jobs``
process, a ``--cluster`` task). What comes back is what the store-writing process commits."""
from __future__ import annotations

from kg.corpus.quads import triples_of
from kg.extract.document import Extractor
from kg.graph.rdf import graph_triples
from kg.model import Document, Extraction


def extract_with(extractor: Extractor, doc: Document) -> tuple[Extraction, bytes] | str:
    """Extract one document and render its graph (N-Triples), in a worker (a process of ``--jobs``, a task
    of ``--cluster``); a failure comes back as its one-line reason, so that one bad document does not stop
    the others."""
    try:
        x = extractor.extract(doc)
        return x, _ntriples(x)
    except Exception as e:  # noqa: BLE001 - reported per document by build_store
        text = " ".join(str(e).split())[:200]
        return f"extraction failed ({type(e).__name__}{': ' + text if text else ''})"


def render(x: Extraction) -> bytes | str:
    """Extraction ``x``'s graph as N-Triples (a document whose keys resolution renamed, rendered again on a
    ``--cluster`` worker rather than by the client); a failure comes back as its one-line reason."""
    try:
        return _ntriples(x)
    except Exception as e:  # noqa: BLE001 - raised by the client with the cluster's address
        text = " ".join(str(e).split())[:200]
        return f"rendering {x.document.path} failed ({type(e).__name__}{': ' + text if text else ''})"


def _ntriples(x: Extraction) -> bytes:
    """``x``'s graph as N-Triples, as a worker sends it to the store-writing process."""
    from pyoxigraph import RdfFormat, serialize

    return serialize(triples_of(graph_triples([x])), format=RdfFormat.N_TRIPLES)
