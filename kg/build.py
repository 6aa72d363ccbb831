"""Build a graph from input files: read -> extract -> RDF. The one function the CLI calls for `kg build`."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from kg.corpus.report import BuildFacts, progress_bar
from kg.errors import UsageError
from kg.explore.facts import document_facts
from kg.extract.document import Extractor
from kg.graph.rdf import to_graph
from kg.textio import read_documents
from kg.vocab import DOC


def build_graph(inputs: Iterable[str | Path], models: Iterable[str] = (), *, report: BuildFacts | None = None,
                progress: bool | None = None) -> Graph:
    """Read every input (files or directories), extract, and return the merged RDF graph.

    ``models`` names trained spaCy pipelines (package names or paths) whose NER is used alongside the
    lexicons, each for its own language. Raises :class:`kg.errors.InputError` for unreadable input, before
    any model is loaded. ``report`` receives what each document gave (:class:`kg.corpus.report.BuildFacts`);
    ``progress`` shows a bar on stderr (default: when stderr is a terminal and there are several documents).
    """
    documents = read_documents(inputs)   # fail fast on bad input, before spaCy and jieba load

    extractor = Extractor(models_by_language(models))
    bar = progress_bar(len(documents), progress)
    extractions = []
    try:
        for d in documents:
            extractions.append(extractor.extract(d))
            if bar is not None:
                bar.update(1, len(d.text.encode("utf-8")))
    finally:
        if bar is not None:
            bar.close()
    graph = to_graph(extractions)
    if report is not None:
        counts = document_facts(graph)
        for d in documents:
            report.add(d.path, d.id, d.lang, len(d.text), counts.get(str(DOC[d.id]), {}))
    return graph


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
