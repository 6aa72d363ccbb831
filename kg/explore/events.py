"""Events (n-ary facts such as ``kg:Investment``), read generically: which classes are events, which two roles
make the edge an event stands for, and which dated and monetary attributes it carries.

The ontology says which classes are events (subclasses of ``schema:Event``) and which data properties each
carries (``rdfs:domain``). What it cannot say is which role is the edge's subject: :data:`EVENT_EDGES` holds
that, one row per event class (an ``Acquisition`` with ``acquirer`` and ``target`` standing for ``acquires``
is one more row). The explorer, the exports and the build report all read events through this module.

>>> EVENT_CLASSES
('Acquisition', 'Investment')
>>> attributes("Acquisition")
('currency', 'date', 'price', 'year')
>>> edge_of("Investment")
('investor', 'investee', 'investsIn')
>>> attributes("Investment")
('amount', 'currency', 'date', 'round', 'roundAmount', 'year')
>>> year_of({"date": "2024-03"}), year_of({"year": "2023"}), year_of({})
(2024, 2023, None)
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache

from rdflib import URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from kg.vocab import CLASSES, KG, RELATIONS, SCHEMA, local_name, ontology

# event class -> (subject role, object role, the relation the event stands for); the roles and relation
# must exist in kg.ttl (KG is a closed namespace: a misspelling fails at import).
EVENT_EDGES: dict[str, tuple[str, str, str]] = {
    "Investment": ("investor", "investee", "investsIn"),
    "Acquisition": ("acquirer", "target", "acquires"),
}
# Attribute names for what the exports and the page show, in the order they look for them.
MONEY = ("amount", "price", "roundAmount")      # the first one present is the event's amount
CURRENCY = "currency"
DATED = ("date", "year")                        # xsd:gYear, xsd:gYearMonth or xsd:date: the first four digits


def _event_classes() -> tuple[str, ...]:
    g = ontology()
    found = sorted(local_name(c) for c in g.subjects(RDFS.subClassOf, SCHEMA.Event) if local_name(c) in CLASSES)
    for cls in found:
        if cls not in EVENT_EDGES:
            raise LookupError(f"event class kg:{cls} has no row in kg.explore.events.EVENT_EDGES")
    for cls, (subj, obj, rel) in EVENT_EDGES.items():
        KG[cls], KG[subj], KG[obj]
        if rel not in RELATIONS:
            raise LookupError(f"EVENT_EDGES[{cls!r}]: {rel!r} is not a relation of kg.ttl")
    return tuple(found)


# The event classes of the ontology (subclasses of schema:Event), sorted.
EVENT_CLASSES: tuple[str, ...] = _event_classes()
EVENT_TYPES: dict[URIRef, str] = {KG[c]: c for c in EVENT_CLASSES}


def edge_of(cls: str) -> tuple[str, str, str]:
    """(subject role, object role, relation) of an event class."""
    return EVENT_EDGES[cls]


@cache
def attributes(cls: str) -> tuple[str, ...]:
    """The data properties kg.ttl gives the event class (``rdfs:domain``, the class itself or a union
    that lists it), sorted."""
    g = ontology()
    out = set()
    for p, domain in g.subject_objects(RDFS.domain):
        if (p, RDF.type, OWL.DatatypeProperty) not in g or not local_name(p):
            continue
        union = g.value(domain, OWL.unionOf)
        if domain == KG[cls] or (union is not None and KG[cls] in Collection(g, union)):
            out.add(local_name(p))
    return tuple(sorted(out))


def year_of(values: dict) -> int | None:
    """The year of an event or fact from its ``date`` or ``year`` value (strings), if any."""
    for name in DATED:
        text = str(values.get(name) or "")
        if len(text) >= 4 and text[:4].isdigit():
            return int(text[:4])
    return None


def money_of(values: dict) -> tuple[Decimal | None, str]:
    """(amount, currency) of an event from its attribute values; (None, "") when it states none.

    >>> money_of({"amount": "1000000000", "currency": "USD"}), money_of({"round": "B"})
    ((Decimal('1000000000'), 'USD'), (None, ''))
    """
    for name in MONEY:
        if values.get(name) is not None:
            try:
                return Decimal(str(values[name])), str(values.get(CURRENCY) or "")
            except (InvalidOperation, ValueError):
                continue
    return None, ""
