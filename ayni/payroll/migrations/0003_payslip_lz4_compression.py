"""PostgreSQL: compress the payslip snapshots with lz4 instead of pglz.

A payslip's lines (about 2 KB of JSON for 20 lines) reach the TOAST threshold;
pglz made COPY spend most of its time compressing. lz4 is several times faster
at a similar size. Other engines: nothing to do.
"""

from django.db import migrations

COLUMNS = ("header", "lines")


def _alter(apps, schema_editor, method: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name("payroll_payslip")
    clauses = ", ".join(
        f"ALTER COLUMN {schema_editor.quote_name(c)} SET COMPRESSION {method}" for c in COLUMNS
    )
    schema_editor.execute(f"ALTER TABLE {table} {clauses}")


def to_lz4(apps, schema_editor) -> None:
    _alter(apps, schema_editor, "lz4")


def to_default(apps, schema_editor) -> None:
    _alter(apps, schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [("payroll", "0002_contribution_rates")]

    operations = [migrations.RunPython(to_lz4, to_default)]
