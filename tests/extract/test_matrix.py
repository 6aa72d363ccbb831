"""The construction matrix: generated sentences, one ordinary construction each, must yield exactly their facts.

Each ``tests/extract/matrix/{lang}.toml`` holds ``[pools]`` of names (well-known and made-up, both scripts),
``[keys]`` (a name whose entity key is not the name as written) and ``[[case]]`` entries: sentence templates
over the slots ``{A} {B} {C}``, filled ``pairs`` times with names taken in turn from the pools ``slots``
names, and the facts every filled sentence must yield (``expect``, default ``[["A", relation, "B"]]``;
letters are slots, anything else an entity name). ``negative = true`` cases (denials, rumours, plans,
talks, sales) must yield no fact and no event. ``events`` (optional) lists the events each sentence
must yield, with only the fields given checked; letters in ``investor`` / ``investee`` / ``acquirer`` /
``target`` are slots. Pass rates are per relation (and per event type); each must be at least
:data:`TARGET`. Run this file as a script to print the table.
"""
from __future__ import annotations

import sys
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from kg import vocab
from kg.extract.lexicon import Optional, check_toml, load
from kg.extract.pipeline import make_nlp

MATRIX = Path(__file__).parent / "matrix"
TARGET = 0.95
MIN_SENTENCES = {"zh": 300, "en": 300}
SLOTS = "ABC"
SCHEMA = {
    "pools": {"*": [str]}, "keys": Optional({"*": str}),
    "case": [{"relation": str, "slots": [str], "pairs": int, "sentences": [str], "expect": Optional(list),
              "negative": Optional(bool), "events": Optional([dict])}],
}
EVENT_FIELDS = {"Investment": ("investor", "investee", "amount", "currency", "year", "round", "round_amount"),
                "Acquisition": ("acquirer", "target", "price", "currency", "year")}


def files() -> list[Path]:
    """The matrix files, one per language."""
    return sorted(MATRIX.glob("*.toml"))


