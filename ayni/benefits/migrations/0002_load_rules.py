"""The benefit rules Ayni ships (ayni/benefits/rules_data.py); idempotent."""

from django.db import migrations


def load(apps, schema_editor):
    from ayni.benefits.rules_data import ensure_rules

    ensure_rules(apps.get_model("benefits", "BenefitRule"))


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
