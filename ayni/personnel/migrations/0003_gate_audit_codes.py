"""Audit codes written before the gates, renamed to the gates' codes (one registry).

Change requests wrote `personnel.change_request_<state>`, desk answers
`desk.case_<state>`; their gates write `<prefix>.<state>`. The desk's codes are
renamed here too so that no app keeps registering the old spellings.
"""

from django.db import migrations

STATES = {
    "personnel.change_request": ["en_solicitud", "observado", "atendido", "rechazado", "anulado"],
    "desk.case": ["atendido", "observado", "archivado"],
}


def _pairs():
    for prefix, states in STATES.items():
        for state in states:
            yield f"{prefix}_{state}", f"{prefix}.{state}"


def rename_codes(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in _pairs():
        AuditEvent.objects.filter(action=old).update(action=new)


def restore_codes(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in _pairs():
        AuditEvent.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_trust_gate_registry"),
        ("personnel", "0002_personal_file"),
    ]

    operations = [migrations.RunPython(rename_codes, restore_codes)]
