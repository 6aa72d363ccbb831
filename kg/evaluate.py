"""Score kg's extraction against gold annotations (`kg eval`), for people tuning the lexicons to their domain.

A gold file is JSON: the text (``text``, or ``text_file`` relative to the gold file), ``entities`` (id, type,
aliases), ``triples`` (s, p, o, optional ``alt`` readings that count as the same hit), optional
``optional_entities`` / ``optional_triples`` (neither rewarded nor penalised) and ``events`` (investor,
investee, amount, currency, year; nulls are not checked). Graph nodes are matched to gold entities through
their labels, ignoring case, width and spaces.

>>> prf(3, 1, 3, 4)
(0.75, 0.75, 0.75)
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import InputError
from kg.extract.document import Extractor
from kg.graph.rdf import to_graph
from kg.model import Document
from kg.textio import content_hash, language
from kg.vocab import KG, RELATIONS, SYMMETRIC, top_class

_LABELS = (RDFS.label, SKOS.altLabel, SKOS.prefLabel)


def _norm(text) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


def prf(tp: int, fp: int, hit: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (empty gold and empty output count as perfect)."""
    p = tp / (tp + fp) if tp + fp else (1.0 if gold == 0 else 0.0)
    r = hit / gold if gold else 1.0
    return round(p, 4), round(r, 4), round(2 * p * r / (p + r), 4) if p + r else 0.0


@dataclass
class Counts:
    """True and false positives, hits and gold size for one kind of item (relations, entities or events)."""
    tp: int = 0
    fp: int = 0
    hit: int = 0
    gold: int = 0
    missed: list = field(default_factory=list)
    spurious: list = field(default_factory=list)

    def add(self, other: Counts) -> None:
        """Add ``other``'s counts to these (the item lists are not merged)."""
        self.tp, self.fp = self.tp + other.tp, self.fp + other.fp
        self.hit, self.gold = self.hit + other.hit, self.gold + other.gold

    def as_dict(self, verbose: bool) -> dict:
        """Precision, recall, F1 and the counts; with ``verbose`` also what was missed and what was spurious."""
        p, r, f = prf(self.tp, self.fp, self.hit, self.gold)
        d = {"precision": p, "recall": r, "f1": f, "tp": self.tp, "fp": self.fp, "hit": self.hit, "gold": self.gold}
        if verbose:
            d.update(missed=self.missed, spurious=self.spurious)
        return d


