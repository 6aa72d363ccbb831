"""Export a corpus store: RDF files (the merged view, or every graph) and entity networks for Gephi.

* ``.ttl .nt .jsonld .rdf``: the merged default graph.
* ``.trig .nq``: the whole dataset: the merged view, one named graph per document, the merge log.
* ``.graphml .gexf``: the entity network of :func:`kg.explore.network.to_networkx`, for Gephi.

Triples are written sorted, so the same store gives the same file; the file appears atomically.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from kg.atomic import check_writable
from kg.corpus.sparql import WRITE_PREFIXES, run, to_rdflib
from kg.corpus.store import INDEX, CorpusStore
from kg.errors import OutputError, UsageError
from kg.explore.network import to_networkx
from kg.explore.stats import stats
from kg.vocab import RELATIONS

RDF_SUFFIXES = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD", ".rdf": "RDF_XML",
                ".trig": "TRIG", ".nq": "N_QUADS"}
NETWORK_SUFFIXES = (".graphml", ".gexf")

# What the entity network and the statistics need from the merged view: types, entity labels, every
# relation the ontology declares (kg.vocab.RELATIONS) and the investment roles.
_NETWORK_PREDICATES = " ".join(f"kg:{p}" for p in [*sorted(RELATIONS), "investor", "investee"])
NETWORK_QUERY = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ ?s a ?o . BIND(rdf:type AS ?p) FILTER(?o != rdf:Statement) }}
  UNION {{ ?s rdfs:label ?o . BIND(rdfs:label AS ?p) FILTER(STRSTARTS(STR(?s), STR(ent:))) }}
  UNION {{ VALUES ?p {{ {_NETWORK_PREDICATES} }} ?s ?p ?o }}
}}"""


def export_store(store_path: str | Path, out: str | Path) -> dict:
    """Write the store to ``out``; the format comes from the suffix. Returns counts."""
    from pyoxigraph import DefaultGraph, RdfFormat, serialize

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in RDF_SUFFIXES and suffix not in NETWORK_SUFFIXES:
        known = ", ".join(list(RDF_SUFFIXES) + list(NETWORK_SUFFIXES))
        raise UsageError(f"{out}: unknown export format {suffix or '(no suffix)'!r} (use one of {known})")
    check_writable(out)
    with CorpusStore(store_path) as store:
        if suffix in NETWORK_SUFFIXES:
            return _write_network(network_graph(store), out, suffix)
        fmt = getattr(RdfFormat, RDF_SUFFIXES[suffix])
        if fmt.supports_datasets:
            items = [q for q in store.db.quads_for_pattern(None, None, None, None) if q.graph_name != INDEX]
            items.sort(key=lambda q: (str(q.graph_name) if not isinstance(q.graph_name, DefaultGraph) else "",
                                      str(q.subject), str(q.predicate), str(q.object)))
        else:
            items = [q.triple for q in store.db.quads_for_pattern(None, None, None, DefaultGraph())]
            items.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        prefixes = dict(WRITE_PREFIXES) if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
        _atomic(out, lambda f: serialize(items, f, format=fmt, prefixes=prefixes) if prefixes
                else serialize(items, f, format=fmt))
        return {"triples" if not fmt.supports_datasets else "quads": len(items)}


def network_graph(store):
    """The part of the merged view the entity network and statistics read, as an rdflib graph."""
    from rdflib import Graph

    g = Graph()
    for t in run(store.db, NETWORK_QUERY):
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


def store_stats(store_path: str | Path) -> dict:
    """:func:`kg.explore.stats.stats` for a store's merged view, plus the store's own counts."""
    with CorpusStore(store_path) as store:
        d = stats(network_graph(store))
        d["triples"] = store.count()
        n = next(iter(run(store.db, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a rdf:Statement }")))
        d["classes"]["Statement"] = int(n["n"].value)
        d["documents_in_store"] = len(store.documents())
        d["merges"] = len(store.merges())
    return d


def _write_network(graph, out: Path, suffix: str) -> dict:
    import networkx as nx

    G = to_networkx(graph)
    clean = nx.MultiDiGraph()
    for n, data in G.nodes(data=True):
        clean.add_node(n, **{k: ("" if v is None else v) for k, v in data.items()})
    for u, v, k, data in G.edges(keys=True, data=True):
        clean.add_edge(u, v, key=k, **{a: ("" if b is None else b) for a, b in data.items()})
    writer = nx.write_graphml if suffix == ".graphml" else nx.write_gexf
    _atomic(out, lambda f: writer(clean, f))
    return {"nodes": clean.number_of_nodes(), "edges": clean.number_of_edges()}


def _atomic(path: Path, write) -> None:
    """Call ``write(binary file)`` on a temporary file, then rename it over ``path``."""
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        _unlink(tmp)
        raise OutputError(f"{path}: cannot write ({e.strerror or e})") from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(p: Path) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass
