"""kg.graph.io: round trips, byte-identical output, inline JSON-LD context, atomic writes, offline parsing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.errors import InputError, OutputError, UsageError
from kg.graph.io import FORMATS, format_for, load_graph, serialize, write_graph
from tests.paths import ROOT

# A graph following docs/model.md, with Chinese literals and IRIs, decimals that Turtle's
# short form would rewrite (1000000000 -> 1000000000.0) and a multi-line sentence.
MODEL_TTL = """
@prefix kg: <https://w3id.org/kgnews/ontology#> .
@prefix ent: <https://w3id.org/kgnews/entity/> .
@prefix doc: <https://w3id.org/kgnews/doc/> .
@prefix stmt: <https://w3id.org/kgnews/stmt/> .
@prefix evt: <https://w3id.org/kgnews/event/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

ent:Microsoft a kg:Organization , kg:Company ;
    rdfs:label "Microsoft"@en , "微软"@zh ; skos:altLabel "微软公司"@zh ;
    owl:sameAs wd:Q2283 ; kg:confidence 0.95 ; kg:mentionCount 14 ; kg:mentionedIn doc:3f2a9c0d1e2b4a5f .
ent:OpenAI a kg:Organization , kg:Company ; rdfs:label "OpenAI"@en ;
    kg:confidence 0.9 ; kg:mentionCount 9 ; kg:mentionedIn doc:3f2a9c0d1e2b4a5f .
ent:卜淑情 a kg:Person ; rdfs:label "卜淑情"@zh ; kg:mentionCount 1 .
ent:Microsoft kg:investsIn ent:OpenAI .
ent:卜淑情 kg:worksFor ent:Microsoft .
stmt:8c1e0f6a2b3d4e5f a rdf:Statement ;
    rdf:subject ent:Microsoft ; rdf:predicate kg:investsIn ; rdf:object ent:OpenAI ;
    kg:sentence "微软对 OpenAI 进行了重大投资,\\n金额达 10 亿美元。"@zh ;
    kg:startOffset 812 ; kg:endOffset 901 ; kg:trigger "对 OpenAI 进行了重大投资" ;
    kg:rule "investsIn.zh.1" ; kg:confidence 0.9 ; prov:wasDerivedFrom doc:3f2a9c0d1e2b4a5f .
evt:0a1b2c3d4e5f6071 a kg:Investment ;
    kg:investor ent:Microsoft ; kg:investee ent:OpenAI ;
    kg:amount "1000000000"^^xsd:decimal ; kg:currency "USD" ;
    kg:year "2019"^^xsd:gYear ; kg:date "2019-07"^^xsd:gYearMonth ;
    kg:sentence "微软对 OpenAI 进行了重大投资。"@zh ; kg:startOffset 812 ; kg:endOffset 901 ;
    kg:rule "investsIn.zh.1" ; kg:confidence 0.9 ; prov:wasDerivedFrom doc:3f2a9c0d1e2b4a5f .
doc:3f2a9c0d1e2b4a5f a kg:Document ; rdfs:label "微软投资 OpenAI" ;
    kg:sourcePath "examples/articles/openai-zh.txt" ;
    kg:contentHash "sha256:3f2a9c0d1e2b4a5f3f2a9c0d1e2b4a5f3f2a9c0d1e2b4a5f3f2a9c0d1e2b4a5f" ;
    kg:characters 2210 ; dcterms:language "zh" .
"""


@pytest.fixture
def model_graph() -> Graph:
    return Graph().parse(data=MODEL_TTL, format="turtle")


def _triples(g: Graph) -> Graph:
    """A Dataset's quads as one plain graph, to compare with the graph that was written."""
    if isinstance(g, Dataset):
        out = Graph()
        for s, p, o, _ in g.quads((None, None, None, None)):
            out.add((s, p, o))
        return out
    return g


@pytest.mark.parametrize("suffix", ["ttl", "jsonld", "nt", "rdf", "trig", "nq"])
def test_round_trip_is_isomorphic(tmp_path, model_graph, suffix):
    path = write_graph(model_graph, tmp_path / f"graph.{suffix}")
    loaded = _triples(load_graph(path))
    assert len(loaded) == len(model_graph)
    assert isomorphic(model_graph, loaded)


