"""Issue 10, accounts: each attack replayed must fail (items 1, 8, 10, 12 and the gate).

- item 1: an access request with an existing servant's document and an outsider's
  e-mail never changes the account; the applicant's answers are the same as for a
  new document; the owner is told; the challenge answers once and cannot be read
  from its token; e-mail and phone change only by the owner; desk recovery takes
  two officers; password and e-mail changes end the other sessions.
- item 8: 100 wrong passwords from 25 addresses, then the right one from a 26th.
- item 12: codes of e-mailed links never in a URL path; no document of a stranger
  in the task table.
"""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.admin.sites import site as default_site
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone

from ayni.accounts.admin import UserAdmin
from ayni.accounts.models import AccountLink, Role, RoleGrant, User
from ayni.core.models import AuditEvent, Notification, StateChange
from ayni.desk.challenge import check_challenge, new_challenge
from ayni.desk.demo import demo_pdf
from ayni.desk.models import AccessRequest, AccountRecovery, Challenge
from ayni.identity.testing import sign_in_verified
from ayni.org.models import OrgUnit

pytestmark = pytest.mark.django_db
PASSWORD = "ayni-demo-2026"
PDF = demo_pdf("Documento de prueba").data
OUTSIDER = "intruso@example.org"


@pytest.fixture
def ugel07(demo_data):
    return OrgUnit.objects.get(code="150108")


def form_token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page)[1]


def answer_for(page: str) -> str:
    words = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
    a, b = re.search(r"¿Cuánto es (\w+) más (\w+)\?", page).groups()
    return str(words.index(a) + words.index(b))


