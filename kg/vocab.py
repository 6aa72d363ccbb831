"""Namespaces and the closed kg vocabulary, read from ``ontologies/kg.ttl``.

The ontology file is the one source of truth: :data:`KG` only knows the terms the
file defines, so a misspelled term (``KG.investIn``) raises ``AttributeError``.

>>> str(KG.investsIn)
'https://w3id.org/kgnews/ontology#investsIn'
>>> sorted(RELATIONS)[:3]
['acquires', 'competesWith', 'dependsOn']
>>> KG.investIn
Traceback (most recent call last):
...
AttributeError: "term 'investIn' not in namespace 'https://w3id.org/kgnews/ontology#'"
"""
from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, ClosedNamespace



def data_file(*parts: str) -> Path:
    """A file of ``ontologies/`` (``kg.ttl``, ``shapes.ttl``, ``gazetteer.tsv``, ``lexicon/cues.toml`` ...).

    The wheel ships the folder as the package data ``kg.ontologies`` (an editable install maps it to the
    checkout's top-level folder), so every reader goes through :mod:`importlib.resources` here.

    >>> data_file("kg.ttl").name
    'kg.ttl'
    """
    return Path(str(resources.files("kg.ontologies").joinpath(*parts)))


ONTOLOGY_FILE = data_file("kg.ttl")
KG_URI = "https://w3id.org/kgnews/ontology#"
RES_URI = "https://w3id.org/kgnews/"

ENT = Namespace(RES_URI + "entity/")
DOC = Namespace(RES_URI + "doc/")
STMT = Namespace(RES_URI + "stmt/")
EVT = Namespace(RES_URI + "event/")
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")

PREFIXES = {
    "kg": KG_URI, "ent": str(ENT), "doc": str(DOC), "stmt": str(STMT), "evt": str(EVT),
    "wd": str(WD), "prov": str(PROV), "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": str(SCHEMA), "owl": str(OWL), "rdfs": str(RDFS), "rdf": str(RDF),
    "xsd": "http://www.w3.org/2001/XMLSchema#", "dcterms": "http://purl.org/dc/terms/",
}


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """The parsed ontology graph (cached; treat as read-only)."""
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


def _terms() -> list[str]:
    g = ontology()
    names = {str(s)[len(KG_URI):] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(KG_URI)}
    return sorted(n for n in names if n)


KG = ClosedNamespace(KG_URI, _terms())

# The ten relations are the object properties between entities (not the event roles).
RELATIONS: frozenset[str] = frozenset(
    str(p)[len(KG_URI):]
    for p in ontology().subjects(RDF.type, OWL.ObjectProperty)
    if str(p).startswith(KG_URI) and (p, RDFS.domain, KG.Investment) not in ontology()
    and p != KG.mentionedIn
)
SYMMETRIC: frozenset[str] = frozenset(
    str(p)[len(KG_URI):] for p in ontology().subjects(RDF.type, OWL.SymmetricProperty)
)
# The four top-level entity classes every entity node carries.
ENTITY_CLASSES = ("Organization", "Person", "Product", "Place")


def _class_set(node) -> frozenset[str]:
    g = ontology()
    members = list(g.objects(node, OWL.unionOf))
    if members:
        from rdflib.collection import Collection
        return frozenset(str(c)[len(KG_URI):] for c in Collection(g, members[0]))
    return frozenset({str(node)[len(KG_URI):]})


@cache
def superclasses(cls: str) -> frozenset[str]:
    """``cls`` and every kg class above it.

    >>> sorted(superclasses("Company"))
    ['Agent', 'Company', 'Entity', 'Organization']
    """
    g = ontology()
    seen, todo = set(), [KG[cls]]
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        todo.extend(o for o in g.objects(c, RDFS.subClassOf) if str(o).startswith(KG_URI))
    return frozenset(str(c)[len(KG_URI):] for c in seen)


@cache
def signature(relation: str) -> tuple[frozenset[str], frozenset[str]]:
    """Allowed (domain, range) class names of a relation, from the ontology."""
    g = ontology()
    p = KG[relation]
    dom = next(g.objects(p, RDFS.domain), KG.Entity)
    rng = next(g.objects(p, RDFS.range), KG.Entity)
    return _class_set(dom), _class_set(rng)


def fits(relation: str, subject_cls: str, object_cls: str) -> bool:
    """Whether entities of these classes may stand in ``relation`` (domain and range).

    >>> fits("investsIn", "Company", "Organization"), fits("investsIn", "Organization", "Country")
    (True, False)
    """
    dom, rng = signature(relation)
    return bool(superclasses(subject_cls) & dom) and bool(superclasses(object_cls) & rng)


def top_class(cls: str) -> str:
    """The top-level entity class (Organization, Person, Product, Place) of ``cls``."""
    for top in ENTITY_CLASSES:
        if top in superclasses(cls):
            return top
    raise ValueError(f"not an entity class: {cls}")
