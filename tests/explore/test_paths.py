"""kg.explore.paths and the `kg path` / `kg neighbors` / `kg render --focus` commands on a small graph."""
from __future__ import annotations

import json

import pytest

from kg.errors import UsageError
from kg.explore.network import centrality, communities
from kg.explore.paths import find_entity, neighbors, path
from kg.graph.io import write_graph
from kg.vocab import ENT
from tests.explore.test_render import make_graph


def test_find_entity_by_any_name():
    g = make_graph()
    for q in ("微软", "Microsoft", "microsoft", "微软公司", str(ENT.Microsoft)):
        assert find_entity(g, q) == str(ENT.Microsoft)
    with pytest.raises(UsageError):
        find_entity(g, "Nobody")


def test_path_has_evidence_for_every_hop():
    hops = path(make_graph(), "卜淑情", "GPT-4")
    assert [(h["from_label"], h["to_label"]) for h in hops] == [("卜淑情", "Microsoft"), ("Microsoft", "OpenAI"),
                                                                 ("OpenAI", "GPT-4")]
    rels = {r["relation"]: r for r in hops[1]["relations"]}
    assert set(rels) == {"investsIn", "partnersWith"}
    kinds = {e["kind"] for e in rels["investsIn"]["evidence"]}
    assert kinds == {"statement", "investment"}
    event = next(e for e in rels["investsIn"]["evidence"] if e["kind"] == "investment")
    assert (event["amount"], event["currency"], event["year"]) == ("1,000,000,000", "USD", "2019")
    assert all(e["sentence"] and e["document"] for h in hops for r in h["relations"] for e in r["evidence"])


def test_neighbors_and_centrality():
    g = make_graph()
    rows = neighbors(g, "OpenAI")
    assert [(r["label"], r["relations"]) for r in rows] == [
        ("GPT-4", ["develops →"]), ("Microsoft", ["partnersWith", "← investsIn"])]
    c = centrality(g)
    assert max(c, key=lambda v: c[v]["betweenness"]) in (str(ENT.Microsoft), str(ENT.OpenAI))
    groups = communities(g)
    assert sorted(v for group in groups for v in group) == sorted(c)     # every entity in exactly one
    assert groups == sorted(groups, key=lambda x: (-len(x), x[0]))


def test_cli_path_neighbors_and_render_focus(cli, tmp_path):
    kg = cli
    ttl = tmp_path / "g.ttl"
    write_graph(make_graph(), ttl)
    p = kg("path", str(ttl), "卜淑情", "OpenAI")
    assert p.returncode == 0 and "worksFor" in p.stdout and "卜淑情任职于微软。" in p.stdout
    n = kg("neighbors", str(ttl), "微软", "--json")
    assert n.returncode == 0 and {r["label"] for r in json.loads(n.stdout)} == {"OpenAI", "卜淑情"}
    r = kg("render", str(ttl), "--out", str(tmp_path / "g.html"), "--focus", "GPT-4", "--depth", "1")
    assert r.returncode == 0 and "2 nodes" in r.stderr
    for bad in (["path", str(ttl), "微软", "Nobody"], ["neighbors", str(ttl), "微软", "--depth", "0"],
                ["render", str(ttl), "--out", str(tmp_path / "x.html"), "--top", "0"]):
        proc = kg(*bad)
        assert proc.returncode == 2, bad
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("kg: error: ")
    assert not (tmp_path / "x.html").exists()
