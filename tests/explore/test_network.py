"""kg.explore.network on a hand-built graph: the entity network, PageRank, degree, stats."""
from __future__ import annotations

import json

import networkx as nx
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.explore.network import degree, pagerank, to_networkx
from kg.explore.stats import format_stats, stats
from kg.vocab import DOC, ENT, EVT, KG, RELATIONS, STMT


@pytest.fixture
def graph() -> Graph:
    g = Graph()
    entities = [("Microsoft", KG.Company, "微软"), ("OpenAI", KG.Company, None), ("Google", KG.Organization, "谷歌"),
                ("SoftBank", KG.InvestmentFirm, "软银"), ("Sam_Altman", KG.Person, None), ("GPT-4", KG.AIModel, None),
                ("Beijing", KG.City, "北京")]
    for name, cls, zh in entities:
        top = {KG.Company: KG.Organization, KG.InvestmentFirm: KG.Organization, KG.AIModel: KG.Product,
               KG.City: KG.Place}.get(cls, cls)
        g.add((ENT[name], RDF.type, top))
        g.add((ENT[name], RDF.type, cls))
        g.add((ENT[name], RDFS.label, Literal(name.replace("_", " "), lang="en")))
        if zh:
            g.add((ENT[name], RDFS.label, Literal(zh, lang="zh")))
    g.add((ENT.Microsoft, KG.investsIn, ENT.OpenAI))
    g.add((ENT.Sam_Altman, KG.worksFor, ENT.OpenAI))
    g.add((ENT.OpenAI, KG.develops, ENT["GPT-4"]))
    g.add((ENT.Google, KG.competesWith, ENT.OpenAI))
    # An event repeating the direct triple, and one with no direct triple.
    for event, investor in [(EVT.e1, ENT.Microsoft), (EVT.e2, ENT.SoftBank)]:
        g.add((event, RDF.type, KG.Investment))
        g.add((event, KG.investor, investor))
        g.add((event, KG.investee, ENT.OpenAI))
    g.add((DOC.d1, RDF.type, KG.Document))
    g.add((STMT.s1, RDF.type, RDF.Statement))
    return g


def test_to_networkx(graph):
    G = to_networkx(graph)
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == 7                       # Beijing too, though it has no edges
    ms = str(ENT.Microsoft)
    assert G.nodes[ms] == {"label": "Microsoft", "cls": "Organization", "sub": "Company"}
    assert G.nodes[str(ENT.Beijing)]["cls"] == "Place"
    edges = sorted((u.rsplit("/", 1)[1], v.rsplit("/", 1)[1], d["relation"], d["source"])
                   for u, v, d in G.edges(data=True))
    assert edges == [("Google", "OpenAI", "competesWith", "triple"),
                     ("Microsoft", "OpenAI", "investsIn", "triple"),      # event e1 adds no second edge
                     ("OpenAI", "GPT-4", "develops", "triple"),
                     ("Sam_Altman", "OpenAI", "worksFor", "triple"),
                     ("SoftBank", "OpenAI", "investsIn", "event")]


def test_pagerank(graph):
    ranks = pagerank(graph)
    assert set(ranks) == {str(ENT[n]) for n in ["Microsoft", "OpenAI", "Google", "SoftBank", "Sam_Altman", "GPT-4", "Beijing"]}
    assert sum(ranks.values()) == pytest.approx(1.0)
    assert max(ranks, key=ranks.get) == str(ENT.OpenAI)
    assert ranks[str(ENT["GPT-4"])] > ranks[str(ENT.Microsoft)]    # OpenAI passes rank on to GPT-4
    # competesWith is symmetric: Google gets rank back from OpenAI, Microsoft does not
    assert ranks[str(ENT.Google)] > ranks[str(ENT.Microsoft)]
    assert pagerank(Graph()) == {}


def test_pagerank_matches_networkx_reference():
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
    G = nx.gnm_random_graph(40, 90, seed=7, directed=True)
    M = nx.MultiDiGraph(G)
    ours, ref = pagerank(M), _pagerank_python(G, tol=1e-12)
    assert max(abs(ours[n] - ref[n]) for n in G) < 1e-6


def test_degree(graph):
    d = degree(graph)
    assert d[str(ENT.OpenAI)] == 5
    assert d[str(ENT.Beijing)] == 0
    assert d[str(ENT.Microsoft)] == 1


def test_stats(graph):
    s = stats(graph)
    assert s["triples"] == len(graph)
    assert s["entities"] == 7
    assert s["classes"] == {"Organization": 4, "Person": 1, "Product": 1, "Place": 1,
                            "Document": 1, "Investment": 2, "Acquisition": 0, "Statement": 1}
    assert set(s["relations"]) == set(RELATIONS)
    assert s["relations"]["investsIn"] == 1 and s["relations"]["acquires"] == 0
    assert s["top"][0] == {"entity": str(ENT.OpenAI), "label": "OpenAI", "cls": "Organization",
                           "pagerank": s["top"][0]["pagerank"], "degree": 5,
                           "betweenness": s["top"][0]["betweenness"]}
    assert s["top"][0]["betweenness"] == round(10 / 15, 6)   # the 10 paths among the other 5 run through OpenAI
    assert s["communities"]["count"] >= 1 and s["communities"]["singletons"] == 1   # Beijing
    assert len(s["top"]) == 7
    json.dumps(s)   # plain data


def test_stats_top_is_limited_and_deterministic():
    g = Graph()
    for i in range(15):
        g.add((ENT[f"E{i:02d}"], RDF.type, KG.Organization))
    top = stats(g)["top"]
    assert len(top) == 10
    assert [t["entity"] for t in top] == sorted(t["entity"] for t in top)   # ties broken by IRI


def test_format_stats(graph):
    text = format_stats(stats(graph))
    assert "Organization" in text and "investsIn" in text
    assert "ent:OpenAI" in text and "GPT-4" in text
    assert "between" in text and "communities (Louvain)" in text
