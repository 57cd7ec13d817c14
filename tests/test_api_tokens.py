"""«Tokens de acceso» pages (issue 15): creating one needs a fresh second factor, the
secret is shown once and stored hashed, the list shows last use and state, and only
the owner revokes."""

from __future__ import annotations

import re

import pytest

from ayni.api.models import AccessToken
from ayni.api.tokens import digest_of
from ayni.core.models import AuditEvent
from ayni.identity.twofactor import VERIFIED_AT

pytestmark = pytest.mark.django_db


def _form(officer_unit_path: str, **extra: str) -> dict[str, object]:
    return {
        "name": "Sistema de planillas",
        "scopes": ["planillas:cargar"],
        "units": [officer_unit_path],
        "lifetime": "30d",
        **extra,
    }


def test_the_list_shows_the_demo_tokens_with_last_use_and_state(client_for):
    html = client_for("planillas").get("/cuenta/tokens/").content.decode()
    assert "Sistema de planillas UGEL 07" in html and "Revocado" in html
    assert "3 usos" in html and "10.20.0.15" in html
    assert 'href="/api/v1/docs"' in html and 'href="/ayuda/api/"' in html
    # what a token is, the danger of sharing it, and that every token expires
    assert "clave larga que un programa usa en lugar de su contraseña" in html
    assert "No lo comparta." in html and "sin su contraseña ni su segundo factor" in html
    assert "Todo token vence:" in html and "a las 8 horas si puede publicar" in html
    assert "vence en 1" in html  # the active demo token says how long it has left
    security = client_for("planillas").get("/cuenta/seguridad/").content.decode()
    assert 'href="/cuenta/tokens/"' in security


def test_creating_a_token_needs_a_fresh_second_factor(client_for, persona):
    client = client_for("planillas")
    session = client.session
    session[VERIFIED_AT] = session[VERIFIED_AT] - 20 * 60
    session.save()
    unit = persona("planillas").role_grants.get().unit.path
    refused = client.post("/cuenta/tokens/nuevo/", _form(unit))
    assert refused.status_code == 302 and "/segundo-factor/verificar/" in refused["Location"]
    assert not AccessToken.objects.filter(name="Sistema de planillas").exists()
    assert AuditEvent.objects.filter(action="auth.step_up_refused").exists()
    # a servant without a second factor is sent to set one up first
    servant = client_for("servant").get("/cuenta/tokens/nuevo/")
    assert servant.status_code == 302 and "/segundo-factor/" in servant["Location"]


def test_the_secret_is_shown_once_and_stored_hashed(client_for, persona):
    client = client_for("planillas")
    officer = persona("planillas")
    unit = officer.role_grants.get().unit.path
    form = client.get("/cuenta/tokens/nuevo/").content.decode()
    assert "Cargar planillas" in form and "UGEL 07" in form
    assert "Mesa de partes" not in form  # only the user's own permissions are offered
    created = client.post("/cuenta/tokens/nuevo/", _form(unit))
    html = created.content.decode()
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    secret = re.search(r'id="token-secret">([^<]+)<', html)[1]
    token = AccessToken.objects.get(user=officer, name="Sistema de planillas")
    assert token.digest == digest_of(secret) and token.unit_paths == [unit]
    assert secret not in client.get("/cuenta/tokens/").content.decode()
    assert AuditEvent.objects.filter(action="api.token_created", actor=officer).exists()


def test_the_form_refuses_a_long_publishing_token_and_keeps_what_was_typed(client_for, persona):
    unit = persona("planillas").role_grants.get().unit.path
    response = client_for("planillas").post(
        "/cuenta/tokens/nuevo/",
        _form(unit, scopes=["planillas:publicar"], lifetime="30d", name="Publicador"),
    )
    html = response.content.decode()
    assert response.status_code == 400 and "8 horas como máximo" in html
    assert 'value="Publicador"' in html
    forged = client_for("planillas").post(
        "/cuenta/tokens/nuevo/", _form(unit, scopes=["mesa:gestionar"])
    )
    assert forged.status_code == 400
    assert not AccessToken.objects.filter(name__in=["Publicador", "Sistema de planillas"]).exists()


def test_only_the_owner_revokes_and_twice_is_harmless(client_for, persona):
    token = AccessToken.objects.get(user=persona("planillas"), revoked_at__isnull=True)
    other = client_for("escalafon").post(f"/cuenta/tokens/{token.uuid}/revocar/")
    assert other.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    owner = client_for("planillas")
    assert owner.post(f"/cuenta/tokens/{token.uuid}/revocar/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == persona("planillas")
    again = owner.post(f"/cuenta/tokens/{token.uuid}/revocar/", follow=True)
    assert "ya estaba revocado" in again.content.decode()
    assert AuditEvent.objects.filter(action="api.token_revoked").count() >= 2  # demo + this
    assert client_for("anonymous").get("/cuenta/tokens/").status_code == 302


def test_usable_tokens_are_listed_first_and_a_just_revoked_one_goes_below(client_for, persona):
    from datetime import timedelta

    from django.utils import timezone

    owner = persona("planillas")
    base = {"user": owner, "scopes": ["planillas:cargar"], "unit_paths": []}
    now = timezone.now()
    AccessToken.objects.create(
        name="Usable antiguo",
        prefix="aaaa",
        digest="a" * 64,
        expires_at=now + timedelta(days=5),
        **base,
    )
    newest = AccessToken.objects.create(
        name="Recien revocado",
        prefix="bbbb",
        digest="b" * 64,
        expires_at=now + timedelta(days=5),
        **base,
    )
    AccessToken.objects.create(
        name="Ya vencido",
        prefix="cccc",
        digest="c" * 64,
        expires_at=now - timedelta(days=1),
        **base,
    )
    client = client_for("planillas")
    assert client.post(f"/cuenta/tokens/{newest.uuid}/revocar/").status_code == 302
    html = client.get("/cuenta/tokens/").content.decode()
    names = re.findall(r"<strong>([^<]+)</strong><br><code>", html)
    usable = [t.name for t in AccessToken.objects.filter(user=owner) if t.is_active]
    assert set(names[: len(usable)]) == set(usable) and "Usable antiguo" in usable
    assert names.index("Usable antiguo") < names.index("Recien revocado")
    assert names.index("Usable antiguo") < names.index("Ya vencido")
