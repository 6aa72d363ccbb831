"""The spaCy pipelines work as spaCy users expect: nlp(text) fills doc.ents, doc.spans and doc._.relations."""
from kg.extract.pipeline import make_nlp


def test_chinese_pipeline_on_plain_text():
    nlp = make_nlp("zh")
    assert nlp.pipe_names == ["kg_sentences", "kg_entities", "kg_quantities", "kg_coref", "kg_relations",
                              "kg_frames", "kg_events"]
    doc = nlp("微软公司对 OpenAI 进行了 10 亿美元的投资。")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("微软公司", "Microsoft"), ("OpenAI", "OpenAI")]
    assert [s._.value.amount for s in doc.spans["money"]] == [1000000000]
    assert [(r.subject, r.predicate, r.object) for r in doc._.relations] == [("Microsoft", "investsIn", "OpenAI")]
    assert doc._.investments[0].amount == 1000000000


def test_jieba_tokens_split_at_entity_boundaries():
    doc = make_nlp("zh")("AzureOpenAI 服务上线。")
    assert [e.text for e in doc.ents] == ["Azure", "OpenAI"]
    assert all(e.start_char == doc[e.start].idx for e in doc.ents)


def test_english_sentences_and_coreference():
    doc = make_nlp("en")("Anthropic raised $2 billion from Google. The company also relies on Google Cloud.")
    assert len(list(doc.sents)) == 2
    assert [s._.refers for s in doc.spans["coref"]] == [("Anthropic",)]
    assert ("Anthropic", "dependsOn", "Google Cloud") in {(r.subject, r.predicate, r.object) for r in doc._.relations}


def test_a_list_of_names_is_not_a_statement():
    """A table or list of hundreds of names in one 'sentence' yields no relation (and does not make the
    pattern lists backtrack for minutes)."""
    text = ", ".join(["Microsoft", "Google", "Amazon", "Nvidia"] * 200) + " invested in OpenAI."
    doc = make_nlp("en")(text)
    assert len(doc.ents) == 801 and doc._.relations == []


def test_sentence_flags_survive_token_splits():
    doc = make_nlp("zh")("AzureOpenAI")
    assert [e.text for e in doc.ents] == ["Azure", "OpenAI"] and len(list(doc.sents)) == 1


def test_entity_spans_carry_their_extension_values():
    """kg_entities writes span._ values straight into doc.user_data (spaCy's key): span._ must read them back."""
    doc = make_nlp("en")("Microsoft said Tarnvell Robotics hired Ilse Marrow.")
    got = [(e.text, e._.source, e._.confidence, e._.strong) for e in doc.ents]
    assert got[0] == ("Microsoft", "gazetteer", 0.95, True)
    assert all(source.startswith(("gazetteer", "rule:")) and conf > 0 for _, source, conf, _ in got), got
    assert len(got) >= 2, got
