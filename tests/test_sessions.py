"""«Mis sesiones»: the record of each session, whatever the session store; closing one
or all others deletes them from the store; a new device is e-mailed once."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.core import mail

from ayni.core.models import AuditEvent
from ayni.identity.models import UserSession
from ayni.identity.sessions import DEVICE_COOKIE
from tests.conftest import PERSONAS, FormClient

pytestmark = pytest.mark.django_db

PHONE_UA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
DESK_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Firefox/133.0"


@pytest.fixture(params=["db", "cache"])
def store(request, settings):  # type: ignore[no-untyped-def]
    """The same behaviour with the database store and a cache store (as with Redis)."""
    if request.param == "cache":
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    return request.param


def signed_in(ua: str, dni: str = PERSONAS["servant"], ip: str = "190.42.17.8") -> FormClient:
    client = FormClient(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    response = client.post(
        "/cuenta/ingresar/", {"doc_type": "01", "doc_number": dni, "password": "ayni-demo-2026"}
    )
    assert response.status_code == 302
    return client


def session_exists(key: str) -> bool:
    engine = import_module(django_settings.SESSION_ENGINE)
    return engine.SessionStore().exists(key)


def test_sessions_are_listed_and_one_is_closed(store, persona, demo_data):
    phone = signed_in(PHONE_UA)
    desk = signed_in(DESK_UA, ip="2800:200:e840:1234::5")
    page = desk.get("/cuenta/sesiones/").content.decode()
    assert "Chrome en Android" in page
    assert "Firefox en Windows" in page
    assert "190.42.17.0/24" in page  # the network, never the address
    assert "190.42.17.8" not in page
    assert "2800:200:e840::/48" in page
    assert "(esta sesión)" in page
    records = UserSession.objects.filter(user=persona("servant"), ended_at__isnull=True)
    assert records.count() == 2
    phone_record = records.get(user_agent="Chrome en Android")
    phone_key = phone.session.session_key
    assert phone_record.key_hash != phone_key  # only a hash and a sealed copy are stored
    assert phone_key not in phone_record.key_sealed
    assert session_exists(phone_key)

    response = desk.post(f"/cuenta/sesiones/{phone_record.pk}/cerrar/")
    assert response.status_code == 302
    assert not session_exists(phone_key)  # gone from the store itself
    response = phone.get("/mi-legajo/")
    assert response["Location"].startswith("/cuenta/ingresar/")
    assert desk.get("/mi-legajo/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_closed").count() == 1


def test_close_all_others(store, persona, demo_data):
    first = signed_in(PHONE_UA)
    second = signed_in(PHONE_UA)
    keeper = signed_in(DESK_UA)
    response = keeper.post("/cuenta/sesiones/cerrar-otras/", follow=True)
    assert "Se cerraron sus otras sesiones (2)." in response.content.decode()
    for client in (first, second):
        assert client.get("/mi-legajo/")["Location"].startswith("/cuenta/ingresar/")
    assert keeper.get("/mi-legajo/").status_code == 200
    assert UserSession.objects.filter(user=persona("servant"), ended_at__isnull=True).count() == 1


def test_nobody_closes_someone_elses_session(persona, demo_data):
    victim = signed_in(PHONE_UA)
    record = UserSession.objects.get(user=persona("servant"))
    attacker = signed_in(DESK_UA, dni=PERSONAS["other_servant"])
    assert attacker.post(f"/cuenta/sesiones/{record.pk}/cerrar/").status_code == 404
    assert attacker.get(f"/cuenta/sesiones/{record.pk}/cerrar/").status_code == 405
    assert victim.get("/mi-legajo/").status_code == 200
    assert (
        f"/cuenta/sesiones/{record.pk}/cerrar/"
        not in attacker.get("/cuenta/sesiones/").content.decode()
    )
    record.refresh_from_db()
    assert record.ended_at is None


def test_own_current_session_is_not_closed_from_the_list(persona, demo_data):
    client = signed_in(PHONE_UA)
    record = UserSession.objects.get(user=persona("servant"))
    assert client.post(f"/cuenta/sesiones/{record.pk}/cerrar/").status_code == 404
    assert client.get("/mi-legajo/").status_code == 200


def test_sign_out_ends_the_record(persona, demo_data):
    client = signed_in(PHONE_UA)
    client.post("/cuenta/salir/")
    assert not UserSession.objects.filter(user=persona("servant"), ended_at__isnull=True).exists()


def test_a_new_device_is_emailed_once(persona, demo_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client = signed_in(PHONE_UA)
    notices = [m for m in mail.outbox if "dispositivo nuevo" in m.subject]
    assert len(notices) == 1
    assert notices[0].to == [persona("servant").email]
    assert "desde un dispositivo nuevo (Chrome en Android)" in notices[0].body
    device = client.cookies[DEVICE_COOKIE].value
    client.post("/cuenta/salir/")
    # the same browser (its device cookie) signs in again: no new notice
    again = FormClient(HTTP_USER_AGENT=PHONE_UA)
    again.cookies[DEVICE_COOKIE] = device
    with django_capture_on_commit_callbacks(execute=True):
        again.post(
            "/cuenta/ingresar/",
            {"doc_type": "01", "doc_number": PERSONAS["servant"], "password": "ayni-demo-2026"},
        )
    assert len([m for m in mail.outbox if "dispositivo nuevo" in m.subject]) == 1
    # a forged cookie is a new device
    forged = FormClient(HTTP_USER_AGENT=PHONE_UA)
    forged.cookies[DEVICE_COOKIE] = "x:y:z"
    with django_capture_on_commit_callbacks(execute=True):
        forged.post(
            "/cuenta/ingresar/",
            {"doc_type": "01", "doc_number": PERSONAS["servant"], "password": "ayni-demo-2026"},
        )
    assert len([m for m in mail.outbox if "dispositivo nuevo" in m.subject]) == 2


def test_the_record_follows_a_password_change(persona, demo_data):
    client = signed_in(PHONE_UA)
    other = signed_in(DESK_UA)
    client.get("/cuenta/contrasena/cambiar/")
    response = client.post(
        "/cuenta/contrasena/cambiar/",
        {
            "old_password": "ayni-demo-2026",
            "new_password1": "Otra-clave-larga-2026",
            "new_password2": "Otra-clave-larga-2026",
        },
    )
    assert response.status_code == 302
    assert other.get("/mi-legajo/")["Location"].startswith("/cuenta/ingresar/")
    client.get("/mi-legajo/")
    record = UserSession.objects.get(user=persona("servant"), user_agent="Chrome en Android")
    key = client.session.session_key
    page = client.get("/cuenta/sesiones/").content.decode()
    assert "(esta sesión)" in page
    assert session_exists(key)
    assert record.ended_at is None
