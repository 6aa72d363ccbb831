"""One store update at a time on a background thread, so that the writing process prepares the next document.

With ``kg build --jobs N`` or a cluster, one process resolves every document and commits it to the store, and
that process bounds the whole build: about half of its time is RocksDB applying each document's SPARQL Update,
during which pyoxigraph releases the GIL. :class:`BackgroundWriter` runs those updates on one thread, in the
order they were handed over, at most one at a time, while the caller works out the next one.

Each update is still one transaction, so a crash leaves the store before or after a document as before. An
update that fails is raised again in the caller, at the next :meth:`BackgroundWriter.submit` or
:meth:`BackgroundWriter.settle`, and nothing is written after it.

>>> import tempfile
>>> from pyoxigraph import Store
>>> db = Store(tempfile.mkdtemp())
>>> w = BackgroundWriter()
>>> w.submit(lambda: db.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }"))
>>> w.settle(); len(db)
1
>>> w.close()
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class BackgroundWriter:
    """Runs write jobs one after the other on a single thread; :meth:`settle` waits until all are done."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store-writer")
        self._last: Future | None = None

    def submit(self, job: Callable[[], None]) -> None:
        """Run ``job`` once the job before it has finished (raising that one's error, if it failed)."""
        self.settle()
        self._last = self._pool.submit(job)

    def settle(self) -> None:
        """Wait for the job in flight; raise its exception here, in the caller's thread."""
        last, self._last = self._last, None
        if last is not None:
            last.result()

    def close(self) -> None:
        """Wait for the job in flight (raising its error) and stop the thread."""
        try:
            self.settle()
        finally:
            self._pool.shutdown(wait=True)
