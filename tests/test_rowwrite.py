"""One new row with the INSERT built once (ayni.core.rowwrite): what is stored is what
the ORM's `create` stores, read back by the ORM, and a rolled-back transaction keeps
nothing of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from ayni.core.audit import audit_log
from ayni.core.models import AuditEvent, Notification
from ayni.core.notifications import notify
from ayni.core.rowwrite import insert

pytestmark = pytest.mark.django_db


def test_an_audit_event_is_stored_as_the_orm_stores_it(persona, rf):
    officer = persona("escalafon")
    request = rf.get("/", REMOTE_ADDR="190.42.17.8")
    request.user = officer
    before = timezone.now()
    event = audit_log(
        action="personnel.servant_viewed",
        request=request,
        subject_type="servant",
        subject_id=42,
        unit_path="/1/2/",
        before={"nombres": "ANA", "monto": "10.50", "lista": [1, "ñ"]},
        after={"nombres": "ANA MARÍA"},
        detail="x" * 300,
        subject_ids=[9, 3, 9],
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == officer.pk and stored.client_ip == "190.42.17.8"
    assert stored.before == {"nombres": "ANA", "monto": "10.50", "lista": [1, "ñ"]}
    assert stored.after == {"nombres": "ANA MARÍA"}
    assert stored.subject_ids == [3, 9] and stored.detail == "x" * 255
    assert before <= stored.occurred_at <= timezone.now()
    assert stored.occurred_at == event.occurred_at  # the instance returned is the row
    assert event._state.adding is False and event._state.db == "default"
    for field in AuditEvent._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(event, field.attname), field.name


def test_an_empty_event_keeps_its_nulls(persona):
    event = audit_log(action="auth.login", actor=persona("servant"))
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.before, stored.after, stored.subject_ids, stored.client_ip) == (
        None,
        None,
        None,
        None,
    )
    assert stored.subject_id is None and stored.unit_path == ""


def test_each_insert_gets_its_own_key_and_a_notice_its_defaults(persona):
    user = persona("servant")
    first = notify(recipient=user, title="Primero", email=False)
    second = insert(Notification(recipient=user, title="Segundo"))
    assert first.pk != second.pk and first.uuid != second.uuid
    stored = Notification.objects.get(pk=second.pk)
    assert (stored.uuid, stored.title, stored.read_at) == (second.uuid, "Segundo", None)
    assert stored.created_at == second.created_at
    assert abs(stored.updated_at - stored.created_at) < timedelta(seconds=1)


def test_a_rolled_back_transaction_keeps_nothing(persona):
    count = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log(action="auth.login", actor=persona("servant"))
        assert AuditEvent.objects.count() == count + 1
        raise RuntimeError("the change it records failed")
    assert AuditEvent.objects.count() == count
