"""A SPARQL 1.1 Protocol endpoint over a corpus store: waitress (WSGI) in front, Oxigraph behind.

Queries run in worker processes, each with its own read-only handle on the store, so that a query
over the time limit can really be stopped: its worker is killed and replaced. The endpoint is
read-only unless started with ``allow_update``; ``SERVICE`` and ``LOAD`` (which reach other
servers) are refused unless started with ``allow_service``. Results are negotiated from the
``Accept`` header: SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD, N-Triples
or RDF/XML. Cross-origin requests are allowed (a browser client such as YASGUI works).
"""
from __future__ import annotations

import math
import multiprocessing
import os
import queue
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

from kg.corpus import gsp, querypage, snapshot
from kg.corpus.sparql import WRITE_PREFIXES
from kg.corpus.store import DATA, MARKER, CorpusStore
from kg.errors import InputError, QueryError, UsageError
from kg.graph.guard import check
from kg.vocab import PREFIXES

RESULT_TYPES = {  # media type -> pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON", "application/json": "JSON",
    "application/sparql-results+xml": "XML", "application/xml": "XML", "text/xml": "XML",
    "text/csv": "CSV", "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {  # media type -> pyoxigraph RdfFormat name
    "text/turtle": "TURTLE", "application/x-turtle": "TURTLE", "application/ld+json": "JSON_LD",
    "application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES", "application/rdf+xml": "RDF_XML",
}
ALLOW = "GET, HEAD, POST, OPTIONS"
CORS = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", ALLOW),
        ("Access-Control-Allow-Headers", "Content-Type, Accept"), ("Access-Control-Max-Age", "600")]
READ_ONLY = "this endpoint is read-only (start kg serve with --allow-update to permit it)"


# ------------------------------------------------------------------ worker process
def _worker(conn, data_dir: str, writable: bool, allow_service: bool) -> None:
    import signal

    from pyoxigraph import (
        QueryBoolean,
        QueryResultsFormat,
        QuerySolutions,
        RdfFormat,
        Store,
        serialize,
    )

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Read-only workers read the newest published snapshot, never the live database a build may be writing.
    reader = None if writable else snapshot.Reader(Path(data_dir).parent)
    db = Store(data_dir) if writable else None
    prefixes = dict(PREFIXES)
    while True:
        try:
            op, text, accept = conn.recv()
        except EOFError:
            return
        try:
            # The guard runs here, in the worker, so that its time counts against the query's limit.
            analysis = check(text, allow_service=allow_service, allow_update=writable, form=op,
                             read_only=READ_ONLY)
        except QueryError as e:
            conn.send((403 if "refused" in str(e) else 400, "text/plain", f"{e}\n".encode()))
            continue
        try:
            if reader is not None:
                db = reader.current()
            if op == "update":
                db.update(analysis.text, prefixes=prefixes)
                conn.send((204, "text/plain", b""))
                continue
            result = db.query(analysis.text, prefixes=prefixes)
            if isinstance(result, (QuerySolutions, QueryBoolean)):
                mt = _negotiate(accept, RESULT_TYPES)
                if mt is None:
                    conn.send((406, "text/plain", b"no acceptable result format (JSON, XML, CSV, TSV)\n"))
                    continue
                body = result.serialize(format=getattr(QueryResultsFormat, RESULT_TYPES[mt]))
            else:
                mt = _negotiate(accept, GRAPH_TYPES, default="text/turtle")
                if mt is None:
                    conn.send((406, "text/plain", b"no acceptable RDF format (Turtle, JSON-LD, N-Triples)\n"))
                    continue
                fmt = getattr(RdfFormat, GRAPH_TYPES[mt])
                body = (serialize(result, format=fmt, prefixes=WRITE_PREFIXES) if fmt == RdfFormat.TURTLE
                        else result.serialize(format=fmt))
            conn.send((200, f"{mt}; charset=utf-8", body))
        except SyntaxError as e:
            conn.send((400, "text/plain", f"malformed SPARQL: {querypage.syntax_message(text, str(e))}\n".encode()))
        except Exception as e:  # noqa: BLE001 - any evaluation error is the query's
            conn.send((500, "text/plain", f"query failed: {_first_line(e)}\n".encode()))


