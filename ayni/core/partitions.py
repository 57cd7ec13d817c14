"""Partitioned history on PostgreSQL: payslips by year, audit events by month.

Two tables grow without end: payslips (600,000 a month, 7.2 million a year for the
sector) and audit events (one per page view on payment day). On PostgreSQL both are
declaratively partitioned by period so that a month's import, a year's archive and an
audit month's archive each touch one partition:

- `payroll_payslip` by RANGE (year, month), one partition a calendar year
  (`payroll_payslip_y2026` holds (2026, 1) to (2027, 1));
- `core_auditevent` by RANGE (occurred_at), one partition a month of Lima time
  (`core_auditevent_m202603`), so a month picked on the audit page is one partition.

Each has a DEFAULT partition so an unexpected period never fails an insert; `maintain`
(daily task and `manage.py partitions`) creates the partitions ahead and for every
period present in the data, and moves rows that landed in DEFAULT into their partition.
It holds an advisory lock, so two task workers running it at once take turns, and it is
idempotent. `detach` takes an old partition out of the live table (a catalogue change,
not a DELETE); the detached table stays in the database for `pg_dump -t` and `DROP`.

The period is part of the primary key and of every unique constraint on PostgreSQL (a
partitioned table requires it); Django keeps `id` as the model's primary key, unique by
its sequence. Nothing may reference these tables with a database foreign key (a test
checks it). SQLite keeps plain tables and every function here does nothing there.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

logger = logging.getLogger(__name__)
PAYSLIP_TABLE = "payroll_payslip"
AUDIT_TABLE = "core_auditevent"
LIMA = ZoneInfo("America/Lima")
LOCK_KEY = zlib.crc32(b"ayni.core.partitions")
DEFAULT_AHEAD_MONTHS = 3


@dataclass(frozen=True)
class Partition:
    table: str
    name: str
    bounds: str  # the FOR VALUES clause
    label: str  # the period, for people


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    moved: dict[str, int] = field(default_factory=dict)
    left_in_default: dict[str, int] = field(default_factory=dict)
    detached: list[str] = field(default_factory=list)


def is_partitioned(table: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [table])
        return cursor.fetchone() is not None


# --- periods and bounds ---------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _lima(day: date) -> str:
    """The first moment of a Lima day as a timestamptz literal (Peru has no DST)."""
    return datetime(day.year, day.month, day.day, tzinfo=LIMA).isoformat(sep=" ")


def payslip_partition(year: int) -> Partition:
    return Partition(
        PAYSLIP_TABLE,
        f"{PAYSLIP_TABLE}_y{year}",
        f"FROM ({year}, 1) TO ({year + 1}, 1)",
        str(year),
    )


def audit_partition(month: date) -> Partition:
    first = month.replace(day=1)
    nxt = _add_months(first, 1)
    return Partition(
        AUDIT_TABLE,
        f"{AUDIT_TABLE}_m{first:%Y%m}",
        f"FROM ('{_lima(first)}') TO ('{_lima(nxt)}')",
        f"{first:%Y-%m}",
    )


def _wanted(
    today: date,
    ahead: int,
    payslip_years: Iterable[int],
    audit_months: Iterable[date],
    back: int = 0,
) -> list[Partition]:
    months = [_add_months(today.replace(day=1), n) for n in range(-back, ahead + 1)]
    years = {m.year for m in months} | set(payslip_years)
    wanted = [payslip_partition(y) for y in sorted(years)]
    wanted += [audit_partition(m) for m in sorted(set(months) | set(audit_months))]
    return wanted


# --- catalogue ------------------------------------------------------------------------


def existing_partitions(table: str) -> dict[str, str]:
    """name -> bound expression of the partitions attached to `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass "
            "ORDER BY c.relname",
            [table],
        )
        return dict(cursor.fetchall())


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum",
            [table],
        )
        return ", ".join(_q(row[0]) for row in cursor.fetchall())


def _periods_in(table: str) -> tuple[list[int], list[date]]:
    """Periods present in a table: payslip years, or audit months (Lima)."""
    with connection.cursor() as cursor:
        if table.startswith(PAYSLIP_TABLE):
            cursor.execute(f"SELECT DISTINCT year FROM {_q(table)}")  # noqa: S608
            return sorted(int(r[0]) for r in cursor.fetchall()), []
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'America/Lima')::date "  # noqa: S608
            f"FROM {_q(table)}"
        )
        return [], sorted(r[0] for r in cursor.fetchall())


def _run_years() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT year FROM payroll_payrollrun")
        return [int(row[0]) for row in cursor.fetchall()]


def create_partition(part: Partition) -> None:
    """Create one partition. Rows of its period waiting in DEFAULT are moved into it first
    (ATTACH refuses while DEFAULT holds rows of the new range)."""
    default = f"{part.table}_default"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {_q(part.name)} (LIKE {_q(part.table)} INCLUDING DEFAULTS "
            f"INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)"
        )
        cursor.execute(
            f"ALTER TABLE {_q(part.name)} ADD CONSTRAINT {_q(part.name + '_bound')} CHECK "
            f"({_bound_check(part)})"
        )
        columns = _columns(part.table)
        cursor.execute(
            f"WITH moved AS (DELETE FROM {_q(default)} WHERE {_bound_check(part)} "  # noqa: S608
            f"RETURNING {columns}) INSERT INTO {_q(part.name)} ({columns}) "
            f"SELECT {columns} FROM moved"
        )
        cursor.execute(
            f"ALTER TABLE {_q(part.table)} ATTACH PARTITION {_q(part.name)} "
            f"FOR VALUES {part.bounds}"
        )
        # the CHECK let ATTACH skip its validating scan; the bound now does its work
        cursor.execute(f"ALTER TABLE {_q(part.name)} DROP CONSTRAINT {_q(part.name + '_bound')}")


def _bound_check(part: Partition) -> str:
    lower, upper = part.bounds.removeprefix("FROM ").split(" TO ")
    if part.table == PAYSLIP_TABLE:
        return f"(year, month) >= {lower} AND (year, month) < {upper}"
    return f"occurred_at >= {lower.strip('()')} AND occurred_at < {upper.strip('()')}"


# --- maintenance ----------------------------------------------------------------------


def maintain(
    *,
    ahead: int = DEFAULT_AHEAD_MONTHS,
    back: int = 0,
    dry_run: bool = False,
    today: date | None = None,
) -> Report:
    """Create the partitions of the `back` months before today to the `ahead` months after,
    of every period waiting in DEFAULT (moving its rows out) and of every payroll run's
    year. Idempotent; one worker at a time (advisory lock); a dry run only lists."""
    report = Report()
    if connection.vendor != "postgresql":
        return report
    today = today or timezone.localdate()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        for table in (PAYSLIP_TABLE, AUDIT_TABLE):
            if not is_partitioned(table):
                continue
            years, months = _periods_in(f"{table}_default")
            have = existing_partitions(table)
            if table == PAYSLIP_TABLE:  # a queued run's payslips get their year before COPY
                years = sorted(set(years) | set(_run_years()))
            for part in _wanted(today, ahead, years, months, back):
                if part.table != table or part.name in have:
                    continue
                report.created.append(part.name)
                if not dry_run:
                    create_partition(part)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {_q(table + '_default')}")  # noqa: S608
                left = cursor.fetchone()[0]
            if left:
                report.left_in_default[table] = left
                logger.warning("%s rows of %s wait in its DEFAULT partition", left, table)
        if dry_run:
            transaction.set_rollback(True)
    return report


def detachable(table: str, before: date) -> list[str]:
    """Partitions of `table` entirely before `before` (the first of a month; payslips: of
    the years before `before`'s year when `before` is a 1 January)."""
    if not is_partitioned(table):
        return []
    names = []
    for name in existing_partitions(table):
        suffix = name.removeprefix(table + "_")
        if table == PAYSLIP_TABLE and suffix.startswith("y"):
            if date(int(suffix[1:]) + 1, 1, 1) <= before:
                names.append(name)
        elif table == AUDIT_TABLE and suffix.startswith("m"):
            month = date(int(suffix[1:5]), int(suffix[5:7]), 1)
            if _add_months(month, 1) <= before:
                names.append(name)
    return names


def detach(table: str, before: date, *, dry_run: bool = False) -> Report:
    """Detach the partitions of `table` that end on or before `before`. The rows leave the
    live table at once; the detached tables stay for `pg_dump -t NAME` and `DROP TABLE`."""
    report = Report()
    if connection.vendor != "postgresql":
        return report
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            cursor.execute("SET LOCAL lock_timeout = '10s'")
            for name in detachable(table, before):
                report.detached.append(name)
                if not dry_run:
                    cursor.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(name)}")
        if dry_run:
            transaction.set_rollback(True)
    return report


# --- conversion (used by the migrations) ----------------------------------------------


@dataclass(frozen=True)
class Layout:
    table: str
    partition_by: str  # e.g. "RANGE (year, month)"
    key: tuple[str, ...]  # the partition key's columns, added to the primary key


PAYSLIP_LAYOUT = Layout(PAYSLIP_TABLE, "RANGE (year, month)", ("year", "month"))
AUDIT_LAYOUT = Layout(AUDIT_TABLE, "RANGE (occurred_at)", ("occurred_at",))


def _fetch(schema_editor: BaseDatabaseSchemaEditor, sql: str) -> list[tuple[Any, ...]]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _rebuild(schema_editor: BaseDatabaseSchemaEditor, layout: Layout, *, partitioned: bool) -> None:
    """Rebuild `layout.table` as a partitioned table (or back to a plain one): same
    columns, rows and ids, same check, unique and foreign-key constraints and indexes
    (the unique constraints must already name the partition key); the primary key gains
    the key; the identity becomes a sequence (no identity on a partitioned table before
    PostgreSQL 17). Partitions for the periods in the data and the months ahead are
    created before the rows are copied, so each row is written once."""
    run = schema_editor.execute
    q = schema_editor.quote_name
    table, new = layout.table, f"{layout.table}__new"
    oid = f"'{table}'::regclass"
    indexes = _fetch(
        schema_editor,
        f"SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = {oid} "  # noqa: S608
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
        f"AND c.conrelid = {oid}) ORDER BY i.indexrelid",
    )
    constraints = _fetch(
        schema_editor,
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "  # noqa: S608
        f"WHERE conrelid = {oid} AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
    )
    clause = f" PARTITION BY {layout.partition_by}" if partitioned else ""
    run(
        f"CREATE TABLE {q(new)} (LIKE {q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING STORAGE INCLUDING COMPRESSION){clause}"
    )
    run(f"ALTER TABLE {q(new)} ALTER COLUMN id DROP DEFAULT")
    if partitioned:
        years, months = _periods_in(table)
        for part in _wanted(timezone.localdate(), DEFAULT_AHEAD_MONTHS, years, months):
            if part.table == table:
                run(f"CREATE TABLE {q(part.name)} PARTITION OF {q(new)} FOR VALUES {part.bounds}")
        run(f"CREATE TABLE {q(table + '_default')} PARTITION OF {q(new)} DEFAULT")
    columns = _columns(table)
    run(f"INSERT INTO {q(new)} ({columns}) SELECT {columns} FROM {q(table)}")  # noqa: S608
    ((top,),) = _fetch(schema_editor, f"SELECT coalesce(max(id), 0) FROM {q(table)}")  # noqa: S608
    run(f"DROP TABLE {q(table)}")
    run(f"ALTER TABLE {q(new)} RENAME TO {q(table)}")
    key = ", ".join(("id", *(layout.key if partitioned else ())))
    run(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_pkey')} PRIMARY KEY ({key})")
    for name, definition in constraints:
        run(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
    for (definition,) in indexes:
        run(definition)
    if partitioned:
        sequence = f"{table}_id_seq"
        run(f"CREATE SEQUENCE {q(sequence)} OWNED BY {q(table)}.id")
        run(f"SELECT setval('{sequence}', {top + 1}, false)")
        run(f"ALTER TABLE {q(table)} ALTER COLUMN id SET DEFAULT nextval('{sequence}')")
    else:
        run(
            f"ALTER TABLE {q(table)} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
            f"(START WITH {top + 1})"
        )
    run(f"ANALYZE {q(table)}")


def to_partitioned(schema_editor: BaseDatabaseSchemaEditor, layout: Layout) -> None:
    if schema_editor.connection.vendor == "postgresql" and not is_partitioned(layout.table):
        _rebuild(schema_editor, layout, partitioned=True)


def to_plain(schema_editor: BaseDatabaseSchemaEditor, layout: Layout) -> None:
    if schema_editor.connection.vendor == "postgresql" and is_partitioned(layout.table):
        _rebuild(schema_editor, layout, partitioned=False)