class Gold:
    """One gold file (the format of ``../shared/eval/dev``): the text, its entities with aliases, triples and events."""
    def __init__(self, path: Path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            problem = gold_problem(data)
            if problem:
                raise ValueError(problem)
            self.text = data["text"] if "text" in data else (path.parent / data["text_file"]).read_text(encoding="utf-8")
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(f"{path}: not a gold annotation file ({_one_line(e)})") from None
        if not self.text.strip():
            raise InputError(f"{path}: not a gold annotation file (the text is empty)")
        self.entities = {e["id"]: e for e in data["entities"]}
        optional = {e["id"]: e for e in data.get("optional_entities", [])}
        self.triples = {(t["s"], t["p"], t["o"]) for t in data["triples"]}
        self.name = path.stem
        self.alias: dict[str, set[str]] = {}
        for e in [*self.entities.values(), *optional.values()]:
            for a in [e["id"], *e.get("aliases", [])]:
                self.alias.setdefault(_norm(a), set()).add(e["id"])
        self.alt = {(a["s"], a["p"], a["o"]): (t["s"], t["p"], t["o"])
                    for t in data["triples"] for a in t.get("alt", [])}
        self.optional = {(t["s"], t["p"], t["o"]) for t in data.get("optional_triples", [])}
        self.events = [dict(x, amount=_decimal(x.get("amount"))) for x in data.get("events", [])]


_OPTIONAL = object()
# What a gold file holds: key -> type, or a list of item shapes; _OPTIONAL marks keys that may be missing.
_TRIPLE = {"s": str, "p": str, "o": str}
_SHAPE = {
    "entities": [{"id": str, "aliases": (_OPTIONAL, [str])}],
    "optional_entities": (_OPTIONAL, [{"id": str, "aliases": (_OPTIONAL, [str])}]),
    "triples": [dict(_TRIPLE, alt=(_OPTIONAL, [_TRIPLE]))],
    "optional_triples": (_OPTIONAL, [_TRIPLE]),
    "events": (_OPTIONAL, [{"investor": str, "investee": str, "amount": (_OPTIONAL, (int, float, str, None)),
                            "currency": (_OPTIONAL, (str, None)), "year": (_OPTIONAL, (int, None))}]),
}


def gold_problem(data) -> str | None:
    """What is wrong with a parsed gold file, or None.

    >>> gold_problem({"text": "x", "entities": [], "triples": [], "events": [{"investee": "a"}]})
    "events[0]: missing 'investor'"
    >>> gold_problem({"text": 5, "entities": [], "triples": []})
    "'text' must be a string"
    >>> gold_problem({"text": "x", "entities": [], "triples": [], "events": [
    ...     {"investor": "a", "investee": "b", "amount": "one billion"}]})
    "events[0].amount: 'one billion' is not a number"
    """
    if not isinstance(data, dict):
        return "not a JSON object"
    if "text" in data:
        if not isinstance(data["text"], str):
            return "'text' must be a string"
    elif not isinstance(data.get("text_file"), str):
        return "no 'text' (or 'text_file')"
    problem = _shape_problem(data, _SHAPE, "")
    if problem:
        return problem
    for i, x in enumerate(data.get("events", [])):
        if isinstance(x.get("amount"), str) and _decimal(x["amount"]) is None:
            return f"events[{i}].amount: {x['amount']!r} is not a number"
    return None


def _shape_problem(value, shape, where: str) -> str | None:
    if isinstance(shape, tuple) and shape and shape[0] is _OPTIONAL:
        shape = shape[1]
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return f"{where or 'the file'}: must be an object"
        for key, sub in shape.items():
            if key not in value:
                if isinstance(sub, tuple) and sub and sub[0] is _OPTIONAL:
                    continue
                return f"{where + ': ' if where else ''}missing {key!r}"
            problem = _shape_problem(value[key], sub, f"{where}.{key}" if where else key)
            if problem:
                return problem
        return None
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{where}: must be a list"
        for i, item in enumerate(value):
            problem = _shape_problem(item, shape[0], f"{where}[{i}]")
            if problem:
                return problem
        return None
    types = shape if isinstance(shape, tuple) else (shape,)
    ok = any(value is None if t is None else (isinstance(value, t) and not isinstance(value, bool)) for t in types)
    return None if ok else f"{where}: {value!r} has the wrong type"


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value).replace(",", ""))
    except ArithmeticError:
        return None
    return d if d.is_finite() else None


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:200] or type(e).__name__


