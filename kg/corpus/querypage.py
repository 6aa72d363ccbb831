r"""The query page ``kg serve`` answers at ``/``: YASGUI (``@zazuko/yasgui``, MIT, vendored unchanged under
``static/vendor/yasgui/``, served by kg serve itself), with kg's prefixes and the example queries of
``examples/queries/`` (shipped in the wheel as ``kg.queries``) preloaded as tabs, and SPARQL syntax errors
reported as a line, a column and a short message.

The page loads nothing from elsewhere: the server sends a Content-Security-Policy that allows only its own
scripts, styles and connections, and YASGUI's prefix autocompletion reads ``/prefixes.json`` (kg's
prefixes) instead of prefix.cc.

>>> syntax_message("SELECT ?x WHERE { ?x ?p }", "error at 1:26: expected one of LATERAL, SERVICE, [_]")
"line 1, column 26: syntax error near 'SELECT ?x WHERE { ?x ?p }'"
>>> syntax_message("SELECT * WHERE {\n  ?s ex:p ?o }", "error at 2:13: expected OPTIONAL")
"line 2, column 6: unknown prefix 'ex:'"
>>> syntax_message("SELECT ?x WHERE { ?x a kg:C } GROUP BY", "error at 1:39: expected one of ...")
"line 1, column 39: syntax error near '…WHERE { ?x a kg:C } GROUP BY'"
"""
from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from kg.vocab import PREFIXES

VENDOR = ("yasgui.min.js", "yasgui.min.css")
ASSETS = {"yasgui.min.js": "application/javascript; charset=utf-8", "yasgui.min.css": "text/css; charset=utf-8",
          "query.js": "application/javascript; charset=utf-8", "query.css": "text/css; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'")
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def example_queries() -> list[tuple[str, str]]:
    """``(name, text)`` of every example query (``examples/queries/*.rq``), sorted by name."""
    folder = resources.files("kg.queries")
    out = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".rq"):
            out.append((item.name[:-3], item.read_text(encoding="utf-8")))
    return out


def with_prefixes(query: str) -> str:
    """``query`` with a PREFIX line for each of kg's prefixes it uses but does not declare (the endpoint knows
    them, but the editor's own syntax check needs them declared).

    >>> with_prefixes("SELECT ?o WHERE { ent:OpenAI kg:investsIn ?o }").splitlines()[:2]
    ['PREFIX ent: <https://w3id.org/kgnews/entity/>', 'PREFIX kg: <https://w3id.org/kgnews/ontology#>']
    """
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", query)}
    body = re.sub(r"<[^>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*", " ", query)
    used = sorted({p for p in re.findall(r"(?<![\w?$:])([A-Za-z][\w-]*):", body) if p in PREFIXES} - declared)
    head = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used)
    return head + query


def page_config() -> dict:
    """What the page's script reads: the endpoint, the tabs (a starter query, then every example)."""
    starter = with_prefixes("# kg's prefixes are predefined on this endpoint; Ctrl-Enter runs the query.\n"
                            "SELECT ?investor ?target WHERE {\n  ?investor kg:investsIn ?target\n} LIMIT 20\n")
    tabs = [{"name": "query", "query": starter}] + [{"name": name, "query": with_prefixes(text)}
                                                     for name, text in example_queries()]
    return {"endpoint": "sparql", "tabs": tabs, "prefixes": "prefixes.json"}


@cache
def page() -> bytes:
    """The HTML of ``/``: ``static/query.html`` with the configuration as inert JSON data."""
    data = json.dumps(page_config(), ensure_ascii=False, sort_keys=True)
    data = re.sub("[<>&]", lambda m: _SCRIPT_UNSAFE[m.group()], data)
    html = (resources.files("kg.corpus") / "static" / "query.html").read_text(encoding="utf-8")
    return html.replace("{{ config }}", data).encode("utf-8")


@cache
def asset(name: str) -> tuple[str, bytes] | None:
    """``(content type, bytes)`` of a file the page loads from ``/static/``, or None if there is no such file."""
    if name not in ASSETS:
        return None
    base = resources.files("kg.corpus") / "static"
    path = base / "vendor" / "yasgui" / name if name in VENDOR else base / name
    return ASSETS[name], path.read_bytes()


def prefixes_json() -> bytes:
    """kg's prefixes as the ``{prefix: IRI}`` object YASQE's prefix autocompletion reads."""
    return json.dumps(PREFIXES, sort_keys=True).encode("utf-8")


def syntax_message(query: str, error: str) -> str:
    """A parser's ``error at LINE:COLUMN: expected ...`` as ``line L, column C: <short message>``: a prefix the
    query uses but nobody declared, else the text just before where parsing stopped (the parser reports the
    furthest point it reached) and, when it is a short list of keywords, what would have fitted there."""
    for n, text in enumerate(query.split("\n"), 1):
        bare = re.sub(r"<[^>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#.*", lambda m: " " * len(m.group()), text)
        declared = {p.lower() for p in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", query)}
        for m in re.finditer(r"(?<![\w?$:])([A-Za-z][\w-]*):", bare):
            if m.group(1) not in PREFIXES and m.group(1).lower() not in declared and \
                    not re.match(r"\s*PREFIX\s*$", bare[:m.start()], re.IGNORECASE):
                return f"line {n}, column {m.start() + 1}: unknown prefix '{m.group(1)}:'"
    m = re.match(r"error at (\d+):(\d+):\s*(.*)", error, re.DOTALL)
    if not m:
        return " ".join(error.split())[:200]
    line, col, rest = int(m.group(1)), int(m.group(2)), m.group(3)
    lines = query.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    before = " ".join(text[:max(col - 1, 0)].split())
    if len(before) > 30:                     # the last words before the point, cut at a word
        before = "…" + before[-30:].split(" ", 1)[-1]
    words = re.findall(r"\b([A-Z][A-Z_]+)\b", rest)
    hint = f" (expected {' or '.join(words)})" if words and len(words) <= 3 and "[" not in rest else ""
    where = f"near '{before}'" if before else "at the start of the line"
    return f"line {line}, column {col}: syntax error {where}{hint}"
