"""Serving a store while it is being written: the endpoint reads published snapshots, never the live database.

RocksDB (under Oxigraph) lets one process write a database; pyoxigraph 0.5 has no secondary mode, and opening
it read-only while another process writes is undefined behaviour (``Store.read_only``'s own warning). So
``kg serve`` never opens the live database. It reads *snapshots*: ``Store.backup`` checkpoints (hard links of
the immutable data files, cheap), each a consistent state between two commits, published under
``snapshots/`` of the store directory and named by ``snapshots/CURRENT``:

* a writer (``kg build --store``, ``kg remove``) that sees a server (``.serve.lock`` held) publishes a snapshot
  after a commit, at most one per :data:`MIN_INTERVAL`, and always after its last commit;
* the server makes one when it starts, and its refresher makes one whenever no writer holds the store and the
  database changed since the last snapshot (a build that ran while nobody served, a write by another tool);
* each query worker opens the newest snapshot read-only before a query and holds a shared lock on it; a
  snapshot nobody holds any more is deleted.

A snapshot is taken between two commits, and each commit is one transaction, so a query sees a document whole
or not at all.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from pathlib import Path

from kg.atomic import atomic_write_text

DIR = "snapshots"
CURRENT = "CURRENT"
SERVE_LOCK = ".serve.lock"
STORE_LOCK = ".lock"              # kg.corpus.store's lock: writers exclusive, readers shared
DATA = "oxigraph"
MIN_INTERVAL = 1.0                # seconds between two snapshots a writer publishes


def _try_lock(path: Path, mode: int) -> int | None:
    """An open descriptor of ``path`` holding ``mode`` (LOCK_SH or LOCK_EX), or None if someone holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def server_present(store: Path) -> bool:
    """Whether a ``kg serve`` holds the store (its shared ``.serve.lock``)."""
    fd = _try_lock(store / SERVE_LOCK, fcntl.LOCK_EX)
    _unlock(fd)
    return fd is None


def current(store: Path) -> dict | None:
    """``{"generation": n, "dir": name}`` of the newest published snapshot, or None."""
    try:
        return json.loads((store / DIR / CURRENT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def publish(store: Path, db) -> int:
    """Checkpoint the open database ``db`` of ``store`` as a new snapshot, make it current, delete the old
    snapshots nobody reads; returns its generation."""
    base = store / DIR
    base.mkdir(exist_ok=True)
    now = current(store)
    gen = (now["generation"] if now else 0) + 1
    name = f"{gen:08d}"
    tmp = base / f".{name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    db.backup(str(tmp))
    os.replace(tmp, base / name)
    atomic_write_text(base / CURRENT, json.dumps({"generation": gen, "dir": name}) + "\n")
    prune(store)
    return gen


def prune(store: Path) -> None:
    """Delete every snapshot but the current one that no worker holds."""
    base = store / DIR
    keep = (current(store) or {}).get("dir")
    for d in sorted(base.glob("[0-9]*")):
        if d.name == keep or not d.is_dir():
            continue
        fd = _try_lock(base / f"{d.name}.lock", fcntl.LOCK_EX)
        if fd is None:
            continue                    # a worker still reads it
        try:
            shutil.rmtree(d, ignore_errors=True)
            (base / f"{d.name}.lock").unlink(missing_ok=True)
        finally:
            _unlock(fd)


def fingerprint(store: Path) -> tuple:
    """What changes whenever the live database does: its files' names, sizes and modification times."""
    out = []
    with os.scandir(store / DATA) as it:
        for e in it:
            st = e.stat()
            out.append((e.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


def snapshot_if_idle(store: Path, last: tuple | None = None) -> tuple | None:
    """When no writer holds the store and the database changed since ``last`` (a :func:`fingerprint`), publish a
    snapshot from a read-only handle; returns the fingerprint it was taken at (``last`` when nothing was done)."""
    from pyoxigraph import (
        Store,  # lazy: pyoxigraph loads RocksDB, only a server needs it here
    )

    fd = _try_lock(store / STORE_LOCK, fcntl.LOCK_SH)
    if fd is None:
        return last                     # a writer: it publishes itself
    try:
        now = fingerprint(store)
        if now == last and current(store) is not None:
            return last
        db = Store.read_only(str(store / DATA))
        try:
            publish(store, db)
        finally:
            del db
        return now
    finally:
        _unlock(fd)


class Publisher:
    """Attached to a writing store: publishes snapshots after commits while a server is there."""

    def __init__(self, store: Path):
        self.store = store
        self.last = 0.0                 # when the last snapshot was published
        self.pending = False            # commits since then
        self.checked = 0.0
        self.serving = False

    def _serving(self) -> bool:
        now = time.monotonic()
        if now - self.checked > 0.25:   # a flock probe per commit is cheap, but not needed more often
            self.serving, self.checked = server_present(self.store), now
        return self.serving

    def committed(self, db) -> None:
        """After a commit: publish if a server is there and the last snapshot is old enough."""
        self.pending = True
        if self._serving() and time.monotonic() - self.last >= MIN_INTERVAL:
            self._publish(db)

    def closing(self, db) -> None:
        """Before the database closes: publish what the server has not seen yet."""
        self.checked = 0.0
        if self.pending and self._serving():
            self._publish(db)

    def _publish(self, db) -> None:
        publish(self.store, db)
        self.last, self.pending = time.monotonic(), False


class Reader:
    """A query worker's view: the newest snapshot, opened read-only, reopened when a newer one is published."""

    def __init__(self, store: Path, wait: float = 120.0):
        self.store = Path(store)
        self.name: str | None = None
        self.db = None
        self.fd: int | None = None
        self.wait = wait

    def current(self):
        """The read-only Store of the newest snapshot (waiting for the first one up to ``wait`` seconds)."""
        from pyoxigraph import Store  # lazy: only query workers open snapshots

        deadline = time.monotonic() + self.wait
        while True:
            now = current(self.store)
            if now is not None and now["dir"] == self.name:
                return self.db
            if now is not None:
                base = self.store / DIR
                fd = _try_lock(base / f"{now['dir']}.lock", fcntl.LOCK_SH)
                if fd is not None and (base / now["dir"]).is_dir():
                    db = Store.read_only(str(base / now["dir"]))
                    old, self.db, self.name = self.fd, db, now["dir"]
                    self.fd = fd
                    _unlock(old)
                    return self.db
                _unlock(fd)
            if time.monotonic() > deadline:
                if self.db is not None:
                    return self.db
                raise OSError(f"{self.store}: no snapshot of the store was published (is a writer stuck?)")
            time.sleep(0.05)