def score_graph(gold: Gold, g: Graph, verbose: bool = False) -> dict:
    """Entities, relations and events of one graph against one gold file."""
    def ids(node):
        return set().union(*(gold.alias.get(_norm(o), set()) for p in _LABELS for o in g.objects(node, p)))

    def label(node):
        return min((str(o) for o in g.objects(node, RDFS.label)), default=str(node).rsplit("/", 1)[-1])

    ent, rel, evt = Counts(gold=len(gold.entities)), Counts(gold=len(gold.triples)), Counts(gold=len(gold.events))
    found = set()
    for node in sorted({s for s, o in g.subject_objects(RDF.type) if _is_entity_class(o)}):   # not set order
        matched = ids(node)
        if matched:
            ent.tp += 1
            found |= matched
        else:
            ent.fp += 1
            ent.spurious.append(label(node))
    ent.hit = len(found & set(gold.entities))
    ent.missed = sorted(set(gold.entities) - found)
    hit = set()
    for s, p, o in g:
        name = str(p).rsplit("#", 1)[-1]
        if name not in RELATIONS or isinstance(o, Literal) or not str(p).startswith(str(KG)):
            continue
        cands = {(a, name, b) for a in ids(s) for b in ids(o)}
        if name in SYMMETRIC:
            cands |= {(b, n, a) for a, n, b in cands}
        good = (cands & gold.triples) | {gold.alt[c] for c in cands if c in gold.alt}
        if good:
            rel.tp += 1
            hit |= good
        elif not cands & gold.optional:
            rel.fp += 1
            rel.spurious.append(f"{label(s)} {name} {label(o)}")
    rel.hit = len(hit)
    rel.missed = sorted(" ".join(t) for t in gold.triples - hit)
    ehit = set()
    for e in g.subjects(RDF.type, KG.Investment):
        inv, tgt = ids(g.value(e, KG.investor)), ids(g.value(e, KG.investee))
        amount = g.value(e, KG.amount)
        amount = Decimal(str(amount)) if amount is not None else None
        currency = str(g.value(e, KG.currency) or "").upper()
        year = g.value(e, KG.year)
        year = int(str(year)[:4]) if year is not None else None
        ok = [i for i, x in enumerate(gold.events)
              if x["investor"] in inv and x["investee"] in tgt
              and (not x.get("amount") or (amount is not None and abs(amount - x["amount"]) <= abs(x["amount"]) / 100))
              and (not x.get("amount") or not x.get("currency") or x["currency"].upper() == currency)
              and (not x.get("year") or x["year"] == year)]
        if ok:
            evt.tp += 1
            ehit.update(ok)
        else:
            evt.fp += 1
            evt.spurious.append(f"{label(g.value(e, KG.investor))} -> {label(g.value(e, KG.investee))} {amount} {year}")
    evt.hit = len(ehit)
    evt.missed = [f"{x['investor']} -> {x['investee']} {x.get('amount')} {x.get('year')}"
                  for i, x in enumerate(gold.events) if i not in ehit]
    return {"relations": rel, "entities": ent, "events": evt}


def _is_entity_class(cls) -> bool:
    if not str(cls).startswith(str(KG)):
        return False
    try:
        top_class(str(cls)[len(str(KG)):])
        return True
    except (ValueError, AttributeError, KeyError):
        return False


def evaluate(gold_paths, verbose: bool = False) -> dict:
    """Build each gold text with kg's extractor and score it; returns per-file and micro-averaged totals."""
    extractor = Extractor()
    files, totals = {}, {k: Counts() for k in ("relations", "entities", "events")}
    for path in map(Path, gold_paths):
        if not path.is_file():
            raise InputError(f"{path}: {'not a regular file' if path.exists() else 'no such file'}")
        gold = Gold(path)
        doc = Document(str(path), gold.text, content_hash(gold.text), language(gold.text))
        result = score_graph(gold, to_graph([extractor.extract(doc)]), verbose)
        for k, c in result.items():
            totals[k].add(c)
        files[gold.name] = {k: c.as_dict(verbose) for k, c in result.items()}
    return {"files": files, "total": {k: c.as_dict(False) for k, c in totals.items()}}


def format_report(report: dict, verbose: bool = False) -> str:
    """The report from :func:`evaluate` as a text table, one row per gold file and a total."""
    lines = [f"{'gold':28} {'relations P/R/F1':20} {'entities P/R/F1':20} {'events P/R/F1':20}"]
    for name, r in [*report["files"].items(), ("TOTAL", report["total"])]:
        cells = [f"{r[k]['precision']:.2f}/{r[k]['recall']:.2f}/{r[k]['f1']:.2f}" for k in ("relations", "entities", "events")]
        lines.append(f"{name[:28]:28} {cells[0]:20} {cells[1]:20} {cells[2]:20}")
        if verbose and name != "TOTAL":
            for k in ("relations", "entities", "events"):
                for what in ("missed", "spurious"):
                    if r[k].get(what):
                        lines.append(f"   {k} {what}: " + "; ".join(r[k][what][:30]))
    return "\n".join(lines)
