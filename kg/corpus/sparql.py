"""SPARQL over a corpus store (Oxigraph): refuse what must not run (:mod:`kg.graph.guard`), run the guard's
canonical text, convert the results to rdflib's, so :mod:`kg.graph.query` formats both alike.

:func:`query_store` runs the query in a child process: Oxigraph evaluates in native code that neither
Ctrl-C nor a timer can stop, but a process can be killed.
"""
from __future__ import annotations

import multiprocessing
import signal
import threading

from kg.corpus.store import CorpusStore
from kg.errors import KgError, QueryError
from kg.graph.guard import check
from kg.vocab import PREFIXES

# Prefixes for writing Turtle/TriG: not ent:, whose local names may need escapes (ent:Acme_Inc\.)
# that Oxigraph writes correctly but rdflib (and so kg load_graph) cannot read.
WRITE_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "ent"}


def run(db, sparql: str, *, allow_service: bool = False):
    """Evaluate a query on a pyoxigraph store, our prefixes predefined. Raises QueryError."""
    text = check(sparql, allow_service=allow_service).text
    try:
        return db.query(text, prefixes=dict(PREFIXES))
    except SyntaxError as e:
        raise QueryError(f"malformed SPARQL: {_first_line(e)}") from None
    except OSError as e:
        raise QueryError(f"query failed: {_first_line(e)}") from None


def to_rdflib_result(result):
    """A pyoxigraph result as an rdflib ``Result``, so kg.graph.query's formatting applies."""
    return _result(*_plain(result))


def _plain(result) -> tuple:
    """A pyoxigraph result as picklable rdflib terms: ("ASK", bool) / ("SELECT", names, rows) /
    ("CONSTRUCT", triples). Iterating is evaluating: errors of evaluation surface here (RuntimeError
    for a damaged store, which :class:`CorpusStore` reports)."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    try:
        if isinstance(result, QueryBoolean):
            return ("ASK", bool(result))
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            rows = [[None if sol[n] is None else to_rdflib(sol[n]) for n in names] for sol in result]
            return ("SELECT", names, rows)
        return ("CONSTRUCT", [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result])
    except OSError as e:
        raise QueryError(f"query failed: {_first_line(e)}") from None


def _result(kind: str, *data):
    from rdflib import Graph, Variable
    from rdflib.query import Result

    r = Result(kind)
    if kind == "ASK":
        r.askAnswer = data[0]
    elif kind == "SELECT":
        names, rows = data
        r.vars = [Variable(n) for n in names]
        r.bindings = [{Variable(n): t for n, t in zip(names, row) if t is not None} for row in rows]
    else:
        g = Graph()
        for t in data[0]:
            g.add(t)
        r.graph = g
    return r


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    from pyoxigraph import BlankNode, Literal, NamedNode
    from rdflib import BNode as RB
    from rdflib import Literal as RL
    from rdflib import URIRef

    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return RB(term.value)
    if isinstance(term, Literal):
        if term.language:
            return RL(term.value, lang=term.language)
        dt = term.datatype.value
        return RL(term.value, datatype=None if dt == "http://www.w3.org/2001/XMLSchema#string" else URIRef(dt))
    raise QueryError(f"unsupported term in result: {term}")


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0].strip() if text else type(e).__name__


def query_store(store_path, sparql: str, *, allow_service: bool = False, timeout: float | None = None):
    """Run a query on the merged view of a corpus store; an rdflib ``Result`` for kg.graph.query's
    formatting. ``GRAPH ?doc { ... }`` reaches the per-document graphs. The query runs in a child
    process, killed after ``timeout`` seconds or on Ctrl-C."""
    text = check(sparql, allow_service=allow_service).text      # refuse before starting anything
    CorpusStore.check_exists(store_path)
    # fork is cheap and safe while this process has one thread (the CLI); otherwise start afresh.
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() \
        else "spawn"
    ctx = multiprocessing.get_context(method)
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, str(store_path), text, allow_service), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryError(f"query cut off: it ran longer than the {timeout:g} s limit (--timeout)")
        try:
            status, payload = parent.recv()
        except EOFError:
            raise QueryError(f"query failed: the query process died (exit status {_exit(proc)})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if status == "error":
        raise payload
    return _result(*payload)


def _child(conn, store_path: str, text: str, allow_service: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's: it kills this process
    try:
        with CorpusStore(store_path) as store:
            reply = ("ok", _plain(run(store.db, text, allow_service=allow_service)))
    except KgError as e:
        reply = ("error", e)
    except Exception as e:  # noqa: BLE001 - reported to the parent as one line
        reply = ("error", QueryError(f"query failed: {_first_line(e)}"))
    conn.send(reply)
    conn.close()


def _exit(proc) -> str:
    proc.join(5)
    code = proc.exitcode
    return f"killed by signal {-code}" if code is not None and code < 0 else str(code)
