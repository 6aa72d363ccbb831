"""A SPARQL 1.1 Protocol endpoint over a corpus store: waitress (WSGI) in front, Oxigraph behind.

Queries run in worker processes, each with its own read-only handle on the store, so that a query
over the time limit can really be stopped: its worker is killed and replaced. The endpoint is
read-only unless started with ``allow_update``; ``SERVICE`` and ``LOAD`` (which reach other
servers) are refused unless started with ``allow_service``. Results are negotiated from the
``Accept`` header: SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD, N-Triples
or RDF/XML. Cross-origin requests are allowed (a browser client such as YASGUI works).
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from pathlib import Path
from urllib.parse import parse_qs

from kg.corpus import gsp, querypage, snapshot
from kg.corpus.sparql import WRITE_PREFIXES
from kg.corpus.store import DATA, MARKER, CorpusStore
from kg.errors import InputError, QueryError
from kg.graph.guard import UPDATE_WORDS, check, keywords, kind
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
CORS = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
        ("Access-Control-Allow-Headers", "Content-Type, Accept"), ("Access-Control-Max-Age", "600")]


# ------------------------------------------------------------------ worker process
def _worker(conn, data_dir: str, writable: bool) -> None:
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
            if reader is not None:
                db = reader.current()
            if op == "update":
                db.update(text, prefixes=prefixes)
                conn.send((204, "text/plain", b""))
                continue
            result = db.query(text, prefixes=prefixes)
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

    def __init__(self, data_dir: str, n: int, writable: bool = False):
        self.data_dir, self.writable = data_dir, writable
        self.ctx = multiprocessing.get_context("spawn")
        self.idle: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.all: list = []
        for _ in range(n):
            self.idle.put(self._start())

    def _start(self):
        parent, child = self.ctx.Pipe()
        p = self.ctx.Process(target=_worker, args=(child, self.data_dir, self.writable), daemon=True)
        p.start()
        child.close()
        with self.lock:
            self.all.append(p)
        return p, parent

    def run(self, op: str, text: str, accept, timeout: float):
        """Run one operation on an idle worker and return ``(status, content type, body)``; a worker that overruns
        ``timeout`` is killed and replaced."""
        w = self.idle.get()
        p, conn = w
        try:
            conn.send((op, text, accept))
            if conn.poll(timeout):
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
        return [body]

    def handle(self, environ):
        """``(status line, headers, body)`` for one WSGI request: the query page, the protocol, or an error."""
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        qs = environ.get("QUERY_STRING", "")
        if method == "OPTIONS":
            return "204 No Content", [], b""
        if path == "/" and method == "GET" and "query=" not in qs:
            return "200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Security-Policy", querypage.CSP)], querypage.page()
        if path.startswith("/static/") or path == "/prefixes.json" or path == gsp.PATH:
            return self._read_only_resource(environ, method, path, qs)
        if path not in ("/", "/sparql", "/query", "/update"):
            return _text(404, "not found: the endpoint is /sparql\n")
        if method not in ("GET", "POST"):
            return _text(405, "use GET or POST\n")
        try:
            op, text = self._read(environ, method, qs)
        except _HttpError as e:
            return _text(e.code, e.message)
        if op == "query" and kind(text) == "update":
            op = "update"
        if op == "update" and not self.allow_update:
            ops = ", ".join(sorted(keywords(text) & UPDATE_WORDS)) or "update"
            return _text(403, f"refused: SPARQL Update ({ops}) is not allowed; this endpoint is read-only "
                              "(start kg serve with --allow-update to permit it)\n")
        try:
            check(text, allow_service=self.allow_service, allow_update=self.allow_update)
        except QueryError as e:
            return _text(403 if "refused" in str(e) else 400, str(e) + "\n")
        accept = _parse_accept(environ.get("HTTP_ACCEPT", ""))
        code, ctype, body = self.workers.run(op, text, accept, self.timeout)
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
          allow_service: bool = False, threads: int = 16, ready=None) -> None:
    """Serve the store until interrupted. ``ready(url)`` is called once the socket listens."""


    from waitress import create_server

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
    refresher = None if allow_update else _Refresher(Path(store_path))
    pool = Workers(data_dir, 1 if allow_update else (workers or os.cpu_count() or 1), writable=allow_update)
    try:
        app = Endpoint(pool, timeout=timeout, max_bytes=max_bytes, allow_update=allow_update,
                       allow_service=allow_service)
        server = create_server(app, host=host, port=port, threads=threads, ident="kg",
                               max_request_body_size=max_bytes, connection_limit=256)
        if threading.current_thread() is threading.main_thread():
            import signal
            for sig in (signal.SIGINT, signal.SIGTERM):     # stop cleanly, even when started in the background
                signal.signal(sig, _interrupt)
        url = f"http://{host}:{server.effective_port}/sparql"
        if ready:
            ready(url)
        server.run()
    finally:
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
