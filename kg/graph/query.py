"""Run read-only SPARQL queries over a kg graph, offline, and format the results.

Our prefixes (``kg:``, ``ent:``, ``rdfs:`` ...) are pre-bound, so queries may omit PREFIX lines.

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import RDFS
>>> from kg.vocab import ENT, KG
>>> g = Graph()
>>> _ = g.add((ENT.Microsoft, KG.investsIn, ENT.OpenAI))
>>> _ = g.add((ENT.OpenAI, RDFS.label, Literal("OpenAI", lang="en")))
>>> r = run_query(g, "SELECT ?who ?name WHERE { ?who kg:investsIn ?x . ?x rdfs:label ?name }")
>>> print(format_result(r, "table"), end="")
who            name
-------------  ------
ent:Microsoft  OpenAI
(1 row)
>>> run_query(g, "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.QueryError: SERVICE is refused: it reaches other servers (--allow-service permits it)
"""
from __future__ import annotations

import signal
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from kg.errors import KgError, QueryError, UsageError
from kg.graph.guard import check
from kg.graph.io import NetworkBlocked, offline, quiet_rdflib, serialize
from kg.vocab import PREFIXES

RESULT_FORMATS = ("table", "csv", "json")


def run_query(graph: Graph, sparql: str, *, allow_service: bool = False,
              timeout: float | None = None) -> Result:
    """Evaluate a SELECT, ASK, CONSTRUCT or DESCRIBE query; the result is fully evaluated.

    Refused with :class:`QueryError` by the policy of :mod:`kg.graph.guard` (malformed or too complex
    queries, SPARQL Update, and ``SERVICE`` unless ``allow_service``). ``FROM <iri>`` never loads
    anything, and every network connection is blocked while the query runs (unless ``allow_service``).
    ``timeout`` (seconds, main thread only) cuts a slow query off with a :class:`QueryError`.
    """
    analysis = check(sparql, allow_service=allow_service)
    query = _prepare(analysis)
    with _no_graph_loading(), quiet_rdflib(), (nullcontext() if allow_service else offline()), \
            _deadline(timeout):
        try:
            result = graph.query(query)
            # SELECT rows are computed lazily; compute them here, inside the guards.
            if result.type == "SELECT":
                _ = result.bindings
        except KgError:
            raise
        except NetworkBlocked as e:
            raise QueryError(f"refused: {e}") from None
        except RecursionError:
            raise QueryError("query failed: too deeply nested to evaluate") from None
        except Exception as e:  # noqa: BLE001 - evaluation errors of any kind are the query's fault
            raise QueryError(f"query failed: {_first_line(e)}") from None
    return result


class _Expired(BaseException):
    """Raised by the timer inside rdflib's evaluation; a BaseException so that no ``except Exception``
    in library code swallows it. :func:`_deadline` turns it into a :class:`QueryError`."""


@contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Cut the block off after ``seconds`` (SIGALRM; only in the main thread, elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise QueryError(f"query cut off: it ran longer than the {seconds:g} s limit (--timeout)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def format_result(result: Result, fmt: str = "table") -> str:
    """Text of a result: ``table`` (aligned columns, prefixed names), ``csv`` or ``json``
    (the SPARQL 1.1 results formats). ASK gives ``true``/``false`` (JSON: the standard
    boolean document); CONSTRUCT and DESCRIBE give Turtle whatever ``fmt`` is."""
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown result format {fmt!r} (use one of {', '.join(RESULT_FORMATS)})")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return serialize(result.graph, "turtle").decode("utf-8")
    if result.type == "ASK" and fmt != "json":
        return "true\n" if result.askAnswer else "false\n"
    if fmt in ("csv", "json"):
        text = result.serialize(format=fmt, encoding="utf-8").decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    return _table(result)


def compact(term: Any) -> str:
    """A term as a short plain string: a prefixed name, a literal's text, ``_:id``.

    >>> from kg.vocab import ENT, KG
    >>> compact(ENT.OpenAI), compact(KG.investsIn), compact(URIRef("http://example.org/x"))
    ('ent:OpenAI', 'kg:investsIn', '<http://example.org/x>')
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in _NAMESPACES:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return str(term)
    return str(term)


# Longest namespace first, so a namespace nested in another one wins.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def _prepare(analysis):
    """rdflib's algebra for the guard's parse tree (the canonical text is parsed once)."""
    from rdflib.plugins.sparql.algebra import translateQuery

    try:
        with quiet_rdflib():
            return translateQuery(analysis.parsed, initNs=PREFIXES)
    except RecursionError:
        raise QueryError("query too deeply nested to evaluate") from None
    except Exception as e:  # noqa: BLE001 - unknown prefixes and the like
        raise QueryError(f"malformed SPARQL: {_first_line(e)}") from None


@contextmanager
def _no_graph_loading() -> Iterator[None]:
    """Make ``FROM <iri>`` / ``FROM NAMED`` use only graphs already in the dataset; rdflib's
    default is to fetch and parse the IRI. The module flag is restored afterwards."""
    import rdflib.plugins.sparql as sparql_plugin

    saved = sparql_plugin.SPARQL_LOAD_GRAPHS
    sparql_plugin.SPARQL_LOAD_GRAPHS = False
    try:
        yield
    finally:
        sparql_plugin.SPARQL_LOAD_GRAPHS = saved


def _table(result: Result) -> str:
    names = [str(v) for v in result.vars or []]
    # result.bindings, not iter(result): iterating skips rows where every variable is unbound.
    rows = [[_cell(b.get(v)) for v in result.vars or []] for b in result.bindings]
    widths = [max([text_width(n)] + [text_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(pad_text(n, w) for n, w in zip(names, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad_text(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cell(term: Any) -> str:
    # Evidence sentences may span lines; a table row must not.
    return compact(term).replace("\r", " ").replace("\n", " ")


def text_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad_text(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (Chinese characters count two)."""
    return text + " " * (width - text_width(text))


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0].strip() if text else type(e).__name__
