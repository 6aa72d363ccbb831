"""The HTML explorer in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

No network: every non-file request is aborted (and recorded), on top of the page's CSP. Without
Chromium or Playwright the tests skip, saying which is missing; with ``KG_REQUIRE_BROWSER=1`` (what
.ci/run sets after installing chromium and fonts-wqy-microhei) they fail instead.
A screenshot of the seed article's graph is left in build/browser-tests/ for a person to look at.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.explore.network import to_networkx
from kg.explore.render import render_html
from tests.explore.test_render import make_graph
from tests.paths import ROOT, SEED
from tests.tools.browser import (
    REQUIRE_ENV,
    BrowserMissing,
    OfflinePage,
    browser,
    browser_missing,
    browser_required,
)

# Skip at collection (nothing built, nothing launched) unless a missing browser must fail: then the ctx
# fixture below reports it as an error of every test.
MISSING = None if browser_required() else browser_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"browser tests: {MISSING}")

SHOTS = ROOT / "build" / "browser-tests"
INFO = "JSON.parse(document.getElementById('kg-data').textContent).info"
PWNED = "window.__pwned === undefined && window.__dialogs === undefined"
HOSTILE_DOC = """微软<img src=x onerror="window.__pwned=1">对 OpenAI 进行了重大投资<script>window.__pwned=2</script>。

Microsoft invested $1 billion in OpenAI <img src=x onerror=window.__pwned=3> in 2019.</script><script>window.__pwned=4</script>

谷歌与 OpenAI 竞争<svg onload=window.__pwned=5>。
"""
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective); });
"""


@pytest.fixture(scope="module")
def ctx():
    try:
        with browser() as c:
            yield c
    except BrowserMissing as e:
        if browser_required():
            pytest.fail(f"{REQUIRE_ENV}=1 and {e}", pytrace=False)
        pytest.skip(f"browser tests: {e}")


