"""SPARQL 1.1 Graph Store HTTP Protocol, read side, for ``kg serve``: ``GET /data?graph=IRI`` answers one named
graph (a document's graph, the store index, the merge log) and ``GET /data?default`` the default graph (the
merged view), as Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept``. Writing (PUT, POST, DELETE) is refused:
the endpoint is read-only.

Each request becomes SPARQL that the endpoint's workers run like any query (same time limit, same read-only
handle): an ASK for whether the named graph exists, then a CONSTRUCT of its triples.

>>> graph_request("graph=https%3A%2F%2Fw3id.org%2Fkgnews%2Fdoc%2F0123456789abcdef")
('https://w3id.org/kgnews/doc/0123456789abcdef', None)
>>> graph_request("default"), graph_request(""), graph_request("graph=not%20an%20iri")[1]
((None, None), (None, 'give ?graph=IRI or ?default (SPARQL 1.1 Graph Store Protocol)'), 'not an absolute IRI: not an iri')
>>> construct(None), ask("https://w3id.org/kgnews/doc/x")
('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }', 'ASK { GRAPH <https://w3id.org/kgnews/doc/x> { ?s ?p ?o } }')
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs

PATH = "/data"
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def graph_request(qs: str) -> tuple[str | None, str | None]:
    """``(graph IRI or None for the default graph, error message or None)`` from a query string."""
    params = parse_qs(qs, keep_blank_values=True)
    if "graph" in params and "default" in params:
        return None, "give ?graph=IRI or ?default, not both"
    if "default" in params:
        return None, None
    if "graph" not in params:
        return None, "give ?graph=IRI or ?default (SPARQL 1.1 Graph Store Protocol)"
    iri = params["graph"][0]
    if not _IRI.fullmatch(iri):
        return None, f"not an absolute IRI: {iri[:200]}"
    return iri, None


def ask(iri: str) -> str:
    """SPARQL asking whether the store holds a named graph ``iri``."""
    return f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"


def construct(iri: str | None) -> str:
    """SPARQL for the triples of named graph ``iri`` (the default graph for None)."""
    if iri is None:
        return "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
