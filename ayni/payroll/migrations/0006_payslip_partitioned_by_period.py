"""Payslips partitioned by period on PostgreSQL (issue 18).

Every engine: the unique constraints name the period (year, month), as a partitioned
table requires; a run has one period, so (run, servant) stays unique. PostgreSQL: the
table is rebuilt as `PARTITION BY RANGE (year, month)` with one partition a year and a
DEFAULT one, rows, ids (now from a sequence), constraints and indexes kept
(ayni.core.partitions). SQLite keeps its plain table.
"""

from django.db import migrations, models

from ayni.core.partitions import PAYSLIP_LAYOUT, to_partitioned, to_plain


def forwards(apps, schema_editor):
    to_partitioned(schema_editor, PAYSLIP_LAYOUT)


def backwards(apps, schema_editor):
    to_plain(schema_editor, PAYSLIP_LAYOUT)


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0005_pensioner_essalud_rate"),
        ("personnel", "0004_contact_is_the_account"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="payslip",
            name="uniq_payslip_run_servant",
        ),
        migrations.AlterField(
            model_name="payslip",
            name="uuid",
            field=models.UUIDField(),
        ),
        migrations.AddConstraint(
            model_name="payslip",
            constraint=models.UniqueConstraint(
                fields=("run", "servant", "year", "month"), name="uniq_payslip_run_servant"
            ),
        ),
        migrations.AddConstraint(
            model_name="payslip",
            constraint=models.UniqueConstraint(
                fields=("uuid", "year", "month"), name="uniq_payslip_uuid"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
