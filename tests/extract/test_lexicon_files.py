"""The gazetteer and cues.toml reject what they do not define, at load time, naming the file and line."""
from __future__ import annotations

import pytest

from kg.extract.lexicon import (
    CUES_SCHEMA,
    LEXICON_DIR,
    LexiconError,
    Optional,
    check_toml,
    load_cues,
    load_gazetteer,
)

HEADER = "key\tclass\ten\tzh\taliases\twikidata\n"
ROW = "Microsoft\tCompany\tMicrosoft\t微软\tMSFT\tQ2283\n"
COMMENT = "# a comment line\n"


@pytest.mark.parametrize("text, message", [
    (HEADER + COMMENT + ROW, None),
    (HEADER.replace("\n", "\tnotes\n") + ROW, "gazetteer.tsv line 1: the header must be the columns key class en zh aliases wikidata"),
    ("class\tkey\ten\tzh\taliases\twikidata\n" + ROW, "gazetteer.tsv line 1: the header must be"),
    (COMMENT + HEADER + COMMENT + ROW.replace("\n", "\tsoftware\n"), "gazetteer.tsv line 4: 7 columns, the header has 6"),
    (HEADER + COMMENT + ROW.replace("Company", "Compnay"), "gazetteer.tsv line 3: 'Compnay' is not an entity class"),
    (HEADER + ROW + COMMENT + ROW, "gazetteer.tsv line 4: duplicate key 'Microsoft'"),
    (HEADER + ROW.replace("Q2283", "2283"), "gazetteer.tsv line 2: bad Wikidata id '2283'"),
    (HEADER + "\tCompany\tNoKey\t\t\t\n", "gazetteer.tsv line 2: a row with no key"),
])
def test_gazetteer_rows(tmp_path, text, message):
    path = tmp_path / "gazetteer.tsv"
    path.write_text(text, encoding="utf-8")
    if message is None:
        [entry] = load_gazetteer(path)
        assert (entry.key, entry.cls, entry.zh, entry.aliases, entry.wikidata) == ("Microsoft", "Company", "微软",
                                                                                   ("MSFT",), "Q2283")
        return
    with pytest.raises(LexiconError) as e:
        load_gazetteer(path)
    assert str(e.value).startswith(message)


def test_the_shipped_gazetteer_and_cues_load():
    assert len(load_gazetteer()) > 500
    assert set(load_cues()) == set(CUES_SCHEMA)


def _cues_with(tmp_path, after: str, line: str):
    """The shipped cues.toml with ``line`` inserted after the first line equal to ``after``; and that line's number."""
    lines = (LEXICON_DIR / "cues.toml").read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(after + "\n") + 1
    lines.insert(at, line + "\n")
    path = tmp_path / "cues.toml"
    path.write_text("".join(lines), encoding="utf-8")
    return path, at + 1


@pytest.mark.parametrize("after, line, message", [
    ("[en]", "person_tittles = [\"CEO\"]", "unknown key en.person_tittles (known: clause_breaks, governing_verbs, hedge,"),
    ("[zh]", "negation_words = [\"不\"]", "unknown key zh.negation_words"),
    ("[debris]", "[debris.more]", "unknown key debris.more"),
    ("[money]", "scales_en = {}", "unknown key money.scales_en"),
])
def test_cues_reject_unknown_keys(tmp_path, after, line, message):
    path, number = _cues_with(tmp_path, after, line)
    with pytest.raises(LexiconError) as e:
        load_cues(path)
    assert str(e.value).startswith(f"cues.toml line {number}: {message}"), str(e.value)


def test_cues_reject_a_wrong_type_and_keep_data_keys_free(tmp_path):
    text = (LEXICON_DIR / "cues.toml").read_text(encoding="utf-8")
    path = tmp_path / "cues.toml"
    path.write_text(text.replace("\nline_words = [", "\nline_words = \"Home\"\nwords = [", 1), encoding="utf-8")
    number = text[:text.index("\nline_words = [")].count("\n") + 2
    with pytest.raises(LexiconError, match=f"cues.toml line {number}: debris.line_words must be a list"):
        load_cues(path)
    schema = {"zh": {"negation": [str], "suffixes": {"*": str}, "note": Optional(str)}}
    check_toml(path, "", {"zh": {"negation": ["不"], "suffixes": {"公司": "Company", "集团": "Company"}}}, schema)
    for data, message in [({"zh": {"negation": "不", "suffixes": {}}}, "zh.negation must be a list"),
                          ({"zh": {"negation": [1], "suffixes": {}}}, "zh.negation must be a list of strings"),
                          ({"zh": {"negation": [], "suffixes": {"公司": 3}}}, "zh.suffixes.公司 must be a string"),
                          ({"zh": {"suffixes": {}}}, "[zh] has no negation =")]:
        with pytest.raises(LexiconError, match="cues.toml line 1: " + message.replace("[", r"\[")):
            check_toml(path, "", data, schema)
