"""Read and write RDF files: formats, deterministic serialization, atomic writes, no network.

kg promises byte-identical output for the same input, so graphs are serialized from a copy
whose triples were added in sorted order (rdflib's serializers then walk them in that order),
with our prefixes bound and N-Triples/N-Quads lines sorted. Files are replaced atomically:
a failed write never leaves a half-written file, and never touches the previous one.

>>> import tempfile, pathlib
>>> from rdflib import Graph, Literal
>>> from kg.vocab import ENT, KG
>>> g = Graph()
>>> _ = g.add((ENT.Microsoft, KG.investsIn, ENT.OpenAI))
>>> out = write_graph(g, pathlib.Path(tempfile.mkdtemp()) / "g.nt")
>>> print(out.read_text(encoding="utf-8"), end="")
<https://w3id.org/kgnews/entity/Microsoft> <https://w3id.org/kgnews/ontology#investsIn> <https://w3id.org/kgnews/entity/OpenAI> .
>>> len(load_graph(out))
1
"""
from __future__ import annotations

import contextvars
import json
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from rdflib import BNode, Dataset, Graph, Literal, plugin
from rdflib.graph import ConjunctiveGraph
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.serializer import Serializer

from kg.atomic import atomic_write_bytes, check_writable
from kg.errors import InputError, OutputError, UsageError
from kg.textio import read_bytes
from kg.vocab import PREFIXES


class Format(NamedTuple):
    """An RDF format: the name rdflib knows it by and the suffix kg writes."""
    rdflib: str     # the name rdflib's parse/serialize know
    suffix: str     # the file suffix we write


FORMATS: dict[str, Format] = {
    "ttl": Format("turtle", ".ttl"), "turtle": Format("turtle", ".ttl"),
    "nt": Format("nt", ".nt"),
    "jsonld": Format("json-ld", ".jsonld"), "json-ld": Format("json-ld", ".jsonld"),
    "trig": Format("trig", ".trig"),
    "xml": Format("xml", ".rdf"), "rdf": Format("xml", ".rdf"),
    "nq": Format("nquads", ".nq"),
}
# Suffixes we read (a superset of what we write).
SUFFIXES: dict[str, str] = {f.suffix: f.rdflib for f in FORMATS.values()} | {
    ".json": "json-ld", ".xml": "xml", ".owl": "xml", ".n3": "n3", ".nquads": "nquads"}
QUAD_FORMATS = frozenset({"trig", "nquads"})
MAX_GRAPH_BYTES = 1 << 30      # rdflib needs ~10x a file's size in memory; /dev/zero is refused, not read


class _ExactLiterals:
    """Write a typed literal in Turtle's short form (``0.9``, ``14``) only when that form is
    its lexical form. rdflib writes ``"1000000000"^^xsd:decimal`` as ``1000000000.0`` and
    doubles as ``%e`` (6 digits), so files read back with different (or rounded) literals."""

    def label(self, node, position):
        text = super().label(node, position)
        if (isinstance(node, Literal) and node.datatype is not None and not text.startswith('"')
                and text != str(node)):
            pname = getattr(self, "get_pname", None) or self.getQName   # renamed in rdflib 7.x
            text = f'"{node}"^^{pname(node.datatype, False) or node.datatype.n3()}'
        return text


class _ExactTurtleSerializer(_ExactLiterals, TurtleSerializer):
    pass


class _ExactTrigSerializer(_ExactLiterals, TrigSerializer):
    pass


plugin.register("kg-turtle", Serializer, __name__, "_ExactTurtleSerializer")
plugin.register("kg-trig", Serializer, __name__, "_ExactTrigSerializer")
_EXACT = {"turtle": "kg-turtle", "trig": "kg-trig"}


def format_for(path: str | Path, explicit: str | None = None) -> str:
    """The rdflib format name for writing ``path``: ``explicit`` if given, else from the suffix,
    else (no suffix) Turtle. A suffix that names no RDF format is a :class:`UsageError`: writing Turtle into
    ``graph.json-ld`` would hand the reader a file its name lies about.

    >>> format_for("out.jsonld"), format_for("out.ttl", "nt"), format_for("graph")
    ('json-ld', 'nt', 'turtle')
    """
    if explicit is not None:
        fmt = FORMATS.get(explicit.lower())
        if fmt is None:
            known = {f.rdflib for f in FORMATS.values()}
            if explicit in known:
                return explicit
            raise UsageError(f"unknown RDF format {explicit!r} (use one of {', '.join(FORMATS)})")
        return fmt.rdflib
    suffix = Path(path).suffix.lower()
    if suffix and suffix not in SUFFIXES:
        raise UsageError(f"{path}: cannot tell an RDF format from the suffix {suffix!r} "
                         f"(use {', '.join(sorted(SUFFIXES))}, or --format)")
    return SUFFIXES.get(suffix, "turtle")


