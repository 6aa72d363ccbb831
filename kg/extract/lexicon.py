"""Load the lexicons in ``ontologies/``: gazetteer, relation patterns, language cues, name lists.

Everything that says *what words mean* lives in data files; this module only reads and checks them.
Relation names and classes are checked against the ontology, so a typo in a data file fails loudly.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import tomllib

from kg import vocab
from kg.model import Entity

LEXICON_DIR = vocab.data_file("lexicon")
GAZETTEER_FILE = vocab.data_file("gazetteer.tsv")


class LexiconError(ValueError):
    """A data file that does not fit the ontology or its own format."""


def norm(text: str) -> str:
    """Normalize a name for lookups: NFKC, no spaces, case-folded.

    >>> norm("Microsoft  Corp.") == norm("microsoftcorp.")
    True
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    cls: str
    en: str
    zh: str
    aliases: tuple[str, ...]
    wikidata: str

    def names(self) -> list[str]:
        return [n for n in (self.en, self.zh, *self.aliases) if n]

    def entity(self, aliases: set[str] = frozenset()) -> Entity:
        """A fresh :class:`~kg.model.Entity` with this entry's names, class and Wikidata id."""
        return Entity(self.key, self.cls, self.en or None, self.zh or None, set(aliases), self.wikidata or None)


@dataclass(frozen=True)
class Pattern:
    relation: str       # relation local name, or "fundraiser"
    lang: str
    index: int          # position among the relation's patterns, for rule ids
    source: str
    conf: float
    subject: str | None   # None or "topic"
    object: str | None    # None or "fundraiser"
    event: bool
    np: bool            # a noun-phrase pattern (possessive, title): not subject to hedges or negation
    subject_classes: frozenset[str] | None
    object_classes: frozenset[str] | None
    min_mentions: int = 1     # how many names a sentence needs before this pattern can match


    @property
    def rule(self) -> str:
        return f"{self.relation}.{self.lang}.{self.index}"


@dataclass
class Lexicon:
    gazetteer: list[GazetteerEntry]
    patterns: list[Pattern]
    cues: dict
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    given_names: frozenset[str]
    by_name: dict[str, GazetteerEntry] = field(default_factory=dict)
    gazetteer_by_key: dict[str, GazetteerEntry] = field(default_factory=dict)

    def lookup(self, name: str) -> GazetteerEntry | None:
        return self.by_name.get(norm(name))


def _check_class(cls: str, where: str) -> str:
    try:
        vocab.top_class(cls)
    except (ValueError, KeyError, AttributeError):
        raise LexiconError(f"{where}: {cls!r} is not an entity class of ontologies/kg.ttl") from None
    return cls


def load_gazetteer(path: Path = GAZETTEER_FILE) -> list[GazetteerEntry]:
    if not path.exists():
        return []
    entries, seen = [], set()
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader((line for line in f if line.strip() and not line.startswith("#")), delimiter="\t")
        header = next(rows, None)
        if header is None:
            return []
        want = ["key", "class", "en", "zh", "aliases", "wikidata"]
        if [h.strip() for h in header[:6]] != want:
            raise LexiconError(f"{path.name}: header must be {' '.join(want)}")
        for n, row in enumerate(rows, start=2):
            row = [c.strip() for c in row] + [""] * (6 - len(row))
            key, cls, en, zh, aliases, qid = row[:6]
            if not key:
                continue
            if key in seen:
                raise LexiconError(f"{path.name}: duplicate key {key!r}")
            seen.add(key)
            _check_class(cls, f"{path.name} row {n}")
            if qid and not re.fullmatch(r"Q\d+", qid):
                raise LexiconError(f"{path.name} row {n}: bad Wikidata id {qid!r}")
            alias = tuple(a.strip() for a in aliases.split("|") if a.strip())
            entries.append(GazetteerEntry(key, cls, en, zh, alias, qid))
    return entries


def load_patterns(path: Path = LEXICON_DIR / "relations.toml") -> list[Pattern]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for relation, items in data.items():
        if relation != "fundraiser" and relation not in vocab.RELATIONS:
            raise LexiconError(f"{path.name}: [[{relation}]] is not a relation of ontologies/kg.ttl")
        counters: dict[str, int] = {}
        for item in items:
            lang = item["lang"]
            counters[lang] = counters.get(lang, 0) + 1
            classes = item.get("classes", {})
            for c in classes.get("subject", []) + classes.get("object", []):
                _check_class(c.lstrip("="), f"{path.name} [[{relation}]]")
            out.append(Pattern(
                relation=relation, lang=lang, index=counters[lang], source=item["pattern"],
                conf=float(item.get("conf", 0.8)), subject=item.get("subject"), object=item.get("object"),
                event=bool(item.get("event", relation == "investsIn")),
                np=bool(item.get("np", False)),
                subject_classes=frozenset(classes["subject"]) if "subject" in classes else None,
                object_classes=frozenset(classes["object"]) if "object" in classes else None,
                min_mentions=max(1, sum(item["pattern"].count(m) for m in ("{S}", "{O}")) + 2 * item["pattern"].count("{P}")),
            ))
    return out


def _word_list(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines()
            if w.strip() and not w.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def load() -> Lexicon:
    """The project's lexicon (cached: the files are read once per process)."""
    gaz = load_gazetteer()
    cues = tomllib.loads((LEXICON_DIR / "cues.toml").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        for cls in cues[lang]["org_suffixes"].values():
            _check_class(cls, f"cues.toml [{lang}.org_suffixes]")
    surnames = _word_list(LEXICON_DIR / "zh_surnames.txt")
    lex = Lexicon(
        gazetteer=gaz,
        patterns=load_patterns(),
        cues=cues,
        surnames=frozenset(s for s in surnames if len(s) == 1),
        compound_surnames=frozenset(s for s in surnames if len(s) > 1),
        given_names=frozenset(_word_list(LEXICON_DIR / "en_given_names.txt")),
    )
    for e in gaz:
        lex.gazetteer_by_key[e.key] = e
        for name in e.names():
            # the first entry to claim a name keeps it; order in the file decides ambiguous short forms
            lex.by_name.setdefault(norm(name), e)
    return lex
