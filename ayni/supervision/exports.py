"""CSV and XLSX downloads of the dashboard's tables and of the read-only lists.

Both formats carry the raw values (numbers as numbers, dates as dates); CSV is UTF-8
with a BOM so that a spreadsheet opens the accents right. XLSX is written by openpyxl
in write-only mode (rows streamed, constant memory). Every download is audited by the
view that serves it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ayni.supervision.tables import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def table_rows(table: Table) -> tuple[list[str], list[list[Any]]]:
    """The header and the raw rows of a dashboard table (its total row last)."""
    header = [str(table.head), *[str(c) for c in table.columns]]
    rows = [[line.head[1], *[cell[1] for cell in line.cells]] for line in table.lines]
    if table.total is not None:
        rows.append([_("Total"), *[cell[1] for cell in table.total]])
    return header, rows


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    sheet.append(list(header))
    for row in rows:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula from data (CSV/formula injection)
    return value


def _sheet_title(title: str) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return clean[:31] or "Datos"


def download(
    fmt: str, filename: str, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX_TYPE)
    else:
        safe = [[_cell(v) for v in row] for row in rows]
        response = HttpResponse(csv_bytes(header, safe), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