def serialize(graph: Graph, fmt: str = "turtle") -> bytes:
    """``graph`` in format ``fmt`` (ours or rdflib's name), as deterministic UTF-8 bytes.

    >>> from rdflib import Graph, Literal
    >>> from kg.vocab import ENT
    >>> from rdflib.namespace import RDFS
    >>> g = Graph(); _ = g.add((ENT.微软, RDFS.label, Literal("微软", lang="zh")))
    >>> print(serialize(g).decode("utf-8"), end="")
    @prefix ent: <https://w3id.org/kgnews/entity/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <BLANKLINE>
    ent:微软 rdfs:label "微软"@zh .
    <BLANKLINE>
    """
    fmt = format_for("", fmt)
    with quiet_rdflib():
        return _serialize(graph, fmt)


def _serialize(graph: Graph, fmt: str) -> bytes:
    ordered = _ordered_copy(graph, quads=fmt in QUAD_FORMATS)
    if fmt == "json-ld":
        # An inline context: a remote one would make every reader fetch it over the network.
        text = ordered.serialize(format="json-ld", context=dict(PREFIXES), encoding="utf-8")
        # rdflib's JSON-LD writer walks set(graph.subjects()), so node order follows string
        # hashing and changes from run to run; sort the (unordered) JSON arrays ourselves.
        data = json.dumps(_sorted_json(json.loads(text)), indent=2, sort_keys=True,
                          ensure_ascii=False).encode("utf-8") + b"\n"
    else:
        data = ordered.serialize(format=_EXACT.get(fmt, fmt), encoding="utf-8")
    if fmt in ("nt", "nquads"):
        # Line-based formats: sorting the lines makes the output canonical outright.
        lines = sorted({line for line in data.split(b"\n") if line.strip()})
        data = b"\n".join(lines) + b"\n" if lines else b""
    return data


