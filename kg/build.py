"""Build a graph from input files: read -> extract -> RDF. The one function the CLI calls for `kg build`."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from rdflib import Graph


def build_graph(inputs: Iterable[str | Path]) -> Graph:
    """Read every input (files or directories), extract, and return the merged RDF graph.

    Raises :class:`kg.errors.InputError` for unreadable input, before any model is loaded.
    """
    from kg.textio import read_documents

    documents = read_documents(inputs)   # fail fast on bad input, before spaCy and jieba load

    from kg.extract import Extractor
    from kg.rdf import to_graph

    extractor = Extractor()
    return to_graph([extractor.extract(d) for d in documents])
