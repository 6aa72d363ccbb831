"""Real servers that tests and the bench start on 127.0.0.1 and stop: a Dask scheduler with worker processes,
the Oxigraph server (``oxigraph serve``, PyPI package ``oxigraph``) and Virtuoso (Debian's
``virtuoso-opensource``: ``virtuoso-t`` and ``isql-vt``).

Each runs from its own temporary directory on free ports. Where a binary is missing, :func:`unavailable`
says which and why; tests skip with that line, unless ``KG_REQUIRE_SERVERS=1`` (what ``.ci/run`` sets, after
installing them), where they fail instead.

Virtuoso, found by trying (7.2 as Debian ships it): its Graph Store endpoint ``/sparql-graph-crud`` takes
``PUT``/``POST``/``DELETE``/``GET`` with ``?graph=IRI`` once the ``SPARQL`` user holds ``SPARQL_UPDATE``
(granted below through ``isql-vt``); ``/sparql-graph-crud-auth`` needs HTTP *digest* authentication
(``dba``/``dba`` on a fresh database), not basic. Queries go to ``/sparql``.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REQUIRE_ENV = "KG_REQUIRE_SERVERS"
BIN = Path(sys.executable).parent
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def required() -> bool:
    """Whether a missing server binary must fail the tests (``KG_REQUIRE_SERVERS=1``) rather than skip them."""
    return os.environ.get(REQUIRE_ENV) == "1"


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command (of this venv first), or None."""
    here = BIN / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def unavailable(name: str) -> str | None:
    """Why server ``name`` ("oxigraph", "virtuoso", "dask") cannot be started here, or None."""
    if name == "oxigraph" and oxigraph_binary() is None:
        return "no `oxigraph` binary (pip install oxigraph, in the dev extra)"
    if name == "virtuoso" and not (shutil.which("virtuoso-t") and shutil.which("isql-vt")):
        return "no virtuoso-t/isql-vt (apt-get install virtuoso-opensource; .ci/run does)"
    if name == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            return "no dask distributed (pip install 'kg[cluster]')"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, seconds: float, log: Path | None = None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: server exited ({proc.returncode}): "
                               f"{log.read_text(errors='replace')[-800:] if log and log.exists() else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return                          # it answers: up
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url}: no answer after {seconds} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _Server:
    """A server process the tests start in its own directory ``root``: killed as a crash would, or stopped
    with its directory removed; a context manager (``start`` on entry, ``stop`` on exit)."""

    root: Path
    proc: subprocess.Popen | None = None

    def start(self):
        """Start the server and wait until it answers (each server says how)."""
        raise NotImplementedError

    def kill(self) -> None:
        """SIGKILL, as a crash would (a server's own log replays on the next start)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        if self.proc is not None:
            _stop(self.proc)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Oxigraph(_Server):
    """``oxigraph serve`` on a fresh directory: :attr:`gsp` (Graph Store endpoint), :attr:`query`."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root or tempfile.mkdtemp(prefix="kg-oxigraph-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.gsp, self.query = f"{self.base}/store", f"{self.base}/query"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Oxigraph:
        """Start the server (on the same data directory and port after a :meth:`kill`) and wait until it answers."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.log = self.root / "server.log"
        log = open(self.log, "ab")      # noqa: SIM115 - the server's stderr, open while it runs
        self.proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(self.root / "data"),
                                      "--bind", f"127.0.0.1:{self.port}"], stdout=subprocess.DEVNULL, stderr=log)
        _wait_http(f"{self.base}/query?query=ASK%7B%7D", self.proc, 30, self.log)
        return self



VIRTUOSO_INI = """[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {vsp}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 300
"""


class Virtuoso(_Server):
    """Virtuoso from a temporary directory with its own ``virtuoso.ini`` and ports: :attr:`gsp` (Graph Store
    endpoint, no authentication), :attr:`gsp_auth` (digest, ``dba``/``dba``), :attr:`query`."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root or tempfile.mkdtemp(prefix="kg-virtuoso-"))
        self.sql_port, self.http_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.gsp, self.gsp_auth = f"{self.base}/sparql-graph-crud", f"{self.base}/sparql-graph-crud-auth"
        self.query = f"{self.base}/sparql"
        self.proc: subprocess.Popen | None = None
        self._granted = False

    def start(self) -> Virtuoso:
        """Start the server in the foreground of a child process and wait until SPARQL answers."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
            sql_port=self.sql_port, http_port=self.http_port, vsp=VIRTUOSO_VSP if VIRTUOSO_VSP.is_dir() else "."))
        self.log = self.root / "virtuoso.log"
        self.proc = subprocess.Popen(["virtuoso-t", "+configfile", "virtuoso.ini", "+foreground"], cwd=self.root,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_http(f"{self.query}?query=ASK%7B%7D", self.proc, 90, self.log)
        if not self._granted:
            self.isql('grant SPARQL_UPDATE to "SPARQL";')
            self._granted = True
        return self

    def isql(self, sql: str) -> str:
        """Run SQL as dba through ``isql-vt``."""
        out = subprocess.run(["isql-vt", str(self.sql_port), "dba", "dba", f"exec={sql}"], capture_output=True,
                             text=True, timeout=120, check=False)
        if out.returncode != 0 or "Error" in out.stdout:
            raise RuntimeError(f"isql {sql}: {out.stdout[-500:]} {out.stderr[-500:]}")
        return out.stdout



class DaskCluster:
    """A Dask scheduler and ``workers`` worker processes (no nanny: a killed worker stays dead), each one thread."""

    def __init__(self, workers: int = 2, root: Path | None = None):
        self.root = Path(root or tempfile.mkdtemp(prefix="kg-dask-"))
        self.n = workers
        self.workers: list[subprocess.Popen] = []
        self.scheduler: subprocess.Popen | None = None

    def start(self) -> DaskCluster:
        """Start the scheduler, then the workers, and wait until every worker has registered."""
        self.root.mkdir(parents=True, exist_ok=True)
        file = self.root / "scheduler.json"
        dask = str(BIN / "dask") if (BIN / "dask").exists() else "dask"
        logs = open(self.root / "dask.log", "ab")     # noqa: SIM115 - held by the processes while they run
        self.scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                           "--scheduler-file", str(file)], stdout=logs, stderr=logs)
        end = time.monotonic() + 60
        while not file.exists() or not file.read_text().strip():
            if time.monotonic() > end or self.scheduler.poll() is not None:
                raise RuntimeError(f"dask scheduler did not start: {(self.root / 'dask.log').read_text()[-800:]}")
            time.sleep(0.1)
        time.sleep(0.2)
        self.address = json.loads(file.read_text())["address"]
        for i in range(self.n):
            self.workers.append(subprocess.Popen(
                [dask, "worker", self.address, "--no-nanny", "--nthreads", "1", "--name", f"w{i}", "--host",
                 "127.0.0.1", "--no-dashboard", "--local-directory", str(self.root / f"w{i}")],
                stdout=logs, stderr=logs))
        from distributed import Client

        with Client(self.address, timeout=60) as c:
            c.wait_for_workers(self.n, timeout=120)
        return self

    def stop(self) -> None:
        """Stop the workers and the scheduler."""
        for p in self.workers + ([self.scheduler] if self.scheduler else []):
            _stop(p)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
