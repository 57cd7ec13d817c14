"""Write a run's payslips from rows in PostgreSQL's COPY text format.

The importer and the synthetic-sector generator build each payslip once as a line
of text (`payslip_row`) and hand (servant id, row) pairs to `write_payslips`:
PostgreSQL takes them through COPY in large blocks, with no per-value adaptation
in Python; other engines (SQLite in development and tests) read the same rows
back into model instances for `bulk_create`.

Nothing may query the database while COPY holds the connection.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.db import connection
from django.db.models.expressions import RawSQL

from ayni.core.partitions import payslip_partition
from ayni.core.verification import ALPHABET, CODE_LENGTH
from ayni.payroll.compute import CentTotals, money
from ayni.payroll.models import PayrollRun, Payslip

# A row's own columns, in the order of `payslip_row`; the servant goes before them and
# the run's columns after.
ROW_COLUMNS = [
    "uuid",
    "header",
    "lines",
    "gross",
    "deductions",
    "net",
    "taxable_base",
    "employer_contributions",
    "verification_code",
]
RUN_COLUMNS = ["run_id", "year", "month", "payment_date", "published", "pdf_file", "pdf_sha256"]
COLUMNS = ["servant_id", *ROW_COLUMNS, *RUN_COLUMNS]
BLOCK = 1000
CHUNK = 900  # values per `IN (...)` where each is its own placeholder (SQLite)
T = TypeVar("T")


def id_chunks(
    values: Sequence[Any], cast: Literal["bigint", "varchar"] = "bigint"
) -> Iterator[Any]:
    """`values` to filter on with `__in`, as few times as the engine allows. PostgreSQL:
    all of them at once as one array parameter (`IN (SELECT unnest(%s))`), so a UGEL of
    10,000 servants is one query, not 12 with 900 placeholders each to bind and plan;
    other engines: 900 at a time."""
    if not values:
        return
    if connection.vendor == "postgresql":
        # the values are a parameter; `cast` is one of two literals
        yield RawSQL(f"SELECT unnest(%s::{cast}[])", (list(values),))  # noqa: S611
        return
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _in_blocks(items: Iterable[T]) -> Iterator[list[T]]:
    block: list[T] = []
    for item in items:
        block.append(item)
        if len(block) == BLOCK:
            yield block
            block = []
    if block:
        yield block


def _escape(text: str) -> str:
    """COPY text escaping for JSON text: json.dumps leaves no raw tab, newline or CR,
    so doubling the backslashes is all it takes."""
    return text.replace("\\", "\\\\")


def fresh_keys() -> Iterator[tuple[str, str]]:
    """(UUID, verification code) for new payslips, without end: `uuid.uuid4()` and
    `new_code()` over the same random bytes, read from the system 1,000 payslips at a
    time instead of twice per payslip."""
    size = 16 + 10  # a version-4 UUID's bytes, then a code's 80 bits
    shifts = [5 * i for i in range(CODE_LENGTH)]
    while True:
        pool = secrets.token_bytes(size * BLOCK)
        for start in range(0, len(pool), size):
            key = uuid.UUID(bytes=pool[start : start + 16], version=4)
            value = int.from_bytes(pool[start + 16 : start + size], "big")
            yield str(key), "".join([ALPHABET[(value >> s) & 31] for s in shifts])


def payslip_row(
    header_json: str, lines_json: str, totals: CentTotals, code: str, key: str = ""
) -> str:
    """One payslip's own columns as COPY text, without newline; `key` its UUID (a fresh
    one when not given)."""
    return "\t".join(
        [
            key or str(uuid.uuid4()),
            _escape(header_json),
            _escape(lines_json),
            *map(money, totals.values()),
            code,
        ]
    )


def analyze(*tables: str) -> None:
    """Fresh planner statistics after a bulk load (of `tables`, or of every table), on
    PostgreSQL: autovacuum's ANALYZE
    comes minutes later, or never where it is off (CI), and until then the planner plans
    for the table as it was (a run page's count took 264 ms instead of 22 ms)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute("ANALYZE")  # every table of the database
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


VACUUMS = {
    # the background render task, after a run's PDFs were stored: dead row versions and
    # their index entries go (it scans every index of the partition: a task's work)
    "full": "VACUUM (ANALYZE)",
    # publication, in the officer's request: the heap alone (only the pages changed since
    # the last VACUUM; 35 ms for a 10,000-payslip run), so the rewritten payslips' pages
    # are all-visible and the run page counts its pending PDFs from the index
    "heap": "VACUUM (ANALYZE, INDEX_CLEANUP OFF)",
}


def analyze_payslips(year: int, *, vacuum: Literal["", "heap", "full"] = "") -> None:
    """ANALYZE a year's payslips (`payslips_table`), every column but the two JSON
    snapshots: no query filters on them, and reading their statistics meant detoasting
    every sampled row (10,000 payslips: 200 to 350 ms; 45 to 100 ms without them).
    `vacuum`: VACUUM too (see VACUUMS), outside a transaction only."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(f.attname)  # each column is named as its attribute (run_id, servant_id…)
        for f in Payslip._meta.concrete_fields
        if f.name not in ("header", "lines")
    )
    command = VACUUMS[vacuum] if vacuum and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {quote(payslips_table(year))} ({columns})")


def payslips_table(year: int) -> str:
    """Where a year's payslips are: their year's partition, else the DEFAULT partition
    (a year the daily maintenance has not partitioned yet), else the plain table. Never
    the partitioned parent: its ANALYZE would sample and analyse every year."""
    table = Payslip._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in (payslip_partition(year).name, f"{table}_default"):
                cursor.execute("SELECT to_regclass(%s)", [name])  # NULL: no such table
                row = cursor.fetchone()
                if row and row[0] is not None:
                    return name
    return table


def write_payslips(run: PayrollRun, rows: Iterable[tuple[int, str]], *, published: bool) -> int:
    """Insert the run's payslips from (servant id, `payslip_row`) pairs; returns how many."""
    if connection.vendor == "postgresql":
        return _copy(run, rows, published)
    return _bulk_create(run, rows, published)


def _copy(run: PayrollRun, rows: Iterable[tuple[int, str]], published: bool) -> int:
    suffix = (
        f"\t{run.pk}\t{run.year}\t{run.month}\t{run.payment_date.isoformat()}"
        f"\t{'t' if published else 'f'}\t\t\n"
    )
    sql = f"COPY {Payslip._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for block in _in_blocks(f"{servant_id}\t{row}{suffix}" for servant_id, row in rows):
            copy.write("".join(block))
            count += len(block)
    return count


def _bulk_create(run: PayrollRun, rows: Iterable[tuple[int, str]], published: bool) -> int:
    def unescape(text: str) -> str:
        return text.replace("\\\\", "\\")

    def payslip(servant_id: int, row: str) -> Payslip:
        key, header, lines, *amounts, code = row.split("\t")
        gross, deductions, net, taxable, employer = (Decimal(a) for a in amounts)
        return Payslip(
            uuid=uuid.UUID(key),
            run=run,
            servant_id=servant_id,
            year=run.year,
            month=run.month,
            payment_date=run.payment_date,
            published=published,
            header=json.loads(unescape(header)),
            lines=json.loads(unescape(lines)),
            gross=gross,
            deductions=deductions,
            net=net,
            taxable_base=taxable,
            employer_contributions=employer,
            verification_code=code,
        )

    count = 0
    for block in _in_blocks(payslip(servant_id, row) for servant_id, row in rows):
        Payslip.objects.bulk_create(block)
        count += len(block)
    return count
