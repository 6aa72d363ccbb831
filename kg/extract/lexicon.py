"""Load the lexicons in ``ontologies/``: gazetteer, relation patterns, language cues, name lists.

Everything that says *what words mean* lives in data files; this module only reads and checks them.
Relation names and classes are checked against the ontology, and a column or key a file does not
define is an error naming the file and line (:func:`check_toml` for TOML, the header for the TSV),
so a typo in a data file fails loudly instead of being ignored.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kg import vocab
from kg.model import Entity

LEXICON_DIR = vocab.data_file("lexicon")
GAZETTEER_FILE = vocab.data_file("gazetteer.tsv")


class LexiconError(ValueError):
    """A data file that does not fit the ontology or its own format."""


class Optional(NamedTuple):
    """In a :func:`check_toml` schema: a key that may be left out."""
    schema: object


# What cues.toml holds; check_toml rejects any other key. [str]: a list of strings; {"*": T}: a table
# whose keys are data (a suffix, a currency word) and whose values are T.
_WORDS = [str]
_LANGUAGE_CUES = {key: _WORDS for key in (
    "person_titles", "speech_verbs", "person_coref", "org_coref", "pair_coref", "negation", "hedge", "sale",
    "product_cues")} | {"clause_breaks": str, "org_suffixes": {"*": str}}
CUES_SCHEMA = {
    "zh": _LANGUAGE_CUES | {key: _WORDS for key in (
        "generic_stems", "name_breakers", "org_titles", "org_descriptors", "person_verbs", "byline_person",
        "byline_source", "descriptor_heads", "name_followers", "described_nouns", "product_heads", "naming_verbs")} | {"name_stop_chars": str,
                                                                   "noun_org_suffixes": {"*": str},
                                                                   "ordinary_readings": {"*": {"before": _WORDS,
                                                                                               "after": _WORDS}}},
    "en": _LANGUAGE_CUES | {key: _WORDS for key in ("title_words", "not_names", "pronoun_coref", "job_nouns",
                                                         "modifier_suffixes", "product_verbs", "governing_verbs")}
    | {"name_affixes": {"*": _WORDS}},
    "money": {"not_invested": _WORDS, "rounds_zh": _WORDS, "rounds_en": _WORDS, "currencies": {"*": str},
              "scales": {"*": int}},
    "debris": {"line_patterns": _WORDS, "line_words": _WORDS},
}
GAZETTEER_COLUMNS = ("key", "class", "en", "zh", "aliases", "wikidata")
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def check_toml(path: Path, text: str, data: dict, schema: dict) -> None:
    r"""Raise :class:`LexiconError` ("FILE line N: ...") for a key of ``data`` that ``schema`` does not
    name, a key it needs that is missing, or a value of the wrong type.

    A schema is a dict of keys to schemas; ``[schema]`` is a list (of strings for ``[str]``, an array of
    tables for ``[{...}]``); ``{"*": schema}`` is a table of any keys; ``str``, ``int``, ``float`` and
    ``bool`` are values; :class:`Optional` marks a key that may be missing.

    >>> check_toml(Path("x.toml"), "[zh]\nnegation = []\nnegatoin = []\n",
    ...            {"zh": {"negation": [], "negatoin": []}}, {"zh": {"negation": [str]}})
    Traceback (most recent call last):
    ...
    kg.extract.lexicon.LexiconError: x.toml line 3: unknown key zh.negatoin (known: negation)
    """
    _check_value(path, text, data, schema, ())


def _check_value(path: Path, text: str, value, schema, where: tuple) -> None:
    if isinstance(schema, Optional):
        schema = schema.schema
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            _fail(path, text, where, "must be a table")
        if set(schema) == {"*"}:
            for key, item in value.items():
                _check_value(path, text, item, schema["*"], (*where, key))
            return
        for key, item in value.items():
            if key not in schema:
                known = ", ".join(sorted(schema))
                _fail(path, text, (*where, key), f"unknown key {'.'.join(map(str, (*where, key)))} (known: {known})", "")
            _check_value(path, text, item, schema[key], (*where, key))
        for key, sub in schema.items():
            if key not in value and not isinstance(sub, Optional):
                _fail(path, text, where, f"[{'.'.join(map(str, where))}] has no {key} =" if where else f"no [{key}]", "")
    elif isinstance(schema, list):
        if not isinstance(value, list):
            _fail(path, text, where, "must be a list")
        for i, item in enumerate(value):
            if isinstance(schema[0], dict):
                _check_value(path, text, item, schema[0], (*where, i))
            elif not _is_a(item, schema[0]):
                _fail(path, text, where, f"must be a list of {_TYPE_NAMES[schema[0]][2:]}s")
    elif not _is_a(value, schema):
        _fail(path, text, where, f"must be {_TYPE_NAMES[schema]}")


def _is_a(value, kind: type) -> bool:
    """TOML's value types as Python's, except that true is not a number and 3 is one."""
    if isinstance(value, bool) or kind is bool:
        return isinstance(value, bool) and kind is bool
    return isinstance(value, kind) or (kind is float and isinstance(value, int))


def _fail(path: Path, text: str, where: tuple, message: str, prefix: str | None = None):
    name = ".".join(str(w) for w in where)
    raise LexiconError(f"{path.name} line {toml_line(text, where)}: "
                       + (f"{name} {message}" if prefix is None else message))


def toml_line(text: str, where: tuple) -> int:
    r"""The line of ``text`` where the key path ``where`` (names, and indexes into arrays of tables) is
    written: its ``key =`` line, or its ``[table]`` header; 1 when it cannot be told.

    >>> toml_line("[zh]\na = 1\n[en]\na = 2\n[[acquires]]\nx = 1\n[[acquires]]\nx = 2\n", ("acquires", 1, "x"))
    8
    """
    table: tuple = ()
    counts: dict[tuple, int] = {}
    header_line = 1
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if s.startswith("["):
            array = s.startswith("[[")
            names = tuple(p.strip().strip('"') for p in s.strip("[]").split("."))
            if array:
                counts[names] = counts.get(names, -1) + 1
                names = (*names, counts[names])
            table = names
            if table == tuple(where):
                return n
            if table == tuple(where[:-1]):
                header_line = n
            continue
        key = s.split("=", 1)[0].strip().strip('"') if "=" in s and not s.startswith("#") else None
        if key is not None and (*table, key) == tuple(where[:len(table) + 1]) and len(where) > len(table):
            return n
    return header_line


def norm(text: str) -> str:
    """Normalize a name for lookups: NFKC, no spaces, case-folded.

    >>> norm("Microsoft  Corp.") == norm("microsoftcorp.")
    True
    """
    return _WHITE_SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


_WHITE_SPACE = re.compile(r"\s+")      # (compiled once: norm runs for every line of every document)


@dataclass(frozen=True)
class GazetteerEntry:
    """One row of ``gazetteer.tsv``: a well-known entity's key, class, names and Wikidata id."""
    key: str
    cls: str
    en: str
    zh: str
    aliases: tuple[str, ...]
    wikidata: str

    def names(self) -> list[str]:
        """Every name of the entry: English, Chinese, then the aliases (empty ones left out)."""
        return [n for n in (self.en, self.zh, *self.aliases) if n]

    def entity(self, aliases: set[str] = frozenset()) -> Entity:
        """A fresh :class:`~kg.model.Entity` with this entry's names, class and Wikidata id."""
        return Entity(self.key, self.cls, self.en or None, self.zh or None, set(aliases), self.wikidata or None)