def _negotiate(accept: list[tuple[str, float]], table: dict, default: str | None = None) -> str | None:
    """The best media type of ``table`` for a parsed Accept header (JSON/Turtle for ``*/*``)."""
    default = default or "application/sparql-results+json"
    if not accept:
        return default
    best, best_q = None, 0.0
    for mt, q in accept:
        cand = default if mt in ("*/*", "application/*", "text/*") and (
            mt == "*/*" or default.startswith(mt[:-1])) else (mt if mt in table else None)
        if cand and q > best_q:
            best, best_q = cand, q
    return best


class Workers:
    """A fixed set of worker processes; one query at a time each; a stuck one is replaced."""

    def __init__(self, data_dir: str, n: int, writable: bool = False, allow_service: bool = False):
        self.data_dir, self.writable, self.allow_service = data_dir, writable, allow_service
        self.ctx = multiprocessing.get_context("spawn")
        self.idle: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.all: list = []
        for _ in range(n):
            self.idle.put(self._start())

    def _start(self):
        parent, child = self.ctx.Pipe()
        p = self.ctx.Process(target=_worker, args=(child, self.data_dir, self.writable, self.allow_service),
                             daemon=True)
        p.start()
        child.close()
        with self.lock:
            self.all.append(p)
        return p, parent

    def run(self, op: str, text: str, accept, timeout: float, arrived: float | None = None):
        """Run one request on a free worker; ``timeout`` counts from ``arrived`` (time.monotonic()),
        so the time spent waiting for a worker is part of it."""
        deadline = (arrived if arrived is not None else time.monotonic()) + timeout
        try:
            w = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return 503, "text/plain", (f"busy: no query worker was free within the {timeout:g} s limit; "
                                       "try again later\n").encode()
        p, conn = w
        try:
            conn.send((op, text, accept))
            if conn.poll(max(0.0, deadline - time.monotonic())):
                return conn.recv()
            self._kill(p)
            w = None
            return 503, "text/plain", f"query cut off: it ran longer than the {timeout:g} s limit\n".encode()
        except (EOFError, OSError, BrokenPipeError):
            self._kill(p)
            w = None
            return 500, "text/plain", b"query worker failed\n"
        finally:
            self.idle.put(w if w is not None else self._start())

    def _kill(self, p) -> None:
        p.kill()
        p.join(5)
        with self.lock:
            if p in self.all:
                self.all.remove(p)

    def close(self) -> None:
        """Stop every worker process."""
        with self.lock:
            procs, self.all = list(self.all), []
        for p in procs:
            p.kill()
            p.join(5)