def write_graph(graph: Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Serialize ``graph`` to ``path`` atomically; the format comes from ``fmt`` or the suffix.

    Raises :class:`OutputError` when the file cannot be written (the old file, if any, stays).
    """
    path = Path(path)
    check_writable(path)
    rdf_format = format_for(path, fmt)
    try:
        data = serialize(graph, rdf_format)
    except UsageError:
        raise
    except Exception as e:  # noqa: BLE001 - rdflib serializers raise many types, e.g. for IRIs RDF/XML cannot split
        raise OutputError(f"{path}: cannot serialize the graph as {rdf_format}: {_one_line(e)}") from None
    atomic_write_bytes(path, data)
    return path


def load_graph(path: str | Path) -> Graph:
    """Parse an RDF file; the format comes from the suffix (Turtle if unknown).

    TriG and N-Quads files give a :class:`rdflib.Dataset`. Parsing is done offline (see
    :func:`offline`). Raises :class:`InputError` with a one-line reason.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    data = read_bytes(path, MAX_GRAPH_BYTES, "a graph file")
    if not data.strip():
        raise InputError(f"{path}: empty file")
    fmt = SUFFIXES.get(path.suffix.lower(), "turtle")
    if fmt == "xml":
        _check_xml(data, path)
    graph: Graph = Dataset() if fmt in QUAD_FORMATS else Graph()
    try:
        with offline(), quiet_rdflib():
            graph.parse(data=data, format=fmt)
    except Exception as e:  # noqa: BLE001 - each rdflib parser has its own exception types
        raise InputError(f"{path}: not a readable RDF file ({_parse_reason(e)})") from None
    for prefix, uri in PREFIXES.items():
        graph.bind(prefix, uri, override=True, replace=True)
    return graph


MAX_XML_ENTITIES = 100          # entity declarations in one RDF/XML file's DTD
MAX_XML_ENTITY_CHARS = 200      # the text of one entity: a namespace IRI, not a document (bounds expansion)


def _check_xml(data: bytes, path: Path) -> None:
    """Refuse an XML DTD that could expand without bound ("billion laughs": entities made of entities)
    or read another file or URL (external entities, external DTDs), before any parser expands it.
    Plain entities for namespace IRIs (``<!ENTITY rdf "http://...">``, as ontology editors write) pass."""
    from xml.parsers import expat

    def refuse(why: str):
        raise InputError(f"{path}: refused RDF/XML: {why}")

    count = 0

    def entity(name, is_parameter, value, base, system_id, public_id, notation):
        nonlocal count
        count += 1
        if system_id is not None or public_id is not None:
            refuse(f"external entity {name!r} (kg reads no other file or URL)")
        if is_parameter:
            refuse(f"parameter entity {name!r}")
        if value is not None and ("&" in value or "%" in value):
            refuse(f"entity {name!r} refers to other entities (entity expansion)")
        if value is not None and len(value) > MAX_XML_ENTITY_CHARS or count > MAX_XML_ENTITIES:
            refuse("too many or too large entities")

    def doctype(name, system_id, public_id, has_internal_subset):
        if system_id is not None or public_id is not None:
            refuse("external DTD (kg reads no other file or URL)")

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = entity
    parser.StartDoctypeDeclHandler = doctype
    parser.ExternalEntityRefHandler = lambda *a: refuse("external entity reference")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise InputError(f"{path}: not a readable RDF file (line {e.lineno}, column {e.offset}: "
                         f"{expat.ErrorString(e.code)})") from None


class NetworkBlocked(PermissionError):
    """Raised (through rdflib) when something tries to open a connection inside :func:`offline`."""


_OFFLINE: contextvars.ContextVar[bool] = contextvars.ContextVar("kg_offline", default=False)
_NETWORK_EVENTS = frozenset({"urllib.Request", "socket.connect", "socket.getaddrinfo",
                             "socket.gethostbyname", "http.client.connect"})
_hook_installed = False


def _audit(event: str, args: tuple) -> None:
    if event in _NETWORK_EVENTS and _OFFLINE.get():
        target = args[0] if args else ""
        raise NetworkBlocked(f"network access is disabled ({event} {target})")


@contextmanager
def offline() -> Iterator[None]:
    """Refuse every network connection made inside the block (JSON-LD remote contexts,
    SPARQL ``SERVICE`` or ``FROM <http://...>``), whatever library code tries it.

    Audit hooks see every ``urlopen`` and socket connect; they cannot be removed, so one
    hook is installed once and consults a context variable.

    >>> from urllib.request import urlopen
    >>> with offline():
    ...     urlopen("http://example.org/")
    Traceback (most recent call last):
    ...
    kg.graph.io.NetworkBlocked: network access is disabled (urllib.Request http://example.org/)
    """
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True
    token = _OFFLINE.set(True)
    try:
        yield
    finally:
        _OFFLINE.reset(token)


def _ordered_copy(graph: Graph, *, quads: bool) -> Graph:
    """A copy of ``graph`` with triples added in a canonical order and our prefixes bound."""
    if not quads and any(isinstance(t, BNode) for triple in graph for t in triple):
        # Blank node ids are random per process; canonical labels make them stable.
        from rdflib.compare import to_canonical_graph
        graph = to_canonical_graph(graph)
    if quads:
        out: Graph = Dataset()
        default = out.default_graph if hasattr(out, "default_graph") else out.default_context
        if isinstance(graph, ConjunctiveGraph):
            items = [(s, p, o, c.identifier) for s, p, o, c in graph.quads((None, None, None, None))]
        else:
            items = [(s, p, o, default.identifier) for s, p, o in graph]
        for s, p, o, c in sorted(items, key=lambda q: (q[3].n3(), q[0].n3(), q[1].n3(), q[2].n3())):
            out.add((s, p, o, default if c == default.identifier else out.graph(c)))
    else:
        # SimpleMemory scans its triples in insertion order; the default store keeps them in
        # a set, whose order follows string hashing (RDF/XML output changed run to run).
        out = Graph(store="SimpleMemory", bind_namespaces="core")
        for triple in sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())):
            out.add(triple)
    for prefix, uri in PREFIXES.items():
        out.bind(prefix, uri, override=True, replace=True)
    return out


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib 7 warns about its own internal use of ConjunctiveGraph and default_context;
    users of kg can do nothing about those."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib(\.|$)")
        yield


def _sorted_json(value, in_list: bool = False):
    """JSON-LD with every array sorted, except ``@list`` arrays, whose order is data."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, in_list=(k == "@list")) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        if in_list:
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _parse_reason(e: BaseException) -> str:
    """The useful part of a parser exception: where, and what went wrong."""
    if isinstance(e, UnicodeDecodeError):
        return "binary data or not UTF-8"
    why, line = getattr(e, "_why", None), getattr(e, "lines", None)
    if why is not None and isinstance(line, int):          # Turtle/TriG/N3 BadSyntax
        return _one_line(f"line {line + 1}: {why}")
    if hasattr(e, "getLineNumber"):                         # RDF/XML: SAXParseException
        return _one_line(f"line {e.getLineNumber()}, column {e.getColumnNumber()}: {e.getMessage()}")
    return _one_line(e)


def _one_line(e: BaseException, limit: int = 200) -> str:
    """An exception message squeezed onto one line (parser messages span several)."""
    text = re.sub(r"\s+", " ", str(e)).strip() or type(e).__name__
    return text if len(text) <= limit else text[:limit - 3] + "..."


