"""Cross-document entity resolution: one node per real thing across a whole store.

Gazetteer entities already share one key in every document (微软 and Microsoft are both
``Microsoft``). For names the gazetteer does not know, two keys are the same entity when their
*resolution key* is equal: the top class plus the name, normalized (NFKC, case-folded, spaces and
punctuation dropped, a trailing legal form such as "Inc." or 有限公司 dropped). A name whose
resolution key matches a gazetteer name joins that gazetteer entity; otherwise the first key the
store saw for a resolution key stays the node, and later spellings are merged into it (each merge
is recorded). IRIs therefore never change under a user's feet once written.

>>> resolution_key("Quarrow Robotics Inc.", "Company") == resolution_key("quarrow  robotics", "Organization")
True
>>> resolution_key("星海智能有限公司", "Company") == resolution_key("星海智能", "Company")
True
>>> resolution_key("Jordan", "Person") == resolution_key("Jordan", "Country")
False
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from kg import vocab
from kg.extract.lexicon import load
from kg.model import Entity, Extraction, rename_acquisitions, rename_facts
from kg.textio import has_cjk

_SUFFIX = re.compile(r"(?:,?\s*(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|plc|gmbh|sa|ag)\.?"
                     r"|股份有限公司|有限责任公司|有限公司|公司)$", re.IGNORECASE)
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def resolution_key(name: str, cls: str) -> str:
    """``TopClass|normalized name``: equal keys are the same entity."""
    text = unicodedata.normalize("NFKC", name).strip()
    stripped = _SUFFIX.sub("", text).strip()
    text = stripped or text
    return f"{vocab.top_class(cls)}|{_DROP.sub('', text).casefold()}"


@dataclass(frozen=True)
class Merge:
    """``alias`` (a key as one document wrote it) was merged into the node ``into``."""
    alias: str
    into: str
    rule: str           # "gazetteer-name", "store-name" or "same-document"


@lru_cache(maxsize=1)
def _gazetteer_names() -> dict[str, str]:
    """resolution key -> gazetteer key, for every gazetteer name and alias (unambiguous ones)."""
    found: dict[str, set[str]] = {}
    for entry in load().gazetteer:
        for name in entry.names():
            found.setdefault(resolution_key(name, entry.cls), set()).add(entry.key)
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


@lru_cache(maxsize=1)
def _gazetteer_keys() -> frozenset[str]:
    return frozenset(load().gazetteer_by_key)


def resolve(x: Extraction, lookup) -> tuple[Extraction, list[Merge], dict[str, str]]:
    """Map the document's non-gazetteer keys onto nodes the store (or gazetteer) already has.

    ``lookup(resolution_key) -> key or None`` asks the store. Returns the (possibly rewritten)
    extraction, the merges made, and the new registrations (resolution key -> key) to store.
    """
    known, gaz_names = _gazetteer_keys(), _gazetteer_names()
    remap: dict[str, str] = {}
    merges: list[Merge] = []
    register: dict[str, str] = {}
    for key in sorted(x.entities):
        if key in known:
            continue
        rk = resolution_key(key, x.entities[key].cls)
        target, rule = gaz_names.get(rk), "gazetteer-name"
        if target is None:
            target, rule = register.get(rk), "same-document"
        if target is None:
            target, rule = lookup(rk), "store-name"
        if target is None:
            register[rk] = key
            continue
        if target != key:
            remap[key] = target
            merges.append(Merge(key, target, rule))
    if not remap:
        return x, [], register
    return _rewrite(x, remap), merges, register


def _rewrite(x: Extraction, remap: dict[str, str]) -> Extraction:
    """The extraction with keys renamed; entities that become one are merged like kg.graph.rdf does."""
    gaz = load().gazetteer_by_key
    m = lambda k: remap.get(k, k)
    entities: dict[str, Entity] = {}
    for key in sorted(x.entities):
        e, target = x.entities[key], m(key)
        have = entities.get(target)
        if have is None:
            g = gaz.get(target)
            if g is not None:
                have = g.entity()
            elif target == key:
                have = Entity(key, e.cls, e.name_en, e.name_zh, set(), e.wikidata)
            else:
                have = Entity.named(target, e.cls, has_cjk(target))
            have.confidence, have.mentions = 0.0, 0
            entities[target] = have
        have.aliases |= e.aliases | ({key} if target != key else set())
        have.confidence = max(have.confidence, e.confidence)
        have.mentions += e.mentions
    for e in entities.values():
        e.aliases -= {e.name_en, e.name_zh, None}
    rels, events = rename_facts(x.relations, x.investments, m)
    return Extraction(x.document, entities, rels, events, rename_acquisitions(x.acquisitions, m))
