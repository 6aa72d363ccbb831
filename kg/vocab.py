"""Namespaces and the closed kg vocabulary, read from ``ontologies/kg.ttl``.

The ontology file is the one source of truth: :data:`KG` only knows the terms the
file defines, so a misspelled term (``KG.investIn``) raises ``AttributeError``.

>>> str(KG.investsIn)
'https://w3id.org/kgnews/ontology#investsIn'
>>> sorted(RELATIONS)[:3]
['acquires', 'competesWith', 'dependsOn']
>>> ENTITY_CLASSES, RECORD_CLASSES[:2], label("Person", "zh")
(('Organization', 'Person', 'Product', 'Place'), ('Acquisition', 'Document'), '人物')
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
from rdflib.collection import Collection
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
    return sorted({local_name(s) for s in ontology().subjects() if isinstance(s, URIRef)} - {""})


def local_name(node) -> str:
    """``kg:Company`` -> ``"Company"``; "" for a term outside the kg namespace.

    >>> local_name(KG.Company), local_name(OWL.Class)
    ('Company', '')
    """
    text = str(node)
    return text[len(KG_URI):] if text.startswith(KG_URI) else ""


KG = ClosedNamespace(KG_URI, _terms())


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
        todo.extend(o for o in g.objects(c, RDFS.subClassOf) if local_name(o))
    return frozenset(local_name(c) for c in seen)


def _class_set(node) -> frozenset[str]:
    """The kg classes a domain or range stands for: one class, or each class of an ``owl:unionOf``."""
    g = ontology()
    members = list(g.objects(node, OWL.unionOf))
    if members:
        return frozenset(local_name(c) for c in Collection(g, members[0]))
    return frozenset({local_name(node)})


@cache
def signature(relation: str) -> tuple[frozenset[str], frozenset[str]]:
    """Allowed (domain, range) class names of a relation, from the ontology (kg:Entity when it says none)."""
    g = ontology()
    p = KG[relation]
    dom = next(g.objects(p, RDFS.domain), KG.Entity)
    rng = next(g.objects(p, RDFS.range), KG.Entity)
    return _class_set(dom), _class_set(rng)


CLASSES: frozenset[str] = frozenset(local_name(c) for c in ontology().subjects(RDF.type, OWL.Class)) - {""}


def is_entity_class(cls: str) -> bool:
    """Whether ``cls`` is kg:Entity or a class below it.

    >>> is_entity_class("Company"), is_entity_class("Agent"), is_entity_class("Document")
    (True, True, False)
    """
    return cls in CLASSES and "Entity" in superclasses(cls)


def _entity_classes() -> tuple[str, ...]:
    # kg.ttl says which classes partition kg:Entity (owl:disjointUnionOf); the order is the file's
    union = next(ontology().objects(KG.Entity, OWL.disjointUnionOf), None)
    if union is None:
        raise LookupError(f"{ONTOLOGY_FILE}: kg:Entity has no owl:disjointUnionOf naming the entity classes")
    return tuple(local_name(c) for c in Collection(ontology(), union))


def _relations() -> frozenset[str]:
    found = set()
    for p in ontology().subjects(RDF.type, OWL.ObjectProperty):
        name = local_name(p)
        if name and all(is_entity_class(c) for side in signature(name) for c in side):
            found.add(name)
    return frozenset(found)


# The top-level entity classes, one of which every entity node carries: Organization, Person, Product, Place.
ENTITY_CLASSES: tuple[str, ...] = _entity_classes()
# The relations between entities: every kg object property whose domain and range are entity classes
# (so not the event roles kg:investor/kg:investee, nor kg:mentionedIn, whose range is kg:Document).
RELATIONS: frozenset[str] = _relations()
SYMMETRIC: frozenset[str] = frozenset(
    local_name(p) for p in ontology().subjects(RDF.type, OWL.SymmetricProperty)) & RELATIONS
# The kg classes that are not entities: documents and events (Document, Investment, ...), sorted.
RECORD_CLASSES: tuple[str, ...] = tuple(sorted(c for c in CLASSES if not is_entity_class(c)))


@cache
def label(term: str, lang: str = "en") -> str:
    """The ontology's ``rdfs:label`` of a kg class or property in ``lang``, else ``term`` itself.

    >>> label("Organization", "zh"), label("investsIn"), label("notATerm", "zh")
    ('组织', 'invests in', 'notATerm')
    """
    names = sorted(str(o) for o in ontology().objects(URIRef(KG_URI + term), RDFS.label)
                   if getattr(o, "language", None) == lang)
    return names[0] if names else term


@cache      # (asked for every pair of arguments and every mention, of a few dozen classes; like superclasses)
def fits(relation: str, subject_cls: str, object_cls: str) -> bool:
    """Whether entities of these classes may stand in ``relation`` (domain and range).

    >>> fits("investsIn", "Company", "Organization"), fits("investsIn", "Organization", "Country")
    (True, False)
    """
    dom, rng = signature(relation)
    return bool(superclasses(subject_cls) & dom) and bool(superclasses(object_cls) & rng)


@cache
def top_class(cls: str) -> str:
    """The top-level entity class (one of :data:`ENTITY_CLASSES`) of ``cls``.

    >>> top_class("Company"), top_class("City")
    ('Organization', 'Place')
    """
    for top in ENTITY_CLASSES:
        if top in superclasses(cls):
            return top
    raise ValueError(f"not an entity class: {cls}")
