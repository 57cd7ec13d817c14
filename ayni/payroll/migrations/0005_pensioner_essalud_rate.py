from datetime import date
from decimal import Decimal

from django.db import migrations

# The pensioner's EsSalud (0610): 4 % of the pension, withheld from the pensioner
# (Ley 26790, art. 6), in force since the law (17/05/1997). Data, editable per period.
CODE, RATE, VALID_FROM = "0610", Decimal("0.0400"), date(1997, 5, 17)


def add_rate(apps, schema_editor):
    concept_model = apps.get_model("org", "PayrollConcept")
    rate_model = apps.get_model("payroll", "ContributionRate")
    concept, _ = concept_model.objects.get_or_create(
        code=CODE,
        defaults={"name": "ESSALUD - SEGURO REGULAR - PENSIONISTA", "kind": "APORTE_TRABAJADOR"},
    )
    rate_model.objects.get_or_create(concept=concept, valid_from=VALID_FROM, defaults={"rate": RATE})


class Migration(migrations.Migration):
    dependencies = [("payroll", "0004_run_superseded_annulled"), ("org", "0001_initial")]

    operations = [migrations.RunPython(add_rate, migrations.RunPython.noop)]
