"""The ``kg`` command line: its commands and their arguments, apart from what the commands do (:mod:`kg.cli`).
:func:`parser` is given the function each command runs, so that this module needs none of kg's libraries."""
from __future__ import annotations

import argparse
from collections.abc import Callable

from kg.errors import UsageError

OUTPUT_FORMATS = ("ttl", "turtle", "nt", "jsonld", "json-ld", "trig", "xml", "rdf", "nq")


class UsageParser(argparse.ArgumentParser):
    """Usage errors become a UsageError, so they too are one line on stderr."""

    def error(self, message: str):
        """Raise the usage error (argparse would print it and exit)."""
        raise UsageError(f"{message} (see '{self.prog} --help')")


def parser(commands: dict[str, Callable[[argparse.Namespace], int]]) -> argparse.ArgumentParser:
    """The ``kg`` parser; ``commands`` maps each command's name to the function that runs it (``args.run``)."""
    p = UsageParser(prog="kg", description="Knowledge graphs from Chinese and English news, as RDF.")
    p.add_argument("--version", action="version", version=f"kg {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=UsageParser)

    b = sub.add_parser("build", help="extract a graph from text files or directories")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="text files, or directories of .txt/.md/.text files")
    b.add_argument("--out", metavar="FILE", help="RDF file to write")
    b.add_argument("--store", metavar="DIR", help="build into (or update) an on-disk corpus store instead")
    b.add_argument("--jobs", type=int, metavar="N", help="extraction processes with --store (default: all cores)")
    b.add_argument("--cluster", metavar="ADDRESS",
                   help="with --store, extract on Dask workers: a scheduler (tcp://HOST:8786) or local:N processes")
    b.add_argument("--endpoint", metavar="URL",
                   help="with --store, then copy the store into a SPARQL server's Graph Store endpoint (see kg push)")
    b.add_argument("--format", choices=OUTPUT_FORMATS, help="RDF format (default: from the suffix of --out, else ttl)")
    b.add_argument("--html", metavar="FILE", help="also write an interactive HTML view")
    b.add_argument("--title", help="title of the HTML view")
    b.add_argument("--no-text", action="store_true",
                   help="leave the documents' text out of the HTML view (evidence sentences only)")
    b.add_argument("--report", metavar="FILE",
                   help="write the build report (facts per document, documents with none) as JSON")
    b.add_argument("--model", action="append", default=[], metavar="NAME",
                   help="a trained spaCy pipeline (package or path) whose NER joins the lexicons; repeat per language")
    b.set_defaults(run=commands["build"])

    q = sub.add_parser("query", help="run a SPARQL query (kg:, ent:, rdfs: ... prefixes are predefined)")
    q.add_argument("graph", nargs="?", metavar="GRAPH", help="RDF file written by kg build")
    q.add_argument("--store", metavar="DIR", help="query a corpus store instead of a GRAPH file")
    q.add_argument("--endpoint", metavar="URL",
                   help="query a SPARQL server instead (its query URL; credentials from KG_ENDPOINT_* variables)")
    q.add_argument("sparql", nargs="?", metavar="SPARQL", help="the query text")
    q.add_argument("--file", metavar="FILE", help="read the query from FILE (- for stdin)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table", help="result format (default: table)")
    q.add_argument("--bom", action="store_true",
                   help="start CSV output with a UTF-8 byte order mark, so Excel reads Chinese correctly")
    q.add_argument("--allow-service", action="store_true", help="allow SERVICE calls to remote endpoints")
    q.add_argument("--timeout", type=float, metavar="SECONDS", help="stop a query that runs longer (default: no limit)")
    q.set_defaults(run=commands["query"])

    r = sub.add_parser("render", help="write an interactive HTML view of a graph or a store")
    r.add_argument("graph", nargs="?", metavar="GRAPH")
    r.add_argument("--store", metavar="DIR", help="render a corpus store instead of a GRAPH file")
    r.add_argument("--no-text", action="store_true",
                   help="leave the documents' text out of the page (evidence sentences only)")
    r.add_argument("--out", required=True, metavar="FILE", help="HTML file to write")
    r.add_argument("--title", help="page title")
    r.add_argument("--focus", metavar="ENTITY", help="show only entities near this one (name in any language, or IRI)")
    r.add_argument("--depth", type=int, default=2, help="hops around --focus (default 2)")
    r.add_argument("--top", type=int, metavar="N", help="show only the N entities with the highest PageRank")
    r.add_argument("--color-by", choices=("class", "community"), default="class", help="node colours")
    r.set_defaults(run=commands["render"])

    pa = sub.add_parser("path", help="how two entities are connected, each hop with its evidence")
    pa.add_argument("graph", metavar="GRAPH")
    pa.add_argument("source", metavar="A", help="entity name (any language) or IRI")
    pa.add_argument("target", metavar="B")
    pa.add_argument("--json", action="store_true", help="print JSON")
    pa.set_defaults(run=commands["path"])

    nb = sub.add_parser("neighbors", help="entities near one entity, with the relations to it")
    nb.add_argument("graph", metavar="GRAPH")
    nb.add_argument("entity", metavar="ENTITY")
    nb.add_argument("--depth", type=int, default=1, help="hops (default 1)")
    nb.add_argument("--json", action="store_true", help="print JSON")
    nb.set_defaults(run=commands["neighbors"])

    s = sub.add_parser("stats", help="counts per class and relation, and the top entities")
    s.add_argument("graph", nargs="?", metavar="GRAPH")
    s.add_argument("--store", metavar="DIR", help="a corpus store instead of a GRAPH file")
    s.add_argument("--json", action="store_true", help="print JSON instead of a table")
    s.set_defaults(run=commands["stats"])

    v = sub.add_parser("validate", help="check a graph against the SHACL shapes (exit 1 if it does not conform)")
    v.add_argument("graph", metavar="GRAPH")
    v.set_defaults(run=commands["validate"])

    e = sub.add_parser("eval", help="score extraction against gold annotations (precision, recall, F1)")
    e.add_argument("gold", nargs="+", metavar="GOLD.json", help="gold files (the format of ../shared/eval/dev)")
    e.add_argument("--verbose", "-v", action="store_true", help="list what was missed and what was spurious")
    e.add_argument("--json", action="store_true", help="print JSON instead of a table")
    e.set_defaults(run=commands["eval"])

    rm = sub.add_parser("remove", help="remove one document from a corpus store")
    rm.add_argument("document", metavar="DOC", help="the document's file path, IRI or 16-hex id")
    rm.add_argument("--store", required=True, metavar="DIR")
    rm.set_defaults(run=commands["remove"])

    ex = sub.add_parser("export", help="write a graph or a store as RDF (ttl nt jsonld rdf trig nq), for Gephi "
                                       "(graphml gexf), as a facts table (csv xlsx) or for Aleph (ftm.json)")
    ex.add_argument("graph", nargs="?", metavar="GRAPH", help="RDF file written by kg build")
    ex.add_argument("--store", metavar="DIR", help="export a corpus store instead of a GRAPH file")
    ex.add_argument("--out", required=True, metavar="FILE", help="the format comes from the suffix")
    ex.set_defaults(run=commands["export"])

    pu = sub.add_parser("push", help="copy a corpus store into a SPARQL server (Graph Store HTTP Protocol)")
    pu.add_argument("--store", required=True, metavar="DIR")
    pu.add_argument("--endpoint", required=True, metavar="URL",
                    help="the server's Graph Store endpoint (Oxigraph: .../store, Virtuoso: .../sparql-graph-crud); "
                         "credentials from KG_ENDPOINT_TOKEN or KG_ENDPOINT_USER + KG_ENDPOINT_PASSWORD")
    pu.set_defaults(run=commands["push"])

    sv = sub.add_parser("serve", help="a SPARQL endpoint over a corpus store")
    sv.add_argument("--store", required=True, metavar="DIR")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=7878, help="0 picks a free port")
    sv.add_argument("--workers", type=int, metavar="N", help="query processes (default: all cores)")
    sv.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per-query limit (default 30)")
    sv.add_argument("--max-bytes", type=int, default=1 << 20, help="request size limit (default 1 MiB)")
    sv.add_argument("--max-connections", type=int, default=100, metavar="N",
                    help="open connections at once; more wait until one closes (default 100)")
    sv.add_argument("--idle-timeout", type=float, default=30.0, metavar="SECONDS",
                    help="close a connection idle this long (default 30)")
    sv.add_argument("--allow-update", action="store_true", help="accept SPARQL Update (one writing worker)")
    sv.add_argument("--allow-service", action="store_true", help="allow SERVICE and LOAD (they reach other servers)")
    sv.set_defaults(run=commands["serve"])
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("kg")
    except PackageNotFoundError:
        return "(not installed)"
