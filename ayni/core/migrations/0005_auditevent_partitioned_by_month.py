"""Audit events partitioned by month (Lima time) on PostgreSQL (issue 18).

The table is rebuilt as `PARTITION BY RANGE (occurred_at)`, one partition a month and a
DEFAULT one; rows, ids (now from a sequence), constraints and indexes (the GIN one too)
are kept and the primary key becomes (id, occurred_at) (ayni.core.partitions). SQLite
keeps its plain table. The model's state does not change: `id` stays its primary key.
"""

from django.db import migrations

from ayni.core.partitions import AUDIT_LAYOUT, to_partitioned, to_plain


def forwards(apps, schema_editor):
    to_partitioned(schema_editor, AUDIT_LAYOUT)


def backwards(apps, schema_editor):
    to_plain(schema_editor, AUDIT_LAYOUT)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_work_item_not_for")]

    operations = [migrations.RunPython(forwards, backwards)]
