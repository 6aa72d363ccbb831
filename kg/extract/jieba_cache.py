"""jieba's tables, loaded fast on every run after the first: kept in kg's cache directory.

A cold ``kg build`` of one article spent about 0.9 CPU s in jieba before reading a word: 0.6 s loading its
prefix dictionary from jieba's own cache (``marshal.load`` from a file object, three times slower than
``marshal.loads`` of the same bytes) and 0.3 s in ``import jieba.posseg``, which parses the whole dictionary
file again for its word -> part-of-speech table. Both tables are plain dicts, so kg keeps them as marshal
files in its cache directory (``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``), named
by the dictionary file's size and modification time, jieba's and Python's versions. Each file carries a
BLAKE2 digest of its payload: a missing, truncated or damaged file is rebuilt from jieba's dictionary, so
the tables, and therefore the output, are the same with or without the cache. Writes are atomic
(:mod:`kg.atomic`); a cache directory that cannot be written only costs the speed.

Only jieba's default dictionary is cached; a process that gave jieba another one keeps jieba's own loading.
"""
from __future__ import annotations

import hashlib
import io
import logging
import marshal
import os
import sys
import threading
from pathlib import Path

from kg.atomic import atomic_write_bytes
from kg.errors import OutputError

FORMAT = b"kg-jieba-1\n"
DIGEST = 16
_lock = threading.RLock()


def cache_dir() -> Path:
    """Where kg keeps its caches: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _dictionary_key(jieba) -> str | None:
    """What the cached tables depend on, or None when jieba uses a dictionary of the caller's own."""
    if jieba.dt.dictionary is not None:       # jieba.DEFAULT_DICT is None: set_dictionary() was called
        return None
    try:
        st = os.stat(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
    except OSError:
        return None
    v = sys.version_info
    return f"{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}-py{v.major}.{v.minor}"


def _path(kind: str, key: str) -> Path:
    return cache_dir() / f"jieba-{kind}-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}.marshal"


def _read(kind: str, key: str):
    """The cached table, or None when the file is missing or not exactly what :func:`_write` wrote."""
    try:
        data = _path(kind, key).read_bytes()
    except OSError:
        return None
    head = len(FORMAT) + DIGEST
    payload = data[head:]
    if data[:len(FORMAT)] != FORMAT or data[len(FORMAT):head] != hashlib.blake2b(payload, digest_size=DIGEST).digest():
        return None
    try:
        got_key, table = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return table if got_key == key else None


def _write(kind: str, key: str, table) -> None:
    payload = marshal.dumps((key, table))
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(_path(kind, key), FORMAT + hashlib.blake2b(payload, digest_size=DIGEST).digest() + payload)
    except (OSError, OutputError):
        pass                                  # no cache: the next run builds the table again


def initialize() -> None:
    """Load jieba's prefix dictionary into ``jieba.dt`` (what ``jieba.initialize()`` does), from kg's cache
    when it holds the current one; otherwise build it from the dictionary file and cache it."""
    jieba = _jieba()
    dt = jieba.dt
    if dt.initialized:
        return
    with _lock:
        key = _dictionary_key(jieba)
        if dt.initialized or key is None:
            dt.initialize()
            return
        with dt.lock:
            got = _read("dict", key)
            if not (isinstance(got, tuple) and len(got) == 2 and isinstance(got[0], dict) and isinstance(got[1], int)):
                got = dt.gen_pfdict(dt.get_dict_file())     # jieba's own way, without its cache
                _write("dict", key, got)
            dt.FREQ, dt.total = got
            dt.initialized = True


def posseg():
    """``jieba.posseg.dt``, the part-of-speech tokenizer, with its word -> tag table from kg's cache."""
    with _lock:
        initialize()
        if "jieba.posseg" in sys.modules:     # imported already (by kg before, or by the caller): loaded
            return sys.modules["jieba.posseg"].dt
        jieba = _jieba()
        key = _dictionary_key(jieba)
        table = _read("tags", key) if key is not None else None
        if not isinstance(table, dict):
            import jieba.posseg
            if key is not None:
                _write("tags", key, jieba.posseg.dt.word_tag_tab)
            return jieba.posseg.dt
        # jieba.posseg builds its table at import, from jieba.dt.get_dict_file(): for the import, that file is
        # empty (an instance attribute shadows the method), and the cached table goes in after.
        jieba.dt.get_dict_file = lambda: io.BytesIO()
        try:
            import jieba.posseg
        finally:
            del jieba.dt.get_dict_file
        jieba.posseg.dt.word_tag_tab = table
        return jieba.posseg.dt
