"""HTML explorer benchmark: a synthetic 5,000-node graph, rendered in Python and opened in
headless Chromium (offline) until the page reports that it has settled.

    python bench/html_bench.py [--nodes 5000] [--runs 3]

:func:`run` returns plain data (medians in seconds); ``bench/run.py`` includes it.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.vocab import DOC, ENT, EVT, KG, PROV, STMT

CLASSES = [("Organization", "Company"), ("Organization", "InvestmentFirm"), ("Person", None),
           ("Product", "AIModel"), ("Place", "City")]
RELS = ["investsIn", "competesWith", "dependsOn", "partnersWith", "owns", "develops", "acquires", "worksFor",
        "founded", "suppliesTo"]
TARGET_S = 5.0      # issue #5: a 5,000-node page settles within 5 s


def synthetic_graph(nodes: int = 5000, edges_per_node: float = 2.0, seed: int = 5) -> Graph:
    """A news-like graph: preferential attachment (a few hubs, many leaves), bilingual labels,
    one evidence sentence per relation and an investment event on a tenth of the investsIn edges."""
    rng = random.Random(seed)
    g = Graph()
    doc = DOC["0000000000000001"]
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, KG.sourcePath, Literal("bench/synthetic.txt")))
    ents = []
    for i in range(nodes):
        e = ENT[f"E{i:05d}"]
        top, sub = CLASSES[i % len(CLASSES)]
        g.add((e, RDF.type, KG[top]))
        if sub:
            g.add((e, RDF.type, KG[sub]))
        g.add((e, RDFS.label, Literal(f"Entity {i}", lang="en")))
        g.add((e, RDFS.label, Literal(f"实体{i}", lang="zh")))
        ents.append(e)
    targets: list[URIRef] = []
    n_stmt = 0
    for i, e in enumerate(ents[1:], 1):
        k = 1 + (rng.random() < edges_per_node - 1)
        for _ in range(k):
            o = rng.choice(targets) if targets and rng.random() < 0.7 else ents[rng.randrange(i)]
            rel = rng.choice(RELS)
            g.add((e, KG[rel], o))
            st = STMT[f"{n_stmt:016x}"]
            n_stmt += 1
            for p, v in ((RDF.type, RDF.Statement), (RDF.subject, e), (RDF.predicate, KG[rel]), (RDF.object, o),
                         (KG.sentence, Literal(f"实体{i} 与 {o.rsplit('E', 1)[1]} 号实体的关系：{rel}。", lang="zh")),
                         (KG.confidence, Literal(Decimal("0.8"), datatype=XSD.decimal)), (PROV.wasDerivedFrom, doc)):
                g.add((st, p, v))
            if rel == "investsIn" and rng.random() < 0.1:
                ev = EVT[f"{n_stmt:016x}"]
                for p, v in ((RDF.type, KG.Investment), (KG.investor, e), (KG.investee, o),
                             (KG.amount, Literal(Decimal(rng.randrange(1, 100) * 10**6), datatype=XSD.decimal)),
                             (KG.currency, Literal("USD")), (KG.year, Literal("2024", datatype=XSD.gYear)),
                             (PROV.wasDerivedFrom, doc)):
                    g.add((ev, p, v))
            targets += [e, o]
    return g


def run(nodes: int = 5000, runs: int = 3) -> dict:
    """Median Python render time and Chromium settle time (seconds) for a ``nodes``-node graph."""
    from kg.explore.render import render_html
    from tests.tools.browser import OfflinePage, browser

    graph = synthetic_graph(nodes)
    out = Path(tempfile.mkdtemp(prefix="kg-html-bench-")) / "big.html"
    render_s, settle_s, wall_s = [], [], []
    counts = {}
    for _ in range(runs):
        t = time.perf_counter()
        counts = render_html(graph, out, title=f"bench {nodes}")
        render_s.append(time.perf_counter() - t)
    with browser() as ctx:
        for _ in range(runs):
            page = OfflinePage(ctx)
            t = time.perf_counter()
            ms = page.open(out, timeout_ms=120_000)
            wall_s.append(time.perf_counter() - t)
            settle_s.append(ms / 1000)
            if page.blocked or page.errors:
                raise RuntimeError(f"page went wrong: {page.blocked or page.errors}")
            page.close()
    size = out.stat().st_size
    out.unlink()
    return {
        "html_nodes": counts["nodes"], "html_edges": counts["edges"], "html_bytes": size, "runs": runs,
        "html_render_python_s": round(statistics.median(render_s), 3),
        "html_chromium_settle_s": round(statistics.median(settle_s), 3),
        "html_chromium_open_wall_s": round(statistics.median(wall_s), 3),
        "html_settle_target_s": TARGET_S,
        "html_settle_within_target": statistics.median(settle_s) <= TARGET_S,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.nodes, args.runs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
