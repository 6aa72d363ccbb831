"""kg_entities splits tokens at name edges; the sentence flags it keeps must be what the sentence rules give."""
import spacy
from spacy.tokens import Doc

import kg.extract.sentences  # noqa: F401  (registers kg_sentences)
from kg.extract.entities import split_tokens_at
from kg.extract.sentences import mark_sentences


def _flags(doc):
    return [t.is_sent_start for t in doc], [t.text for t in doc]


def _check(nlp, text, offsets):
    doc = nlp(text)
    split_tokens_at(doc, offsets)
    got = _flags(doc)
    mark_sentences(doc)         # the rules, run again on the split tokens
    assert got == _flags(doc)
    return got


def test_split_keeps_sentence_flags_zh():
    nlp = spacy.blank("zh")
    words = ["北京微软公司", "投资", "了", "上海", "。", "\n", "“", "澜舟科技", "”", "成立于", "2021年", "！"]
    doc = mark_sentences(Doc(nlp.vocab, words=words, spaces=[False] * len(words)))
    text = "".join(words)
    split_tokens_at(doc, {text.index("微软"), text.index("公司"), text.index("澜舟") + 2})
    got = _flags(doc)
    assert got[1][:3] == ["北京", "微软", "公司"] and "澜舟" in got[1]
    mark_sentences(doc)
    assert got == _flags(doc)


def test_split_with_an_ender_in_a_piece_sets_flags_again():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    text = "Acme invested.Beta raised money. Gamma-Delta grew."
    # a cut right after "invested." makes a piece that holds the full stop; cuts inside Gamma-Delta do not
    _check(nlp, text, {text.index("Beta"), text.index("Delta"), 1})
