"""Second factor for staff (django-otp TOTP + recovery codes), step-up before sensitive
acts, the demo secret, and the attacks on them: skipping enrolment by direct URL, a
replayed code, a reused recovery code, brute force, a reset by the wrong person."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ayni.accounts.models import RoleGrant
from ayni.core.models import AuditEvent, Notification
from ayni.identity.demo import DEMO_TOTP_KEY, DEMO_TOTP_SECRET
from ayni.identity.twofactor import VERIFIED_AT
from tests.conftest import PERSONAS, FormClient
from tests.test_scoping_actions import ACTIONS, Ctx

pytestmark = pytest.mark.django_db

VERIFY = "/cuenta/segundo-factor/verificar/"
ENROL = "/cuenta/segundo-factor/configurar/"
STAFF = [
    "escalafon",
    "planillas",
    "mesa_partes",
    "other_ugel_officer",
    "dre_supervisor",
    "dre_escalafon",
    "admin",
    "dp_officer",
    "minedu_supervisor",
]


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def unverified(user: Any) -> FormClient:
    """Signed in with the password only (the second factor not yet given)."""
    client = FormClient()
    client.force_login(user)
    return client


def password_login(client: FormClient, dni: str) -> Any:
    return client.post(
        "/cuenta/ingresar/",
        {"doc_type": "01", "doc_number": dni, "password": "ayni-demo-2026"},
    )


def make_stale(client: Any, minutes: int = 16) -> None:
    session = client.session
    session[VERIFIED_AT] = session[VERIFIED_AT] - minutes * 60
    session.save()


# --- nobody reaches a staff page or act before the second factor -----------------------

# A share link is opened by whoever holds it, signed in or not: no second factor applies.
STAFF_CASES = [
    (act, who) for act in ACTIONS for who in STAFF if ACTIONS[act][1].get("anonymous") != "done"
]


@pytest.mark.parametrize(("act", "who"), STAFF_CASES, ids=[f"{a}-{w}" for a, w in STAFF_CASES])
def test_no_staff_act_before_the_second_factor(act, who, servant_of, persona):
    """Every act of the persona matrix, by every staff persona signed in with the
    password only: sent to verify (or, not enrolled, to enrol); nothing happens."""
    action, _row = ACTIONS[act]
    ctx = Ctx(servant_of, persona)
    url, data = action.prepare(ctx)
    client = unverified(persona(who))
    response = client.post(url, data) if action.method == "post" else client.get(url)
    ctx.response = response
    assert not action.happened(ctx), f"{who} did {act} without a second factor"
    assert response.status_code == 302
    expected = ENROL if who == "other_ugel_officer" else VERIFY
    assert response["Location"].startswith(expected)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/escalafon/solicitudes/",
        "/planillas/",
        "/mesa/",
        "/admin/",
        "/cuenta/seguridad/",
        "/cuenta/sesiones/",
        "/cuenta/segundo-factor/restablecer/",
    ],
)
def test_staff_pages_wait_for_the_code(path, persona):
    client = unverified(persona("escalafon"))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={path.replace('/', '%2F')}"


def test_a_servant_without_factor_is_not_asked(persona):
    client = unverified(persona("servant"))
    assert client.get("/mi-legajo/").status_code == 200


def test_allowed_pages_before_the_code(persona):
    client = unverified(persona("escalafon"))
    assert client.get("/ayuda/").status_code == 200
    assert client.get("/cuenta/privacidad/").status_code == 200
    assert client.get(VERIFY).status_code == 200
    assert client.post("/cuenta/salir/").status_code == 302
    assert client.get("/escalafon/solicitudes/")["Location"].startswith("/cuenta/ingresar/")


# --- sign-in with the code -------------------------------------------------------------


def test_sign_in_asks_for_the_code_and_a_code_is_used_once(persona):
    officer = persona("escalafon")
    device = TOTPDevice.objects.get(user=officer)
    client = FormClient()
    response = password_login(client, PERSONAS["escalafon"])
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0].startswith(VERIFY)
    assert "Segundo factor" in page.content.decode()
    code = code_for(device)
    response = client.post(VERIFY, {"code": code, "next": "/escalafon/solicitudes/"})
    assert response["Location"] == "/escalafon/solicitudes/"
    assert client.get("/escalafon/solicitudes/").status_code == 200
    assert AuditEvent.objects.filter(actor=officer, action="auth.2fa_verified").exists()

    # the same code again (another browser, same time step): refused
    thief = FormClient()
    password_login(thief, PERSONAS["escalafon"])
    response = thief.post(VERIFY, {"code": code, "next": "/"})
    assert response.status_code == 400
    assert "El código no es válido o ya se usó." in response.content.decode()
    assert thief.get("/escalafon/solicitudes/")["Location"].startswith(VERIFY)
    # the next time step's code works
    response = thief.post(VERIFY, {"code": code_for(device, 1), "next": "/"})
    assert response.status_code == 302


def test_recovery_code_works_once(persona):
    officer = persona("planillas")
    client = FormClient()
    password_login(client, PERSONAS["planillas"])
    client.get(VERIFY)
    # enrol recovery codes for the demo account: renewing needs a fresh check
    helper = unverified(officer)
    helper.post(VERIFY, {"code": code_for(TOTPDevice.objects.get(user=officer)), "next": "/"})
    helper.post("/cuenta/segundo-factor/codigos/")
    codes = re.findall(
        r"<code>(\d{8})</code>", helper.get("/cuenta/segundo-factor/codigos/").content.decode()
    )
    assert len(codes) == 10
    assert helper.get("/cuenta/segundo-factor/codigos/").status_code == 302  # shown once

    response = client.post(VERIFY, {"code": codes[0], "next": "/planillas/"}, follow=True)
    assert "Usó un código de recuperación; le quedan 9" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/planillas/"
    assert AuditEvent.objects.filter(actor=officer, action="auth.2fa_recovery_used").exists()
    again = FormClient()
    password_login(again, PERSONAS["planillas"])
    response = again.post(VERIFY, {"code": codes[0], "next": "/"})
    assert response.status_code == 400
    assert StaticToken.objects.filter(device__user=officer).count() == 9


def test_the_last_recovery_code_and_few_left_are_warned(persona):
    officer = persona("planillas")
    helper = unverified(officer)
    helper.post(VERIFY, {"code": code_for(TOTPDevice.objects.get(user=officer)), "next": "/"})
    helper.post("/cuenta/segundo-factor/codigos/")
    codes = re.findall(
        r"<code>(\d{8})</code>", helper.get("/cuenta/segundo-factor/codigos/").content.decode()
    )
    StaticToken.objects.filter(device__user=officer).exclude(token__in=codes[:2]).delete()
    page = helper.get("/cuenta/seguridad/").content.decode()
    assert "Le quedan pocos códigos de recuperación" in page

    client = FormClient()
    password_login(client, PERSONAS["planillas"])
    client.post(VERIFY, {"code": codes[0], "next": "/"})
    again = FormClient()
    password_login(again, PERSONAS["planillas"])
    shown = again.post(VERIFY, {"code": codes[1], "next": "/"}, follow=True).content.decode()
    assert "Usó su último código de recuperación" in shown
    assert "le quedan 0" not in shown
    assert not StaticToken.objects.filter(device__user=officer).exists()
    page = again.get("/cuenta/seguridad/").content.decode()
    assert "No le quedan códigos de recuperación" in page


def test_brute_force_is_throttled(persona, settings):
    officer = persona("mesa_partes")
    device = TOTPDevice.objects.get(user=officer)
    client = unverified(officer)
    statuses = [client.post(VERIFY, {"code": "000000"}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    response = client.post(VERIFY, {"code": code_for(device)})  # even the right one
    assert response.status_code == 429
    assert "Demasiados códigos incorrectos" in response.content.decode()
    assert client.get("/mesa/")["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(actor=officer, action="auth.2fa_failed").count() == 5


# --- enrolment -------------------------------------------------------------------------


def test_first_time_enrolment(persona):
    officer = persona("other_ugel_officer")  # the demo's unenrolled officer
    client = unverified(officer)
    response = client.get("/escalafon/solicitudes/")
    assert response["Location"].startswith(ENROL)
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page)[1]
    assert secret != DEMO_TOTP_SECRET
    assert "Solo demostración" not in page  # a real secret: no hint, even in demo mode
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert client.get(ENROL).content.decode().count(secret) >= 1  # stable on reload

    response = client.post(ENROL, {"code": "123456", "next": "/escalafon/solicitudes/"})
    assert response.status_code == 400
    response = client.post(ENROL, {"code": code_for(device), "next": "/escalafon/solicitudes/"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert len(re.findall(r"<code>(\d{8})</code>", page)) == 10
    assert client.get("/escalafon/solicitudes/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(actor=officer, action="auth.2fa_enrolled").exists()


def test_an_enrolled_account_cannot_re_enrol_without_its_code(persona):
    client = unverified(persona("escalafon"))
    response = client.get(ENROL)
    assert response["Location"].startswith(VERIFY)
    response = client.post(ENROL, {"code": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=persona("escalafon")).count() == 1


def test_a_servant_may_enrol_and_is_then_asked(persona):
    teacher = persona("servant")
    client = unverified(teacher)
    assert "Activar el segundo factor" in client.get("/cuenta/seguridad/").content.decode()
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=teacher)
    client.post(ENROL, {"code": code_for(device)})
    later = unverified(teacher)
    assert later.get("/mi-legajo/")["Location"].startswith(VERIFY)


# --- demo ------------------------------------------------------------------------------


def test_demo_accounts_and_the_published_secret(persona):
    enrolled = TOTPDevice.objects.filter(confirmed=True, key=DEMO_TOTP_KEY)
    staff = set(RoleGrant.objects.filter(active=True).values_list("user__login_id", flat=True))
    assert set(enrolled.values_list("user__login_id", flat=True)) == staff - {"01-20000004"}
    login = FormClient().get("/cuenta/ingresar/").content.decode()
    assert DEMO_TOTP_SECRET in login
    client = unverified(persona("escalafon"))
    page = client.get(VERIFY).content.decode()
    code = re.search(r"el código de ahora es <strong>(\d{6})</strong>", page)[1]
    assert "Solo demostración" in page
    assert client.post(VERIFY, {"code": code, "next": "/"}).status_code == 302


def test_nothing_is_shown_with_demo_mode_off(persona, settings):
    settings.DEMO_MODE = False
    login = FormClient().get("/cuenta/ingresar/").content.decode()
    assert DEMO_TOTP_SECRET not in login
    page = unverified(persona("escalafon")).get(VERIFY).content.decode()
    assert "Solo demostración" not in page
    assert not re.search(r"<strong>\d{6}</strong>", page)


# --- a lost factor: reset by a system administrator -------------------------------------

RESET = "/cuenta/segundo-factor/restablecer/"


def test_admin_resets_a_lost_factor(client_for, persona, django_capture_on_commit_callbacks):
    officer = persona("escalafon")
    officer_client = client_for("escalafon")
    assert officer_client.get("/escalafon/solicitudes/").status_code == 200
    admin = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(RESET, {"doc_type": "01", "doc_number": PERSONAS["escalafon"]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="auth.2fa_reset_by_admin")
    assert event.actor == persona("admin")
    assert event.object_id == str(officer.pk)
    assert Notification.objects.filter(recipient=officer, title__contains="restableció").exists()
    assert any("segundo factor" in m.subject for m in mail.outbox)
    # the officer's open session now has to enrol again
    assert officer_client.get("/escalafon/solicitudes/")["Location"].startswith(ENROL)


def test_admin_cannot_reset_their_own_factor(client_for, persona):
    response = client_for("admin").post(RESET, {"doc_type": "01", "doc_number": PERSONAS["admin"]})
    assert response.status_code == 400
    assert "No puede restablecer su propio segundo factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=persona("admin")).exists()


@pytest.mark.parametrize("who", ["servant", "escalafon", "minedu_supervisor"])
def test_only_administrators_reset(who, client_for, persona):
    response = client_for(who).post(RESET, {"doc_type": "01", "doc_number": "20000002"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=persona("planillas")).exists()


def test_reset_needs_a_fresh_check(client_for, persona):
    admin = client_for("admin")
    make_stale(admin)
    response = admin.post(RESET, {"doc_type": "01", "doc_number": PERSONAS["escalafon"]})
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=persona("escalafon")).exists()


# --- step-up before sensitive acts -----------------------------------------------------

STEP_UP_ACTS = [
    ("approve a request", "escalafon"),
    ("remove a file entry", "escalafon"),
    ("issue an informe", "escalafon"),
    ("accept an access request", "mesa_partes"),
    ("publish a payroll run", "planillas"),
]


@pytest.mark.parametrize(("act", "who"), STEP_UP_ACTS)
def test_stale_check_refuses_the_act(act, who, client_for, servant_of, persona):
    action, _row = ACTIONS[act]
    ctx = Ctx(servant_of, persona)
    url, data = action.prepare(ctx)
    client = client_for(who)
    make_stale(client)
    response = client.post(url, data)
    assert not action.happened(ctx), f"{act} done with a stale second factor"
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    page = client.get(response["Location"]).content.decode()
    assert "no se hizo ningún cambio" in page
    assert "Confirme su identidad" in page
    assert AuditEvent.objects.filter(actor=persona(who), action="auth.step_up_refused").exists()


@pytest.mark.parametrize(("act", "who"), STEP_UP_ACTS)
def test_after_step_up_the_act_is_done(act, who, client_for, servant_of, persona):
    action, _row = ACTIONS[act]
    ctx = Ctx(servant_of, persona)
    url, data = action.prepare(ctx)
    client = client_for(who)
    make_stale(client)
    refused = client.post(url, data)
    back = refused["Location"]
    device = TOTPDevice.objects.get(user=persona(who))
    response = client.post(back, {"code": code_for(device), "next": url})
    assert response["Location"] == url  # back to the page of the act
    client.post(url, data)
    assert action.happened(ctx)


def test_stale_get_of_the_publish_page_returns_after_the_code(client_for, servant_of, persona):
    action, _row = ACTIONS["publish a payroll run"]
    ctx = Ctx(servant_of, persona)
    url, _data = action.prepare(ctx)
    client = client_for("planillas")
    make_stale(client)
    response = client.get(url)
    assert response["Location"].startswith(VERIFY)
    assert "paso=1" in response["Location"]
    device = TOTPDevice.objects.get(user=persona("planillas"))
    code = code_for(device)
    done = client.post(response["Location"], {"code": code, "next": url})
    assert done["Location"] == url
    assert client.get(url).status_code == 200


def test_granting_a_role_needs_a_fresh_check(client_for, persona):
    admin = client_for("admin")
    make_stale(admin)
    target = persona("servant")
    before = RoleGrant.objects.count()
    response = admin.post(f"/admin/accounts/user/{target.pk}/change/", {"full_name": "X"})
    assert response["Location"].startswith(VERIFY)
    assert RoleGrant.objects.count() == before
    target.refresh_from_db()
    assert target.full_name != "X"


def test_the_security_page_says_what_is_active(client_for):
    page = client_for("admin").get("/cuenta/seguridad/").content.decode()
    assert "Activo: una aplicación de autenticación" in page
    assert 'id="admin-reset-link"' in page
    page = client_for("escalafon").get("/cuenta/seguridad/").content.decode()
    assert 'id="admin-reset-link"' not in page
    assert "Tiene 1 sesión abierta." in page


def test_double_submit_of_the_enrolment(persona):
    officer = persona("other_ugel_officer")
    client = unverified(officer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    code = code_for(device)
    first = client.post(ENROL, {"code": code})
    second = client.post(ENROL, {"code": code})
    assert first.status_code == 302
    assert second.status_code == 302  # the second click shows the first one's codes
    assert second["Location"] == first["Location"]
    page = client.get(second["Location"]).content.decode()
    assert len(re.findall(r"<code>(\d{8})</code>", page)) == 10
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert not AuditEvent.objects.filter(actor=officer, action="auth.2fa_failed").exists()


def test_no_passkey_is_registered_before_the_code(persona):
    from django_otp_webauthn.models import WebAuthnCredential

    client = unverified(persona("escalafon"))
    for path in ("/cuenta/llave/registro/inicio/", "/cuenta/llave/registro/fin/"):
        response = client.post(path, "{}", content_type="application/json")
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    assert not WebAuthnCredential.objects.exists()


def test_the_reset_removes_passkeys_too(client_for, persona):
    from django_otp_webauthn.models import WebAuthnCredential

    officer = persona("escalafon")
    WebAuthnCredential.objects.create(
        user=officer, name="llave", confirmed=True, credential_id=b"x" * 16, public_key=b"k"
    )
    client_for("admin").post(RESET, {"doc_type": "01", "doc_number": PERSONAS["escalafon"]})
    assert not WebAuthnCredential.objects.filter(user=officer).exists()


def test_double_click_on_verify_is_one_check(persona):
    from ayni.core.formtoken import new_token

    officer = persona("planillas")
    client = unverified(officer)
    token = new_token()
    data = {"code": code_for(TOTPDevice.objects.get(user=officer)), "next": "/planillas/"}
    first = client.post(VERIFY, {**data, "form_token": token})
    second = client.post(VERIFY, {**data, "form_token": token})
    assert first["Location"] == second["Location"] == "/planillas/"
    assert AuditEvent.objects.filter(actor=officer, action="auth.2fa_verified").count() == 1
    assert not AuditEvent.objects.filter(actor=officer, action="auth.2fa_failed").exists()


def test_the_passkey_scripts_find_their_words_before_a_click(client_for, persona):
    """The passkey buttons' script calls gettext() from Django's JavaScript catalog. The
    package loaded the catalog "async", so on a slow line a click could come before it and
    do nothing; ours loads it "defer", which runs it before the (deferred) module script."""
    from django_otp_webauthn.models import WebAuthnCredential

    officer = persona("escalafon")
    WebAuthnCredential.objects.create(
        user=officer, name="llave", confirmed=True, credential_id=b"x" * 16, public_key=b"k"
    )
    pages = [
        client_for("escalafon").get("/cuenta/seguridad/").content.decode(),
        unverified(officer).get(VERIFY).content.decode(),
    ]
    for page, script in zip(pages, ("otp_webauthn_register", "otp_webauthn_auth"), strict=True):
        catalog = re.search(r'<script([^>]*)src="/cuenta/llave/jsi18n/"', page)
        assert catalog is not None
        assert "defer" in catalog.group(1) and "async" not in catalog.group(1)
        assert page.index("/cuenta/llave/jsi18n/") < page.index(script)
