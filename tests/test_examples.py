"""Golden test for the example articles: the facts examples/README.md says each one states, and the
statements it says are not made (negated, planned, or easy misreadings)."""
import pytest

from kg.vocab import SYMMETRIC

EXPECTED = {
    "openai-microsoft.zh.txt": {
        ("Microsoft", "investsIn", "OpenAI"), ("Microsoft", "partnersWith", "OpenAI"),
        ("Sam Altman", "worksFor", "OpenAI"), ("Sam Altman", "founded", "OpenAI"),
        ("Satya Nadella", "worksFor", "Microsoft"), ("Microsoft", "owns", "Microsoft Azure"),
        ("OpenAI", "dependsOn", "Microsoft Azure"), ("OpenAI", "dependsOn", "Microsoft"),
        ("OpenAI", "develops", "ChatGPT"), ("OpenAI", "develops", "GPT-4"),
        ("Microsoft", "competesWith", "OpenAI"), ("Anthropic", "develops", "Claude"),
        ("Claude", "competesWith", "OpenAI"),
    },
    "anthropic-cloud.en.txt": {
        ("Amazon", "investsIn", "Anthropic"), ("Google", "investsIn", "Anthropic"),
        ("Anthropic", "develops", "Claude"), ("Anthropic", "dependsOn", "Amazon Web Services"),
        ("Amazon Web Services", "develops", "Trainium"), ("Anthropic", "competesWith", "OpenAI"),
        ("Dario Amodei", "worksFor", "Anthropic"), ("Dario Amodei", "founded", "Anthropic"),
        ("Microsoft", "investsIn", "OpenAI"),
    },
    "chips-and-funding.en.txt": {
        ("TSMC", "suppliesTo", "Nvidia"), ("SK Hynix", "suppliesTo", "Nvidia"),
        ("Jensen Huang", "worksFor", "Nvidia"), ("Nvidia", "suppliesTo", "ByteDance"),
        ("ByteDance", "owns", "TikTok"), ("ByteDance", "owns", "Douyin"), ("Nvidia", "develops", "H20"),
        ("Nvidia", "competesWith", "AMD"), ("SoftBank Group", "investsIn", "Wayve"),
        ("Nvidia", "investsIn", "Wayve"), ("Microsoft", "investsIn", "Wayve"), ("Nvidia", "acquires", "Mellanox"),
    },
    "ai-startups.zh.txt": {
        ("Alibaba", "investsIn", "Moonshot AI"), ("Yang Zhilin", "founded", "Moonshot AI"),
        ("Moonshot AI", "develops", "Kimi"), ("Moonshot AI", "dependsOn", "Alibaba Cloud"),
        ("Tencent", "investsIn", "Zhipu AI"), ("Alibaba", "investsIn", "Zhipu AI"),
        ("Tencent", "investsIn", "MiniMax"), ("Yan Junjie", "worksFor", "MiniMax"),
        ("Zhipu AI", "partnersWith", "Huawei"), ("Liang Wenfeng", "founded", "DeepSeek"),
        ("DeepSeek", "develops", "DeepSeek-R1"), ("DeepSeek", "competesWith", "Moonshot AI"),
        ("DeepSeek", "competesWith", "Zhipu AI"), ("Moonshot AI", "competesWith", "Zhipu AI"),
        ("王慧文", "founded", "Meituan"), ("Meituan", "acquires", "光年之外"), ("王慧文", "founded", "光年之外"),
    },
}

NOT_STATED = {
    "anthropic-cloud.en.txt": {("Dario Amodei", "founded", "OpenAI"), ("Dario Amodei", "worksFor", "OpenAI"),
                               ("Microsoft", "investsIn", "Anthropic"), ("Amazon", "develops", "Trainium")},
    "chips-and-funding.en.txt": {("Apple", "investsIn", "Wayve"), ("Qualcomm", "investsIn", "Wayve"),
                                 ("Nvidia", "acquires", "Arm"), ("TSMC", "develops", "H100")},
    "ai-startups.zh.txt": {("Baidu", "acquires", "Zhipu AI"), ("Hillhouse Capital", "investsIn", "StepFun"),
                           ("Yang Zhilin", "worksFor", "Tsinghua University")},
    "openai-microsoft.zh.txt": {("Microsoft", "competesWith", "Anthropic")},
}


def _canon(triples):
    return {(min(s, o), p, max(s, o)) if p in SYMMETRIC else (s, p, o) for s, p, o in triples}


@pytest.fixture(scope="module")
def extracted(articles):
    """The example articles' extractions (tests/conftest.py reads them once per session)."""
    return articles


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_states_what_the_article_says(extracted, name):
    got = _canon((r.subject, r.predicate, r.object) for r in extracted[name].relations)
    assert _canon(EXPECTED[name]) - got == set()


@pytest.mark.parametrize("name", sorted(NOT_STATED))
def test_says_nothing_the_article_does_not(extracted, name):
    got = _canon((r.subject, r.predicate, r.object) for r in extracted[name].relations)
    assert _canon(NOT_STATED[name]) & got == set()
    assert got <= _canon(EXPECTED[name]), "spurious relations"


def test_investment_events(extracted):
    events = {(i.investor, i.investee, i.amount, i.year) for x in extracted.values() for i in x.investments}
    assert ("Microsoft", "OpenAI", 1000000000, 2019) in events
    assert ("Microsoft", "OpenAI", 10000000000, 2023) in events
    assert ("Amazon", "Anthropic", 4000000000, None) in events
    wayve = [i for x in extracted.values() for i in x.investments if i.investee == "Wayve" and i.investor == "SoftBank Group"]
    assert wayve and wayve[0].round_amount == 1050000000 and wayve[0].round == "Series C" and wayve[0].year == 2024