@cache
def _read(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    check_toml(path, text, data, SCHEMA)
    for case in data["case"]:
        assert case["relation"] in vocab.RELATIONS, f"{path.name}: {case['relation']} is no relation"
        for slot in case["slots"]:
            assert slot in data["pools"], f"{path.name}: no pool {slot!r}"
    return data


def _key(name: str, keys: dict) -> str:
    """The entity key a name is expected under: [keys], else the gazetteer's, else the name itself."""
    if name in keys:
        return keys[name]
    entry = load().lookup(name)
    return entry.key if entry is not None else name


def generate(path: Path) -> list[dict]:
    """Every sentence of one matrix file with the facts and events it must yield, in file order."""
    data = _read(path)
    pools, keys, out = data["pools"], data.get("keys", {}), []
    for ci, case in enumerate(data["case"]):
        expect = case.get("expect", [] if case.get("negative") else [["A", case["relation"], "B"]])
        for ti, template in enumerate(case["sentences"]):
            for k in range(case["pairs"]):
                n, names = ci + ti * case["pairs"] + k, {}
                for j, slot in enumerate(case["slots"]):
                    pool = pools[slot]
                    i = n + 3 * j
                    while pool[i % len(pool)] in names.values():     # two slots never share a name
                        i += 1
                    names[SLOTS[j]] = pool[i % len(pool)]
                sentence = template
                for letter, name in names.items():
                    sentence = sentence.replace("{" + letter + "}", name)

                def key(x, names=names):
                    return _key(names.get(x, x), keys)
                facts = {_fact(key(s), p, key(o)) for s, p, o in expect}
                events = [{f: (key(v) if f in ("investor", "investee", "acquirer", "target") else v)
                           for f, v in e.items()} for e in case.get("events", [])]
                out.append({"relation": case["relation"], "sentence": sentence, "facts": facts,
                            "events": events, "check_events": "events" in case or bool(case.get("negative")),
                            "negative": bool(case.get("negative"))})
    return out


def _fact(s: str, p: str, o: str) -> tuple[str, str, str]:
    if p in vocab.SYMMETRIC and o < s:
        s, o = o, s
    return s, p, o


def _event_rows(doc) -> list[dict]:
    rows = []
    for i in doc._.investments or []:
        rows.append({"type": "Investment", "investor": i.investor, "investee": i.investee, "amount": i.amount,
                     "currency": i.currency, "year": i.year, "round": i.round, "round_amount": i.round_amount})
    for a in doc._.acquisitions or []:
        rows.append({"type": "Acquisition", "acquirer": a.acquirer, "target": a.target, "price": a.price,
                     "currency": a.currency, "year": a.year})
    return rows


def _event_ok(want: dict, rows: list[dict]) -> bool:
    def same(f, v, got):
        if f in ("amount", "price", "round_amount") and v is not None:
            return got is not None and Decimal(str(v)) == Decimal(got)
        return v == got
    return any(r["type"] == want["type"] and all(same(f, v, r.get(f)) for f, v in want.items() if f != "type")
               for r in rows)


@cache
def _nlp(lang: str):
    return make_nlp(lang)


def run(path: Path) -> tuple[dict[str, list[int]], list[str]]:
    """Pass counts per relation and event type (``{name: [passed, total]}``) and the failures, described."""
    lang = path.stem
    nlp = _nlp(lang)
    table: dict[str, list[int]] = {}
    failures = []
    for item in generate(path):
        doc = nlp(item["sentence"])
        got = {_fact(r.subject, r.predicate, r.object) for r in doc._.relations}
        rows = _event_rows(doc)
        ok_rel = got == item["facts"]
        row = table.setdefault(item["relation"], [0, 0])
        row[0] += ok_rel
        row[1] += 1
        if not ok_rel:
            failures.append(f"{item['sentence']}\n    want {sorted(item['facts'])}\n    got  {sorted(got)}")
        if item["check_events"]:
            if item["negative"]:
                ok_ev, kinds = not rows, ("Investment",) if item["relation"] == "investsIn" else (
                    ("Acquisition",) if item["relation"] == "acquires" else ())
            else:
                ok_ev = all(_event_ok(e, rows) for e in item["events"]) and len(rows) == len(item["events"])
                kinds = tuple(dict.fromkeys(e["type"] for e in item["events"]))
            for kind in kinds:
                row = table.setdefault(kind, [0, 0])
                row[0] += ok_ev
                row[1] += 1
            if not ok_ev:
                failures.append(f"{item['sentence']}\n    want events {item['events']}\n    got  {rows}")
    return table, failures


def report(path: Path, table: dict[str, list[int]]) -> str:
    """The pass-rate table of one file."""
    lines = [f"{path.name}: {sum(v[1] for k, v in table.items() if k in vocab.RELATIONS)} sentences"]
    for name in sorted(table):
        ok, n = table[name]
        lines.append(f"  {name:14s} {ok:4d}/{n:<4d} {ok / n:6.1%}")
    return "\n".join(lines)


def test_matrix_files_are_well_formed():
    assert files(), "no tests/extract/matrix/*.toml"
    for path in files():
        items = generate(path)
        assert len(items) >= MIN_SENTENCES.get(path.stem, 1), f"{path.name}: only {len(items)} sentences"
        relations = {i["relation"] for i in items}
        assert relations == set(vocab.RELATIONS), f"{path.name}: no case for {set(vocab.RELATIONS) - relations}"
        assert len({i["sentence"] for i in items}) == len(items), f"{path.name}: a sentence repeats"


@pytest.mark.parametrize("path", files(), ids=lambda p: p.stem)
def test_matrix_pass_rate_per_relation(path):
    table, failures = run(path)
    print(report(path, table))
    low = {k: round(v[0] / v[1], 3) for k, v in table.items() if v[0] / v[1] < TARGET}
    assert not low, f"below {TARGET:.0%}: {low}\n" + report(path, table) + "\n" + "\n".join(failures[:40])


if __name__ == "__main__":
    for p in (Path(a) for a in sys.argv[1:]) if sys.argv[1:] else files():
        t, f = run(p)
        if "-v" in sys.argv or True:
            print("\n".join(f))
        print(report(p, t))
