"""kg: knowledge graphs from Chinese and English news.

Read articles, extract who invests in, competes with, depends on, partners with, owns, develops, acquires,
works for, founded and supplies whom -- with the sentence behind every fact -- and get an RDF graph.

>>> import kg
>>> g = kg.build_graph(["examples/articles/anthropic-cloud.en.txt"])   # doctest: +SKIP
>>> kg.run_query(g, "SELECT ?s WHERE { ?s kg:investsIn ?o }")         # doctest: +SKIP
"""
__version__ = "0.1.0"

from kg.build import build_graph

__all__ = ["__version__", "build_graph", "run_query"]


def run_query(graph, sparql, **kwargs):
    """Run SPARQL on a graph (SERVICE and updates refused); see :func:`kg.graph.query.run_query`."""
    # lazy: `import kg` need not load rdflib's SPARQL engine
    from kg.graph.query import run_query as _run
    return _run(graph, sparql, **kwargs)
