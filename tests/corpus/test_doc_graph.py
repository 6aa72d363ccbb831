"""A document's named graph in a store is what kg.graph.rdf renders for that document alone, after the store's
entity resolution: nothing is lost or changed on the way (rendering in a worker, N-Triples between processes,
the commit's update). Compared as graphs (rdflib.compare.isomorphic), for --jobs 1 and --jobs 2."""
from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, serialize
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.corpus.ingest import build_store
from kg.corpus.resolve import resolve
from kg.corpus.store import CorpusStore
from kg.graph.rdf import to_graph
from kg.vocab import DOC
from tests.paths import ARTICLES


@pytest.mark.parametrize("jobs", [1, 2])
def test_named_graphs_are_the_documents_own_graphs(tmp_path: Path, articles: dict, jobs: int):
    build_store([str(ARTICLES)], tmp_path / "st", jobs=jobs, progress=False)
    registered: dict[str, str] = {}         # resolution in input order, as the store does it
    with CorpusStore(tmp_path / "st") as store:
        for name in sorted(articles):
            x, _, register = resolve(articles[name], registered.get)
            registered.update(register)
            triples = store.doc_triples(NamedNode(str(DOC[x.document.id])))
            stored = Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES).decode(), format="nt")
            expected = to_graph([x])
            assert len(stored) == len(expected) > 50, name
            assert isomorphic(stored, expected), name