@pytest.fixture(scope="module")
def seed(seed_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seed.html"
    counts = render_html(seed_graph, out, title="kg: seed article 种子文章")
    return seed_graph, out, counts


@pytest.fixture
def page(ctx):
    p = OfflinePage(ctx)
    p.page.add_init_script(WATCH)
    p.page.on("dialog", lambda d: (p.errors.append("dialog: " + d.message), d.dismiss()))
    yield p
    p.close()


def assert_offline(p: OfflinePage) -> None:
    assert p.blocked == [], f"the page asked the network for {p.blocked}"
    assert all(u.startswith(("file:", "data:", "about:")) for u in p.requests), p.requests
    assert p.errors == []
    assert p.page.evaluate("window.__csp") == []


def hover_point(p: OfflinePage, edge_id: str) -> dict:
    """A point on the drawn edge (straight or curved) with no node over it, in page coordinates."""
    pt = p.page.evaluate("""(eid) => {
      const net = kg.network, edge = net.body.edges[eid], box = document.getElementById("graph").getBoundingClientRect();
      for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65]) {
        const d = net.canvasToDOM(edge.edgeType.getPoint(t));
        if (net.getNodeAt(d) === undefined && net.getEdgeAt(d) === eid) { return {x: d.x + box.left, y: d.y + box.top}; }
      }
      return null; }""", edge_id)
    assert pt, f"no free point on edge {edge_id}"
    return pt


def search(p: OfflinePage, text: str) -> str:
    p.page.fill("#search", text)
    p.page.press("#search", "Enter")
    p.page.wait_for_selector("#panel:not([hidden])")
    selected = p.page.evaluate("kg.network.getSelectedNodes()")
    assert len(selected) == 1
    return selected[0]


def test_seed_page_loads_offline_with_every_node_and_edge(page, seed):
    graph, html, counts = seed
    ms = page.open(html)
    assert ms < 15_000
    assert_offline(page)
    G = to_networkx(graph)
    shown = page.page.evaluate("[kg.nodes.length, kg.edges.length, kg.network.body.nodeIndices.length]")
    connected = sum(1 for n in G.nodes if G.degree(n))
    assert shown == [G.number_of_nodes(), G.number_of_edges(), connected]     # unconnected ones hidden at first
    assert shown[:2] == [counts["nodes"], counts["edges"]] and connected < G.number_of_nodes()
    assert page.page.evaluate("kg.network.physics.options.enabled") is False   # settled, then stopped


def test_search_finds_chinese_and_english_names(page, seed):
    page.open(seed[1])
    found = {q: search(page, q) for q in ("微软", "Microsoft", "microsoft ")}
    assert len(set(found.values())) == 1
    assert page.page.inner_text("#panel h2") == "Microsoft"
    assert "微软" in page.page.inner_text("#panel")
    page.page.fill("#search", "Open")                  # prefix matches are listed as you type
    assert "OpenAI" in page.page.inner_text("#results")
    assert_offline(page)


def test_hovering_an_edge_shows_its_evidence(page, seed):
    page.open(seed[1])
    infos = page.page.evaluate(INFO + ".edges")
    eid = next(e for e, info in sorted(infos.items()) if info["ev"] and not info["inv"])
    pt = hover_point(page, eid)
    page.page.mouse.move(pt["x"], pt["y"], steps=4)
    page.page.wait_for_selector("#tip:not([hidden])")
    tip = page.page.inner_text("#tip")
    assert infos[eid]["ev"][0][0][:30] in tip                       # the sentence
    assert SEED.name in tip and "confidence" in tip                # the document and the confidence
    page.page.screenshot(path=str(_shots() / "seed-hover.png"))


def test_click_opens_panel_with_facts_and_wikidata(page, seed):
    page.open(seed[1])
    nid = page.page.evaluate("kg.find('Microsoft')[0]")
    xy = page.page.evaluate("""(id) => { const d = kg.network.canvasToDOM(kg.network.getPositions([id])[id]);
      const b = document.getElementById("graph").getBoundingClientRect(); return {x: d.x + b.left, y: d.y + b.top}; }""", nid)
    page.page.mouse.click(xy["x"], xy["y"])
    page.page.wait_for_selector("#panel:not([hidden])")
    panel = page.page.inner_text("#panel")
    assert page.page.inner_text("#panel h2") == "Microsoft" and "微软" in panel
    assert "investsIn" in panel and "USD" in panel                   # the investment event, readable
    assert page.page.locator("#panel .fact").count() == page.page.evaluate(f"kg.network.getConnectedEdges('{nid}').length")
    assert page.page.locator("#panel blockquote").count() >= 1
    href = page.page.get_attribute("#panel a", "href")
    assert href and href.startswith("https://www.wikidata.org/wiki/Q")
    assert_offline(page)                                           # showing a link fetches nothing


def test_filters_by_class_and_relation(page, seed):
    page.open(seed[1])
    hidden = "[kg.nodes.get({filter: n => n.hidden}).length, kg.edges.get({filter: e => e.hidden}).length]"
    page.page.check("#unconnected")
    assert page.page.evaluate(hidden) == [0, 0]
    page.page.uncheck("#controls input[data-kind=cls][value=Product]")
    info = page.page.evaluate(INFO)
    products = sum(1 for n in info["nodes"].values() if n["cls"] == "Product")
    competes = sum(1 for e in info["edges"].values() if e["rel"] == "competesWith")
    assert page.page.evaluate(hidden)[0] == products > 0
    page.page.check("#controls input[data-kind=cls][value=Product]")
    page.page.uncheck("#controls input[data-kind=rel][value=competesWith]")
    assert page.page.evaluate(hidden) == [0, competes] and competes > 0
    assert "filtered" in page.page.inner_text("#summary")


def test_unconnected_entities_hidden_until_asked_for(page, seed):
    graph, html, _counts = seed
    page.open(html)
    G = to_networkx(graph)
    isolated = sorted(n for n in G.nodes if G.degree(n) == 0)
    assert isolated and not page.page.is_checked("#unconnected")
    assert str(len(isolated)) in page.page.inner_text("#controls")
    visible = "kg.network.body.nodeIndices.length"
    assert page.page.evaluate(visible) == G.number_of_nodes() - len(isolated)
    page.page.check("#unconnected")
    assert page.page.evaluate(visible) == G.number_of_nodes()
    page.page.uncheck("#unconnected")
    assert page.page.evaluate(visible) == G.number_of_nodes() - len(isolated)


def test_year_filter_over_dated_facts(page, seed):
    page.open(seed[1])
    info = page.page.evaluate(INFO + ".edges")
    dated = {e: i["years"] for e, i in info.items() if i["years"]}
    assert dated, "the seed article has dated investments"
    lo, hi = page.page.evaluate("[+document.getElementById('year-from').value, +document.getElementById('year-to').value]")
    assert [lo, hi] == [min(min(y) for y in dated.values()), max(max(y) for y in dated.values())]
    shown = "kg.edges.get({filter: e => !e.hidden}).map(e => e.id).sort()"
    page.page.fill("#year-from", str(hi + 1))
    page.page.dispatch_event("#year-from", "change")
    assert not set(page.page.evaluate(shown)) & set(dated)              # no dated fact after the last year
    page.page.uncheck("#undated")
    assert page.page.evaluate(shown) == []
    page.page.fill("#year-from", str(lo))
    page.page.dispatch_event("#year-from", "change")
    assert page.page.evaluate(shown) == sorted(dated)


def test_a_fact_opens_its_article_with_the_sentence_highlighted(page, seed):
    page.open(seed[1])
    search(page, "Microsoft")
    first = page.page.locator("#panel button.read").first
    said = first.locator("xpath=ancestor::div[contains(@class,'said')]/blockquote").inner_text()
    first.click()
    page.page.wait_for_selector("#doc:not([hidden]) mark")
    mark = page.page.inner_text("#doc mark")
    assert " ".join(mark.split()) == " ".join(said.split())
    assert SEED.name in page.page.inner_text("#doc .path")
    paragraph = page.page.locator("#doc mark").locator("xpath=..").inner_text()
    assert len(paragraph) > len(mark) or paragraph == mark                  # the sentence in its paragraph
    text = SEED.read_text(encoding="utf-8")
    assert mark.strip() in text and paragraph.strip() in text               # the article's own words
    page.page.screenshot(path=str(_shots() / "seed-article.png"))
    assert_offline(page)


def test_no_text_page_carries_no_article(page, seed_graph, tmp_path):
    html = tmp_path / "no-text.html"
    counts = render_html(seed_graph, html, include_text=False)
    assert counts["texts"] == 0
    page.open(html)
    search(page, "Microsoft")
    assert page.page.locator("#panel blockquote").count() > 0
    assert page.page.locator("#panel button.read").count() == 0
    assert page.page.evaluate("JSON.parse(document.getElementById('kg-data').textContent).docs"
                              ".every(d => d.parts.length === 0)")


def test_hostile_document_runs_nothing(page, tmp_path):
    from kg.build import build_graph
    doc = tmp_path / "evil.txt"
    doc.write_text(HOSTILE_DOC, encoding="utf-8")
    graph = build_graph([str(doc)])
    evil = "<img src=x onerror=window.__pwned=6>"
    for t in make_graph(extra_label=evil, extra_sentence="<script>window.__pwned=7</script>"):
        graph.add(t)
    html = tmp_path / "evil.html"
    render_html(graph, html, title="<script>window.__pwned=8</script>")
    page.open(html)
    # Show every tooltip text and every panel, and search for the hostile name.
    ids = page.page.evaluate("kg.nodes.getIds()")
    for nid in ids:
        page.page.evaluate("(id) => kg.focus(id)", nid)
    texts = page.page.evaluate("kg.edges.getIds().map(id => kg.edgeText(id))")
    assert any("<img src=x" in t for t in texts) and any("<script>" in t for t in texts)
    for eid in page.page.evaluate("kg.edges.getIds()"):
        try:
            pt = hover_point(page, eid)
        except AssertionError:
            continue
        page.page.mouse.move(pt["x"], pt["y"], steps=2)
    nid = search(page, evil)
    assert page.page.inner_text("#panel h2") == evil                # shown as text
    page.page.wait_for_timeout(300)
    assert page.page.evaluate(PWNED)
    assert page.page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
    assert page.page.evaluate("document.scripts.length") == 3
    assert page.page.title() == "<script>window.__pwned=8</script>"
    assert nid in ids
    assert_offline(page)


def test_big_graph_has_no_physics_and_settles(page, tmp_path):
    from bench.html_bench import synthetic_graph
    graph = synthetic_graph(1500)
    html = tmp_path / "big.html"
    counts = render_html(graph, html)
    ms = page.open(html)
    assert page.page.evaluate("[kg.nodes.length, kg.edges.length]") == [counts["nodes"], counts["edges"]]
    assert page.page.evaluate("kg.network.physics.options.enabled") is False
    assert ms < 20_000
    assert_offline(page)


def test_screenshot_for_a_person(page, seed):
    page.open(seed[1])
    page.page.wait_for_timeout(200)
    out = _shots() / "seed-graph.png"
    page.page.screenshot(path=str(out))
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 900)


def _shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
