"""kg.explore.render: one offline, escaped, deterministic HTML page (real rdflib and pyvis)."""
from __future__ import annotations

import json
import os
import re
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")

from kg.errors import OutputError, UsageError
from kg.explore.render import render_html
from kg.vocab import DOC, ENT, EVT, KG, PROV, STMT, WD

HOSTILE = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
           "</script><script>alert(2)</script>")


def make_graph(extra_label: str | None = None, extra_sentence: str | None = None) -> Graph:
    """A small graph shaped like docs/model.md: 4 entities, 3 relations, 1 investment event."""
    g = Graph()
    doc = DOC["3f2a9c0d1e2b4a5f"]
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, KG.sourcePath, Literal("examples/articles/openai-zh.txt")))

    def entity(key, top, sub=None, en=None, zh=None):
        e = ENT[key]
        g.add((e, RDF.type, KG[top]))
        if sub:
            g.add((e, RDF.type, KG[sub]))
        if en:
            g.add((e, RDFS.label, Literal(en, lang="en")))
        if zh:
            g.add((e, RDFS.label, Literal(zh, lang="zh")))
        g.add((e, KG.mentionedIn, doc))
        return e

    ms = entity("Microsoft", "Organization", "Company", "Microsoft", "微软")
    g.add((ms, SKOS.altLabel, Literal("微软公司", lang="zh")))
    g.add((ms, OWL.sameAs, WD.Q2283))
    oa = entity("OpenAI", "Organization", "Company", "OpenAI")
    gpt = entity("GPT-4", "Product", "AIModel", "GPT-4")
    bu = entity("卜淑情", "Person", zh=extra_label or "卜淑情")

    def relation(n, s, rel, o, sentence, conf="0.9"):
        g.add((s, KG[rel], o))
        st = STMT[f"{n:016x}"]
        for p, v in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, KG[rel]), (RDF.object, o),
                     (KG.sentence, Literal(sentence, lang="zh")), (KG.startOffset, Literal(n * 10)),
                     (KG.confidence, Literal(conf, datatype=XSD_DECIMAL)), (PROV.wasDerivedFrom, doc)):
            g.add((st, p, v))

    relation(1, ms, "investsIn", oa, "微软对 OpenAI 进行了重大投资。")
    relation(2, oa, "develops", gpt, "OpenAI 开发了 GPT-4。", "0.8")
    relation(3, ms, "partnersWith", oa, extra_sentence or "微软与 OpenAI 合作。")
    relation(4, bu, "worksFor", ms, "卜淑情任职于微软。")

    ev = EVT["0a1b2c3d4e5f6071"]
    for p, v in ((RDF.type, KG.Investment), (KG.investor, ms), (KG.investee, oa),
                 (KG.amount, Literal(Decimal(1000000000), datatype=XSD_DECIMAL)),
                 (KG.currency, Literal("USD")), (KG.year, Literal("2019", datatype=XSD_GYEAR)),
                 (KG.sentence, Literal("微软向 OpenAI 投资 10 亿美元。", lang="zh")),
                 (KG.confidence, Literal("0.9", datatype=XSD_DECIMAL)), (PROV.wasDerivedFrom, doc)):
        g.add((ev, p, v))
    return g


def page_data(text: str) -> dict:
    """The node/edge/options JSON the page embeds."""
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.DOTALL)
    assert m, "embedded data not found"
    return json.loads(m.group(1))


def test_writes_offline_utf8_page(tmp_path):
    out = tmp_path / "g.html"
    counts = render_html(make_graph(), out, title="测试 graph")
    text = out.read_bytes().decode("utf-8")          # raises if not UTF-8
    assert "Microsoft\\n微软" in text                  # bilingual label, in the embedded JSON
    assert "卜淑情" in text and "测试 graph" in text
    # Nothing the browser would fetch: no src/href to http(s) or protocol-relative URLs.
    # (The one exception: the panel's link to an entity's Wikidata page, followed only when clicked.)
    fetches = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"']*""", text, re.IGNORECASE)
    assert fetches == ['href = "https://www.wikidata.org/wiki/']
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", text, re.IGNORECASE)
    assert "vis.Network" in text and "stabilizationIterationsDone" in text
    assert counts == {"nodes": 4, "edges": 4, "total_nodes": 4, "total_edges": 4, "documents": 0, "texts": 0}
    data = page_data(text)
    assert len(data["nodes"]) == 4 and len(data["edges"]) == 4
    assert not list(tmp_path.glob(".*.tmp"))


