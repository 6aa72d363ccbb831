"""Export a graph file or a corpus store: RDF, entity networks for Gephi, a facts table, FollowTheMoney.

* ``.ttl .nt .jsonld .rdf``: the graph (a store's merged default graph).
* ``.trig .nq``: a store's whole dataset: the merged view, one named graph per document, the merge log
  (a graph file: its one graph).
* ``.graphml .gexf``: the entity network of :func:`kg.explore.network.to_networkx`, for Gephi: nodes with
  both names, class, subclass, PageRank; edges with relation, amount, currency, year, evidence sentence and
  document (:func:`network`).
* ``.csv .xlsx``: one row per fact (:mod:`kg.corpus.tables`); ``.ftm.json``: FollowTheMoney entities
  for Aleph (:mod:`kg.corpus.ftm`).

Output is deterministic (sorted; the same input gives the same bytes) and appears atomically.
"""
from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from kg.atomic import atomic_write, check_writable
from kg.corpus.ftm import ftm_entities, write_ftm
from kg.corpus.sparql import WRITE_PREFIXES, run, to_rdflib
from kg.corpus.store import INDEX, CorpusStore
from kg.corpus.tables import fact_rows, write_csv, write_xlsx
from kg.errors import OutputError, UsageError
from kg.explore.evidence import read_sources
from kg.explore.facts import documents, entities, read_facts
from kg.explore.network import pagerank, to_networkx
from kg.explore.render import render_html
from kg.explore.stats import stats
from kg.vocab import RELATIONS, label

RDF_SUFFIXES = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD", ".rdf": "RDF_XML",
                ".trig": "TRIG", ".nq": "N_QUADS"}
NETWORK_SUFFIXES = (".graphml", ".gexf")
TABLE_SUFFIXES = (".csv", ".xlsx")
FTM_SUFFIXES = (".ftm.json", ".ftm")       # line-delimited JSON entities, what alephclient write-entities reads

# What the entity network and the statistics need from the merged view: types, entity labels, every
# relation the ontology declares (kg.vocab.RELATIONS) and the investment roles.
_NETWORK_PREDICATES = " ".join(f"kg:{p}" for p in [*sorted(RELATIONS), "investor", "investee"])
NETWORK_QUERY = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ ?s a ?o . BIND(rdf:type AS ?p) FILTER(?o != rdf:Statement) }}
  UNION {{ ?s rdfs:label ?o . BIND(rdfs:label AS ?p) FILTER(STRSTARTS(STR(?s), STR(ent:))) }}
  UNION {{ VALUES ?p {{ {_NETWORK_PREDICATES} }} ?s ?p ?o }}
}}"""


def export_format(out: str | Path) -> str:
    """The export's format from the file name: an RDF suffix, ``graphml``, ``gexf``, ``csv``, ``xlsx`` or
    ``ftm``; :class:`UsageError` for anything else.

    >>> export_format("a.trig"), export_format("facts.CSV"), export_format("aleph.ftm.json")
    ('.trig', '.csv', '.ftm')
    """
    name = Path(out).name.lower()
    if name.endswith(FTM_SUFFIXES):
        return ".ftm"
    suffix = Path(name).suffix
    if suffix in RDF_SUFFIXES or suffix in NETWORK_SUFFIXES or suffix in TABLE_SUFFIXES:
        return suffix
    known = ", ".join([*RDF_SUFFIXES, *NETWORK_SUFFIXES, *TABLE_SUFFIXES, FTM_SUFFIXES[0]])
    raise UsageError(f"{out}: unknown export format {suffix or '(no suffix)'!r} (use one of {known})")


def export_store(store_path: str | Path, out: str | Path) -> dict:
    """Write the store to ``out``; the format comes from the suffix. Returns counts."""
    from pyoxigraph import DefaultGraph, RdfFormat, serialize

    out = Path(out)
    suffix = export_format(out)
    check_writable(out)
    if os.path.realpath(out).startswith(os.path.realpath(store_path) + os.sep):
        raise OutputError(f"{out}: is inside the store {store_path}; write the export elsewhere")
    with CorpusStore(store_path) as store:
        if suffix not in RDF_SUFFIXES:
            return write_derived(analysis_graph(store), out, suffix)
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


def export_graph(graph_path: str | Path, out: str | Path) -> dict:
    """Write the graph file ``graph_path`` (any RDF kg reads) to ``out``; the format comes from the suffix."""
    from kg.graph.io import format_for, load_graph, write_graph

    out = Path(out)
    suffix = export_format(out)
    check_writable(out)
    if Path(graph_path).resolve() == out.resolve():
        raise UsageError(f"{out}: is the graph being exported; write the export elsewhere")
    graph = load_graph(graph_path)
    if suffix in RDF_SUFFIXES:
        write_graph(graph, out, format_for(out))
        return {"triples": len(graph)}
    return write_derived(graph, out, suffix)


def write_derived(graph, out: Path, suffix: str) -> dict:
    """Write what is derived from a kg graph: a network (``.graphml`` ``.gexf``), a facts table (``.csv``
    ``.xlsx``) or FollowTheMoney entities (``.ftm``). Returns counts."""
    if suffix in NETWORK_SUFFIXES:
        return _write_network(graph, out, suffix)
    if suffix in TABLE_SUFFIXES:
        rows = fact_rows(graph)
        _atomic(out, lambda f: (write_csv if suffix == ".csv" else write_xlsx)(rows, f))
        return {"facts": len(rows)}
    entities = ftm_entities(graph)
    _atomic(out, lambda f: write_ftm(entities, f))
    return {"entities": len(entities)}


# What the derived exports and the explorer need from a store's merged view: types, names, every relation
# the ontology declares, the statements and events with their evidence, the documents. Not the
# resolution index, the merge log, kg:mentionedIn, rules or triggers.
ANALYSIS_QUERY = """
CONSTRUCT { ?s ?p ?o } WHERE {
  ?s ?p ?o
  FILTER(?p NOT IN (kg:mentionedIn, kg:rule, kg:trigger))
}"""


def render_store(store_path: str | Path, out: str | Path, **options) -> dict:
    """:func:`kg.explore.render.render_html` of a store's merged view; the article text is read from the files
    the store's index names (absolute paths), where they still hold the stored text."""
    with CorpusStore(store_path) as store:
        graph = analysis_graph(store)
        files = {iri: file for iri, (file, _sha) in store.documents().items()}
    texts = None
    if options.get("include_text", True):
        texts = read_sources(documents(graph), paths=files)
    return render_html(graph, out, texts=texts, **options)


