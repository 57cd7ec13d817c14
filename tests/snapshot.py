"""A copy of the demo set taken once per test database, put back after a flush.

A browser test runs on a database that pytest-django flushes afterwards; reloading
the demo set (org tree, catalogues, 72 payroll runs, reports, desk) took 3.6 s per
test. Putting back a copy of the tables as they were after the first load takes a
fraction of that: SQLite copies the whole in-memory database with its backup API;
PostgreSQL copies each table with COPY (binary) and resets the sequences.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

_snapshot: dict[str, Any] = {}


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def take() -> None:
    """Copy the database as it is now (after the demo set was loaded)."""
    _snapshot.clear()
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _snapshot["sqlite"] = copy
    elif connection.vendor == "postgresql":
        data: dict[str, bytes] = {}
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for table in _tables():
                # COPY (SELECT ...): a partitioned table (ayni.core.partitions) has no COPY TO
                query = f'COPY (SELECT * FROM "{table}") TO STDOUT (FORMAT BINARY)'  # noqa: S608
                with raw.copy(query) as copy:
                    data[table] = b"".join(bytes(block) for block in copy)
        _snapshot["postgresql"] = data
    _snapshot["vendor"] = connection.vendor


def restore() -> bool:
    """Put the copy back in place of whatever the database holds; False if none was taken."""
    if _snapshot.get("vendor") != connection.vendor:
        return False
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        _snapshot["sqlite"].backup(connection.connection)
        return True
    data: dict[str, bytes] = _snapshot["postgresql"]
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        raw = cursor.cursor
        for table in tables:
            block = data.get(table)
            if block:
                with raw.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy:
                    copy.write(block)
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    return True
