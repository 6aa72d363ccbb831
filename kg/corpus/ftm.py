"""The graph as FollowTheMoney entities, the model OCCRP Aleph (and OpenSanctions, yente, ftm) read, so a
kg graph can be imported into Aleph (``alephclient write-entities -i graph.ftm.json``).

Written through the ``followthemoney`` package (the ``export`` extra), one JSON entity per line:

* entities: an organization is a ``Company`` (companies and investment firms), ``PublicBody`` (government
  bodies) or ``Organization``; a person a ``Person``; a product an ``Asset``; a place an ``Address``; each
  with every name (English and Chinese ``name``, the other spellings ``alias``) and ``wikidataId``;
* documents: an ``Article`` each (title, file name, content hash, language);
* relations: ``Ownership`` (owns, acquires, and investsIn as a stake), ``Employment`` (worksFor), and
  ``UnknownLink`` with the relation as ``role`` for the others; events: a ``Payment`` each (investor pays
  investee: amount, currency, date, round as ``purpose``). Every link carries the sentences behind it as
  ``description``, the articles as ``proof`` and kg's statement or event IRIs as ``recordId``.

IDs are derived from kg's IRIs, so the same graph gives the same entities.
"""
from __future__ import annotations

import json

from kg.corpus.tables import plain_amount
from kg.errors import UsageError
from kg.explore.facts import documents, entities, read_facts
from kg.explore.network import to_networkx
from kg.vocab import label

ORGANIZATION_SCHEMA = {"Company": "Company", "InvestmentFirm": "Company", "GovernmentOrganization": "PublicBody"}
CLASS_SCHEMA = {"Person": "Person", "Product": "Asset", "Place": "Address"}
# relation -> (FtM schema, its source property, its target property, role)
LINKS = {"owns": ("Ownership", "owner", "asset", "owner"), "acquires": ("Ownership", "owner", "asset", "acquirer"),
         "investsIn": ("Ownership", "owner", "asset", "investor"),
         "worksFor": ("Employment", "employee", "employer", None)}
EVENT_LINKS = {"Investment": ("Payment", "payer", "beneficiary", "investment")}


def _model():
    try:
        from followthemoney import (
            model,  # lazy: an optional extra, only .ftm.json exports need it
        )
    except ImportError:
        raise UsageError("writing FollowTheMoney entities needs followthemoney: pip install 'kg[export]'") from None
    return model


def ftm_entities(graph) -> list[dict]:
    """The graph as FollowTheMoney entity dicts (``{"id", "schema", "properties"}``), sorted by id."""
    model = _model()
    G = to_networkx(graph)
    facts = read_facts(graph)
    docs = documents(graph)
    info = entities(graph, list(G.nodes))
    out = {}

    def make(schema: str, *key: str):
        proxy = model.make_entity(schema)
        proxy.make_id("kg", *key)
        return proxy

    ids = {}
    for iri, data in G.nodes(data=True):
        cls, sub = data.get("cls"), data.get("sub")
        schema = ORGANIZATION_SCHEMA.get(sub or "", "Organization") if cls == "Organization" else CLASS_SCHEMA.get(cls)
        if schema is None:
            continue
        e = info[iri]
        proxy = make(schema, iri)
        names = [n for n in (e.en, e.zh) if n] or [e.name]
        proxy.add("full" if schema == "Address" else "name", names)
        if schema != "Address":
            proxy.add("alias", list(e.aliases))
            proxy.add("wikidataId", list(e.wikidata))
        proxy.add("sourceUrl", iri)
        ids[iri] = proxy.id
        out[proxy.id] = proxy
    doc_ids = {}
    for iri, d in docs.items():
        proxy = make("Article", iri)
        proxy.add("title", d.title or d.path or iri)
        if d.path:
            proxy.add("fileName", d.path.replace("\\", "/").rsplit("/", 1)[-1])
        if d.sha256:
            proxy.add("contentHash", d.sha256)
        proxy.add("sourceUrl", iri)
        doc_ids[iri] = proxy.id
        out[proxy.id] = proxy
    links: dict[tuple, object] = {}
    for f in facts:
        if f.subject not in ids or f.object not in ids:
            continue
        if f.kind == "event" and f.event_class in EVENT_LINKS:
            schema, src, dst, purpose = EVENT_LINKS[f.event_class]
            proxy = make(schema, f.node)
            proxy.add("purpose", " ".join(x for x in (purpose, f.values.get("round", "")) if x))
            if f.amount is not None:
                proxy.add("amount", plain_amount(f.amount))
                proxy.add("currency", f.currency)
            proxy.add("date", f.values.get("date") or f.values.get("year"))
        else:
            schema, src, dst, role = LINKS.get(f.relation, ("UnknownLink", "subject", "object", f.relation))
            if (f.key, schema) not in links:
                links[(f.key, schema)] = make(schema, *f.key)
            proxy = links[(f.key, schema)]
            if role:
                proxy.add("role", label(role, "en") if role == f.relation else role)
        proxy.add(src, ids[f.subject])
        proxy.add(dst, ids[f.object])
        proxy.add("description", f.sentence or None)
        proxy.add("recordId", f.node or None)
        if f.document in doc_ids:
            proxy.add("proof", doc_ids[f.document])
        out[proxy.id] = proxy
    return [out[k].to_dict() for k in sorted(out)]


def write_ftm(items: list[dict], f) -> None:
    """Entity dicts as line-delimited JSON (UTF-8) into binary file ``f``."""
    for item in items:
        f.write(json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
