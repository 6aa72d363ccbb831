"""SPARQL over a corpus store (Oxigraph): refuse what must not run, run, convert the results.

Oxigraph would follow ``SERVICE`` and ``LOAD`` to the network, so queries are checked first, by
a small lexer that skips strings, IRIs and comments: a keyword inside a literal never counts.

>>> kind("SELECT * WHERE { ?s ?p 'INSERT DATA and SERVICE' } # DELETE")
'query'
>>> kind("PREFIX ex: <http://ex/> INSERT DATA { ex:a ex:b ex:c }"), kind("LOAD <http://ex/x.ttl>")
('update', 'update')
>>> check("SELECT * { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.QueryError: refused: SERVICE reaches other servers (allowed only with --allow-service)
>>> check("SELECT ?service WHERE { ?service ex:service ?x }")
"""
from __future__ import annotations

import re

from kg.errors import QueryError
from kg.vocab import PREFIXES

_SKIP = re.compile(r"""'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*""",
                   re.DOTALL)
_WORD = re.compile(r"(?<![\w?$:])([A-Za-z]+)(?![\w:])")
# Prefixes for writing Turtle/TriG: not ent:, whose local names may need escapes (ent:Acme_Inc\.)
# that Oxigraph writes correctly but rdflib (and so kg load_graph) cannot read.
WRITE_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "ent"}
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


def keywords(sparql: str) -> set[str]:
    """The bare words of a SPARQL text (upper-cased), outside strings, IRIs and comments."""
    return {w.upper() for w in _WORD.findall(_SKIP.sub(" ", sparql))}


def kind(sparql: str) -> str:
    """``"update"`` when the text uses an Update operation, else ``"query"``."""
    return "update" if keywords(sparql) & UPDATE_WORDS else "query"


def check(sparql: str, *, allow_service: bool = False, allow_update: bool = False) -> None:
    """Raise :class:`QueryError` for what is refused: SERVICE and LOAD (unless ``allow_service``),
    Update (unless ``allow_update``)."""
    if not sparql.strip():
        raise QueryError("empty SPARQL query")
    words = keywords(sparql)
    if "SERVICE" in words and not allow_service:
        raise QueryError("refused: SERVICE reaches other servers (allowed only with --allow-service)")
    if "LOAD" in words and not allow_service:
        raise QueryError("refused: LOAD reads from other servers (allowed only with --allow-service)")
    if words & UPDATE_WORDS and not allow_update:
        ops = sorted(words & UPDATE_WORDS)
        raise QueryError(f"refused: SPARQL Update ({', '.join(ops)}) is not allowed; the store is read-only here")


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
    """A pyoxigraph result as an rdflib ``Result``, so kg.query's formatting applies."""
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
    """Run a query on the merged view of a corpus store; an rdflib ``Result`` for kg.query's
    formatting. ``GRAPH ?doc { ... }`` reaches the per-document graphs."""
    from kg.store import CorpusStore

    with CorpusStore(store_path) as store:
        return to_rdflib_result(run(store.db, sparql, allow_service=allow_service))
