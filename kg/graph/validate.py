"""Check a graph against the output model with SHACL (``ontologies/shapes.ttl``).

The shapes for the ten relations' domains and ranges are generated from ``kg.ttl`` here, so
the ontology stays their one source. Validation runs with the ontology as pyshacl's
``ont_graph`` (so a ``kg:Company`` counts as a ``kg:Organization``) and without inference:
RDFS inference would derive types from ``rdfs:domain``/``rdfs:range`` and hide exactly the
errors the relation shapes look for.

>>> from rdflib import Graph, Literal
>>> from rdflib.namespace import RDF, RDFS
>>> from kg.vocab import ENT, KG
>>> g = Graph()
>>> _ = g.add((ENT.OpenAI, RDF.type, KG.Company))
>>> _ = g.add((ENT.OpenAI, RDFS.label, Literal("OpenAI", lang="en")))
>>> validate(g)[0]
True
>>> _ = g.add((ENT.OpenAI, KG.worksFor, ENT.OpenAI))
>>> ok, report = validate(g)
>>> ok, report.splitlines()[1]
(False, 'ent:OpenAI  -  subject of kg:worksFor must be a kg:Person')
"""
from __future__ import annotations

from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from kg.graph.query import compact
from kg.vocab import KG, RELATIONS, data_file, ontology, signature

SHAPES_FILE = data_file("shapes.ttl")
KGSH = "https://w3id.org/kgnews/shapes#"


def validate(graph: Graph) -> tuple[bool, str]:
    """``(conforms, report)``; the report lists one violation per line, sorted."""
    from pyshacl import validate as shacl_validate

    conforms, results, _text = shacl_validate(
        graph, shacl_graph=shapes(), ont_graph=ontology(), inference="none",
        abort_on_first=False, allow_warnings=False, meta_shacl=False)
    if conforms:
        return True, "conforms\n"
    return False, _report(results)


@lru_cache(maxsize=1)
def shapes() -> Graph:
    """The hand-written shapes plus the generated relation shapes (cached; read-only)."""
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    g += relation_shapes()
    return g


def relation_shapes() -> Graph:
    """Two node shapes per relation: its subjects must have a class of ``rdfs:domain``, its
    objects one of ``rdfs:range`` (a class, or each class of an ``owl:unionOf``).

    >>> g = relation_shapes()
    >>> len(set(g.subjects(RDF.type, SH.NodeShape)))
    20
    """
    g = Graph()
    for rel in sorted(RELATIONS):
        domain, range_ = signature(rel)
        for role, target, classes in (("subject", SH.targetSubjectsOf, domain),
                                      ("object", SH.targetObjectsOf, range_)):
            shape = URIRef(f"{KGSH}{rel}-{role}")
            names = sorted(classes)
            g.add((shape, RDF.type, SH.NodeShape))
            g.add((shape, target, KG[rel]))
            g.add((shape, SH.message, Literal(
                f"{role} of kg:{rel} must be a " + " or a ".join(f"kg:{c}" for c in names))))
            if len(names) == 1:
                g.add((shape, SH["class"], KG[names[0]]))
            else:
                alternatives = []
                for i, name in enumerate(names):
                    alt = URIRef(f"{KGSH}{rel}-{role}-{name}")
                    g.add((alt, SH["class"], KG[name]))
                    alternatives.append(alt)
                head = BNode(f"{rel}{role}")
                Collection(g, head, alternatives)
                g.add((shape, SH["or"], head))
    return g


def _report(results: Graph) -> str:
    """One line per violation: focus node, path, message (pyshacl's own text is long and
    its order varies between runs)."""
    lines = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = compact(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        path_text = compact(path) if isinstance(path, URIRef) else "-"
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage)) or [
            compact(results.value(result, SH.sourceConstraintComponent))]
        value = results.value(result, SH.value)
        line = f"{focus}  {path_text}  {messages[0]}"
        if value is not None and value != results.value(result, SH.focusNode):
            line += f" (value: {compact(value)})"
        lines.add(line)
    header = f"does not conform: {len(lines)} violation{'s' if len(lines) != 1 else ''}"
    return "\n".join([header, *sorted(lines)]) + "\n"

