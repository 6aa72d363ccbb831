"""Table-driven entity tests: each row is a sentence of our own, the names it must yield (with their class) and
the strings that must never become a name. The names are invented unless they are well-known world entities."""
import pytest

from kg import vocab
from kg.extract.document import Extractor
from kg.model import Document

# (text, {name: top class}, [never a name])
EN = [
    ("Harbor Dynamics, a Boston-based maker of warehouse arms, hired two engineers.",
     {"Harbor Dynamics": "Organization", "Boston": "Place"}, ["Boston-based", "Harbor"]),
    ("The startup was spun out of Boston Dynamics last year.",
     {"Boston Dynamics": "Organization"}, ["Boston"]),
    ("Ferrow-backed Quillmark raised $20 million. Quillmark sells software to banks, and Quillmark is growing.",
     {"Ferrow": "Organization", "Quillmark": "Organization"}, ["Ferrow-backed", "Ferrow-backed Quillmark"]),
    ("Brightwater CEO Nora Fensley told reporters the deal was done.",
     {"Brightwater": "Organization", "Nora Fensley": "Person"}, ["Brightwater CEO Nora Fensley"]),
    ('"Margins will improve," said Tobiah Quarles, an analyst at Merrow Partners.',
     {"Tobiah Quarles": "Person", "Merrow Partners": "Organization"}, []),
    ("Delphine Okoro, Ravelin's co-founder, declined to comment.",
     {"Delphine Okoro": "Person"}, []),
    ("It was started by former Oracle engineers Odalys Brandt and Peter Voss.",
     {"Odalys Brandt": "Person", "Peter Voss": "Person", "Oracle": "Organization"}, []),
    ("The company sells memory to carmakers in Ohio. Chief Executive Peter Lindgren, who joined in 2021, agreed.",
     {"Peter Lindgren": "Person"}, ["Ohio. Chief Executive Peter Lindgren"]),
    ("Its rivals include Tessory and Calder Bank.",
     {"Calder Bank": "Organization"}, ["Tessory and Calder Bank"]),
    ("The probe is run by the Financial Conduct Authority.",
     {"Financial Conduct Authority": "Organization"}, ["Conduct Authority"]),
    ("A German rival to SAP bought chips and CPUs from North American suppliers.",
     {"SAP": "Organization"}, ["German", "chips", "CPUs", "North"]),
    ("The founder is a former Kestrow product manager.",
     {"Kestrow": "Organization"}, []),
    ("Paris AI startup Veloria raised money.", {}, ["Paris AI"]),
]

ZH = [
    ("Northwindlabs创始人兼CEO李青岚表示，公司将扩张。", {"Northwindlabs": "Organization", "李青岚": "Person"},
     ["orthwindlabs", "rthwindlabs"]),
    ("澄光科技的芯片依赖云峤光电供应。", {"澄光科技": "Organization", "云峤光电": "Organization"}, ["依赖云峤光电"]),
    ("这并非澜溪微电子首次收购。", {"澜溪微电子": "Organization"}, ["并非澜溪微电子"]),
    ("仓储机器人企业蜂舟机器人今天上市。", {"蜂舟机器人": "Organization"}, ["仓储机器人"]),
    ("公司的液冷储能系统去年出货量超过8GWh。", {}, ["液冷储能", "8GWh"]),
    ("星禾智驾完成5亿元B轮融资。", {}, ["智驾", "B"]),
    ("文｜刘子衿　编辑｜陈木", {"刘子衿": "Person"}, ["刘子"]),
    ("该公司由前副教授柯予安于2023年创立。", {"柯予安": "Person"}, ["柯予"]),
    ("本轮由国家集成电路产业投资基金二期领投。", {}, ["二期"]),
    ("另据工商信息，宁德时代已转让股份。", {"宁德时代": "Organization"}, ["另据工商信息"]),
    ("苏晓宁明确表示双方没有接触。", {}, ["明确"]),
    ("该公司的核心产品是面向港口的调度方案“海鸥Dock 2”。", {"海鸥Dock 2": "Product"}, []),
    ("他认为这个系统“非常好用”。", {}, ["非常好用"]),
    ("教育和培训帮助劳动力适应变化。", {}, ["帮助劳动力"]),
    ("公司曾与芯片企业星河芯洽谈收购。", {"星河芯": "Organization"}, ["星河", "星河芯洽谈"]),
    # a well-known company's short name that is an ordinary word too: the name, except where it is the word
    ("联想推出了一款折叠屏笔记本。", {"联想": "Organization"}, []),
    ("这款折叠屏笔记本让人联想到十年前的设计。", {}, ["联想"]),
    ("看到新品，人们不禁联想起当年的旧款。", {}, ["联想"]),
    ("地平线上市首日股价大涨。", {"地平线": "Organization"}, []),
    ("太阳从地平线上升起。", {}, ["地平线"]),
    # a naming verb introduces a name, typed by the noun after 的
    ("红杉中国投资了一家名为云迹智能的初创公司。", {"云迹智能": "Organization"}, ["一家名为云迹智能"]),
    ("字节跳动推出了一款叫做星语的聊天机器人。", {"星语": "Product"}, []),
    ("小米投资了一家名为云雀的机器人公司。", {"云雀": "Organization"}, []),
    # a speech verb ends no company's name; a name jieba joined to the next word (李明于)
    ("创办星澜智能的王建国表示公司将继续投入研发。", {"王建国": "Person", "星澜智能": "Organization"}, ["王建国表示公司"]),
    ("李明于2015年在深圳创办云帆机器人。", {"李明": "Person", "云帆机器人": "Organization"}, ["李明于"]),
    ("红杉中国向墨羽互动投资10亿美元。", {"墨羽互动": "Organization"}, ["向墨羽"]),
    # a preposition jieba joins to the first character of an unknown name (向星 | 途...) is no person
    ("高瓴资本向星澄智行投资了2亿元。", {"星澄智行": "Organization"}, ["向星"]),
]


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def _names(extractor, text, lang):
    x = extractor.extract(Document("case.txt", text, "0" * 64, lang))
    out = {}
    for e in x.entities.values():
        for n in {e.key, e.name_en, e.name_zh, *e.aliases} - {None}:
            out[n] = vocab.top_class(e.cls)
    return out


def _check(extractor, text, expected, never, lang):
    names = _names(extractor, text, lang)
    assert {n: names.get(n) for n in expected} == expected, names
    assert [n for n in never if n in names] == [], names


@pytest.mark.parametrize("text,expected,never", EN, ids=[t[:32] for t, _, _ in EN])
def test_english_entities(extractor, text, expected, never):
    _check(extractor, text, expected, never, "en")


@pytest.mark.parametrize("text,expected,never", ZH, ids=[t[:16] for t, _, _ in ZH])
def test_chinese_entities(extractor, text, expected, never):
    _check(extractor, text, expected, never, "zh")
