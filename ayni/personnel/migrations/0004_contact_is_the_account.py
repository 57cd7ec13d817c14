"""The contact is the account's (User.email, User.phone): copy what only the servant
record held into its account, then drop the servant's columns (docs/decisions.md)."""

from django.db import migrations


def copy_to_accounts(apps, schema_editor):
    Servant = apps.get_model("personnel", "Servant")
    User = apps.get_model("accounts", "User")
    rows = Servant.objects.filter(user__isnull=False).exclude(email="", phone="")
    for servant in rows.only("user_id", "email", "phone").iterator():
        user = User.objects.get(pk=servant.user_id)
        changed = []
        if not user.email and servant.email:
            user.email = servant.email
            changed.append("email")
        if not user.phone and servant.phone:
            user.phone = servant.phone
            changed.append("phone")
        if changed:
            user.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0003_gate_audit_codes"),
        ("accounts", "0003_account_link"),
    ]

    operations = [
        migrations.RunPython(copy_to_accounts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="servant", name="email"),
        migrations.RemoveField(model_name="servant", name="phone"),
    ]