# ------------------------------------------------------------------ WSGI application
class Endpoint:
    """The WSGI application: ``/`` (a query page) and ``/sparql`` (the protocol)."""

    def __init__(self, workers: Workers, *, timeout: float = 30.0, max_bytes: int = 1 << 20,
                 allow_update: bool = False, allow_service: bool = False):
        self.workers, self.timeout, self.max_bytes = workers, timeout, max_bytes
        self.allow_update, self.allow_service = allow_update, allow_service

    def __call__(self, environ, start_response):
        status, headers, body = self.handle(environ)
        start_response(status, headers + CORS + [("Content-Length", str(len(body)))])
        # HEAD: the headers of the GET, Content-Length included, and no body.
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]

    def handle(self, environ):
        """``(status line, headers, body)`` for one WSGI request: the query page, the protocol, or an error."""
        arrived = time.monotonic()
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        qs = environ.get("QUERY_STRING", "")
        if method == "OPTIONS":
            return "204 No Content", [("Allow", ALLOW)], b""
        if path == "/" and method in ("GET", "HEAD") and "query=" not in qs:
            return "200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Security-Policy", querypage.CSP)], querypage.page()
        if path.startswith("/static/") or path == "/prefixes.json" or path == gsp.PATH:
            return self._read_only_resource(environ, method, path, qs)
        if path not in ("/", "/sparql", "/query", "/update"):
            return _text(404, "not found: the endpoint is /sparql\n")
        if method not in ("GET", "HEAD", "POST"):
            status, headers, body = _text(405, f"method {method} not allowed: use {ALLOW}\n")
            return status, headers + [("Allow", ALLOW)], body
        try:
            op, text = self._read(environ, method, qs)
        except _HttpError as e:
            return _text(e.code, e.message)
        accept = _parse_accept(environ.get("HTTP_ACCEPT", ""))
        code, ctype, body = self.workers.run(op, text, accept, self.timeout, arrived)
        return _status(code), [("Content-Type", ctype)], body

    def _read_only_resource(self, environ, method: str, path: str, qs: str):
        """The query page's files, kg's prefixes, and the Graph Store Protocol's read side (``/data``)."""
        if method != "GET":
            return "405 Method Not Allowed", [("Allow", "GET"), ("Content-Type", "text/plain; charset=utf-8")], \
                b"read-only: only GET is allowed here\n"
        if path == "/prefixes.json":
            return "200 OK", [("Content-Type", "application/json")], querypage.prefixes_json()
        if path.startswith("/static/"):
            found = querypage.asset(path[len("/static/"):])
            if found is None:
                return _text(404, "not found\n")
            return "200 OK", [("Content-Type", found[0]), ("Cache-Control", "max-age=3600")], found[1]
        iri, problem = gsp.graph_request(qs)
        if problem:
            return _text(400, problem + "\n")
        if iri is not None:
            code, _ctype, body = self.workers.run("query", gsp.ask(iri), [("application/sparql-results+json", 1.0)],
                                                  self.timeout)
            if code != 200:
                return _status(code), [("Content-Type", "text/plain; charset=utf-8")], body
            if b"true" not in body:
                return _text(404, f"no graph {iri} in this store\n")
        accept = _parse_accept(environ.get("HTTP_ACCEPT", ""))
        code, ctype, body = self.workers.run("query", gsp.construct(iri), accept, self.timeout)
        return _status(code), [("Content-Type", ctype)], body

    def _read(self, environ, method: str, qs: str) -> tuple[str, str]:
        if len(qs) > self.max_bytes:
            raise _HttpError(414, f"request too large (limit {self.max_bytes} bytes)\n")
        params = parse_qs(qs, keep_blank_values=True)
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                raise _HttpError(400, "bad Content-Length\n") from None
            if length > self.max_bytes:
                raise _HttpError(413, f"request too large (limit {self.max_bytes} bytes)\n")
            body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-query":
                return "query", body
            if ctype == "application/sparql-update":
                return "update", body
            if ctype == "application/x-www-form-urlencoded":
                params = parse_qs(body, keep_blank_values=True)
            else:
                raise _HttpError(415, "POST a query as application/sparql-query or "
                                      "application/x-www-form-urlencoded\n")
        if "update" in params:
            return "update", params["update"][0]
        if "query" in params:
            return "query", params["query"][0]
        raise _HttpError(400, "missing 'query' parameter\n")


class _HttpError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


_REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 406: "Not Acceptable", 413: "Payload Too Large", 414: "URI Too Long",
            415: "Unsupported Media Type", 500: "Internal Server Error", 503: "Service Unavailable"}


def _status(code: int) -> str:
    return f"{code} {_REASONS.get(code, 'Error')}"


def _text(code: int, message: str):
    return _status(code), [("Content-Type", "text/plain; charset=utf-8")], message.encode("utf-8")


def _parse_accept(header: str) -> list[tuple[str, float]]:
    """``text/csv;q=0.5, application/json`` -> [("text/csv", 0.5), ("application/json", 1.0)]."""
    out = []
    for part in header.split(","):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append((bits[0].lower(), q))
    return out


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0].strip() if text else type(e).__name__


