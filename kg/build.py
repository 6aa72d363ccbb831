"""Build a graph from input files: read -> extract -> RDF. The one function the CLI calls for `kg build`."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from kg.errors import UsageError
from kg.extract.document import Extractor
from kg.graph.rdf import to_graph
from kg.textio import read_documents


def build_graph(inputs: Iterable[str | Path], models: Iterable[str] = ()) -> Graph:
    """Read every input (files or directories), extract, and return the merged RDF graph.

    ``models`` names trained spaCy pipelines (package names or paths) whose NER is used alongside the
    lexicons, each for its own language. Raises :class:`kg.errors.InputError` for unreadable input, before
    any model is loaded.
    """
    documents = read_documents(inputs)   # fail fast on bad input, before spaCy and jieba load

    extractor = Extractor(models_by_language(models))
    return to_graph([extractor.extract(d) for d in documents])


def models_by_language(models: Iterable[str]) -> dict[str, str]:
    """{"en": "en_core_web_sm", ...}: each trained pipeline under the language it was trained for."""
    # lazy: it imports spaCy, which only a named model needs
    from kg.extract.model_ner import load_model

    out: dict[str, str] = {}
    for name in models:
        lang = load_model(name).lang
        if lang not in ("zh", "en"):
            raise UsageError(f"--model {name}: a '{lang}' pipeline; kg reads Chinese and English")
        out[lang] = name
    return out
