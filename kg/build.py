"""Build a graph from input files: read -> extract -> RDF. The one function the CLI calls for `kg build`."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from kg.corpus.report import BuildFacts, progress_bar
from kg.errors import InputError, UsageError
from kg.explore.facts import document_facts
from kg.extract.document import Extractor
from kg.graph.rdf import to_graph
from kg.model import Document, Extraction
from kg.textio import Notice, read_documents
from kg.vocab import DOC


def build_graph(inputs: Iterable[str | Path], models: Iterable[str] = (), *, report: BuildFacts | None = None,
                progress: bool | None = None, notices: list[Notice] | None = None) -> Graph:
    """Read every input (files or directories), extract, and return the merged RDF graph.

    ``models`` names trained spaCy pipelines (package names or paths) whose NER is used alongside the
    lexicons, each for its own language. Raises :class:`kg.errors.InputError` for unreadable input, before
    any model is loaded. ``report`` receives what each document gave (:class:`kg.corpus.report.BuildFacts`);
    ``progress`` shows a bar on stderr (default: when stderr is a terminal and there are several documents).
    With ``notices``, a document that cannot be read (found in a directory) or whose
    extraction fails is left out and reported there, and the others are built; without, it raises.
    """
    documents = read_documents(inputs, notices)   # fail fast on bad input, before spaCy and jieba load
    extractor = Extractor(models_by_language(models))
    bar = progress_bar(len(documents), progress)
    extractions, built = [], []
    try:
        for d in documents:
            x = extract_or_report(extractor, d, notices)
            if x is not None:
                extractions.append(x)
                built.append(d)
            if bar is not None:
                bar.update(1, len(d.text.encode("utf-8")))
    finally:
        if bar is not None:
            bar.close()
    if not extractions:
        skipped = sum(n.skipped for n in notices or [])
        raise InputError(f"no document could be read ({skipped} left out); nothing written")
    graph = to_graph(extractions)
    if report is not None:
        counts = document_facts(graph)
        for d in built:
            report.add(d.path, d.id, d.lang, len(d.text), counts.get(str(DOC[d.id]), {}))
    return graph


def extract_or_report(extractor: Extractor, document: Document, notices: list[Notice] | None) -> Extraction | None:
    """``extractor.extract(document)``; with ``notices``, a failure is reported there (None returned)
    instead of stopping the whole build: one bad document must not cost the others."""
    if notices is None:
        return extractor.extract(document)
    try:
        return extractor.extract(document)
    except Exception as e:  # noqa: BLE001 - any failure of one document is reported, never fatal
        notices.append(Notice(document.path, f"extraction failed ({failure(e)})"))
        return None


def failure(e: BaseException) -> str:
    """An exception as one short line: its type and the first line of its message."""
    text = " ".join(str(e).split())[:200]
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


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
