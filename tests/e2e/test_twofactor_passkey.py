"""Passkeys in Chromium with its virtual authenticator (DevTools WebAuthn domain): a staff
member registers one from «Seguridad», then signs in with the password and the passkey
instead of the six-digit code. The relying party is `localhost`."""

from __future__ import annotations

import re

from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from ayni.core.models import AuditEvent
from tests.e2e.conftest import DEMO_PASSWORD, fill_login


def test_a_passkey_stands_for_the_code(browser, live_server, demo_data, login, url, settings):
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    context = browser.new_context(locale="es-PE", timezone_id="America/Lima")
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable", {"enableUI": False})
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    login(page, "escalafon")  # password and the authenticator app's code
    expect(page).to_have_url(url("/"))
    page.goto(url("/cuenta/seguridad/"))
    page.get_by_role("button", name="Registrar una llave de acceso").click()
    expect(page.locator("#passkey-register-status-message")).not_to_be_empty()
    stored = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    assert WebAuthnCredential.objects.filter(user__login_id="01-20000001").count() == 1
    page.reload()
    expect(page.locator("#passkey-state")).to_contain_text("Tiene 1 llave de acceso registrada.")
    page.get_by_role("button", name="Salir").click()

    fill_login(page, "20000001", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/cuenta/segundo-factor/verificar/"))
    page.get_by_role("button", name="Usar mi llave de acceso").click()
    try:  # the ceremony is three round trips; a loaded CI machine may take a while
        expect(page).to_have_url(url("/"), timeout=30_000)
    except AssertionError as exc:
        status = page.locator("#passkey-verification-status-message").text_content()
        raise AssertionError(f"the passkey check did not finish; the page says {status!r}") from exc
    page.goto(url("/escalafon/solicitudes/"))
    expect(page).to_have_url(url("/escalafon/solicitudes/"))
    assert AuditEvent.objects.filter(action="auth.passkey_added").count() == 1
    context.close()
