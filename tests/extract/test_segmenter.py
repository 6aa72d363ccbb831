"""kg.extract.segmenter.cut against jieba.cut: the same words, with jieba-rs doing the plain blocks.

kg's output depends on the words, so the two must agree everywhere, not just on average: tricky rows first
(punctuation inside Latin names, percentages, dictionary words in capitals, whitespace, characters outside
jieba's blocks), then generated text (Chinese characters, dictionary words, letters, digits and punctuation at
random, fixed seeds), then the real articles beside the repository when they are there.
"""
from __future__ import annotations

import json
import logging
import random
from pathlib import Path

import jieba
import pytest

from kg.extract import segmenter

SHARED = Path(__file__).resolve().parents[3] / "shared"

ROWS = [
    "微软向OpenAI投资了10亿美元。",
    "携程Trip.com与Coca-Cola、Rolls-Royce合作,股价上涨了4%,D.C..",
    "极光数智完成4亿元A轮融资,3D打印与5G、AI、CALL、AA一起。",
    "Kai-Fu Lee 在 01.AI 说:  \r\n 她来自\t\t华盛顿。\n\n",
    "C++ 与 C# 以及 R&D 部门, 100.5% 的 a_b 与 x--y",
    "㐀𠀀 日本語のテキスト, 한국어, emoji 🙂 与 全角ＡＢＣ１２３。",
    "",
    " ",
    "苹果",
    "OpenAI",
]


@pytest.fixture(scope="module")
def fast():
    """jieba's tables loaded and jieba-rs loaded, so every plain block takes the fast path."""
    jieba.setLogLevel(logging.WARNING)
    from kg.extract import jieba_cache

    jieba_cache.initialize()
    if not segmenter.load():
        pytest.skip("rjieba is not installed: kg cuts with jieba alone")
    assert segmenter._default_dictionary(jieba.dt), "jieba's default dictionary not recognised: no fast path"
    return segmenter.cut


def _generated(seed: int, n: int) -> list[str]:
    rnd = random.Random(seed)
    dt = jieba.dt
    words = sorted(w for w, f in dt.FREQ.items() if f)
    han = [w for w in words if len(w) == 1 and "\u4e00" <= w <= "\u9fd5"][:3000]
    ascii_words = [w for w in words if w.isascii()]
    pool = (han + rnd.sample(words, 3000) + ascii_words * 3 + list("ABCXYZabcxyz0123456789") * 20
            + list(".-%+#&_ ,,。、\n\r\t") * 10 + ["A轮", "OpenAI", "Trip.com", "10亿美元", "  "] * 10)
    return ["".join(rnd.choice(pool) for _ in range(rnd.randint(1, 80))) for _ in range(n)]


@pytest.mark.parametrize("text", ROWS)
def test_rows_cut_as_jieba_does(fast, text):
    assert fast(text) == list(jieba.cut(text))


def test_generated_text_cut_as_jieba_does(fast):
    texts = _generated(7, 4000)
    differ = [t for t in texts if fast(t) != list(jieba.cut(t))]
    assert not differ, f"{len(differ)} of {len(texts)} cut differently, e.g. {differ[0]!r}"


def test_real_articles_cut_as_jieba_does(fast):
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*")) if p.is_file()]
    for p in sorted((SHARED / "eval" / "dev").glob("*.json")):
        texts += [v for v in json.loads(p.read_text(encoding="utf-8")).values() if isinstance(v, str) and len(v) > 200]
    if not texts:
        pytest.skip(f"no real articles at {SHARED}")
    for text in texts:
        assert fast(text) == list(jieba.cut(text))


def test_another_dictionary_is_cut_by_jieba_alone(fast):
    """A tokenizer whose dictionary differs from jieba's default one (a word added) is not given to jieba-rs."""
    dt = jieba.Tokenizer()
    dt.FREQ, dt.total, dt.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    assert segmenter._default_dictionary(dt)
    dt.add_word("云帆机器人")
    assert not segmenter._default_dictionary(dt)
    other = jieba.Tokenizer(dictionary=str(Path(jieba.__file__).parent / "dict.txt"))
    assert not segmenter._default_dictionary(other)


def test_jieba_rs_is_loaded_only_after_enough_text(monkeypatch):
    """A process loads jieba-rs once it has cut SWITCH_CHARS characters with jieba, not before."""
    monkeypatch.setattr(segmenter, "_state", {"chars": 0, "fast": None})
    monkeypatch.setattr(segmenter, "SWITCH_CHARS", 100)
    segmenter.cut("微软投资了OpenAI。" * 5)          # 60 characters
    assert segmenter._state["fast"] is None
    segmenter.cut("微软投资了OpenAI。" * 5)          # 120: the next cut loads it
    segmenter.cut("腾讯")
    assert segmenter._state["fast"] is not None
