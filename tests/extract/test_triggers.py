"""The trigger lexicons load strictly and their words are found with one automaton."""
import itertools
from pathlib import Path

import pytest

from kg.extract.frame import Trigger
from kg.extract.lexicon import LexiconError
from kg.extract.triggers import (
    TriggerIndex,
    load_triggers,
    parse_triggers,
    trigger_file,
)

ENTRY = '[[trigger]]\nid = "zh.t"\nrelation = "acquires"\nkind = "verb"\nforms = ["收购"]\n'


def parse(text: str):
    return parse_triggers(Path("triggers_zh.toml"), text, "zh")


def test_a_good_entry_loads_with_defaults():
    (t,) = parse(ENTRY + 'event = "Acquisition"\n')
    assert (t.id, t.relation, t.kind, t.forms, t.reverse, t.holder, t.event, t.symmetric) == (
        "zh.t", "acquires", "verb", ("收购",), False, "subject", "Acquisition", False)


@pytest.mark.parametrize("extra, message", [
    ('revers = true\n', "unknown key trigger.0.revers"),
    ('kind2 = "verb"\n', "unknown key"),
    ('event = "Investment"\n', "does not go with acquires"),
    ('holder = "both"\n', "holder must be"),
    ('symmetric = true\n', "symmetric must be false"),
    ('examples = [{ text = "x", expect = [["a", "buys", "b"]] }]\n', "buys"),
    ('examples = [{ text = "x", expect = [["a", "acquires"]] }]\n', "[subject, relation, object]"),
])
def test_a_bad_entry_fails_with_file_line_and_id(extra, message):
    with pytest.raises(LexiconError) as e:
        parse(ENTRY + extra)
    assert "triggers_zh.toml line" in str(e.value) and message in str(e.value)


def test_unknown_relation_kind_and_repeated_ids_fail():
    with pytest.raises(LexiconError, match="trigger 'zh.t': buys is not a relation"):
        parse(ENTRY.replace("acquires", "buys"))
    with pytest.raises(LexiconError, match="kind must be one of"):
        parse(ENTRY.replace('"verb"', '"adverb"'))
    with pytest.raises(LexiconError, match="line 6: trigger 'zh.t': the id is used twice"):
        parse(ENTRY + ENTRY)
    with pytest.raises(LexiconError, match="starts with zh."):
        parse(ENTRY.replace('"zh.t"', '"en.t"'))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shipped_lexicons_load_with_unique_ids(lang):
    if not trigger_file(lang).exists():
        pytest.skip(f"no triggers_{lang}.toml yet")
    ts = load_triggers(lang)
    ids = [t.id for t in ts]
    assert ts and len(ids) == len(set(ids))
    assert all(t.examples for t in ts), [t.id for t in ts if not t.examples]


def test_chinese_longest_form_wins_and_every_trigger_of_a_form_is_hit():
    verb = Trigger("zh.v", "investsIn", "zh", "verb", ("投资",))
    noun = Trigger("zh.n", "investsIn", "zh", "noun", ("投资",))
    role = Trigger("zh.r", "investsIn", "zh", "role", ("投资方",))
    idx = TriggerIndex([verb, noun, role], "zh")
    assert [(h.trigger.id, h.start, h.end) for h in idx.find("甲投资乙,投资方为丙")] == [
        ("zh.v", 1, 3), ("zh.n", 1, 3), ("zh.r", 5, 8)]


def test_english_is_case_insensitive_on_word_boundaries():
    t = Trigger("en.v", "investsIn", "en", "verb", ("invest in", "invested in"))
    idx = TriggerIndex([t], "en")
    hits = idx.find("Acme INVESTED IN Beta; Gamma reinvested in Delta and invest industry")
    assert [h.form for h in hits] == ["INVESTED IN"]


def test_no_triggers_find_nothing():
    assert TriggerIndex([], "zh").find("腾讯投资了云帆") == []


def test_sentences_with_a_trigger_agree_with_find_on_each_sentence():
    # one pass over the paragraph must say what find() says of each sentence: word boundaries at the
    # sentence's own edges, a suffix form joining the word before it, a form across two sentences
    en = TriggerIndex([Trigger("en.a", "acquires", "en", "verb", ("acquired", "acquired by")),
                       Trigger("en.b", "investsIn", "en", "verb", ("-backed",))], "en")
    text = "Zed acquired Q.acquiredX. Amazon-backed Y grew.Sold, acquired by Z. Re acquired"
    cuts = [0, 15, 25, 47, 68, len(text)]
    spans = list(itertools.pairwise(cuts))
    assert en.spans_with_hits(text, spans) == [bool(en.find(text[s:e])) for s, e in spans]
    assert en.spans_with_hits(text, spans) == [True, False, True, True, True]
    zh = TriggerIndex([Trigger("zh.a", "acquires", "zh", "verb", ("收购",))], "zh")
    text = "甲收购乙。丙收。购丁。"
    assert zh.spans_with_hits(text, [(0, 5), (5, 8), (8, 11)]) == [True, False, False]
