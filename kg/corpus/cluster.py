"""Extraction on a Dask distributed cluster: ``kg build INPUT... --store DIR --cluster tcp://HOST:8786`` (an
existing scheduler) or ``--cluster local:N`` (a LocalCluster of N worker processes, one thread each).

Each document is one task. The client (the ``kg build`` process) reads the inputs, decides what to extract
(:func:`kg.corpus.ingest.plan`) and ships each document's text with its task, so workers need kg installed but
no access to the input files. A worker loads the pipelines once (:class:`Preload`, a worker plugin; the task
falls back to loading them itself on a worker that joined without it) and returns the same extraction a
``--jobs`` process returns. Results are taken in input order and committed by the client one at a time, where
cross-document entity resolution runs as the one deterministic reduce step: a cluster build writes exactly the
store that ``--jobs 1`` writes.

The client's own work per document is the reduce step: resolution, in input order, and the commit. The resolved
document's graph is rendered on a worker too (:meth:`Session.render`, a second task), while the client resolves
the next documents against the store plus the registrations not yet committed.

A worker that dies mid-run loses nothing: the scheduler reruns its tasks elsewhere, and since only the client
writes, and each result once, nothing is written twice. A document on which workers keep dying (the
scheduler's ``allowed-failures``, 3 by default) is reported as that document's failure; the others go on.

Dask is imported only here and only when ``--cluster`` is given: ``kg build`` without it never pays for it.

>>> parse_cluster("local:2"), parse_cluster("tcp://10.0.0.5:8786")
(('local', 2), ('address', 'tcp://10.0.0.5:8786'))
>>> parse_cluster("local:0")
Traceback (most recent call last):
...
kg.errors.UsageError: --cluster local:0: give local:N with N >= 1 worker processes, or a scheduler address such as tcp://HOST:8786
"""
from __future__ import annotations

import logging
import re
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import CancelledError

from kg.errors import InputError, UsageError
from kg.model import Document

_ADDRESS = re.compile(r"(tcp|tls|ucx|inproc)://[^\s/]+")
_LOCAL = re.compile(r"local:(\d+)")
CONNECT_TIMEOUT = 20        # seconds to reach a scheduler before giving up
IN_FLIGHT_PER_THREAD = 4    # documents queued per worker thread: enough to keep it busy, bounded memory


def parse_cluster(spec: str) -> tuple[str, object]:
    """``("local", N)`` or ``("address", URL)`` for a ``--cluster`` value; :class:`UsageError` otherwise."""
    m = _LOCAL.fullmatch(spec)
    if m and int(m.group(1)) >= 1:
        return "local", int(m.group(1))
    if _ADDRESS.fullmatch(spec):
        return "address", spec
    raise UsageError(f"--cluster {spec}: give local:N with N >= 1 worker processes, or a scheduler address "
                     "such as tcp://HOST:8786")


# ---------------------------------------------------------------- worker side
_local = threading.local()      # one Extractor per worker thread (a spaCy pipeline is not shared across threads)


def _extractor():
    x = getattr(_local, "extractor", None)
    if x is None:
        from kg.extract.document import Extractor
        x = _local.extractor = Extractor()
    return x


def extract_task(doc: Document):
    """The task a worker runs for one document: its Extraction, or the failure as one line."""
    from kg.corpus.work import extract_with

    return extract_with(_extractor(), doc)


class Preload:
    """Worker plugin: load the pipelines when a worker starts, not inside its first task. (Dask calls
    ``setup(worker)`` on every worker, present and future.)"""

    name = "kg-preload"

    def setup(self, worker) -> None:
        """Load the pipelines in the worker's task thread (the one thread of a ``local:N`` worker; other
        threads of a many-threaded worker load theirs with their first task). Not waited for: the first
        task simply queues behind it."""
        executor = getattr(worker, "executors", {}).get("default")
        if executor is not None:
            executor.submit(_extractor)

    def teardown(self, worker) -> None:
        """Nothing to release: the pipelines go with the process."""


