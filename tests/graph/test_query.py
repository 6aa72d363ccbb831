"""kg.graph.query: read-only, offline SPARQL with our prefixes, and the result formats."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.errors import QueryError, UsageError
from kg.graph.query import format_result, run_query
from kg.vocab import ENT, KG


@pytest.fixture
def graph() -> Graph:
    g = Graph()
    for name, zh in [("Microsoft", "微软"), ("OpenAI", None), ("Google", "谷歌")]:
        g.add((ENT[name], RDF.type, KG.Organization))
        g.add((ENT[name], RDFS.label, Literal(name, lang="en")))
        if zh:
            g.add((ENT[name], RDFS.label, Literal(zh, lang="zh")))
    g.add((ENT.Microsoft, KG.investsIn, ENT.OpenAI))
    g.add((ENT.Google, KG.competesWith, ENT.OpenAI))
    return g


@pytest.mark.parametrize("sparql", [
    "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://dbpedia.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x.example/> { ?s ?p ?o } } }",
    "SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE <http://x.example/> { ?s ?p ?o } } } }",
    "select * where { service <http://x.example/> { ?s ?p ?o } }",
])
def test_service_is_refused(graph, sparql):
    with pytest.raises(QueryError, match="SERVICE is refused"):
        run_query(graph, sparql)


@pytest.mark.parametrize("sparql, keyword", [
    ("INSERT DATA { ent:a kg:investsIn ent:b }", "INSERT DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
    ("CLEAR DEFAULT", "CLEAR"),
    ("DROP ALL", "DROP"),
    ("CREATE GRAPH <http://x.example/g>", "CREATE"),
])
def test_update_is_refused(graph, sparql, keyword):
    before = len(graph)
    with pytest.raises(QueryError, match=f"SPARQL Update \\({keyword}\\)"):
        run_query(graph, sparql)
    assert len(graph) == before


def test_load_is_refused(graph):
    with pytest.raises(QueryError, match=r"Update \(LOAD\)"):
        run_query(graph, "LOAD <http://example.org/data.ttl>")


def test_literal_mentioning_service_is_allowed(graph):
    graph.add((ENT.OpenAI, KG.sentence, Literal("SERVICE <http://x.example/> { ?s ?p ?o }")))
    r = run_query(graph, 'SELECT ?s WHERE { ?s kg:sentence "SERVICE <http://x.example/> { ?s ?p ?o }" }')
    assert [row.s for row in r] == [ENT.OpenAI]


def test_from_clause_loads_nothing():
    """rdflib would fetch FROM <iri> into a dataset; kg turns that off."""
    ds = Dataset()
    ds.default_graph.add((ENT.a, KG.investsIn, ENT.b))
    r = run_query(ds, "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }")
    assert list(r) == []


@pytest.mark.parametrize("sparql", ["SELECT ?s WHERE { ?s", "SELEC * WHERE {}", "SELECT * WHERE { ?s nope:x ?o }", ""])
def test_malformed_is_one_line(graph, sparql):
    with pytest.raises(QueryError) as e:
        run_query(graph, sparql)
    assert "\n" not in str(e.value)


def test_prefixes_are_prebound(graph):
    r = run_query(graph, "SELECT ?o WHERE { ent:Microsoft kg:investsIn ?o }")
    assert [row.o for row in r] == [ENT.OpenAI]
    # a query's own PREFIX still wins
    r = run_query(graph, "PREFIX e: <https://w3id.org/kgnews/entity/> ASK { e:Microsoft kg:investsIn e:OpenAI }")
    assert r.askAnswer is True


def test_table_shows_prefixed_names_and_plain_labels(graph):
    r = run_query(graph, 'SELECT ?s ?label WHERE { ?s kg:investsIn ?o ; rdfs:label ?label } ORDER BY ?label')
    lines = format_result(r, "table").splitlines()
    assert lines[0].split() == ["s", "label"]
    assert lines[2].split() == ["ent:Microsoft", "Microsoft"]
    assert lines[3].split() == ["ent:Microsoft", "微软"]
    assert lines[-1] == "(2 rows)"


def test_csv_parses_back(graph):
    r = run_query(graph, "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label")
    rows = list(csv.reader(io.StringIO(format_result(r, "csv"))))
    assert rows[0] == ["s", "label"]
    assert ["https://w3id.org/kgnews/entity/Google", "谷歌"] in rows
    assert len(rows) == 1 + 5


def test_json_parses_back(graph):
    r = run_query(graph, "SELECT ?s ?label WHERE { ?s rdfs:label ?label }")
    data = json.loads(format_result(r, "json"))
    assert data["head"]["vars"] == ["s", "label"]
    assert len(data["results"]["bindings"]) == 5
    labels = {b["label"]["value"]: b["label"].get("xml:lang") for b in data["results"]["bindings"]}
    assert labels["微软"] == "zh"


def test_ask(graph):
    yes = run_query(graph, "ASK { ent:Microsoft kg:investsIn ent:OpenAI }")
    no = run_query(graph, "ASK { ent:OpenAI kg:investsIn ent:Microsoft }")
    assert format_result(yes, "table") == "true\n"
    assert format_result(no, "csv") == "false\n"
    assert json.loads(format_result(yes, "json"))["boolean"] is True


def test_construct_gives_turtle(graph):
    r = run_query(graph, "CONSTRUCT { ?o kg:investsIn ?s } WHERE { ?s kg:investsIn ?o }")
    text = format_result(r, "table")
    assert "ent:OpenAI kg:investsIn ent:Microsoft ." in text
    assert len(Graph().parse(data=text, format="turtle")) == 1


def test_unknown_result_format(graph):
    with pytest.raises(UsageError):
        format_result(run_query(graph, "ASK {}"), "xml")
