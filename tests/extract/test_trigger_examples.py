"""Every Chinese trigger entry reads the example sentences it lists (triggers_zh.toml ``examples``).

The examples run through the whole pipeline (names, frames, events), so an entry whose construction
the shared linking cannot read, or whose names the recognizer misses, fails here with its id.
"""
from functools import cache

import pytest

from kg import vocab
from kg.extract.lexicon import load
from kg.extract.pipeline import make_nlp
from kg.extract.triggers import load_triggers

EXAMPLES = [(t.id, ex) for t in load_triggers("zh") for ex in t.examples]


@cache
def _nlp():
    return make_nlp("zh")


def _key(name: str) -> str:
    entry = load().lookup(name)
    return entry.key if entry is not None else name


def _norm(facts):
    return {(min(s, o), p, max(s, o)) if p in vocab.SYMMETRIC else (s, p, o) for s, p, o in facts}


def test_every_chinese_trigger_has_an_example():
    assert {t.id for t in load_triggers("zh")} == {i for i, _ in EXAMPLES}


@pytest.mark.parametrize("trigger_id,example", EXAMPLES, ids=[f"{i}:{e['text']}" for i, e in EXAMPLES])
def test_chinese_trigger_example(trigger_id, example):
    doc = _nlp()(example["text"])
    got = _norm((r.subject, r.predicate, r.object) for r in doc._.relations)
    want = _norm((_key(s), p, _key(o)) for s, p, o in example["expect"])
    assert want <= got, (trigger_id, sorted(got))