def test_nodes_edges_and_tooltips(tmp_path):
    out = tmp_path / "g.html"
    render_html(make_graph(), out)
    data = page_data(out.read_text(encoding="utf-8"))
    colors = {n["label"]: n["color"] for n in data["nodes"]}
    assert len(set(colors.values())) == 3             # Organization, Product, Person
    assert colors["Microsoft\n微软"] == colors["OpenAI"]
    sizes = {n["label"]: n["size"] for n in data["nodes"]}
    assert sizes["Microsoft\n微软"] > sizes["GPT-4"] or sizes["OpenAI"] > sizes["卜淑情"]
    by_label = {e["label"].split("\n")[0]: e for e in data["edges"]}
    assert set(by_label) == {"investsIn", "develops", "partnersWith", "worksFor"}
    inv = by_label["investsIn"]
    assert "1,000,000,000 USD (2019)" in inv["label"]
    info = data["info"]["edges"][inv["id"]]
    assert info["rel"] == "investsIn" and not info["sym"]
    docs = [d["path"] for d in data["docs"]]
    said = {s[0]: [(docs[src[0]], src[4]) for src in s[1]] for s in info["ev"]}
    assert said["微软对 OpenAI 进行了重大投资。"] == [("examples/articles/openai-zh.txt", "0.9")]
    assert "微软向 OpenAI 投资 10 亿美元。" in said                  # the event's sentence, once
    assert info["inv"][0][:3] == ["2019", "1,000,000,000", "USD"] and info["years"] == [2019]
    assert info["ev"][info["inv"][0][5]][0] == "微软向 OpenAI 投资 10 亿美元。"
    assert inv["arrows"]["to"]["enabled"] is True
    assert by_label["partnersWith"]["arrows"]["to"]["enabled"] is False
    assert data["info"]["edges"][by_label["develops"]["id"]]["ev"][0][1][0][4] == "0.8"
    assert data["options"]["physics"]["stabilization"]["iterations"] == 150 and data["physics"] is True
    assert "multi" in data["options"]["nodes"]["font"] and not data["options"]["nodes"]["font"]["multi"]
    ms = next(n for n in data["nodes"] if n["label"] == "Microsoft\n微软")
    assert {"x", "y"} <= set(ms)                      # laid out in Python
    node = data["info"]["nodes"][ms["id"]]
    assert node["names"] == ["Microsoft", "微软"] and node["aliases"] == ["微软公司"] and node["wd"] == ["Q2283"]
    assert node["cls"] == "Organization" and node["sub"] == "Company"


def test_focus_top_and_communities(tmp_path):
    out = tmp_path / "g.html"
    counts = render_html(make_graph(), out, focus="GPT-4", depth=1)
    assert {k: counts[k] for k in ("nodes", "edges", "total_nodes", "total_edges")} == \
           {"nodes": 2, "edges": 1, "total_nodes": 4, "total_edges": 4}
    assert render_html(make_graph(), out, focus="微软", depth=1)["nodes"] == 3
    assert render_html(make_graph(), out, top=2)["nodes"] == 2
    assert render_html(make_graph(), out, focus="卜淑情", depth=0)["nodes"] == 1
    render_html(make_graph(), out, color_by="community")
    data = page_data(out.read_text(encoding="utf-8"))
    assert all(n["community"] is not None for n in data["info"]["nodes"].values())
    assert "Communities" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("kwargs", [{"focus": "nobody"}, {"top": 0}, {"color_by": "rainbow"}, {"focus": "微软", "depth": -1}])
def test_bad_options_raise_usage_error(tmp_path, kwargs):
    with pytest.raises(UsageError):
        render_html(make_graph(), tmp_path / "g.html", **kwargs)
    assert not (tmp_path / "g.html").exists()


def test_investment_without_direct_triple_still_drawn(tmp_path):
    g = make_graph()
    g.remove((ENT.Microsoft, KG.investsIn, ENT.OpenAI))
    counts = render_html(g, tmp_path / "g.html")
    assert counts["nodes"] == 4 and counts["edges"] == 4


def test_empty_graph(tmp_path):
    assert render_html(Graph(), tmp_path / "e.html")["nodes"] == 0


@pytest.mark.parametrize("evil", HOSTILE)
def test_hostile_text_is_inert(tmp_path, evil):
    out = tmp_path / "g.html"
    render_html(make_graph(extra_label=evil, extra_sentence=evil), out, title=evil)
    text = out.read_text(encoding="utf-8")
    assert evil not in text
    for needle in ("<img", "alert(1)</script", "<script>alert", "</script><script>"):
        assert needle not in text.lower()
    # Only our three <script> elements ever close, and no "<!--" can change how they parse.
    assert text.lower().count("</script") == 3 and "<!--" not in text
    data = page_data(text)                            # the text survives as data, unchanged
    assert any(n["label"] == evil for n in data["nodes"])
    assert any(evil == ev[0] for e in data["info"]["edges"].values() for ev in e["ev"])
    assert "&lt;" in text.split("<body>")[1].split("<script")[0]   # the title, HTML-escaped
    # Scripts run only by hash: an injected inline handler could not execute anyway.
    assert "'unsafe-inline'" not in re.search(r"script-src ([^;]*);", text).group(1)


def test_deterministic(tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    render_html(make_graph(), a)
    # Same triples added in another order: still byte-identical.
    g = Graph()
    for t in sorted(make_graph(), reverse=True):
        g.add(t)
    render_html(g, b)
    assert a.read_bytes() == b.read_bytes()


def test_missing_directory_raises(tmp_path):
    out = tmp_path / "nope" / "g.html"
    with pytest.raises(OutputError) as exc:
        render_html(make_graph(), out)
    assert "\n" not in str(exc.value)
    assert not (tmp_path / "nope").exists()


def test_parent_is_a_file_raises(tmp_path):
    parent = tmp_path / "file.txt"
    parent.write_text("x")
    with pytest.raises(OutputError):
        render_html(make_graph(), parent / "g.html")
    assert parent.read_text() == "x"


def test_out_path_is_directory_raises_and_cleans_up(tmp_path):
    (tmp_path / "d.html").mkdir()
    with pytest.raises(OutputError):
        render_html(make_graph(), tmp_path / "d.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.html"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_directory_raises(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            render_html(make_graph(), ro / "g.html")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o700)


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_unwritable_filesystem_raises():
    # /proc refuses new files even for root, where directory permissions do not apply.
    with pytest.raises(OutputError):
        render_html(make_graph(), "/proc/kg-render-test.html")


def test_existing_file_replaced_whole(tmp_path):
    out = tmp_path / "g.html"
    out.write_text("old")
    render_html(make_graph(), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
