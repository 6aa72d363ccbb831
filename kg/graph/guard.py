"""What kg refuses to run, decided on the parsed query: SERVICE and LOAD (they reach other servers),
SPARQL Update (unless allowed), and queries too big or too deeply nested for an engine to survive.

One policy for both engines (rdflib for graph files, Oxigraph for corpus stores):

1. The text is lexed by the SPARQL 1.1 grammar's own terminals (``\\u`` escapes expanded first, as the
   specification says) and written back in a *canonical form*: no comments, single spaces, every string
   as a short ``"..."`` string, prefixed names with ``\\`` escapes spelled as full IRIs. The canonical text,
   and only it, is what the engines run, so a trick of lexing (a comment ended by ``\\r``, ``\\'`` inside
   ``'''``, ``\\u0053ERVICE``) cannot make the guard read one query and the engine another.
2. rdflib's SPARQL parser parses the canonical text; the decision reads that parse tree (SERVICE patterns
   anywhere, also inside EXISTS and sub-queries; the Update operations). The bare keywords of the canonical
   token stream must agree with it. A text that rdflib cannot parse is refused, never passed on: a guard
   that cannot analyse a query does not let it through.
3. Limits apply before any parser sees the text (see :data:`MAX_CHARS`, :data:`MAX_TOKENS`,
   :data:`MAX_NESTING`): Oxigraph overflows its stack (a segfault) on a few thousand nested groups or
   chained operators.

>>> analyse("SELECT * WHERE { ?s ?p 'INSERT DATA and SERVICE' } # DELETE").text
'SELECT * WHERE { ?s ?p "INSERT DATA and SERVICE" }'
>>> analyse("PREFIX ex: <http://ex/> INSERT DATA { ex:a ex:b ex:c }").operations
('INSERT DATA',)
>>> check("SELECT * { # comment\\rSERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.QueryError: SERVICE is refused: it reaches other servers (--allow-service permits it)
>>> check("SELECT ?service WHERE { ?service ex:service ?x }").form
'query'
"""
from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kg.errors import QueryError
from kg.vocab import PREFIXES

MAX_CHARS = 1 << 20         # the text of one query or update
MAX_TOKENS = 10_000         # Oxigraph survives 3,000-term chains, not 10,000; rdflib parses ~3,000 tokens/s
MAX_NESTING = 64            # brackets plus a run of unary operators (! ^ + -) around one term

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

# SPARQL Update operations as rdflib's parser names them -> the keywords users wrote.
_UPDATE_OPERATIONS = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT",
}

