"""SPARQL over a corpus store (Oxigraph): refuse what must not run (:mod:`kg.graph.guard`), run, convert
the results to rdflib's, so :mod:`kg.graph.query` formats both alike.
"""
from __future__ import annotations

from kg.corpus.store import CorpusStore
from kg.errors import QueryError
from kg.graph.guard import check
from kg.vocab import PREFIXES

# Prefixes for writing Turtle/TriG: not ent:, whose local names may need escapes (ent:Acme_Inc\.)
# that Oxigraph writes correctly but rdflib (and so kg load_graph) cannot read.
WRITE_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "ent"}


def run(db, sparql: str, *, allow_service: bool = False):
    """Evaluate a query on a pyoxigraph store, our prefixes predefined. Raises QueryError."""
    check(sparql, allow_service=allow_service)
    try:
        return db.query(sparql, prefixes=dict(PREFIXES))
    except SyntaxError as e:
        raise QueryError(f"malformed SPARQL: {_first_line(e)}") from None
    except OSError as e:
        raise QueryError(f"query failed: {_first_line(e)}") from None


def to_rdflib_result(result):
    """A pyoxigraph result as an rdflib ``Result``, so kg.graph.query's formatting applies."""
    from pyoxigraph import QueryBoolean, QuerySolutions
    from rdflib import Graph, Variable
    from rdflib.query import Result

    if isinstance(result, QueryBoolean):
        r = Result("ASK")
        r.askAnswer = bool(result)
        return r
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        r = Result("SELECT")
        r.vars = [Variable(n) for n in names]
        rows = []
        for sol in result:
            row = {}
            for n in names:
                t = sol[n]
                if t is not None:
                    row[Variable(n)] = to_rdflib(t)
            rows.append(row)
        r.bindings = rows
        return r
    g = Graph()
    for t in result:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    r = Result("CONSTRUCT")
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


def query_store(store_path, sparql: str, *, allow_service: bool = False):
    """Run a query on the merged view of a corpus store; an rdflib ``Result`` for kg.graph.query's
    formatting. ``GRAPH ?doc { ... }`` reaches the per-document graphs."""
    with CorpusStore(store_path) as store:
        return to_rdflib_result(run(store.db, sparql, allow_service=allow_service))