@dataclass(frozen=True)
class Pattern:
    """One relation pattern of ``relations.toml``, with its options."""
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
        """The rule id written as ``kg:rule``: ``relation.lang.index``."""
        return f"{self.relation}.{self.lang}.{self.index}"


@dataclass
class Lexicon:
    """Everything the extractor reads from ``ontologies/``: gazetteer, patterns, cues and name lists."""
    gazetteer: list[GazetteerEntry]
    patterns: list[Pattern]
    cues: dict
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    given_names: frozenset[str]
    by_name: dict[str, GazetteerEntry] = field(default_factory=dict)
    gazetteer_by_key: dict[str, GazetteerEntry] = field(default_factory=dict)

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The gazetteer entry one of whose names is ``name`` (compared after :func:`norm`), or None."""
        return self.by_name.get(norm(name))


def _check_class(cls: str, where: str) -> str:
    try:
        vocab.top_class(cls)
    except (ValueError, KeyError, AttributeError):
        raise LexiconError(f"{where}: {cls!r} is not an entity class of ontologies/kg.ttl") from None
    return cls


def load_gazetteer(path: Path = GAZETTEER_FILE) -> list[GazetteerEntry]:
    """The gazetteer's entries, in file order. The first line that is not a comment is the header, exactly
    :data:`GAZETTEER_COLUMNS`; a row with more cells, an unknown class, a bad Wikidata id or a key used twice
    is a :class:`LexiconError` naming the line."""
    if not path.exists():
        return []
    entries, seen, header = [], set(), None
    with path.open(encoding="utf-8", newline="") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = [c.strip() for c in line.rstrip("\r\n").split("\t")]
            where = f"{path.name} line {n}"
            if header is None:
                header = cells
                if tuple(header) != GAZETTEER_COLUMNS:
                    raise LexiconError(f"{where}: the header must be the columns {' '.join(GAZETTEER_COLUMNS)} "
                                       f"separated by tabs, not {' '.join(header)}")
                continue
            if len(cells) > len(GAZETTEER_COLUMNS) and any(cells[len(GAZETTEER_COLUMNS):]):
                raise LexiconError(f"{where}: {len(cells)} columns, the header has {len(GAZETTEER_COLUMNS)}")
            key, cls, en, zh, aliases, qid = (cells + [""] * len(GAZETTEER_COLUMNS))[:len(GAZETTEER_COLUMNS)]
            if not key:
                if any(cells):
                    raise LexiconError(f"{where}: a row with no key")
                continue
            if key in seen:
                raise LexiconError(f"{where}: duplicate key {key!r}")
            seen.add(key)
            _check_class(cls, where)
            if qid and not re.fullmatch(r"Q\d+", qid):
                raise LexiconError(f"{where}: bad Wikidata id {qid!r}")
            alias = tuple(a.strip() for a in aliases.split("|") if a.strip())
            entries.append(GazetteerEntry(key, cls, en, zh, alias, qid))
    return entries


def load_patterns(path: Path = LEXICON_DIR / "relations.toml") -> list[Pattern]:
    """The relation patterns of ``relations.toml``, each relation checked against the ontology."""
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


def load_cues(path: Path = LEXICON_DIR / "cues.toml") -> dict:
    """``cues.toml`` as a dict, checked against :data:`CUES_SCHEMA` (an unknown key is an error)."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise LexiconError(f"{path.name}: {e}") from None
    check_toml(path, text, data, CUES_SCHEMA)
    return data


def _word_list(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines()
            if w.strip() and not w.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def load() -> Lexicon:
    """The project's lexicon (cached: the files are read once per process)."""
    gaz = load_gazetteer()
    cues = load_cues()
    for lang in ("zh", "en"):
        for table in ("org_suffixes", "noun_org_suffixes"):
            for cls in cues[lang].get(table, {}).values():
                _check_class(cls, f"cues.toml [{lang}.{table}]")
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