# ------------------------------------------------------------------ running
def serve(store_path, *, host: str = "127.0.0.1", port: int = 7878, workers: int | None = None,
          timeout: float = 30.0, max_bytes: int = 1 << 20, allow_update: bool = False,
          allow_service: bool = False, threads: int = 16, max_connections: int = 100,
          idle_timeout: float = 30.0, ready=None) -> None:
    """Serve the store until interrupted. ``ready(url)`` is called once the socket listens.

    At most ``max_connections`` connections are open at once; more wait in the listen backlog until one
    closes, and a connection idle for ``idle_timeout`` seconds is closed. On a public network put a
    reverse proxy in front (docs/corpus.md), which keeps slow clients away from these slots.
    """
    from waitress import create_server

    _check_settings(port=port, workers=workers, timeout=timeout, max_bytes=max_bytes,
                    max_connections=max_connections, idle_timeout=idle_timeout)
    # With updates allowed, the server is the store's one writer (exclusive lock; builds are refused). Read-only,
    # it holds no lock on the database at all: it announces itself (.serve.lock), builds go on and publish
    # snapshots, and the workers read those (kg.corpus.snapshot).
    if allow_update:
        store = CorpusStore(store_path, write=True)
        store.close_db()
        data_dir, serving = str(store.path / DATA), None
    else:
        store = None
        path = Path(store_path)
        if not (path / MARKER).is_file():
            raise InputError(f"{path}: {'no such store' if not path.exists() else 'not a kg store (no kg-store.json)'}")
        serving = _announce(path)
        data_dir = str(path / DATA)
    refresher = pool = None
    try:
        app = Endpoint(None, timeout=timeout, max_bytes=max_bytes, allow_update=allow_update,
                       allow_service=allow_service)
        try:
            server = create_server(app, host=host, port=port, threads=threads, ident="kg",
                                   # waitress counts its listening socket and its wake-up pipe too
                                   max_request_body_size=max_bytes, connection_limit=max_connections + 2,
                                   channel_timeout=max(1, round(idle_timeout)),
                                   cleanup_interval=max(1, min(30, round(idle_timeout / 2))))
        except (OSError, ValueError) as e:      # a host that is no address, a port in use
            raise UsageError(f"cannot listen on {host}:{port} ({getattr(e, 'strerror', None) or e})") from None
        refresher = None if allow_update else _Refresher(Path(store_path))
        app.workers = pool = Workers(data_dir, 1 if allow_update else (workers or os.cpu_count() or 1),
                                     writable=allow_update, allow_service=allow_service)
        if threading.current_thread() is threading.main_thread():
            import signal
            for sig in (signal.SIGINT, signal.SIGTERM):     # stop cleanly, even when started in the background
                signal.signal(sig, _interrupt)
        url = f"http://{host}:{server.effective_port}/sparql"
        if ready:
            ready(url)
        server.run()
    finally:
        if pool is not None:
            pool.close()
        if refresher is not None:
            refresher.stop()
        if store is not None:
            store.close()
        if serving is not None:
            os.close(serving)


def _announce(path: Path) -> int:
    """Hold ``.serve.lock`` shared for the server's life: writers see it and publish snapshots."""
    import fcntl

    fd = os.open(path / snapshot.SERVE_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


class _Refresher:
    """Publishes a snapshot now, then whenever no writer holds the store and it changed (every 2 s)."""

    def __init__(self, path: Path, every: float = 2.0):
        self.path, self.every = path, every
        self.done = threading.Event()
        self.last = snapshot.snapshot_if_idle(path)
        self.thread = threading.Thread(target=self._run, name="kg-snapshots", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(self.every):
            try:
                self.last = snapshot.snapshot_if_idle(self.path, self.last)
                snapshot.prune(self.path)       # what the workers let go of since
            except OSError:
                continue                    # the store is busy or moving: try again next time

    def stop(self) -> None:
        """Stop refreshing."""
        self.done.set()
        self.thread.join(10)


def _check_settings(*, port, workers, timeout, max_bytes, max_connections, idle_timeout) -> None:
    """Refuse settings that would make every request fail, or listen somewhere else than asked."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: a port is 0 to 65535 (0 picks a free one)")
    for name, value in (("--timeout", timeout), ("--idle-timeout", idle_timeout)):
        if not (value > 0 and math.isfinite(value)):
            raise UsageError(f"{name} {value:g}: give a positive number of seconds")
    for name, value in (("--max-bytes", max_bytes), ("--max-connections", max_connections),
                        ("--workers", 1 if workers is None else workers)):
        if value < 1:
            raise UsageError(f"{name} {value}: give a positive number")