# ------------------------------------------------------------------ the terminals of the SPARQL 1.1 grammar
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
         "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_ECHAR = r"\\[tbnrf\"'\\]"
_TOKEN = re.compile("|".join(rf"(?P<{name}>{rx})" for name, rx in (
    ("ws", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),                                   # a comment ends at LF or CR
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("long1", rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''"),
    ("long2", rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""'),
    ("short1", rf"'(?:[^'\\\n\r]|{_ECHAR})*'"),
    ("short2", rf'"(?:[^"\\\n\r]|{_ECHAR})*"'),
    ("number", (r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
                r"|[0-9]*\.[0-9]+|[0-9]+)")),
    ("var", rf"[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"),
    ("bnode", rf"_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    ("pname", rf"(?:{_PREFIX})?:(?:{_LOCAL})?"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("nil", r"\([ \t\r\n]*\)"),
    ("anon", r"\[[ \t\r\n]*\]"),
    ("word", r"[A-Za-z][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\],;.*/+\-!=<>^|?]"),
)))
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE_OUT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_OPEN, _CLOSE, _UNARY = frozenset("{([") , frozenset("})]"), frozenset({"!", "^", "+", "-"})


@dataclass(frozen=True)
class Token:
    """One SPARQL token: its kind, its canonical text, and where the user wrote it."""
    kind: str           # a group name of _TOKEN (never ws/comment)
    text: str           # as written in the canonical text
    line: int           # where it was in the user's text (1-based)
    column: int
    spaced: bool = True  # whitespace or a comment came before it (a path's "*" or "?" must stick to it)


@dataclass(frozen=True)
class Analysis:
    """What a SPARQL text is, decided on its parse: ``form`` ("query" or "update"), the canonical ``text``
    the engines run, the Update ``operations``, and whether it uses SERVICE or LOAD."""
    text: str
    form: str
    operations: tuple[str, ...] = ()
    service: bool = False
    load: bool = False
    parsed: Any = field(default=None, compare=False, repr=False)   # rdflib's parse tree of ``text``


def analyse(sparql: str) -> Analysis:
    """Lex, canonicalize, limit and parse ``sparql``. Raises :class:`QueryError` (malformed, too large,
    too deeply nested, or not analysable)."""
    tokens = tokens_of(sparql)
    text, starts = canonical(tokens)
    ends = [b - (text[b - 1] == " ") for b in starts[1:]] + [len(text)]
    if [t.text for t in tokens_of(text)] != [text[a:b] for a, b in zip(starts, ends)]:
        # The canonical form must read back as the very same tokens, or it is not a safe form to decide on.
        raise QueryError("refused: the query could not be analysed safely (it does not read back the same)")
    words = {t.text.upper() for t in tokens if t.kind == "word"}
    parsed, form, error = _parse(text, prefer_update=bool(words & UPDATE_WORDS))
    if parsed is None:
        raise QueryError(f"malformed SPARQL: {_where(error, tokens, starts, sparql)}syntax error ({_reason(error)})")
    names = _node_names(parsed)
    service = "ServiceGraphPattern" in names
    operations = tuple(dict.fromkeys(_UPDATE_OPERATIONS[n] for n in _update_names(parsed))) if form == "update" else ()
    if form == "update" and not operations:
        raise QueryError("empty SPARQL query (a prologue but no query)")
    # The bare keywords of the canonical text must tell the same story as the parse tree.
    if ("SERVICE" in words) != service or ("LOAD" in words) != ("LOAD" in operations) \
            or (form == "query" and words & UPDATE_WORDS):
        raise QueryError("refused: the query could not be analysed safely (its keywords and its parse disagree)")
    return Analysis(text, form, operations, service, "LOAD" in operations, parsed)


def check(sparql: str, *, allow_service: bool = False, allow_update: bool = False,
          form: str | None = None, read_only: str = "kg query only reads") -> Analysis:
    """:func:`analyse`, then refuse (:class:`QueryError`) SERVICE and LOAD unless ``allow_service``, and
    Update unless ``allow_update`` (``read_only`` says why). ``form`` is what the caller asked for
    ("query" or "update", an endpoint's ``query=`` or ``update=``); a text of the other form is refused."""
    a = analyse(sparql)
    if a.form == "update" and not allow_update:
        raise QueryError(f"refused: SPARQL Update ({', '.join(a.operations)}) is not allowed; {read_only}")
    if a.form != (form or a.form):
        raise QueryError(f"malformed SPARQL: this is {'an update' if a.form == 'update' else 'a query'}, "
                         f"sent as {'an update' if form == 'update' else 'a query'}")
    if a.service and not allow_service:
        raise QueryError("SERVICE is refused: it reaches other servers (--allow-service permits it)")
    if a.load and not allow_service:
        raise QueryError("LOAD is refused: it reads from other servers (--allow-service permits it)")
    return a


# ------------------------------------------------------------------ lexing and the canonical form
def tokens_of(sparql: str) -> list[Token]:
    """The tokens of ``sparql`` in canonical spelling (comments and whitespace dropped), within the limits.

    >>> [t.text for t in tokens_of("ASK{?s a ex:x\\\\.y}#c")]
    ['ASK', '{', '?s', 'a', 'ex:x\\\\.y', '}']
    """
    if len(sparql) > MAX_CHARS:
        raise QueryError(f"query too large: {len(sparql):,} characters (the limit is {MAX_CHARS:,})")
    text = _expand_unicode_escapes(sparql)
    bad = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r"), None)
    if bad is not None:
        raise QueryError(f"malformed SPARQL: control character U+{ord(bad):04X} in the query")
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    out: list[Token] = []
    depth = unary = 0
    pos = 0
    spaced = True
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        line = bisect.bisect_right(line_starts, pos)
        column = pos - line_starts[line - 1] + 1
        if m is None or m.end() == pos:
            raise QueryError(f"malformed SPARQL (line {line}, column {column}): unexpected {text[pos]!r}")
        kind, value, pos = m.lastgroup, m.group(), m.end()
        if kind in ("ws", "comment"):
            spaced = True
            continue
        if kind.startswith(("long", "short")):
            value, kind = _string(value), "string"
        elif kind in ("nil", "anon"):
            value = value[0] + value[-1]
        out.append(Token(kind, value, line, column, spaced))
        spaced = False
        if len(out) > MAX_TOKENS:
            raise QueryError(f"query too large: more than {MAX_TOKENS:,} tokens")
        if kind == "punct" and value in _UNARY and _prefix_operator(out):
            unary += 1
        else:
            unary = 0
        if value in _OPEN and kind == "punct":
            depth += 1
        elif value in _CLOSE and kind == "punct":
            depth = max(0, depth - 1)
        if depth + unary > MAX_NESTING:
            raise QueryError(f"query too deeply nested (line {line}, column {column}): "
                             f"more than {MAX_NESTING} levels")
    return out


def canonical(tokens: list[Token]) -> tuple[str, list[int]]:
    """The canonical text of ``tokens`` and the offset of each token in it: one space where the user's text
    had whitespace or a comment, none where it had none. Strings are rewritten as short ones, prefixed
    names with escapes as IRIs (both self-delimiting); other prefixed names are kept as written (the
    engines expand them with their own prefixes)."""
    parts: list[str] = []
    starts: list[int] = []
    size = 0
    prefixes: dict[str, str] = {}
    for i, t in enumerate(tokens):
        text = t.text
        if t.kind == "pname" and "\\" in text:
            text = _full_iri(text, prefixes, t)
        elif t.kind == "iri" and i >= 2 and tokens[i - 1].kind == "pname" and tokens[i - 2].text.upper() == "PREFIX":
            prefixes[tokens[i - 1].text[:-1]] = text[1:-1]
        if parts and (t.spaced or (t.kind == "string" and tokens[i - 1].kind == "string")):
            parts.append(" ")
            size += 1
        starts.append(size)
        parts.append(text)
        size += len(text)
    out = "".join(parts)
    if "\\u" in out or "\\U" in out:
        # A backslash before "u" in a string would be read as a \\u escape by an engine that expands them first.
        raise QueryError("refused: a string holding a backslash followed by 'u' cannot be analysed safely")
    return out, starts


def _expand_unicode_escapes(text: str) -> str:
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"malformed SPARQL: {m.group()} is not a character")
        return chr(code)
    return _UNICODE_ESCAPE.sub(one, text)


def _string(literal: str) -> str:
    """A SPARQL string literal (any of the four quotings) as a short double-quoted one."""
    q = 3 if literal[:3] in ("'''", '"""') else 1
    body = re.sub(r"\\(.)", lambda m: _ECHARS[m.group(1)], literal[q:-q], flags=re.DOTALL)
    return '"' + "".join(_ESCAPE_OUT.get(ch, ch) for ch in body) + '"'


def _full_iri(pname: str, prefixes: dict[str, str], t: Token) -> str:
    """``ex:a\\.b`` as ``<http://ex/a.b>``: local-name escapes are where lexers disagree most."""
    prefix, local = pname.split(":", 1)
    ns = prefixes.get(prefix, PREFIXES.get(prefix))
    if ns is None:
        raise QueryError(f"malformed SPARQL (line {t.line}, column {t.column}): unknown prefix {prefix + ':'!r}")
    return "<" + ns + _LOCAL_ESCAPE.sub(r"\1", local) + ">"


def _prefix_operator(tokens: list[Token]) -> bool:
    """Whether the last token (! ^ + -) is a prefix operator: nothing that ends an operand precedes it."""
    if len(tokens) < 2:
        return True
    before = tokens[-2]
    return not (before.kind in ("iri", "pname", "var", "string", "number", "langtag", "bnode", "nil", "anon", "word")
                or before.text in (")", "]", "}", "*", "?", "+"))


# ------------------------------------------------------------------ parsing
def _parse(text: str, *, prefer_update: bool):
    """(parse tree, form, None) or (None, None, the exception of the likelier form)."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text.strip():
        raise QueryError("empty SPARQL query")
    order = (("update", parseUpdate), ("query", parseQuery))
    if not prefer_update:
        order = order[::-1]
    first_error = None
    limit = sys.getrecursionlimit()
    # pyparsing recurses ~15 Python frames per nesting level; MAX_NESTING levels need more than the default.
    sys.setrecursionlimit(max(limit, 40 * MAX_NESTING + 2000))
    try:
        for form, parse in order:
            try:
                return parse(text), form, None
            except Exception as e:  # noqa: BLE001 - pyparsing raises several types; the first one is reported
                first_error = first_error or e
    finally:
        sys.setrecursionlimit(limit)
    return None, None, first_error


def _walk(tree: Any):
    """Every node of an rdflib parse tree, iteratively (trees of long chains are deep)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (CompValue, dict)):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)


def _node_names(tree: Any) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue
    return {n.name for n in _walk(tree) if isinstance(n, CompValue)}


def _update_names(tree: Any) -> list[str]:
    request = tree.get("request", []) if hasattr(tree, "get") else []
    return [op.name for op in request if getattr(op, "name", None) in _UPDATE_OPERATIONS]


def _reason(e: BaseException | None) -> str:
    if isinstance(e, RecursionError):
        return "too deeply nested"
    msg = getattr(e, "msg", None) or str(e) or type(e).__name__
    return " ".join(str(msg).split())[:200]


def _where(e: BaseException | None, tokens: list[Token], starts: list[int], sparql: str) -> str:
    """``line L, column C: `` of the user's text for a parser error at an offset of the canonical text."""
    loc = getattr(e, "loc", None)
    if not isinstance(loc, int) or not tokens:
        return ""
    i = bisect.bisect_right(starts, loc) - 1
    if i < 0:
        return ""
    if loc >= starts[-1] + len(tokens[-1].text):          # at the end: after the user's last character
        lines = sparql.rstrip().splitlines() or [""]
        return f"line {len(lines)}, column {len(lines[-1]) + 1}: "
    return f"line {tokens[i].line}, column {tokens[i].column}: "
