"""kg's cache of jieba's tables (kg/extract/jieba_cache.py): the same tables with the cache missing, warm or
damaged, and a damaged file is rebuilt. Each run is a fresh process (jieba keeps its tables per process)."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from kg.extract import jieba_cache
from tests.paths import ROOT

# prints a digest of jieba's prefix dictionary and of the part-of-speech table as kg loaded them
PROBE = """
import hashlib, jieba
from kg.extract import jieba_cache
tags = jieba_cache.posseg().word_tag_tab
print(hashlib.sha256(repr((sorted(jieba.dt.FREQ.items()), jieba.dt.total, sorted(tags.items()))).encode()).hexdigest())
print(jieba_cache.posseg().cut("宋佳怡投资了澜舟").__next__().flag)
"""


def _probe(cache) -> list[str]:
    env = dict(os.environ, KG_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


def _reference() -> str:
    """The same digest from jieba's own loaders, without kg's cache."""
    import jieba
    import jieba.posseg

    freq, total = jieba.Tokenizer().gen_pfdict(jieba.dt.get_dict_file())
    tags = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tags.load_word_tag(jieba.dt.get_dict_file())
    return hashlib.sha256(repr((sorted(freq.items()), total, sorted(tags.word_tag_tab.items()))).encode()).hexdigest()


@pytest.mark.slow
def test_tables_are_jiebas_whether_the_cache_is_missing_warm_or_damaged(tmp_path):
    cache = tmp_path / "cache"
    cold = _probe(cache)
    files = sorted(cache.iterdir())
    assert [f.name.split("-")[1] for f in files] == ["dict", "tags"]
    assert _probe(cache) == cold
    for f in files:                                  # one byte changed in the middle of each payload
        data = bytearray(f.read_bytes())
        data[len(data) // 2] ^= 0xFF
        f.write_bytes(bytes(data))
    assert _probe(cache) == cold
    assert _probe(cache) == cold                     # rebuilt files are read back
    files[0].write_bytes(files[0].read_bytes()[:1000])   # truncated
    assert _probe(cache) == cold
    assert cold[0] == _reference()
    assert cold[1] == "nr"


@pytest.mark.slow
def test_an_unwritable_cache_directory_only_costs_speed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert _probe(blocker / "cache")[0] == _reference()


def test_a_file_is_read_back_only_when_it_is_exactly_what_was_written(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "c"))
    table = {"微软": 3, "投资": 7}
    jieba_cache._write("dict", "key-1", table)
    assert jieba_cache._read("dict", "key-1") == table
    assert jieba_cache._read("dict", "key-2") is None          # another dictionary, jieba or Python version
    assert jieba_cache._read("tags", "key-1") is None
    path = jieba_cache._path("dict", "key-1")
    data = path.read_bytes()
    for damaged in (data[:-1], data[:len(jieba_cache.FORMAT)], b"", data[:-1] + bytes([data[-1] ^ 1])):
        path.write_bytes(damaged)
        assert jieba_cache._read("dict", "key-1") is None
    monkeypatch.setenv("KG_CACHE_DIR", str(path / "not-a-dir"))   # cannot be created: nothing written, no error
    jieba_cache._write("dict", "key-1", table)
    assert jieba_cache._read("dict", "key-1") is None
