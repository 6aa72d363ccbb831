"""kg export from a graph file and from a store, every format read back by the library that reads it:
networkx (GraphML, GEXF), csv and openpyxl (the facts table), followthemoney (Aleph entities), rdflib (RDF)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.graph.io import write_graph
from kg.vocab import ENT

MS, OPENAI = str(ENT.Microsoft), str(ENT.OpenAI)


@pytest.fixture(scope="module")
def exported(articles_graph, tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """The example articles' graph as a .ttl file, exported with ``kg export GRAPH.ttl`` to every format."""
    from kg.cli import main

    d = tmp_path_factory.mktemp("export")
    ttl = d / "graph.ttl"
    write_graph(articles_graph, ttl)
    outs = {name: d / name for name in ("g.graphml", "g.gexf", "facts.csv", "facts.xlsx", "g.ftm.json", "g.nt",
                                         "g.jsonld", "g.trig")}
    for out in outs.values():
        assert main(["export", str(ttl), "--out", str(out)]) == 0
    return ttl, outs


def _investment_edges(G) -> list[dict]:
    return [d for u, v, d in G.edges(data=True) if u == MS and v == OPENAI and d["relation"] == "investsIn"]


@pytest.mark.parametrize("name, read", [("g.graphml", nx.read_graphml), ("g.gexf", nx.read_gexf)])
def test_gephi_networks_carry_both_names_amounts_and_evidence(exported, name, read):
    G = read(exported[1][name])
    ms = G.nodes[MS]
    assert ms["label_en"] == "Microsoft" and ms["label_zh"] == "微软"
    assert ms["class"] == "Organization" and ms["subclass"] == "Company" and ms["pagerank"] > 0
    [edge] = _investment_edges(G)
    assert edge["amount"] == pytest.approx(float(edge["amount"])) and edge["amount"] >= 1e9
    assert edge["currency"] == "USD" and isinstance(edge["year"], int) and 2000 < edge["year"] < 2100
    assert edge["sentence"] and ("OpenAI" in edge["sentence"]) and edge["document"].endswith(".txt")
    assert edge["relation_zh"] == "投资"
    chinese = [d for _n, d in G.nodes(data=True) if d.get("label_zh") and not d.get("label_en")]
    assert chinese, "an entity known only by its Chinese name keeps it"
    assert all(d.get("sentence") for _u, _v, d in G.edges(data=True))      # every kg relation has evidence


def test_facts_csv_opens_in_excel_and_reads_back(exported):
    path = exported[1]["facts.csv"]
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig", newline="")))
    assert list(rows[0])[:12] == ["subject", "subject_zh", "relation", "relation_zh", "object", "object_zh", "amount",
                                  "currency", "year", "sentence", "document", "confidence"]
    inv = [r for r in rows if r["subject"] == "Microsoft" and r["object"] == "OpenAI" and r["amount"]]
    assert inv and inv[0]["subject_zh"] == "微软" and int(inv[0]["amount"]) >= 10 ** 9 and inv[0]["currency"] == "USD"
    assert all(r["sentence"] and r["document"] for r in rows)
    # An event and the statement read from its sentence are one row: no sentence twice for one fact.
    keys = [(r["subject_iri"], r["relation"], r["object_iri"], r["sentence"], r["document"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_facts_xlsx_reads_back_with_numbers(exported, tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="the export extra (make installs it)")
    wb = openpyxl.load_workbook(exported[1]["facts.xlsx"], read_only=True)
    sheet = wb["facts"]
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[0]
    table = [dict(zip(head, r)) for r in rows[1:]]
    with exported[1]["facts.csv"].open(encoding="utf-8-sig", newline="") as f:
        assert len(table) == len(list(csv.DictReader(f)))
    inv = [r for r in table if r["subject"] == "Microsoft" and r["object"] == "OpenAI" and r["amount"]]
    assert inv and isinstance(inv[0]["amount"], int) and inv[0]["subject_zh"] == "微软"
    assert isinstance(inv[0]["year"], int) and isinstance(inv[0]["confidence"], float)
    from kg.cli import main

    again = tmp_path / "again.xlsx"
    assert main(["export", str(exported[0]), "--out", str(again)]) == 0
    assert again.read_bytes() == exported[1]["facts.xlsx"].read_bytes()        # same graph, same bytes


def test_followthemoney_entities_read_back(exported):
    ftm = pytest.importorskip("followthemoney", reason="the export extra (make installs it)")
    lines = exported[1]["g.ftm.json"].read_text(encoding="utf-8").splitlines()
    proxies = [ftm.model.get_proxy(json.loads(line)) for line in lines]
    by_id = {p.id: p for p in proxies}
    [ms] = [p for p in proxies if p.schema.name == "Company" and "Microsoft" in p.get("name")]
    assert "微软" in ms.get("name") and ms.get("wikidataId") == ["Q2283"]
    assert {p.schema.name for p in proxies} >= {"Company", "Person", "Article", "Payment", "Ownership", "Employment",
                                                "UnknownLink"}
    payments = [p for p in proxies if p.schema.name == "Payment" and ms.id in p.get("payer")]
    assert payments
    pay = payments[0]
    assert float(pay.get("amount")[0]) >= 1e9 and pay.get("currency") in (["USD"], ["usd"])
    assert pay.get("description") and by_id[pay.get("proof")[0]].schema.name == "Article"
    assert by_id[pay.get("beneficiary")[0]].get("name")[0] == "OpenAI"
    for p in proxies:
        if p.schema.edge:
            for prop in (p.schema.edge_source, p.schema.edge_target):
                assert all(v in by_id for v in p.get(prop)), (p.schema.name, prop)


def test_rdf_from_a_graph_file(exported):
    ttl, outs = exported
    original = Graph().parse(ttl)
    assert isomorphic(Graph().parse(outs["g.nt"], format="nt"), original)
    assert isomorphic(Graph().parse(outs["g.jsonld"], format="json-ld"), original)


def test_a_store_exports_what_its_file_exports(cli, tmp_path):
    from tests.paths import ARTICLES

    assert cli("build", ARTICLES, "--out", tmp_path / "g.ttl").returncode == 0
    assert cli("build", ARTICLES, "--store", tmp_path / "s", "--jobs", "1").returncode == 0
    for name in ("facts.csv", "g.graphml", "g.ftm.json"):
        a, b = tmp_path / f"file-{name}", tmp_path / f"store-{name}"
        assert cli("export", tmp_path / "g.ttl", "--out", a).returncode == 0
        r = cli("export", "--store", tmp_path / "s", "--out", b)
        assert r.returncode == 0, r.stderr
        assert a.read_bytes() == b.read_bytes(), name


def test_export_usage_errors(cli, tmp_path, exported):
    ttl = exported[0]
    for args, message in [((ttl, "--out", tmp_path / "x.pdf"), "unknown export format"),
                          (("--out", tmp_path / "x.csv"), "give a GRAPH file or --store DIR"),
                          ((ttl, "--store", tmp_path, "--out", tmp_path / "x.csv"), "give a GRAPH file or --store DIR"),
                          ((ttl, "--out", ttl), "is the graph being exported"),
                          ((tmp_path / "missing.ttl", "--out", tmp_path / "x.csv"), "missing.ttl")]:
        r = cli("export", *args)
        assert r.returncode == 2 and r.stderr.startswith("kg: error:") and message in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1
    assert not (tmp_path / "x.csv").exists()
