"""The facts table analysts open in Excel or LibreOffice: one row per fact, as CSV (UTF-8 with a byte order
mark, so Excel reads Chinese) or as an .xlsx workbook (openpyxl, the ``export`` extra).

A row is one relation or event as one sentence states it: an event (amount, currency, year) and the
statement read from the same sentence are one row, not two. Rows are in reading order: by document, then
by where the sentence starts.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal

from kg.errors import UsageError
from kg.explore.facts import documents, entities, read_facts
from kg.vocab import label

COLUMNS = ("subject", "subject_zh", "relation", "relation_zh", "object", "object_zh", "amount", "currency", "year",
           "sentence", "document", "confidence", "subject_iri", "object_iri", "evidence")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)        # entries and document properties dated alike: the same input, the same bytes
CORE_TIME = "1980-01-01T00:00:00Z"


def fact_rows(graph) -> list[dict]:
    """One dict per fact (keys :data:`COLUMNS`), in reading order. ``amount`` is a Decimal, ``year`` and
    ``confidence`` numbers, a missing value None."""
    facts = read_facts(graph)
    docs = documents(graph)
    info = entities(graph, [iri for f in facts for iri in (f.subject, f.object)])
    # An event absorbs the statements of its relation read from the same sentence.
    events = {(f.key, f.document, f.start) for f in facts if f.kind == "event"}
    rows = []
    for f in facts:
        if f.kind == "statement" and (f.key, f.document, f.start) in events:
            continue
        s, o = info[f.subject], info[f.object]
        doc = docs.get(f.document)
        rows.append({"subject": s.name, "subject_zh": s.zh, "relation": f.relation,
                     "relation_zh": label(f.relation, "zh"), "object": o.name, "object_zh": o.zh,
                     "amount": f.amount, "currency": f.currency, "year": f.year, "sentence": f.sentence,
                     "document": (doc.path if doc and doc.path else f.document), "confidence": _number(f.confidence),
                     "subject_iri": f.subject, "object_iri": f.object, "evidence": f.node,
                     "_order": (doc.path if doc else f.document, f.start if f.start is not None else -1)})
    rows.sort(key=lambda r: (r["document"] == "", r["_order"], r["relation"], r["subject_iri"], r["object_iri"],
                             r["evidence"]))
    for r in rows:
        del r["_order"]
    return rows


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_amount(value)
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def plain_amount(value: Decimal) -> str:
    """A decimal as plain digits, never in exponent form, whole numbers without a fraction (what Excel and
    readers of Aleph's ``amount`` parse as a number).

    >>> plain_amount(Decimal("1000000000.0")), plain_amount(Decimal("1E+9")), plain_amount(Decimal("2.50"))
    ('1000000000', '1000000000', '2.50')
    """
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return format(value, "f")


def write_csv(rows: list[dict], f) -> None:
    """The rows as CSV into binary file ``f``: UTF-8 with a byte order mark, CRLF line ends (what Excel
    expects); Python's csv module and pandas read it with ``encoding="utf-8-sig"``."""
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_cell(r[c]) for c in COLUMNS])
    f.write(text.getvalue().encode("utf-8-sig"))


def write_xlsx(rows: list[dict], f) -> None:
    """The rows as one sheet "facts" of an .xlsx workbook into binary file ``f``: numbers as numbers, a bold
    frozen header with filters; byte-identical for the same rows."""
    try:
        from openpyxl import (
            Workbook,  # lazy: an optional extra, only .xlsx exports need it
        )
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
    except ImportError:
        raise UsageError("writing .xlsx needs openpyxl: pip install 'kg[export]' (or write .csv)") from None
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("facts")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for c in COLUMNS:
        cell = WriteOnlyCell(ws, value=c)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for r in rows:
        ws.append([_xlsx_value(r[c]) for c in COLUMNS])
    ws.auto_filter.ref = f"A1:{_column(len(COLUMNS))}{len(rows) + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    f.write(reproducible_zip(buf.getvalue()))


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 10 ** 15 else float(value)
    return None if value == "" else value


def _column(n: int) -> str:
    """Spreadsheet column letters: 1 -> A, 15 -> O, 27 -> AA.

    >>> _column(1), _column(15), _column(27)
    ('A', 'O', 'AA')
    """
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def reproducible_zip(data: bytes) -> bytes:
    """An Office (zip) file with every entry dated :data:`ZIP_TIME` and the document's created/modified
    properties set to :data:`CORE_TIME`, so writing the same content twice gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + CORE_TIME.encode(),
                              body)
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, body)
    return out.getvalue()
