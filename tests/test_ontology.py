"""ontologies/kg.ttl is the one source of the class list, the labels and the relation list.

A copy of kg whose ontology declares an eleventh relation (and nothing else changed) must show it
everywhere a relation appears: the vocabulary, SPARQL, statistics, the entity network, the HTML
page's filters, SHACL validation, and a corpus store's GraphML export and ``kg stats --store``.
The copy is the wheel's layout (``kg/ontologies/`` inside the package), imported from a temporary
folder in a fresh interpreter: the same :func:`kg.vocab.data_file` reads it, nothing is patched.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from kg import vocab
from tests.paths import ROOT

ELEVENTH = """
kg:licenses a owl:ObjectProperty ;
    rdfs:label "licenses"@en , "授权"@zh ;
    skos:definition "The subject lets the object use its technology."@en ;
    rdfs:domain kg:Organization ;
    rdfs:range kg:Organization .
"""

EVERYWHERE = r"""
import json, sys
from pathlib import Path
from pyoxigraph import NamedNode
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS
import kg
from kg.corpus.export import export_store, store_stats
from kg.corpus.quads import triples_of
from kg.corpus.store import CorpusStore
from kg.explore.network import to_networkx
from kg.explore.render import render_html
from kg.explore.stats import stats
from kg.graph.query import run_query
from kg.graph.validate import validate
from kg.extract.lexicon import load
from kg.vocab import DOC, ENT, KG, RELATIONS, data_file, label

work = Path(sys.argv[1])
g = Graph()
for name in ("Arm", "Nvidia"):
    g.add((ENT[name], RDF.type, KG.Company))
    g.add((ENT[name], RDFS.label, Literal(name, lang="en")))
g.add((ENT.Arm, KG.licenses, ENT.Nvidia))
render_html(g, work / "g.html")
page = (work / "g.html").read_text(encoding="utf-8")
bad = Graph() + g
bad.add((ENT.Arm, KG.licenses, ENT.Arm_Cortex))
bad.add((ENT.Arm_Cortex, RDF.type, KG.Product))
bad.add((ENT.Arm_Cortex, RDFS.label, Literal("Cortex", lang="en")))
with CorpusStore(work / "store", write=True, create=True) as store:
    store.commit(NamedNode(str(DOC["0123456789abcdef"])), triples_of(g), file=str(work / "a.txt"), sha="0" * 64)
export_store(work / "store", work / "g.graphml")
print(json.dumps({
    "ontology": str(data_file("kg.ttl")),
    "kg": kg.__file__,
    "relations": sorted(RELATIONS),
    "label": label("licenses", "zh"),
    "query": [str(row[0]) for row in run_query(g, "SELECT ?o WHERE { ent:Arm kg:licenses ?o }")],
    "stats": stats(g)["relations"].get("licenses"),
    "network": sorted(d["relation"] for _u, _v, d in to_networkx(g).edges(data=True)),
    "page": 'value="licenses"' in page and "licenses 授权" in page,
    "valid": validate(g)[0],
    "invalid": validate(bad)[1],
    "lexicon": len(load().gazetteer) > 0,
    "graphml": "licenses" in (work / "g.graphml").read_text(encoding="utf-8"),
    "store_stats": store_stats(work / "store")["relations"].get("licenses"),
}))
"""


def test_an_eleventh_relation_in_the_ontology_shows_everywhere(tmp_path):
    assert "licenses" not in vocab.RELATIONS and len(vocab.RELATIONS) == 10
    copy = tmp_path / "site"
    shutil.copytree(ROOT / "kg", copy / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ontologies", copy / "kg" / "ontologies", ignore=shutil.ignore_patterns("__pycache__"))
    ttl = copy / "kg" / "ontologies" / "kg.ttl"
    ttl.write_text(ttl.read_text(encoding="utf-8") + ELEVENTH, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(copy))
    proc = subprocess.run([sys.executable, "-c", EVERYWHERE, str(work)], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout)
    assert seen.pop("ontology") == str(ttl) and seen.pop("kg").startswith(str(copy))
    assert "kg:licenses" in seen.pop("invalid")          # Cortex is a product: outside the declared range
    assert seen == {
        "relations": sorted(vocab.RELATIONS | {"licenses"}), "label": "授权", "query": [str(vocab.ENT.Nvidia)],
        "stats": 1, "network": ["licenses"], "page": True, "valid": True, "lexicon": True, "graphml": True,
        "store_stats": 1,
    }
