"""jieba's tables, loaded fast on every run after the first: kept in kg's cache directory.

A cold ``kg build`` of one article spent about 0.9 CPU s in jieba before reading a word: 0.6 s loading its
prefix dictionary from jieba's own cache (``marshal.load`` from a file object, three times slower than
``marshal.loads`` of the same bytes) and 0.3 s in ``import jieba.posseg``, which parses the whole dictionary
file again for its word -> part-of-speech table. kg keeps both tables as marshal files in its cache directory (``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``), named
by the dictionary file's size and modification time, jieba's and Python's versions. Each file carries a
BLAKE2 digest of its payload: a missing, truncated or damaged file is rebuilt from jieba's dictionary, so
the tables, and therefore the output, are the same with or without the cache. Writes are atomic
(:mod:`kg.atomic`); a cache directory that cannot be written only costs the speed.

The prefix dictionary goes back into jieba as the dict it was. The tag table is kept packed (:class:`TagTable`):
kg asks it about a few thousand words per corpus, so rebuilding a 350,000-entry dict on every start (0.15 s,
a tenth of a cold build) costs more than looking words up by bisection.

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
from array import array
from pathlib import Path

from kg.atomic import atomic_write_bytes
from kg.errors import OutputError

FORMAT = b"kg-jieba-2\n"
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


class TagTable:
    """jieba.posseg's word -> tag table in three flat arrays: every word in code-point order, concatenated into one
    string, with each word's start offset and its tag's number. Loading it makes five objects instead of
    700,000; a lookup is a bisection. It offers what ``jieba.posseg`` uses of its dict (``get``, ``update`` for
    words added at run time) and what a reader expects of a mapping.

    >>> t = TagTable.pack({"投资": "vn", "微软": "nt", "宋": "nr"})
    >>> t.get("微软"), t.get("苹果", "x"), t["投资"], "宋" in t, len(t)
    ('nt', 'x', 'vn', True, 3)
    """
    __slots__ = ("_extra", "_names", "_starts", "_tags", "_words")

    def __init__(self, words: str, starts: array, tags: bytes, names: tuple[str, ...]):
        self._words, self._starts, self._tags, self._names = words, starts, tags, names
        self._extra: dict[str, str] = {}

    @classmethod
    def pack(cls, table: dict[str, str]) -> TagTable:
        """The packed form of a plain word -> tag dict."""
        words = sorted(table)
        names = tuple(sorted(set(table.values())))
        number = {n: i for i, n in enumerate(names)}
        starts = array("I", [0])
        for w in words:
            starts.append(starts[-1] + len(w))
        return cls("".join(words), starts, bytes(number[table[w]] for w in words), names)

    def to_plain(self) -> tuple:
        """What :meth:`from_plain` reads back: strings, bytes and a tuple, which marshal writes as they are."""
        return self._words, self._starts.tobytes(), self._tags, self._names

    @classmethod
    def from_plain(cls, plain) -> TagTable | None:
        """The table from :meth:`to_plain`'s tuple, or None when it is not one (a damaged or foreign file)."""
        if not (isinstance(plain, tuple) and len(plain) == 4 and isinstance(plain[0], str)
                and isinstance(plain[1], bytes) and isinstance(plain[2], bytes) and isinstance(plain[3], tuple)):
            return None
        words, raw, tags, names = plain
        starts = array("I")
        starts.frombytes(raw[:len(raw) - len(raw) % starts.itemsize])
        if len(starts) != len(tags) + 1 or starts[-1] != len(words) or (tags and max(tags) >= len(names)):
            return None
        return cls(words, starts, tags, names)

    def _find(self, word: str) -> int:
        words, starts = self._words, self._starts
        lo, hi = 0, len(self._tags)
        while lo < hi:
            mid = (lo + hi) // 2
            here = words[starts[mid]:starts[mid + 1]]
            if here < word:
                lo = mid + 1
            elif here == word:
                return mid
            else:
                hi = mid
        return -1

    def get(self, word: str, default=None):
        """The tag of ``word``, or ``default``."""
        if word in self._extra:
            return self._extra[word]
        i = self._find(word)
        return default if i < 0 else self._names[self._tags[i]]

    def __getitem__(self, word: str) -> str:
        tag = self.get(word)
        if tag is None:
            raise KeyError(word)
        return tag

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __len__(self) -> int:
        return len(self._tags) + sum(1 for w in self._extra if self._find(w) < 0)

    def update(self, other) -> None:
        """Add or replace words (what jieba.posseg does with words added by ``jieba.add_word``)."""
        self._extra.update(other)

    def items(self):
        """Every (word, tag), the packed words in code-point order, then added words that are new."""
        words, starts, names = self._words, self._starts, self._names
        for i, t in enumerate(self._tags):
            w = words[starts[i]:starts[i + 1]]
            yield w, self._extra.get(w, names[t])
        for w, t in self._extra.items():
            if self._find(w) < 0:
                yield w, t


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
        table = TagTable.from_plain(_read("tags", key)) if key is not None else None
        if table is None:
            import jieba.posseg
            if key is not None:
                _write("tags", key, TagTable.pack(jieba.posseg.dt.word_tag_tab).to_plain())
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