def analysis_graph(store):
    """The part of a store's merged view that the exports and the explorer read, as an rdflib graph."""
    from rdflib import Graph

    g = Graph()
    for t in run(store.db, ANALYSIS_QUERY):
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


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


def network(graph) -> nx.MultiDiGraph:
    """The entity network with what Gephi users need on it, plain values only (what GraphML/GEXF hold).

    Nodes: ``label`` (English, else Chinese), ``label_en``, ``label_zh``, ``aliases``, ``class``, ``subclass``,
    ``pagerank``, ``degree``, ``mentions``, ``wikidata``. Edges: ``relation``, ``relation_zh``, ``facts`` (how
    many sentences or events state it), ``sentence``, ``document`` and ``confidence`` of its best evidence
    (the event with the largest amount, else the most confident statement), ``amount`` (a number),
    ``currency`` and ``year`` of that event, ``events``. A value the graph lacks is left out, not written empty.
    """
    G = to_networkx(graph)
    rank = pagerank(G)
    by_edge: dict[tuple, list] = {}
    for f in read_facts(graph):
        by_edge.setdefault(f.key, []).append(f)
    docs = documents(graph)
    info = entities(graph, G.nodes)
    out = nx.MultiDiGraph()
    for n, data in G.nodes(data=True):
        e = info[n]
        attrs = {"label": e.name, "label_en": e.en, "label_zh": e.zh, "aliases": "; ".join(e.aliases),
                 "class": data.get("cls") or "", "subclass": data.get("sub") or "", "pagerank": round(rank[n], 8),
                 "degree": G.degree(n), "mentions": e.mentions, "wikidata": "; ".join(e.wikidata), "iri": n}
        out.add_node(n, **{k: v for k, v in attrs.items() if v not in (None, "")})
    for u, v, k, data in G.edges(keys=True, data=True):
        rel = data["relation"]
        facts = by_edge.get((rel, *sorted((u, v))) if data.get("symmetric") else (rel, u, v), [])
        best = _best(facts)
        attrs = {"relation": rel, "label": rel, "relation_zh": label(rel, "zh"), "facts": len(facts),
                 "events": sum(f.kind == "event" for f in facts)}
        if best is not None:
            doc = docs.get(best.document)
            attrs |= {"sentence": best.sentence, "document": doc.path if doc and doc.path else best.document,
                      "confidence": _float(best.confidence), "amount": _float(best.amount),
                      "currency": best.currency, "year": best.year}
        out.add_edge(u, v, key=k, **{a: b for a, b in attrs.items() if b not in (None, "")})
    return out


def _best(facts: list):
    """The fact an edge shows: the event with the largest amount, else the most confident with a sentence."""
    events = [f for f in facts if f.kind == "event"]
    if events:
        return min(events, key=lambda f: (f.amount is None, -(f.amount or 0), -(f.year or 0), f.node))
    stated = [f for f in facts if f.sentence]
    if stated:
        return min(stated, key=lambda f: (-(_float(f.confidence) or 0), f.document, f.start or 0, f.node))
    return None


def _float(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _write_network(graph, out: Path, suffix: str) -> dict:
    G = network(graph)
    writer = nx.write_graphml if suffix == ".graphml" else nx.write_gexf
    _atomic(out, lambda f: writer(G, f))
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


def _atomic(path: Path, write) -> None:
    """Call ``write(binary file)`` on a temporary file, then rename it over ``path`` (:mod:`kg.atomic`)."""
    atomic_write(path, write)
