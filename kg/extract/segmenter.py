"""Chinese word segmentation: jieba's own cut, word for word, with most of the work done by jieba-rs.

jieba segments Chinese at about 1 MB per CPU second, in Python; that is a sixth of kg's whole extraction
time on Chinese text. ``rjieba`` (the binding of jieba-rs, the Rust port of jieba, with jieba's dictionary and
HMM) does it about twenty times faster. The two cut most text alike but not all: jieba-rs keeps ``Trip.com``,
``Coca-Cola`` and ``4%`` whole, where jieba cuts them at the punctuation. So :func:`cut` splits text into
blocks the way ``jieba.cut`` does and hands jieba-rs only the blocks made of Chinese characters, letters and
digits alone, where the two agree (``tests/extract/test_segmenter.py`` compares them on generated text); the
rest is cut by jieba itself. The words, and so kg's output, are the same either way.

jieba-rs builds its dictionary when first imported, about 0.15 CPU s: more than jieba's cut of a short
article costs. So a process starts with jieba and loads jieba-rs once it has cut :data:`SWITCH_CHARS`
characters, the text whose cut by jieba costs about what loading jieba-rs does (2.4 µs a character saved,
measured on the bench corpus): a process never pays more than twice the cheaper of the two choices, one
article starts as fast as before, and a corpus gains from its second hundred kilobytes on. jieba-rs is used
only while jieba has its default dictionary, untouched (no ``add_word``, no ``set_dictionary``): another
dictionary is one jieba-rs does not have.
"""
from __future__ import annotations

import re
import threading

import jieba
from jieba import finalseg

# jieba's own block and whitespace patterns (jieba.re_han_default, jieba.re_skip_default): the same blocks
_BLOCK = jieba.re_han_default
_SKIP = jieba.re_skip_default
# the blocks jieba-rs cuts exactly as jieba does: Chinese characters, letters and digits, no punctuation
_PLAIN_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9]+")

SWITCH_CHARS = 65536     # characters cut by jieba in this process before jieba-rs is loaded
# jieba 0.42.1's dict.txt as loaded (entries with their prefixes, total count): the dictionary built into
# jieba-rs. A jieba with another one, or with words added (add_word changes both figures), cuts with jieba alone.
DEFAULT_DICTIONARY = (498113, 60101967)
_state = {"chars": 0, "fast": None}
_lock = threading.Lock()


def load() -> bool:
    """Load jieba-rs now, rather than after :data:`SWITCH_CHARS` characters (what a benchmark's warm-up or a
    long-running service does); whether it is there to load."""
    with _lock:
        if _state["fast"] is None:
            try:
                import rjieba
            except ImportError:           # (a platform without its wheel: jieba alone, the same words)
                _state["fast"] = False
            else:
                _state["fast"] = rjieba.cut
    return _state["fast"] is not False


def _fast_cut():
    """jieba-rs's cut (``rjieba.cut``) once this process has cut enough text to pay for loading it, else None."""
    if _state["fast"] is None and _state["chars"] >= SWITCH_CHARS:
        load()
    return _state["fast"] or None


def _default_dictionary(dt) -> bool:
    """Whether ``dt`` (a jieba tokenizer) holds jieba's default dictionary as it ships, with no word added,
    changed or deleted: the dictionary jieba-rs carries."""
    return (dt.dictionary is None and dt.initialized and not finalseg.Force_Split_Words
            and not dt.user_word_tag_tab and (len(dt.FREQ), dt.total) == DEFAULT_DICTIONARY)


def cut(text: str) -> list[str]:
    """``list(jieba.cut(text))`` (accurate mode, with the HMM for unknown words): the same words, in order.

    >>> cut("微软向OpenAI投资了10亿美元。")
    ['微软', '向', 'OpenAI', '投资', '了', '10', '亿美元', '。']
    """
    dt = jieba.dt
    dt.check_initialized()
    fast = _fast_cut() if _default_dictionary(dt) else None
    if fast is None:
        _state["chars"] += len(text)
        return list(dt.cut(text, cut_all=False, HMM=True))
    slow = dt._Tokenizer__cut_DAG          # jieba's cut of one block (what dt.cut calls for every block)
    plain = _PLAIN_BLOCK.fullmatch
    words: list[str] = []
    for block in _BLOCK.split(text):
        if not block:
            continue
        if _BLOCK.match(block):
            words.extend(fast(block, True) if plain(block) else slow(block))
        else:                             # between blocks: whitespace runs whole, anything else char by char
            for x in _SKIP.split(block):
                if _SKIP.match(x):
                    words.append(x)
                else:
                    words.extend(x)
    return words
