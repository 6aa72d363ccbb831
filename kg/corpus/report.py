"""The build report: what each document gave (entities, relations, events), which gave no fact, and the
progress bar a multi-document build shows on a terminal.

A document with no relation and no event is a *silent miss*: kg read it and found nothing to say. The
report lists them, ``kg build`` warns about them on stderr, and ``--report FILE`` writes the whole report
as JSON.

>>> r = BuildFacts()
>>> r.add("a.txt", "0123456789abcdef", "en", 120, {"entities": 2, "relations": 1, "events": 0})
>>> r.add("b.txt", "fedcba9876543210", "zh", 80, {"entities": 1, "relations": 0, "events": 0})
>>> [d.path for d in r.zero_fact()], r.totals()
(['b.txt'], {'documents': 2, 'entities': 3, 'relations': 1, 'events': 0, 'zero_fact': 1})
>>> r.warning()
'1 of 2 documents gave no fact (no relation, no event): b.txt'
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.atomic import atomic_write_text

WARN_LIST = 10          # zero-fact documents named in the warning line; the JSON report has them all


@dataclass(frozen=True)
class DocumentFacts:
    """What one document gave. ``status`` is "extracted", or "unchanged" for a store document kept as it was."""
    path: str
    id: str
    lang: str
    characters: int
    entities: int
    relations: int
    events: int
    status: str = "extracted"

    @property
    def facts(self) -> int:
        """Relations plus events: what a reader of the graph learns from this document."""
        return self.relations + self.events


@dataclass
class BuildFacts:
    """Per-document facts of one build, in the order the documents were read."""
    documents: list[DocumentFacts] = field(default_factory=list)

    def add(self, path: str, doc_id: str, lang: str, characters: int, counts: dict[str, int],
            status: str = "extracted") -> None:
        """Record one document's counts (``{"entities", "relations", "events"}``)."""
        self.documents.append(DocumentFacts(path, doc_id, lang, characters, counts.get("entities", 0),
                                            counts.get("relations", 0), counts.get("events", 0), status))

    def zero_fact(self) -> list[DocumentFacts]:
        """The documents that gave no relation and no event."""
        return [d for d in self.documents if d.facts == 0]

    def totals(self) -> dict[str, int]:
        """Sums over all documents, and how many gave no fact."""
        return {"documents": len(self.documents), "entities": sum(d.entities for d in self.documents),
                "relations": sum(d.relations for d in self.documents),
                "events": sum(d.events for d in self.documents), "zero_fact": len(self.zero_fact())}

    def warning(self) -> str | None:
        """One line naming the zero-fact documents (the first :data:`WARN_LIST`), or None when there are none."""
        zero = self.zero_fact()
        if not zero:
            return None
        names = ", ".join(d.path for d in zero[:WARN_LIST])
        more = f" and {len(zero) - WARN_LIST} more (see --report)" if len(zero) > WARN_LIST else ""
        return (f"{len(zero)} of {len(self.documents)} document{'s' if len(self.documents) != 1 else ''} "
                f"gave no fact (no relation, no event): {names}{more}")

    def to_dict(self) -> dict:
        """The report as plain data: totals, the zero-fact paths, and one row per document."""
        return {"totals": self.totals(), "zero_fact": [d.path for d in self.zero_fact()],
                "documents": [asdict(d) for d in self.documents]}

    def write(self, path: str | Path) -> None:
        """Write :meth:`to_dict` as JSON (UTF-8, atomically)."""
        atomic_write_text(path, json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n")

    def table(self) -> str:
        """The report as a text table: one line per document, then the totals.

        >>> r = BuildFacts(); r.add("a.txt", "0" * 16, "en", 9, {"entities": 2, "relations": 1, "events": 1})
        >>> print(r.table())
        relations  events  entities  document
                1       1         2  a.txt
                1       1         2  total (1 document, 0 with no fact)
        """
        rows = ["relations  events  entities  document"]
        for d in self.documents:
            flag = "  (no fact)" if d.facts == 0 else ""
            rows.append(f"{d.relations:>9}  {d.events:>6}  {d.entities:>8}  {d.path}{flag}")
        t = self.totals()
        rows.append(f"{t['relations']:>9}  {t['events']:>6}  {t['entities']:>8}  total ({t['documents']} "
                    f"document{'s' if t['documents'] != 1 else ''}, {t['zero_fact']} with no fact)")
        return "\n".join(rows)


def graph_summary(graph) -> str:
    """The line ``kg build`` ends with: documents, entities, relations, investments and triples of a graph.

    The counts of ``kg stats`` (an entity is an IRI typed with an entity class or at either end of a relation
    triple), without what makes ``kg stats`` slow to start: networkx, PageRank, betweenness and communities.

    >>> from rdflib import Graph
    >>> from rdflib.namespace import RDF
    >>> from kg.vocab import ENT, KG
    >>> g = Graph(); _ = g.add((ENT.OpenAI, RDF.type, KG.Company)); _ = g.add((ENT.OpenAI, KG.competesWith, ENT.Google))
    >>> graph_summary(g)
    '0 documents, 2 entities, 1 relations, 0 investments, 2 triples'
    """
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg.vocab import CLASSES, KG, RELATIONS, is_entity_class

    entity_types = {KG[c] for c in CLASSES if is_entity_class(c)}
    relations = {KG[r] for r in RELATIONS}
    entities, facts = set(), {p: set() for p in relations}
    for s, p, o in graph:
        if not isinstance(s, URIRef):
            continue
        if p == RDF.type and o in entity_types:
            entities.add(s)
        elif p in relations:
            facts[p].add((s, o))
            if isinstance(o, URIRef):
                entities.update((s, o))
    documents = set(graph.subjects(RDF.type, KG.Document))
    investments = set(graph.subjects(RDF.type, KG.Investment))
    return (f"{len(documents)} documents, {len(entities)} entities, {sum(map(len, facts.values()))} relations, "
            f"{len(investments)} investments, {len(graph)} triples")


class ProgressBar:
    """A tqdm bar on stderr counting documents, with KB/s in the postfix."""

    def __init__(self, total: int, unit: str = "doc"):
        from tqdm import tqdm  # lazy: only a terminal build shows a bar

        self.bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, smoothing=0.1, leave=False)
        self.bytes = 0

    def update(self, n: int, size: int) -> None:
        """``n`` more documents done, ``size`` bytes of text among them."""
        self.bytes += size
        elapsed = self.bar.format_dict.get("elapsed") or 0
        if elapsed:
            self.bar.set_postfix_str(f"{self.bytes / 1024 / elapsed:.0f} KB/s", refresh=False)
        self.bar.update(n)

    def close(self) -> None:
        """Remove the bar from the terminal."""
        self.bar.close()


def progress_bar(total: int, wanted: bool | None = None) -> ProgressBar | None:
    """A bar for a build of ``total`` documents: only for two or more, and by default only when stderr is a
    terminal (``wanted`` forces it on or off), so logs and pipes never see one."""
    if wanted is None:
        wanted = sys.stderr.isatty()
    return ProgressBar(total) if wanted and total > 1 else None
