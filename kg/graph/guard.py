"""What kg refuses to run: SERVICE and LOAD (they reach other servers) and SPARQL Update.

A small lexer that skips strings, IRIs and comments reads the query's bare words, so a keyword inside a
literal never counts.

>>> kind("SELECT * WHERE { ?s ?p 'INSERT DATA and SERVICE' } # DELETE")
'query'
>>> kind("PREFIX ex: <http://ex/> INSERT DATA { ex:a ex:b ex:c }"), kind("LOAD <http://ex/x.ttl>")
('update', 'update')
>>> check("SELECT * { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.errors.QueryError: refused: SERVICE reaches other servers (allowed only with --allow-service)
>>> check("SELECT ?service WHERE { ?service ex:service ?x }")
"""
from __future__ import annotations

import re
from typing import Any

from kg.errors import QueryError

_SKIP = re.compile(r"""'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*""",
                   re.DOTALL)

_WORD = re.compile(r"(?<![\w?$:])([A-Za-z]+)(?![\w:])")

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

def keywords(sparql: str) -> set[str]:
    """The bare words of a SPARQL text (upper-cased), outside strings, IRIs and comments."""
    return {w.upper() for w in _WORD.findall(_SKIP.sub(" ", sparql))}

def kind(sparql: str) -> str:
    """``"update"`` when the text uses an Update operation, else ``"query"``."""
    return "update" if keywords(sparql) & UPDATE_WORDS else "query"

def check(sparql: str, *, allow_service: bool = False, allow_update: bool = False) -> None:
    """Raise :class:`QueryError` for what is refused: SERVICE and LOAD (unless ``allow_service``),
    Update (unless ``allow_update``)."""
    if not sparql.strip():
        raise QueryError("empty SPARQL query")
    words = keywords(sparql)
    if "SERVICE" in words and not allow_service:
        raise QueryError("refused: SERVICE reaches other servers (allowed only with --allow-service)")
    if "LOAD" in words and not allow_service:
        raise QueryError("refused: LOAD reads from other servers (allowed only with --allow-service)")
    if words & UPDATE_WORDS and not allow_update:
        ops = sorted(words & UPDATE_WORDS)
        raise QueryError(f"refused: SPARQL Update ({', '.join(ops)}) is not allowed; the store is read-only here")


# SPARQL Update operations as rdflib's parser names them -> the keyword users wrote.
_UPDATE_KEYWORDS = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT",
}

def update_operations(sparql: str) -> list[str]:
    """The Update operations ``sparql`` consists of, or [] when it does not parse as Update."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(sparql)
    except Exception:  # noqa: BLE001 - not Update either; the caller reports the query error
        return []
    ops = [_UPDATE_KEYWORDS.get(op.name, op.name) for op in parsed.get("request", [])]
    return list(dict.fromkeys(ops))

def uses_service(node: Any) -> bool:
    """Whether the query algebra contains a SERVICE pattern anywhere (also inside EXISTS or
    sub-queries); strings in the query are literals here, so they cannot trigger this."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(uses_service(v) for v in node.values())
    if isinstance(node, dict):
        return any(uses_service(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(uses_service(v) for v in node)
    return False