def test_turtle_keeps_literals_exact(tmp_path, model_graph):
    text = write_graph(model_graph, tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert '"1000000000"^^xsd:decimal' in text     # not rewritten as 1000000000.0
    assert "ent:卜淑情" in text
    assert "@prefix kg: <https://w3id.org/kgnews/ontology#>" in text


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt", "xml", "trig", "nq"])
def test_writing_twice_is_byte_identical(tmp_path, model_graph, fmt):
    a = write_graph(model_graph, tmp_path / "a", fmt).read_bytes()
    shuffled = Graph()
    for t in sorted(model_graph, reverse=True):      # other insertion order, same triples
        shuffled.add(t)
    b = write_graph(shuffled, tmp_path / "b", fmt).read_bytes()
    assert a == b


def test_output_identical_across_processes(tmp_path):
    """String hashing differs per process; the bytes written must not."""
    src = tmp_path / "model.ttl"
    src.write_text(MODEL_TTL, encoding="utf-8")
    script = ("import sys; from kg.graph.io import load_graph, write_graph\n"
              "g = load_graph(sys.argv[1])\n"
              "for fmt in ('ttl', 'jsonld', 'nt', 'xml', 'trig'):\n"
              "    write_graph(g, sys.argv[2] + '.' + fmt, fmt)\n")
    outputs = []
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        prefix = tmp_path / f"out{seed}"
        subprocess.run([sys.executable, "-c", script, str(src), str(prefix)], check=True, env=env)
        outputs.append({fmt: Path(f"{prefix}.{fmt}").read_bytes() for fmt in ("ttl", "jsonld", "nt", "xml", "trig")})
    assert outputs[0] == outputs[1] == outputs[2]


def test_jsonld_context_is_inline(tmp_path, model_graph):
    data = json.loads(write_graph(model_graph, tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    context = data["@context"]
    contexts = context if isinstance(context, list) else [context]
    assert all(isinstance(c, dict) for c in contexts), "a string @context is a remote one"
    assert context["kg"] == "https://w3id.org/kgnews/ontology#"


def test_blank_nodes_are_serialized_deterministically(tmp_path):
    g = Graph().parse(data='<http://e/a> <http://e/p> [ <http://e/q> "x" ] , [ <http://e/q> "y" ] .', format="turtle")
    h = Graph().parse(data='<http://e/a> <http://e/p> [ <http://e/q> "x" ] , [ <http://e/q> "y" ] .', format="turtle")
    assert serialize(g, "nt") == serialize(h, "nt")
    assert isomorphic(g, Graph().parse(data=serialize(g, "nt"), format="nt"))


def test_format_for():
    assert format_for("g.ttl") == "turtle"
    assert format_for("g.jsonld") == "json-ld"
    assert format_for("g.rdf") == "xml"
    assert format_for("graph") == "turtle" and format_for("g.unknown", "nt") == "nt"
    with pytest.raises(UsageError, match="suffix '.unknown'"):
        format_for("g.unknown")
    assert format_for("g.ttl", "nq") == "nquads"
    assert {f.suffix for f in FORMATS.values()} == {".ttl", ".nt", ".jsonld", ".trig", ".rdf", ".nq"}
    with pytest.raises(UsageError):
        format_for("g.ttl", "yaml")


def test_failed_serialization_leaves_old_file(tmp_path):
    path = tmp_path / "g.rdf"
    path.write_text("old", encoding="utf-8")
    g = Graph()
    g.add((URIRef("http://e/a"), URIRef("http://e/123"), Literal("x")))   # RDF/XML cannot name this predicate
    with pytest.raises(OutputError):
        write_graph(g, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["g.rdf"]       # no temporary file left behind


@pytest.mark.parametrize("where", ["missing-dir", "parent-is-file", "is-dir"])
def test_unwritable_output(tmp_path, model_graph, where):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    path = {"missing-dir": tmp_path / "nope" / "g.ttl", "parent-is-file": tmp_path / "file" / "g.ttl",
            "is-dir": tmp_path / "dir"}[where]
    with pytest.raises(OutputError) as e:
        write_graph(model_graph, path)
    assert "\n" not in str(e.value)


def test_load_graph_errors_are_one_line(tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_graph(bad)
    assert str(e.value).startswith(f"{bad}: not a readable RDF file (line 3")
    assert "\n" not in str(e.value)
    with pytest.raises(InputError, match="no such file"):
        load_graph(tmp_path / "missing.ttl")


def test_load_graph_never_fetches_remote_context(tmp_path):
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "http://schema.org/", "@id": "http://e/a", "name": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="network access is disabled"):
        load_graph(remote)
