"""kg.graph.validate: the SHACL shapes accept a graph following docs/model.md and catch its violations."""
from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal
from rdflib import namespace as ns
from rdflib.namespace import RDF

from kg.graph.validate import relation_shapes, validate
from kg.vocab import DOC, ENT, EVT, KG, RELATIONS, STMT

VALID = """
@prefix kg: <https://w3id.org/kgnews/ontology#> .
@prefix ent: <https://w3id.org/kgnews/entity/> .
@prefix doc: <https://w3id.org/kgnews/doc/> .
@prefix stmt: <https://w3id.org/kgnews/stmt/> .
@prefix evt: <https://w3id.org/kgnews/event/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

ent:Microsoft a kg:Organization , kg:Company ; rdfs:label "Microsoft"@en , "微软"@zh ;
    kg:confidence 0.95 ; kg:mentionCount 2 ; kg:mentionedIn doc:d1 .
ent:OpenAI a kg:Organization , kg:Company ; rdfs:label "OpenAI"@en .
ent:Google a kg:Organization ; rdfs:label "谷歌"@zh .
ent:Sam_Altman a kg:Person ; rdfs:label "Sam Altman"@en .
ent:GPT-4 a kg:Product , kg:AIModel ; rdfs:label "GPT-4"@en .

ent:Microsoft kg:investsIn ent:OpenAI .
ent:OpenAI kg:competesWith ent:Google .
ent:Sam_Altman kg:worksFor ent:OpenAI .
ent:OpenAI kg:develops ent:GPT-4 .

stmt:s1 a rdf:Statement ; rdf:subject ent:Microsoft ; rdf:predicate kg:investsIn ; rdf:object ent:OpenAI ;
    kg:sentence "微软对 OpenAI 进行了投资。"@zh ; kg:startOffset 0 ; kg:endOffset 16 ;
    kg:trigger "进行了投资" ; kg:rule "investsIn.zh.1" ; kg:confidence 0.9 ; prov:wasDerivedFrom doc:d1 .
# symmetric: the evidence may state it the other way round
stmt:s2 a rdf:Statement ; rdf:subject ent:Google ; rdf:predicate kg:competesWith ; rdf:object ent:OpenAI ;
    kg:sentence "谷歌与 OpenAI 竞争。"@zh ; kg:startOffset 17 ; kg:endOffset 17 ;
    kg:rule "competesWith.zh.1" ; kg:confidence 0.8 ; prov:wasDerivedFrom doc:d1 .

evt:e1 a kg:Investment ; kg:investor ent:Microsoft ; kg:investee ent:OpenAI ;
    kg:amount "1000000000"^^xsd:decimal ; kg:currency "USD" ; kg:year "2019"^^xsd:gYear ;
    kg:date "2019-07"^^xsd:gYearMonth ;
    kg:sentence "微软对 OpenAI 进行了投资。"@zh ; kg:startOffset 0 ; kg:endOffset 16 ;
    kg:rule "investsIn.zh.1" ; kg:confidence 0.9 ; prov:wasDerivedFrom doc:d1 .

doc:d1 a kg:Document ; rdfs:label "微软对 OpenAI 进行了投资。" ; kg:sourcePath "a.txt" ;
    kg:contentHash "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" ;
    kg:characters 30 ; dcterms:language "zh" .
"""


@pytest.fixture
def graph() -> Graph:
    return Graph().parse(data=VALID, format="turtle")


def test_valid_graph_conforms(graph):
    conforms, report = validate(graph)
    assert conforms, report


def _fails(graph: Graph, *expected: str) -> str:
    conforms, report = validate(graph)
    assert not conforms
    for text in expected:
        assert text in report, report
    return report


def test_statement_without_sentence(graph):
    graph.remove((STMT.s1, KG.sentence, None))
    _fails(graph, "stmt:s1  kg:sentence")


def test_lowercase_currency(graph):
    graph.set((EVT.e1, KG.currency, Literal("usd")))
    _fails(graph, "evt:e1  kg:currency")


def test_works_for_from_an_organization(graph):
    graph.add((ENT.Microsoft, KG.worksFor, ENT.OpenAI))
    _fails(graph, "ent:Microsoft  -  subject of kg:worksFor must be a kg:Person")


def test_range_is_checked(graph):
    graph.add((ENT.Microsoft, KG.investsIn, ENT["GPT-4"]))
    _fails(graph, "object of kg:investsIn must be a kg:Organization")


@pytest.mark.parametrize("change, expected", [
    (lambda g: g.set((STMT.s1, KG.startOffset, Literal(20))), "stmt:s1  kg:startOffset"),
    (lambda g: g.set((STMT.s1, KG.confidence, Literal(Decimal("1.5")))), "stmt:s1  kg:confidence"),
    (lambda g: g.set((STMT.s1, KG.confidence, Literal(0.9))), "stmt:s1  kg:confidence"),   # a double
    (lambda g: g.add((STMT.s1, KG.endOffset, Literal(18))), "stmt:s1  kg:endOffset"),
    (lambda g: g.remove((STMT.s1, None, DOC.d1)), "stmt:s1  prov:wasDerivedFrom"),
    (lambda g: g.set((STMT.s1, RDF.predicate, KG.sentence)), "stmt:s1  rdf:predicate"),
    (lambda g: g.remove((ENT.Microsoft, KG.investsIn, ENT.OpenAI)), "without its direct triple"),
    (lambda g: g.set((EVT.e1, KG.amount, Literal("-5", datatype=ns.XSD.decimal))), "evt:e1  kg:amount"),
    (lambda g: g.set((EVT.e1, KG.year, Literal("2019"))), "evt:e1  kg:year"),
    (lambda g: g.add((EVT.e1, KG.investee, ENT.Google)), "evt:e1  kg:investee"),
    (lambda g: g.remove((EVT.e1, KG.investor, None)), "evt:e1  kg:investor"),
    (lambda g: g.set((DOC.d1, KG.contentHash, Literal("sha256:ABC"))), "doc:d1  kg:contentHash"),
    (lambda g: g.remove((ENT.Google, ns.RDFS.label, None)), "ent:Google  rdfs:label"),
    (lambda g: g.add((ENT.Google, RDF.type, KG.Person)), "ent:Google"),   # two top classes
])
def test_violations(graph, change, expected):
    change(graph)
    _fails(graph, expected)


def test_report_is_deterministic(graph):
    graph.set((EVT.e1, KG.currency, Literal("usd")))
    graph.remove((STMT.s1, KG.sentence, None))
    assert validate(graph) == validate(graph)


def test_relation_shapes_cover_all_relations():
    g = relation_shapes()
    assert len(set(g.subjects(RDF.type, None))) == 2 * len(RELATIONS) == 20