# ---------------------------------------------------------------- client side
def _quiet() -> None:
    # distributed logs every lost worker and rescheduled task on stderr; kg reports the outcome itself
    for name in ("distributed", "distributed.nanny", "distributed.scheduler", "distributed.worker",
                 "distributed.client", "distributed.core", "distributed.comm"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def connect(spec: str):
    """``(client, cluster or None)`` for a ``--cluster`` value; close both with :func:`close`."""
    kind, value = parse_cluster(spec)
    try:
        import dask  # noqa: F401 - only to say what is missing
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--cluster needs Dask: pip install 'kg[cluster]' (dask and distributed)") from None
    _quiet()
    cluster = None
    try:
        if kind == "local":
            cluster = LocalCluster(n_workers=value, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.CRITICAL, host="127.0.0.1")
            client = Client(cluster, set_as_default=False)
        else:
            _probe(value)
            client = Client(value, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        raise InputError(f"--cluster {spec}: cannot reach the scheduler ({_one_line(e)})") from None
    return client, cluster


def _probe(address: str) -> None:
    """Fail at once when nothing listens at a tcp:// address (the Client would retry for its whole timeout)."""
    import socket

    if not address.startswith("tcp://"):
        return
    host, _, port = address[len("tcp://"):].rpartition(":")
    if not port.isdigit():
        raise UsageError(f"--cluster {address}: give the scheduler's port (tcp://HOST:8786)")
    with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT):
        pass


def close(client, cluster) -> None:
    """Close the client, and the LocalCluster if this run started one."""
    try:
        client.close()
    finally:
        if cluster is not None:
            cluster.close()


class Session:
    """One build's connection to the cluster ``spec``: :meth:`extractions` of its documents, in order, and
    :meth:`render` of each document the client resolved. Close it with :meth:`close`."""

    def __init__(self, spec: str):
        self.spec = spec
        self.client, self.cluster = connect(spec)
        self.run = uuid.uuid4().hex[:12]    # task keys of this run only: another client's results are not ours
        try:
            self.client.register_plugin(_plugin())
            self.threads = sum(self.client.nthreads().values()) or 1
        except Exception:
            self.close()
            raise
        # resolved documents waiting for their render: enough to keep every worker busy, bounded memory
        self.window = IN_FLIGHT_PER_THREAD * self.threads

    def extractions(self, documents: list[Document]) -> Iterator:
        """The Extraction or a failure line for each document, in input order. At most
        :data:`IN_FLIGHT_PER_THREAD` documents per worker thread are queued at a time, so a slow writer never
        piles results up in memory."""
        return _ordered(self.client, documents, self.spec)

    def render(self, x):
        """A handle whose ``result()`` is extraction ``x``'s graph (:class:`kg.corpus.work.Rendered`), made on a
        worker."""
        from kg.corpus.work import render

        key = f"kg-render-{self.run}-{x.document.id}"
        return _Pending(self.client.submit(render, x, key=key, pure=False, retries=1), self.spec)

    def close(self) -> None:
        """Close the client, and the LocalCluster if this session started one."""
        close(self.client, self.cluster)


class _Pending:
    def __init__(self, future, spec: str):
        self.future, self.spec = future, spec

    def done(self) -> bool:
        return self.future.done()

    def result(self):
        """The render (:class:`kg.corpus.work.Rendered`), or why it failed as one line."""
        return _result(self.future, self.spec, "rendering")


def _plugin():
    from distributed.diagnostics.plugin import WorkerPlugin

    class _Preload(Preload, WorkerPlugin):
        pass

    return _Preload()


def _ordered(client, documents: list[Document], spec: str) -> Iterator:
    run = uuid.uuid4().hex[:12]     # task keys of this run only: another client's results are not ours
    threads = sum(client.nthreads().values()) or 1
    window = max(2, IN_FLIGHT_PER_THREAD * threads)
    todo = iter(documents)
    pending: deque = deque()

    def submit(d: Document) -> None:
        pending.append(client.submit(extract_task, d, key=f"kg-extract-{run}-{d.id}", pure=False, retries=1))

    for d in todo:
        submit(d)
        if len(pending) >= window:
            break
    while pending:
        future = pending.popleft()
        result = _result(future, spec)
        d = next(todo, None)
        if d is not None:
            submit(d)
        yield result


def _result(future, spec: str, task: str = "extraction"):
    """A task's result (released on the scheduler); the cluster's own failures as kg errors."""
    from distributed import KilledWorker

    try:
        result = future.result()
    except KilledWorker:
        result = f"{task} failed (the cluster's workers died on it again and again)"
    except (OSError, TimeoutError, CancelledError) as e:
        raise InputError(f"--cluster {spec}: lost the scheduler ({_one_line(e)}); "
                         "the documents committed so far stay, a rerun resumes") from None
    except Exception as e:  # noqa: BLE001 - the tasks catch extraction errors: this is the worker itself
        raise InputError(f"--cluster {spec}: a worker could not run the task ({type(e).__name__}: "
                         f"{_one_line(e)}); every worker needs this version of kg installed; "
                         "the documents committed so far stay, a rerun resumes") from None
    future.release()
    return result


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:200] if text else type(e).__name__