def request_access(client: Client, ugel07: OrgUnit, **changes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.get("/acceso/solicitar/").content.decode()
    data = {
        "form_token": form_token(page),
        "doc_type": "01",
        "doc_number": "10000020",
        "paternal_surname": "Quispe",
        "maternal_surname": "Mamani",
        "given_names": "Rosa Elena",
        "email": OUTSIDER,
        "phone": "",
        "region": ugel07.parent_id,
        "unit": ugel07.pk,
        "staff_kind": "docente",
        "condition": "nombrado",
        "document": SimpleUploadedFile("fut.pdf", PDF, content_type="application/pdf"),
        "answer": answer_for(page),
        "challenge": re.search(r'name="challenge" value="([^"]+)"', page)[1],
        "website": "",
    }
    data.update(changes)
    return client.post("/acceso/solicitar/", data)


def code_in(body: str, path: str) -> str:
    return re.search(rf"https?://[^/\s]+{re.escape(path)}#(\S+)", body)[1]


def mask(text: str, *values: str) -> str:
    for value in values:
        text = text.replace(value, "…")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", text)
    text = re.sub(r"\b\d{2}:\d{2}\b", "HH:MM", text)  # two filings may straddle a minute
    return re.sub(r"Exp\. N\.° \d+-\d+", "Exp", text)


def submit_and_confirm(ugel07, capture, doc_number: str) -> tuple[object, list, AccessRequest]:
    client = Client()
    start = len(mail.outbox)
    with capture(execute=True):
        sent = request_access(client, ugel07, doc_number=doc_number)
    confirm_code = code_in(mail.outbox[-1].body, "/acceso/confirmar/")
    with capture(execute=True):
        confirmed = client.post("/acceso/confirmar/", {"code": confirm_code})
    ar = AccessRequest.objects.get(doc_number=doc_number)
    to_applicant = [m for m in mail.outbox[start:] if m.to == [OUTSIDER]]
    return (sent, confirmed), to_applicant, ar


# --- item 1: the access request takeover, replayed ------------------------------------


def test_access_request_with_an_existing_account_changes_nothing(
    ugel07, persona, client_for, django_capture_on_commit_callbacks
):
    owner = persona("servant")  # 10000001, demo.10000001@ayni.example
    owner_password = owner.password
    _, _mails, ar = submit_and_confirm(ugel07, django_capture_on_commit_callbacks, "10000001")
    assert ar.state == "recibido"
    # the owner is told, in Ayni and at the address on file, with no personal data
    note = Notification.objects.filter(recipient=owner).latest("created_at")
    assert "pidió una cuenta de Ayni con su número de documento" in note.title
    to_owner = [m for m in mail.outbox if m.to == ["demo.10000001@ayni.example"]]
    assert to_owner and "10000001" not in to_owner[-1].body
    assert OUTSIDER not in to_owner[-1].body
    # the desk sees it plainly and cannot create the account
    desk = client_for("mesa_partes")
    page = desk.get(f"/mesa/{ar.case.uuid}/").content.decode()
    assert "Este documento ya tiene una cuenta en Ayni." in page
    assert 'value="accept"' not in page and 'value="close_existing"' in page
    # a forged «accept» is refused and changes nothing
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        forced = desk.post(
            f"/mesa/{ar.case.uuid}/", {"action": "accept", "form_token": form_token(page)}
        )
    assert (
        "Una solicitud no crea ni cambia una cuenta existente"
        in desk.get(forced["Location"]).content.decode()
    )
    owner.refresh_from_db()
    assert owner.email == "demo.10000001@ayni.example" and owner.password == owner_password
    assert not [m for m in mail.outbox[before:] if m.to == [OUTSIDER]]
    ar.refresh_from_db()
    assert ar.state == "recibido"
    # the desk closes it; the applicant reads a neutral answer, no link
    page = desk.get(f"/mesa/{ar.case.uuid}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            f"/mesa/{ar.case.uuid}/",
            {"action": "close_existing", "form_token": form_token(page)},
        )
    ar.refresh_from_db()
    assert ar.state == "rechazado" and "no creó una cuenta" in ar.reject_reason
    assert ar.case.state == "archivado"
    owner.refresh_from_db()
    assert owner.email == "demo.10000001@ayni.example" and owner.password == owner_password
    assert not any("restablecer" in m.body for m in mail.outbox if m.to == [OUTSIDER])
    # the gate wrote the history and the audit events
    moves = StateChange.objects.filter(object_type="desk.accessrequest", object_id=str(ar.pk))
    assert list(moves.order_by("id").values_list("to_state", flat=True)) == [
        "recibido",
        "rechazado",
    ]
    assert AuditEvent.objects.filter(action="desk.access.rechazado", object_id=str(ar.pk))


def test_staff_accounts_cannot_be_taken_over_either(
    ugel07, persona, client_for, django_capture_on_commit_callbacks
):
    officer = persona("escalafon")  # 20000001
    _, _, ar = submit_and_confirm(ugel07, django_capture_on_commit_callbacks, "20000001")
    desk = client_for("mesa_partes")
    page = desk.get(f"/mesa/{ar.case.uuid}/").content.decode()
    assert "Este documento ya tiene una cuenta en Ayni." in page
    desk.post(f"/mesa/{ar.case.uuid}/", {"action": "accept", "form_token": form_token(page)})
    officer.refresh_from_db()
    assert officer.email == "demo.20000001@ayni.example"


def test_the_applicant_cannot_tell_whether_the_document_has_an_account(
    ugel07, django_capture_on_commit_callbacks
):
    (sent_a, confirmed_a), mails_a, ar_a = submit_and_confirm(
        ugel07,
        django_capture_on_commit_callbacks,
        "10000001",  # has an account
    )
    (sent_b, confirmed_b), mails_b, ar_b = submit_and_confirm(
        ugel07,
        django_capture_on_commit_callbacks,
        "10000021",  # has none
    )
    assert sent_a.status_code == sent_b.status_code == 302
    assert sent_a["Location"] == sent_b["Location"] == "/acceso/enviada/"
    assert confirmed_a.status_code == confirmed_b.status_code == 200
    assert mask(confirmed_a.content.decode(), ar_a.case.label) == mask(
        confirmed_b.content.decode(), ar_b.case.label
    )
    assert [m.subject.split(" el Exp")[0] for m in mails_a] == [
        m.subject.split(" el Exp")[0] for m in mails_b
    ]
    codes = [re.sub(r"#\S+|^[A-Za-z0-9_-]{40,}$", "#", m.body, flags=re.M) for m in mails_a]
    codes_b = [re.sub(r"#\S+|^[A-Za-z0-9_-]{40,}$", "#", m.body, flags=re.M) for m in mails_b]
    assert [mask(b) for b in codes] == [mask(b) for b in codes_b]


def test_accepting_a_new_document_creates_the_account_once(
    ugel07, client_for, django_capture_on_commit_callbacks
):
    _, _, ar = submit_and_confirm(ugel07, django_capture_on_commit_callbacks, "10000022")
    desk = client_for("mesa_partes")
    page = desk.get(f"/mesa/{ar.case.uuid}/").content.decode()
    assert "Este documento ya tiene una cuenta" not in page
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(f"/mesa/{ar.case.uuid}/", {"action": "accept", "form_token": form_token(page)})
    user = User.objects.get(login_id="01-10000022")
    assert user.email == OUTSIDER and user.servant.needs_completion
    assert "restablecer" in mail.outbox[-1].body and mail.outbox[-1].to == [OUTSIDER]
    assert AuditEvent.objects.filter(action="auth.account_activated", object_id=str(user.pk))


# --- the challenge ------------------------------------------------------------------------


def test_challenge_answer_is_not_in_its_token_and_a_token_answers_once(demo_data):
    question, token = new_challenge()
    answer = answer_for(question)
    row = Challenge.objects.latest("id")
    assert answer not in token.split(".") and row.answer_hash != answer
    assert ":" not in token  # not a signed payload: a random key only
    assert check_challenge(token, answer) is True
    assert check_challenge(token, answer) is False  # reuse refused
    _, other = new_challenge()
    assert check_challenge(other, "99") is False
    assert check_challenge(other, answer_for(_)) is False  # a wrong try spends it too


def test_a_solved_challenge_cannot_be_replayed_on_the_form(ugel07):
    client = Client()
    page = client.get("/acceso/solicitar/").content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', page)[1]
    answer = answer_for(page)
    first = request_access(client, ugel07, challenge=token, answer=answer)
    assert first.status_code == 302
    again = request_access(client, ugel07, challenge=token, answer=answer, doc_number="10000023")
    assert again.status_code == 400
    assert "La respuesta no es correcta" in again.content.decode()
    assert not AccessRequest.objects.filter(doc_number="10000023").exists()


def test_challenge_expires_after_an_hour(demo_data):
    question, token = new_challenge()
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert check_challenge(token, answer_for(question)) is False


# --- item 12: codes never in a URL path; no stranger's document in the task table -----


def test_access_codes_travel_after_the_hash(ugel07, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_access(Client(), ugel07)
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/acceso/confirmar/\S*", body)[0]
    path, _, code = link.partition("#")
    assert path.endswith("/acceso/confirmar/") and len(code) > 30
    # a GET (what a log line would hold) carries nothing; the code is POSTed
    page = Client().get("/acceso/confirmar/").content.decode()
    assert code not in page and "data-fragment-code" in page


def test_password_reset_task_never_holds_a_strangers_document(persona):
    with mock.patch("ayni.accounts.forms.send_password_reset_email") as task:
        enqueue = task.enqueue
        unknown = Client().post(
            "/cuenta/contrasena/olvide/", {"doc_type": "01", "doc_number": "87654321"}
        )
        known = Client().post(
            "/cuenta/contrasena/olvide/", {"doc_type": "01", "doc_number": "10000001"}
        )
    assert unknown["Location"] == known["Location"] == "/cuenta/contrasena/olvide/enviado/"
    assert enqueue.call_args_list == [mock.call(None), mock.call(persona("servant").pk)]
    assert "87654321" not in repr(enqueue.call_args_list)


# --- item 8: distributed guessing -------------------------------------------------------


def post_login(client: Client, password: str, ip: str, dni: str = "10000002"):
    return client.post(
        "/cuenta/ingresar/",
        {"doc_type": "01", "doc_number": dni, "password": password},
        REMOTE_ADDR=ip,
    )


def test_distributed_guessing_does_not_log_in_silently(persona, django_capture_on_commit_callbacks):
    owner = persona("other_servant")  # 10000002
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(100):
            post_login(Client(), f"guess-{attempt}", f"10.1.{attempt % 25}.1")
    guesser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        right = post_login(guesser, PASSWORD, "10.2.0.26")
    assert right.status_code == 200 and "_auth_user_id" not in guesser.session
    wrong = post_login(Client(), "yet-another-guess", "10.2.0.27")
    # the same answer whatever the password: the guesser learns nothing
    assert "recibió muchos intentos fallidos" in right.content.decode()
    assert mask(right.content.decode()) == mask(wrong.content.decode())
    # the owner is told once, in Ayni and by e-mail, with no personal data
    notes = Notification.objects.filter(recipient=owner, title__contains="intentos fallidos")
    assert notes.count() == 1
    alerts = [m for m in mail.outbox if m.to == ["demo.10000002@ayni.example"]]
    assert any("intentos fallidos" in m.body for m in alerts)
    assert all("10000002" not in m.body and "10.1." not in m.body for m in alerts)
    assert AuditEvent.objects.filter(action="auth.account_guarded", actor=owner).count() == 1
    # the right password brought a single-use sign-in link to the owner only
    link_mail = next(m for m in reversed(alerts) if "complete el ingreso" in m.body)
    code = code_in(link_mail.body, "/cuenta/ingresar/enlace/")
    owner_client = Client()
    assert owner_client.post("/cuenta/ingresar/enlace/", {"code": code}).status_code == 302
    assert owner_client.session["_auth_user_id"] == str(owner.pk)
    assert Client().post("/cuenta/ingresar/enlace/", {"code": code}).status_code == 400
    # the guard is lifted for the owner after using the link
    assert post_login(Client(), PASSWORD, "10.3.0.1").status_code == 302


def test_the_guard_applies_to_unknown_accounts_alike(demo_data):
    for attempt in range(20):
        post_login(Client(), f"guess-{attempt}", f"10.4.{attempt}.1", dni="87654321")
    page = post_login(Client(), "whatever", "10.4.99.1", dni="87654321").content.decode()
    assert "recibió muchos intentos fallidos" in page


def test_the_guard_does_not_lock_the_owner_out_of_a_reset(
    persona, django_capture_on_commit_callbacks
):
    for attempt in range(20):
        post_login(Client(), f"guess-{attempt}", f"10.5.{attempt}.1")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cuenta/contrasena/olvide/", {"doc_type": "01", "doc_number": "10000002"})
    link = re.search(r"https?://[^/]+(/cuenta/contrasena/restablecer/\S+)", mail.outbox[-1].body)
    form_page = client.get(link[1], follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "otra-clave-segura-2026", "new_password2": "otra-clave-segura-2026"},
    )
    assert post_login(Client(), "otra-clave-segura-2026", "10.5.99.1").status_code == 302


# --- e-mail and phone: only the owner, with the password ---------------------------------


def test_email_change_needs_the_password_a_link_to_the_new_address_and_tells_the_old(
    persona, django_capture_on_commit_callbacks
):
    owner = persona("servant")
    other_session = Client()
    other_session.force_login(owner)
    client = Client()
    client.force_login(owner)
    page = client.get("/cuenta/mis-datos/correo/").content.decode()
    refused = client.post(
        "/cuenta/mis-datos/correo/",
        {"form_token": form_token(page), "password": "not-mine", "new_email": "x@example.pe"},
    )
    assert "La contraseña no es correcta." in refused.content.decode()
    page = client.get("/cuenta/mis-datos/correo/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/cuenta/mis-datos/correo/",
            {"form_token": form_token(page), "password": PASSWORD, "new_email": "rosa@nuevo.pe"},
        )
    owner.refresh_from_db()
    assert owner.email == "demo.10000001@ayni.example"  # not before the link is opened
    to_new = next(m for m in mail.outbox if m.to == ["rosa@nuevo.pe"])
    told_old = [m for m in mail.outbox if m.to == ["demo.10000001@ayni.example"]]
    assert told_old and "rosa@nuevo.pe" not in told_old[-1].body
    code = code_in(to_new.body, "/cuenta/mis-datos/correo/confirmar/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cuenta/mis-datos/correo/confirmar/", {"code": code})
    owner.refresh_from_db()
    assert owner.email == "rosa@nuevo.pe"
    assert "cambiado" in mail.outbox[-1].subject and mail.outbox[-1].to == [
        "demo.10000001@ayni.example"
    ]
    # this session stays, the other one ended
    assert client.get("/cuenta/mis-datos/").status_code == 200
    assert other_session.get("/cuenta/mis-datos/").status_code == 302
    # the link works once
    reuse = Client().post("/cuenta/mis-datos/correo/confirmar/", {"code": code})
    assert reuse.status_code == 400 and "ya se usó" in reuse.content.decode()
    assert AuditEvent.objects.filter(action="auth.email_changed", actor=owner).exists()


def test_email_link_expires(persona, django_capture_on_commit_callbacks):
    owner = persona("servant")
    client = Client()
    client.force_login(owner)
    page = client.get("/cuenta/mis-datos/correo/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/cuenta/mis-datos/correo/",
            {"form_token": form_token(page), "password": PASSWORD, "new_email": "r@nuevo.pe"},
        )
    code = code_in(mail.outbox[0].body, "/cuenta/mis-datos/correo/confirmar/")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        late = Client().post("/cuenta/mis-datos/correo/confirmar/", {"code": code})
    assert late.status_code == 400
    owner.refresh_from_db()
    assert owner.email == "demo.10000001@ayni.example"


def test_phone_change_needs_the_password_and_tells_the_owner(persona):
    owner = persona("servant")
    client = Client()
    client.force_login(owner)
    page = client.get("/cuenta/mis-datos/telefono/").content.decode()
    client.post(
        "/cuenta/mis-datos/telefono/",
        {"form_token": form_token(page), "password": "no", "phone": "999888777"},
    )
    owner.refresh_from_db()
    assert owner.phone == "910000001"  # unchanged without the password
    page = client.get("/cuenta/mis-datos/telefono/").content.decode()
    client.post(
        "/cuenta/mis-datos/telefono/",
        {"form_token": form_token(page), "password": PASSWORD, "phone": "999888777"},
    )
    owner.refresh_from_db()
    assert owner.phone == "999888777"
    assert Notification.objects.filter(recipient=owner, title__contains="teléfono").exists()


def test_password_change_ends_the_other_sessions(persona):
    owner = persona("servant")
    other_session = Client()
    other_session.force_login(owner)
    client = Client()
    client.force_login(owner)
    page = client.get("/cuenta/contrasena/cambiar/").content.decode()
    client.post(
        "/cuenta/contrasena/cambiar/",
        {
            "form_token": form_token(page),
            "old_password": PASSWORD,
            "new_password1": "nueva-clave-larga-99",
            "new_password2": "nueva-clave-larga-99",
        },
    )
    assert client.get("/cuenta/mis-datos/").status_code == 200
    assert other_session.get("/cuenta/mis-datos/").status_code == 302


# --- desk recovery: two officers ---------------------------------------------------------


@pytest.fixture
def second_desk_officer(ugel07):
    user = User.objects.create_user("01", "20000099", PASSWORD, full_name="Otra Mesa")
    user.privacy_accepted_at = timezone.now()
    user.save()
    RoleGrant.objects.create(user=user, role=Role.MESA_PARTES, unit=ugel07)
    return user


def test_recovery_needs_a_second_officer(
    persona, client_for, second_desk_officer, django_capture_on_commit_callbacks
):
    owner = persona("servant")
    owner_session = Client()
    owner_session.force_login(owner)
    first = client_for("mesa_partes")
    page = first.get("/mesa/recuperar-acceso/").content.decode()
    response = first.post(
        "/mesa/recuperar-acceso/",
        {
            "form_token": form_token(page),
            "doc_type": "01",
            "doc_number": "10000001",
            "new_email": "rosa@recuperado.pe",
            "identity_check": "DNI original visto y comparado con la foto",
            "in_person": "on",
        },
    )
    recovery = AccountRecovery.objects.get(user=owner)
    assert response["Location"] == f"/mesa/recuperar-acceso/{recovery.uuid}/"
    assert not [m for m in mail.outbox if m.to == ["rosa@recuperado.pe"]]  # nothing yet
    # the officer who checked cannot approve
    page = first.get(response["Location"]).content.decode()
    assert 'value="approve"' not in page
    first.post(response["Location"], {"action": "approve", "form_token": form_token(page)})
    recovery.refresh_from_db()
    assert recovery.state == "por_aprobar"
    # a second officer approves: link to the new address, the old one told
    second = Client()
    sign_in_verified(second, second_desk_officer)  # staff: second factor passed
    page = second.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second.post(response["Location"], {"action": "approve", "form_token": form_token(page)})
    recovery.refresh_from_db()
    owner.refresh_from_db()
    assert recovery.state == "aprobada" and recovery.decided_by == second_desk_officer
    assert owner.email == "rosa@recuperado.pe"
    to_new = [m for m in mail.outbox if m.to == ["rosa@recuperado.pe"]]
    assert to_new and "restablecer" in to_new[-1].body
    to_old = [m for m in mail.outbox if m.to == ["demo.10000001@ayni.example"]]
    assert to_old and "rosa@recuperado.pe" not in to_old[-1].body
    assert owner_session.get("/cuenta/mis-datos/").status_code == 302  # sessions ended
    assert AuditEvent.objects.filter(action="desk.recovery.aprobada").exists()
    assert not owner.has_usable_password()  # the way back in is the link, not the old password


def test_a_recovery_is_not_in_the_work_list_of_the_officer_who_recorded_it(
    persona, client_for, second_desk_officer
):
    from ayni.portal.selectors import work_queue_for

    recorded_by = persona("mesa_partes")
    pending = AccountRecovery.objects.get(user=persona("cesante"))  # the demo's
    assert pending.checked_by == recorded_by
    link = f"/mesa/recuperar-acceso/{pending.uuid}/"
    assert link not in [item.link for item in work_queue_for(recorded_by)]
    assert link in [item.link for item in work_queue_for(second_desk_officer)]
    assert link in [item.link for item in work_queue_for(persona("mesa_partes_2"))]


def test_nobody_recovers_their_own_account(persona, client_for, ugel07):
    officer = persona("mesa_partes")
    page = client_for("mesa_partes").get("/mesa/recuperar-acceso/").content.decode()
    response = client_for("mesa_partes").post(
        "/mesa/recuperar-acceso/",
        {
            "form_token": form_token(page),
            "doc_type": "01",
            "doc_number": officer.doc_number,
            "new_email": "yo@otro.pe",
            "identity_check": "Mi propio DNI, lo vi yo mismo",
            "in_person": "on",
        },
    )
    assert response.status_code == 400
    assert not AccountRecovery.objects.filter(user=officer).exists()


def test_recovery_is_for_the_desk_only(client_for):
    assert client_for("servant").get("/mesa/recuperar-acceso/").status_code == 403
    assert client_for("escalafon").get("/mesa/recuperar-acceso/").status_code == 403


# --- item 10: admin changes of e-mail and roles are security events ----------------------


def test_admin_email_and_role_changes_are_audited(
    persona, ugel07, django_capture_on_commit_callbacks
):
    admin_user = persona("admin")
    target = persona("other_servant")
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    model_admin = UserAdmin(User, default_site)
    target.email = "nuevo@admin.pe"
    form = mock.Mock(changed_data=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, target, form, change=True)
    event = AuditEvent.objects.get(action="auth.email_changed_by_admin")
    assert event.actor == admin_user and event.before == {"email": "d***@ayni.example"}
    assert mail.outbox[-1].to == ["demo.10000002@ayni.example"]
    from ayni.core import audit_actions

    for code in ("auth.email_changed_by_admin", "auth.role_granted", "auth.role_revoked"):
        assert code in audit_actions.codes(security=True)


def test_sign_in_link_codes_are_single_use_records(persona):
    from ayni.accounts.links import code_of, link_create, link_use

    owner = persona("servant")
    link = link_create(user=owner, purpose=AccountLink.Purpose.SIGN_IN, minutes=15)
    assert "#" in link and "/cuenta/ingresar/enlace/#" in link
    code = code_of(link)
    assert not AccountLink.objects.filter(code_hash=code).exists()  # only its hash is kept
    assert link_use(code=code, purpose=AccountLink.Purpose.SIGN_IN) is not None
    assert link_use(code=code, purpose=AccountLink.Purpose.SIGN_IN) is None
