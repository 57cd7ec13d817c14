from datetime import date
from decimal import Decimal

from django.db import migrations

# Rates of the amounts a .rem never carries, as data (editable in the admin):
# ONP (0607) 13% of the income subject to ONP; EsSalud (0804) 9% of the income
# subject to EsSalud. Rows are per period (valid_from).
RATES = [("0607", Decimal("0.1300"), date(2000, 1, 1)),
         ("0804", Decimal("0.0900"), date(2000, 1, 1))]


def add_rates(apps, schema_editor):
    concept_model = apps.get_model("org", "PayrollConcept")
    rate_model = apps.get_model("payroll", "ContributionRate")
    for code, rate, valid_from in RATES:
        concept, _ = concept_model.objects.get_or_create(
            code=code, defaults={"name": code, "kind": "APORTE_TRABAJADOR" if code == "0607"
                                 else "APORTE_EMPLEADOR"})
        rate_model.objects.get_or_create(concept=concept, valid_from=valid_from,
                                         defaults={"rate": rate})


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial"), ("org", "0001_initial")]

    operations = [migrations.RunPython(add_rates, migrations.RunPython.noop)]
