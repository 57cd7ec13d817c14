"""Two indexes for the officer's run page (issue 18): its first payslips by the master's
names come from an index instead of a sort of the whole run, and the count of stored PDFs
reads only the payslips still without one."""

import django.db.models.fields.json
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('payroll', '0006_payslip_partitioned_by_period'),
        ('personnel', '0004_contact_is_the_account'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='payslip',
            index=models.Index(models.F('run'), django.db.models.fields.json.KeyTransform('apellidos', 'header'), django.db.models.fields.json.KeyTransform('nombres', 'header'), models.F('id'), name='payslip_run_names'),
        ),
        migrations.AddIndex(
            model_name='payslip',
            index=models.Index(condition=models.Q(('pdf_file', '')), fields=['run'], name='payslip_run_pdf_pending'),
        ),
    ]
