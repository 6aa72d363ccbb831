"""The evidence the explorer shows beside each edge: one entry per distinct sentence, the documents it was
read in, and the paragraphs of those documents around it, so the page can open the article with the sentence
highlighted.

Where the text comes from: a kg graph stores each fact's sentence, its code-point offsets and the document's
``kg:sourcePath`` and ``kg:contentHash``, not the document text. :func:`read_sources` reads each source file
again (the path as given at build time, from the current directory or from the graph file's directory; a store
passes the absolute paths its index keeps) and keeps it only if its content hash is the one the graph records,
so the offsets are right; a document whose file moved or changed shows its sentences only. The page carries only
the paragraphs that hold a sentence it shows (``--no-text``: none), as JSON data that the page displays with
``textContent``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.errors import InputError
from kg.explore.facts import DocumentInfo, Fact
from kg.textio import read_document

MAX_SENTENCE = 400          # characters of one evidence sentence shown in the panel


def read_sources(docs: dict[str, DocumentInfo], base: str | Path | None = None,
                 paths: dict[str, str] | None = None) -> dict[str, str]:
    """Document IRI -> text, for every document whose source file can be read and still has the content hash
    the graph records. ``paths`` (doc IRI -> path) overrides ``kg:sourcePath``; relative paths are tried from the
    current directory, then from ``base``."""
    out = {}
    for iri, d in docs.items():
        path = (paths or {}).get(iri) or d.path
        if not path or not d.sha256:
            continue
        candidates = [Path(path)]
        if base is not None and not os.path.isabs(path):
            candidates.append(Path(base) / path)
        for p in candidates:
            try:
                doc = read_document(str(p))
            except InputError:
                continue
            if doc.sha256 == d.sha256:
                out[iri] = doc.text
                break
    return out


def utf16(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what JavaScript string offsets count).

    >>> utf16("微软"), utf16("𠀀a")
    (2, 3)
    """
    return len(text.encode("utf-16-le")) // 2


def short(text: str) -> str:
    """A sentence on one line, cut to :data:`MAX_SENTENCE` characters."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_SENTENCE else text[:MAX_SENTENCE - 1] + "…"


def amount_text(value) -> str:
    """An amount with thousands separators: ``1,000,000,000``.

    >>> amount_text(Decimal("1000000000.0")), amount_text(None)
    ('1,000,000,000', '')
    """
    if value is None:
        return ""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    return format(d, ",f")


@dataclass
class _Doc:
    index: int
    info: DocumentInfo
    text: str | None
    spans: list[tuple[int, int]] = field(default_factory=list)
    parts: list[tuple[int, int]] = field(default_factory=list)    # (start, end) code points of each excerpt


class Evidence:
    """Builds the page's evidence: per edge, distinct sentences with their sources, and per document the
    excerpts (whole lines) holding them. Call :meth:`add` for every fact shown, then :meth:`edge` and :meth:`docs`."""

    def __init__(self, docs: dict[str, DocumentInfo], texts: dict[str, str]):
        self._docs: dict[str, _Doc] = {}
        self._all, self._texts = docs, texts

    def _doc(self, iri: str) -> _Doc | None:
        if not iri:
            return None
        d = self._docs.get(iri)
        if d is None:
            info = self._all.get(iri) or DocumentInfo(iri, "", "", None, "")
            d = self._docs[iri] = _Doc(len(self._docs), info, self._texts.get(iri))
        return d

    def add(self, fact: Fact) -> None:
        """Note that ``fact``'s sentence will be shown (so its paragraph must be carried)."""
        d = self._doc(fact.document)
        span = _span(fact, d.text) if d is not None and d.text is not None else None
        if span is not None:
            d.spans.append(span)

    def finish(self) -> None:
        """Cut every document's text into the excerpts its sentences need: the lines they touch, merged."""
        for d in self._docs.values():
            if d.text is None or not d.spans:
                continue
            lines, pos = [], 0
            for line in d.text.split("\n"):
                lines.append((pos, pos + len(line)))
                pos += len(line) + 1
            wanted = sorted({i for a, b in d.spans for i, (s, e) in enumerate(lines) if s < b and a <= e})
            groups: list[list[int]] = []
            for i in wanted:
                if groups and i == groups[-1][-1] + 1:
                    groups[-1].append(i)
                else:
                    groups.append([i])
            d.parts = [(lines[g[0]][0], lines[g[-1]][1]) for g in groups]

    def source(self, fact: Fact) -> list:
        """``[document index, excerpt index, start, end, confidence]`` of one fact: start and end in UTF-16
        units of the excerpt (-1, 0, 0 when the text is not carried)."""
        d = self._doc(fact.document)
        if d is None:
            return [-1, -1, 0, 0, fact.confidence or "?"]
        span = _span(fact, d.text) if d.text is not None else None
        if span is not None:
            start, end = span
            for i, (a, b) in enumerate(d.parts):
                if a <= start and end <= b:
                    part = d.text[a:b]
                    s = utf16(part[:start - a])
                    return [d.index, i, s, s + utf16(part[start - a:end - a]), fact.confidence or "?"]
        return [d.index, -1, 0, 0, fact.confidence or "?"]

    def sentences(self, facts: list[Fact]) -> list[list]:
        """One entry per distinct sentence of ``facts``: ``[sentence, [source, ...]]``, sources distinct."""
        out: dict[str, list] = {}
        for f in facts:
            if not f.sentence:
                continue
            entry = out.setdefault(" ".join(f.sentence.split()), [short(f.sentence), []])
            src = self.source(f)
            if src not in entry[1]:
                entry[1].append(src)
        return sorted(out.values(), key=lambda e: (e[0], e[1]))

    def docs(self) -> list[dict]:
        """The documents in index order: ``{"path", "title", "parts": [excerpt text, ...], "starts": [...]}``."""
        out = []
        for d in sorted(self._docs.values(), key=lambda d: d.index):
            parts = [d.text[a:b] for a, b in d.parts] if d.text is not None else []
            out.append({"path": d.info.path or d.info.iri, "title": short(d.info.title) if d.info.title else "",
                        "parts": parts, "text": d.text is not None})
        return out


def _span(fact: Fact, text: str) -> tuple[int, int] | None:
    """The fact's sentence in ``text`` without the white space around it, if its offsets point at it."""
    start, end = fact.start, fact.end
    if start is None or end is None or not 0 <= start < end <= len(text):
        return None
    if " ".join(text[start:end].split()) != " ".join(fact.sentence.split()):
        return None
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if start < end else None
