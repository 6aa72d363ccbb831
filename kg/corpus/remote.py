"""An existing SPARQL server as kg's graph store: the HTTP client of the SPARQL 1.1 Graph Store HTTP Protocol
(``PUT``/``POST``/``DELETE``/``GET`` of ``?graph=IRI``) and of the SPARQL 1.1 Protocol (queries), on the
standard library's urllib.

Authentication comes from the environment, never from the command line (where ``ps`` and shell histories
show it): ``KG_ENDPOINT_TOKEN`` sends ``Authorization: Bearer ...``; ``KG_ENDPOINT_USER`` with
``KG_ENDPOINT_PASSWORD`` answers the server's challenge with HTTP basic or digest authentication, whichever it
asks for (Virtuoso's ``/sparql-graph-crud-auth`` asks for digest).

>>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/kgnews/doc/0123456789abcdef")
'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fkgnews%2Fdoc%2F0123456789abcdef'
>>> check_url("ftp://example.org/x")
Traceback (most recent call last):
...
kg.errors.UsageError: --endpoint ftp://example.org/x: give an http:// or https:// URL
"""
from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request

from kg.errors import KgError, UsageError

ENV_USER, ENV_PASSWORD, ENV_TOKEN = "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD", "KG_ENDPOINT_TOKEN"
NTRIPLES = "application/n-triples"
TIMEOUT = 300           # seconds for one request: a large graph takes a while on a busy server


class EndpointError(KgError):
    """The server is unreachable, refused a request or answered something that is not what was asked."""


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host; :class:`UsageError` otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--endpoint {url}: give an http:// or https:// URL")
    if parts.username or parts.password:
        raise UsageError(f"--endpoint: no credentials in the URL; set {ENV_USER} and {ENV_PASSWORD} "
                         f"(or {ENV_TOKEN}) in the environment")
    return url


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of named graph ``graph`` (indirect identification, ``?graph=``)."""
    return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"graph": graph})


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only on the endpoint's own host and port: credentials never travel to another one."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """The redirected request, or None (the redirect is then an error) when it leaves the host."""
        if urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc:
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Http:
    """Requests to one server with the environment's credentials."""

    def __init__(self, url: str, timeout: float = TIMEOUT):
        self.url = check_url(url)
        self.timeout = timeout
        handlers = []
        user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
        if user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, url, user, password or "")
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
        self.token = os.environ.get(ENV_TOKEN)
        # No proxy from the environment: the endpoint is named exactly, and credentials go only to it.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _SameHost(), *handlers)

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
                ok_missing: bool = False) -> bytes | None:
        """The response body of one request; None for a 404 when ``ok_missing``. Raises :class:`EndpointError`."""
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(url, data=body, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=self.timeout) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            if e.code == 404 and ok_missing:
                return None
            detail = " ".join(e.read(300).decode("utf-8", "replace").split())[:200]
            raise EndpointError(f"{self.url}: {method} refused: HTTP {e.code} {e.reason}"
                                f"{': ' + detail if detail else ''}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise EndpointError(f"{self.url}: the server is unreachable ({' '.join(str(reason).split())[:200]})") \
                from None


class GraphStore(Http):
    """A SPARQL 1.1 Graph Store HTTP Protocol endpoint (Oxigraph: ``/store``, Virtuoso: ``/sparql-graph-crud``)."""

    def put(self, graph: str, ntriples: bytes) -> None:
        """Replace named graph ``graph`` with these N-Triples (create it if missing)."""
        self.request("PUT", graph_url(self.url, graph), ntriples, {"Content-Type": NTRIPLES})

    def post(self, graph: str, ntriples: bytes) -> None:
        """Add these N-Triples to named graph ``graph``."""
        self.request("POST", graph_url(self.url, graph), ntriples, {"Content-Type": NTRIPLES})

    def delete(self, graph: str) -> bool:
        """Delete named graph ``graph``; False if the server did not have it."""
        return self.request("DELETE", graph_url(self.url, graph), ok_missing=True) is not None

    def get(self, graph: str) -> bytes | None:
        """Named graph ``graph`` as N-Triples, or None if the server does not have it."""
        return self.request("GET", graph_url(self.url, graph), headers={"Accept": NTRIPLES}, ok_missing=True)


class SparqlEndpoint(Http):
    """A SPARQL 1.1 Protocol query endpoint (Oxigraph: ``/query``, Virtuoso: ``/sparql``)."""

    def query(self, text: str, kind: str, default_graph: str | None = None) -> bytes:
        """The raw answer to query ``text`` of ``kind`` ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"): SPARQL JSON
        results, or N-Triples for a graph. ``default_graph`` is sent as ``default-graph-uri``."""
        form = {"query": text}
        if default_graph:
            form["default-graph-uri"] = default_graph
        accept = NTRIPLES if kind in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        return self.request("POST", self.url, urllib.parse.urlencode(form).encode("utf-8"),
                            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
