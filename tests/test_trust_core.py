"""The trust foundation: one gate per state, the audit registry, list-page reads,
one-time form tokens and the one base for user errors."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory

from ayni.core.audit import audit_log, events_for_subject
from ayni.core.audit_actions import action, register, sentence
from ayni.core.errors import StaleStateError, UserError, UserErrorMiddleware
from ayni.core.formtoken import one_time_form
from ayni.core.models import AuditEvent, FormSubmission, Notification, StateChange, WorkItem
from ayni.core.states import Gate, TransitionError, history_of

register(
    action("core.work_item.done", "cerró una tarea pendiente"),
    action("core.test_list_viewed", "consultó una lista de prueba", read=True),
)
GATE = Gate(
    action_prefix="core.work_item",
    allowed={"open": frozenset({"done"})},
    what="La tarea",
    labels=dict(WorkItem.State.choices),
)


def _item() -> WorkItem:
    return WorkItem.objects.create(
        kind="prueba", title="Tarea", link="/", unit_path="/000000/", permission="x"
    )


# --- the gate ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_move_updates_the_row_and_writes_history_and_audit_together():
    item = _item()
    with transaction.atomic():
        GATE.move(item, "done", actor=None, comment="hecho", unit_path="/000000/")
    item.refresh_from_db()
    assert item.state == "done"
    [change] = history_of(item)
    assert (change.from_state, change.to_state, change.comment) == ("open", "done", "hecho")
    event = AuditEvent.objects.get(action="core.work_item.done", object_id=str(item.pk))
    assert event.before == {"state": "open"} and event.after == {"state": "done"}


@pytest.mark.django_db
def test_a_stale_object_is_refused_and_nothing_is_written():
    item = _item()
    stale = WorkItem.objects.get(pk=item.pk)  # a second officer's copy, loaded before
    with transaction.atomic():
        GATE.move(item, "done", actor=None)
    with pytest.raises(StaleStateError) as refused, transaction.atomic():
        GATE.move(stale, "done", actor=None)
    assert "ya no está «Pendiente»" in refused.value.message
    assert "Atendido" in refused.value.message
    assert (
        StateChange.objects.filter(object_type="core.workitem", object_id=str(item.pk)).count() == 1
    )
    assert AuditEvent.objects.filter(action="core.work_item.done").count() == 1


@pytest.mark.django_db
def test_a_move_outside_the_table_is_refused_in_spanish():
    item = _item()
    with pytest.raises(TransitionError) as refused, transaction.atomic():
        GATE.move(item, "open", actor=None)
    assert refused.value.message == "La tarea está «Pendiente» y no puede pasar a «Pendiente»."
    assert isinstance(refused.value, UserError)


@pytest.mark.django_db
def test_a_task_that_lost_the_race_does_nothing():
    item = _item()
    WorkItem.objects.filter(pk=item.pk).update(state="done")  # moved on meanwhile
    assert GATE.try_move(item, "done", actor=None, expected="open") is False
    assert not StateChange.objects.filter(
        object_type="core.workitem", object_id=str(item.pk)
    ).exists()


# --- the audit registry and list-page reads ------------------------------------------


@pytest.mark.django_db
def test_an_unregistered_action_is_refused():
    with pytest.raises(LookupError):
        audit_log(action="core.no_such_action")
    assert sentence("personnel.servant_viewed") == "consultó el legajo"


@pytest.mark.django_db
def test_one_list_event_is_seen_by_each_person_it_showed():
    audit_log(action="core.test_list_viewed", subject_ids=[900007, 900003, 900007, 900012])
    audit_log(action="core.test_list_viewed", subject_ids=[900070])
    event = AuditEvent.objects.get(subject_ids__has_id=900003)
    assert event.subject_ids == [900003, 900007, 900012]
    for servant_id in (900003, 900007, 900012):
        assert list(events_for_subject("servant", servant_id)) == [event]
    assert not events_for_subject("servant", 900001).exists()
    assert AuditEvent.objects.filter(subject_ids__has_id=900070).count() == 1


# --- one-time form tokens -----------------------------------------------------------------


@one_time_form
def _file_view(request: HttpRequest) -> HttpResponse:
    if request.POST.get("title") == "":
        return HttpResponse("formulario con errores", status=200)
    note = Notification.objects.create(recipient_id=request.user.pk, title=request.POST["title"])
    return redirect(f"/resultado/{note.uuid}/")


def _post(user, data):  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/tramite/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


@pytest.mark.django_db
def test_a_repeated_form_creates_nothing_and_shows_the_first_result(persona):
    user = persona("servant")
    data = {"form_token": "t" * 32, "title": "Mi trámite"}
    first = _file_view(_post(user, data))
    again = [_file_view(_post(user, data)) for _ in range(4)]
    assert Notification.objects.filter(recipient=user, title="Mi trámite").count() == 1
    assert {r["Location"] for r in again} == {first["Location"]}


@pytest.mark.django_db
def test_the_same_filing_from_a_new_form_goes_through(persona):
    user = persona("servant")
    _file_view(_post(user, {"form_token": "a" * 32, "title": "Mi trámite"}))
    _file_view(_post(user, {"form_token": "b" * 32, "title": "Mi trámite"}))
    assert Notification.objects.filter(recipient=user, title="Mi trámite").count() == 2


@pytest.mark.django_db
def test_a_form_shown_again_with_errors_frees_its_token(persona):
    user = persona("servant")
    data = {"form_token": "c" * 32, "title": ""}
    assert _file_view(_post(user, data)).status_code == 200
    assert not FormSubmission.objects.filter(token="c" * 32).exists()
    _file_view(_post(user, {**data, "title": "Corregido"}))
    assert Notification.objects.filter(recipient=user, title="Corregido").count() == 1


@pytest.mark.django_db
def test_a_form_without_its_token_is_refused(persona):
    with pytest.raises(UserError) as refused:
        _file_view(_post(persona("servant"), {"title": "Mi trámite"}))
    assert "Vuelva a abrirlo" in refused.value.message
    assert not Notification.objects.filter(title="Mi trámite").exists()


@pytest.mark.django_db(transaction=True)
def test_twelve_concurrent_submissions_make_one(persona):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    user = persona("servant")
    data = {"form_token": "d" * 32, "title": "Concurrente"}
    locations: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(12)

    def submit() -> None:
        try:
            barrier.wait()
            locations.append(_file_view(_post(user, data))["Location"])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Notification.objects.filter(title="Concurrente").count() == 1
    assert len(set(locations)) == 1 and len(locations) == 12


# --- one base for user errors -------------------------------------------------------


def test_a_user_error_escaping_a_view_is_a_spanish_page_not_a_500():
    request = RequestFactory().post("/x/", HTTP_REFERER="http://testserver/mi-legajo/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    middleware = UserErrorMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(request, UserError("El trámite ya fue atendido."))
    assert response is not None and response.status_code == 400
    body = response.content.decode()
    assert "El trámite ya fue atendido." in body and 'href="http://testserver/mi-legajo/"' in body
    assert response["Cache-Control"] == "no-store"
    assert middleware.process_exception(request, ValueError("x")) is None


@pytest.mark.django_db
def test_used_form_tokens_are_forgotten_after_two_days(persona):
    import time_machine
    from django.utils import timezone

    from ayni.core.formtoken import purge_old

    with time_machine.travel(timezone.now() - timezone.timedelta(days=3)):
        FormSubmission.objects.create(token="e" * 32, user_key="u1", result_url="/x/")
    FormSubmission.objects.create(token="f" * 32, user_key="u1", result_url="/y/")
    assert purge_old() == 1
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["f" * 32]


# Forms that create or change nothing twice, so they need no one-time token: signing in
# and out, searches, the verification page, and confirmations that are idempotent.
IDEMPOTENT_FORMS = {
    "accounts/code_form.html",  # the mailed code: single-use on the server
    "accounts/login.html",
    "accounts/password_reset.html",  # same answer however often
    "accounts/password_reset_confirm.html",  # Django's token dies with the new password
    "accounts/privacy.html",  # accepting twice changes nothing
    "base.html",  # «Salir»
    "core/verify.html",
    "desk/access_confirm.html",  # confirming twice gives the same case
    "desk/access_follow.html",
    "benefits/survivor_confirm.html",  # under a row lock: a second confirm shows the same case
    "benefits/survivor_follow.html",  # a search by number and document
    "desk/inbox.html",  # search
    "personnel/servant_list.html",  # search
    "portal/notifications.html",  # «marcar como leídas»
    "sharing/gate.html",  # anonymous; the page's own visit value makes a resend one opening
}


def test_every_form_that_creates_or_changes_carries_a_one_time_token():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "ayni" / "templates"
    without = set()
    for template in root.rglob("*.html"):
        text = template.read_text()
        for form in re.finditer(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", text, re.S | re.I):
            if "form_token" not in form.group(1):
                without.add(template.relative_to(root).as_posix())
    assert without == IDEMPOTENT_FORMS
