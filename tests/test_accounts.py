import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from ayni.accounts.hashers import AyniArgon2Hasher
from ayni.accounts.models import User
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/cuenta/ingresar/"
PASSWORD = "ayni-demo-2026"


def post_login(client: Client, dni: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        LOGIN, {"doc_type": "01", "doc_number": dni, "password": password}, REMOTE_ADDR=ip
    )


def test_login_with_dni_and_password_lands_on_home_and_is_audited(persona):
    client = Client()
    response = post_login(client, "10000001", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert "Hola, Rosa Elena" in home.content.decode()
    assert AuditEvent.objects.filter(action="auth.login", actor=persona("servant")).exists()


def test_wrong_password_and_unknown_account_get_the_same_message(persona):
    wrong = post_login(Client(), "10000001", "not-the-password").content.decode()
    unknown = post_login(Client(), "87654321", "whatever-password").content.decode()
    message = "Tipo de documento, número o contraseña incorrectos."
    assert message in wrong
    assert message in unknown
    failures = AuditEvent.objects.filter(action="auth.login_failed")
    assert failures.filter(actor=persona("servant")).count() == 1
    assert failures.filter(actor=None, detail="cuenta inexistente").count() == 1


def test_dni_must_have_eight_digits(demo_data):
    response = post_login(Client(), "1234567", PASSWORD)
    assert "El DNI debe tener exactamente 8 dígitos." in response.content.decode()
    # what the user typed stays in the form
    assert 'value="1234567"' in response.content.decode()


def test_lockout_after_repeated_failures_for_account_and_address(persona):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = post_login(Client(), "10000002", "wrong-password")
    assert response.status_code == 429
    body = response.content.decode()
    assert "demasiados intentos" in body
    assert "/cuenta/contrasena/olvide/" in body
    # the right password is refused from that address while locked
    locked = post_login(Client(), "10000002", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.wsgi_request.session
    assert AuditEvent.objects.filter(action="auth.lockout", actor=persona("other_servant")).exists()
    assert AuditEvent.objects.filter(action="auth.login_refused_locked").exists()


def test_a_stranger_cannot_lock_a_teacher_out_from_elsewhere(persona):
    for _ in range(settings.LOGIN_MAX_FAILURES + 2):
        post_login(Client(), "10000002", "wrong-password", ip="203.0.113.9")
    client = Client()
    response = post_login(client, "10000002", PASSWORD, ip="10.1.1.1")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_address_ceiling_blocks_attempts_on_other_accounts(demo_data, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for dni in ("10000001", "10000002", "10000003"):
        post_login(Client(), dni, "wrong-password", ip="198.51.100.7")
    response = post_login(Client(), "10000004", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429
    assert post_login(Client(), "10000004", PASSWORD, ip="10.9.9.9").status_code == 302


def test_password_reset_by_email_link_sets_a_new_password_and_lifts_lockout(persona):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        post_login(Client(), "10000001", "wrong-password")
    client = Client()
    response = client.post(
        "/cuenta/contrasena/olvide/", {"doc_type": "01", "doc_number": "10000001"}
    )
    assert response["Location"] == "/cuenta/contrasena/olvide/enviado/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["demo.10000001@ayni.example"]
    assert "10000001" not in message.body  # no personal data in e-mails
    assert "QUISPE" not in message.body.upper()
    link = re.search(r"https?://[^/]+(/cuenta/contrasena/restablecer/\S+)", message.body)[1]
    form_page = client.get(link, follow=True)
    assert "Nueva contraseña" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "otra-clave-segura-2026", "new_password2": "otra-clave-segura-2026"},
    )
    assert done["Location"] == "/cuenta/contrasena/restablecida/"
    assert persona("servant").check_password("otra-clave-segura-2026")
    assert AuditEvent.objects.filter(
        action="auth.password_reset", actor=persona("servant")
    ).exists()
    # the lockout is lifted
    assert post_login(Client(), "10000001", "otra-clave-segura-2026").status_code == 302


def test_password_reset_for_unknown_document_looks_the_same_and_sends_nothing(demo_data):
    response = Client().post(
        "/cuenta/contrasena/olvide/", {"doc_type": "01", "doc_number": "87654321"}
    )
    assert response["Location"] == "/cuenta/contrasena/olvide/enviado/"
    assert mail.outbox == []


def test_idle_session_expires_with_a_message(persona):
    client = Client()
    post_login(client, "10000001", PASSWORD)
    session = client.session
    session["last_activity"] -= settings.SESSION_IDLE_SECONDS + 5
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0] == "/cuenta/ingresar/"
    assert "Su sesión se cerró tras" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", detail="inactividad").exists()


def test_active_session_stays_open(persona):
    client = Client()
    post_login(client, "10000001", PASSWORD)
    session = client.session
    session["last_activity"] -= settings.SESSION_IDLE_SECONDS - 60
    session.save()
    assert client.get("/").status_code == 200


def test_privacy_notice_must_be_accepted_at_first_login(persona):
    user = persona("servant")
    User.objects.filter(pk=user.pk).update(privacy_accepted_at=None)
    client = Client()
    post_login(client, "10000001", PASSWORD)
    response = client.get("/mi-legajo/")
    assert response["Location"] == "/cuenta/privacidad/"
    page = client.get("/cuenta/privacidad/").content.decode()
    assert "Ley N.° 29733" in page
    refused = client.post("/cuenta/privacidad/", {}, follow=True)
    assert "debe aceptar el aviso" in refused.content.decode()
    client.post("/cuenta/privacidad/", {"accept": "1"})
    assert client.get("/mi-legajo/").status_code == 200
    user.refresh_from_db()
    assert user.privacy_accepted_at is not None
    assert AuditEvent.objects.filter(action="auth.privacy_accepted", actor=user).exists()


def test_password_change(client_for, persona):
    client = client_for("servant")
    response = client.post(
        "/cuenta/contrasena/cambiar/",
        {
            "old_password": PASSWORD,
            "new_password1": "nueva-clave-larga-99",
            "new_password2": "nueva-clave-larga-99",
        },
    )
    assert response.status_code == 302
    assert persona("servant").check_password("nueva-clave-larga-99")
    assert AuditEvent.objects.filter(action="auth.password_changed").exists()


def test_logout_requires_post(client_for):
    client = client_for("servant")
    assert client.get("/cuenta/salir/").status_code == 405
    assert client.post("/cuenta/salir/")["Location"] == "/cuenta/ingresar/"
    assert client.get("/")["Location"].startswith("/cuenta/ingresar/")


def test_login_page_lists_demo_accounts_only_in_demo_mode(demo_data, settings):
    assert "20000006" in Client().get(LOGIN).content.decode()
    settings.DEMO_MODE = False
    body = Client().get(LOGIN).content.decode()
    assert "20000006" not in body
    assert "ayni-demo-2026" not in body


def test_open_redirect_after_login_is_refused(demo_data):
    response = Client().post(
        LOGIN + "?next=https://evil.example/",
        {
            "doc_type": "01",
            "doc_number": "10000001",
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"


def test_argon2id_parameters_are_owasp_minimum():
    encoded = AyniArgon2Hasher().encode("x" * 12, "saltsaltsalt")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
