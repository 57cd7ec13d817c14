"""In Chromium: a staff account enrols its authenticator (the secret read off the page,
as a phone scans the QR), signs in again with a code, and confirms its identity again
(step-up) before publishing a payroll."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings as django_settings
from django_otp.oath import TOTP
from playwright.sync_api import BrowserContext, Page, expect

from ayni.identity.twofactor import VERIFIED_AT
from ayni.payroll.models import PayrollRun
from tests.e2e.conftest import DEMO_PASSWORD, fill_login, totp_code
from tests.test_scoping_actions import _draft_run

SHOTS = "/tmp/ayni-twofactor"  # noqa: S108 - screenshots for a person to look at


def _code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_enrol_sign_in_with_the_code_and_step_up_before_publishing(
    page: Page,
    new_context: Callable[[], BrowserContext],
    login,
    url,
    persona,
    servant_of,
):
    # The Cusco escalafón officer has no second factor yet: her first staff page waits.
    page.goto(url("/cuenta/ingresar/"))
    fill_login(page, "20000004", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/cuenta/segundo-factor/configurar/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Configurar el segundo factor")
    expect(page.locator("#enrol-qr svg")).to_be_visible()
    page.screenshot(path=f"{SHOTS}-enrol-360.png", full_page=True)
    secret = page.locator("#enrol-secret").get_attribute("data-secret") or ""
    assert len(secret) == 32

    page.locator("#code").fill("000000")
    page.get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("alert")).to_have_text("El código no es válido o ya se usó.")
    page.locator("#code").fill(_code(secret))
    page.get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sus códigos de recuperación")
    codes = page.locator("#recovery-codes code")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    page.get_by_role("link", name="Ya los guardé, continuar").click()
    expect(page).to_have_url(url("/"))
    page.get_by_role("button", name="Salir").click()

    # Next time: password, then the code (this step's was spent by the enrolment).
    fill_login(page, "20000004", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/cuenta/segundo-factor/verificar/"))
    expect(page.locator("#demo-code")).to_have_count(0)  # her own secret: no demo hint
    page.locator("#code").fill(_code(secret, 1))
    page.get_by_role("button", name="Verificar").click()
    expect(page).to_have_url(url("/"))
    page.get_by_role("button", name="Salir").click()
    # Phone lost: a recovery code, once.
    fill_login(page, "20000004", DEMO_PASSWORD)
    page.locator("#code").fill(recovery)
    page.get_by_role("button", name="Verificar").click()
    expect(page.locator("main .messages")).to_contain_text("le quedan 9")

    # The payroll officer (demo secret) signs in with the code and opens a draft run's
    # «Publicar planilla»; twenty minutes later she confirms it.
    run = _draft_run(SimpleNamespace(servant_of=servant_of, persona=persona))
    officer = new_context().new_page()
    login(officer, "planillas")
    expect(officer).to_have_url(url("/"))
    publish = f"/planillas/{run.uuid}/publicar/"
    officer.goto(url(publish))
    expect(officer.get_by_role("heading", level=1)).to_have_text("¿Publicar esta planilla?")

    key = next(c["value"] for c in officer.context.cookies() if c["name"] == "sessionid")
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key)
    store[VERIFIED_AT] = store[VERIFIED_AT] - 20 * 60
    store.save()

    officer.get_by_role("button", name="Sí, publicar planilla").click()
    expect(officer).to_have_url(re.compile(r"/cuenta/segundo-factor/verificar/\?.*paso=1"))
    expect(officer.get_by_role("heading", level=1)).to_have_text("Confirme su identidad")
    expect(officer.locator("main .messages")).to_contain_text("no se hizo ningún cambio")
    officer.screenshot(path=f"{SHOTS}-stepup-360.png", full_page=True)
    run.refresh_from_db()
    assert run.state == PayrollRun.State.DRAFT
    officer.locator("#code").fill(totp_code("20000002", 1))
    officer.get_by_role("button", name="Verificar").click()
    # what she sent was kept: «Identidad confirmada» sends it again with «Continuar»
    expect(officer.get_by_role("heading", level=1)).to_have_text("Identidad confirmada")
    expect(officer.locator("#step-up-act")).to_have_text("Publicar la planilla")
    officer.get_by_role("button", name="Continuar").click()
    expect(officer.locator("main .messages")).to_contain_text("Planilla publicada")
    run.refresh_from_db()
    assert run.state == PayrollRun.State.PUBLISHED


def test_security_pages_at_desktop_width(browser, live_server, demo_data, login, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE")
    page = context.new_page()
    login(page, "escalafon")
    expect(page).to_have_url(url("/"))
    page.get_by_role("link", name="Seguridad").click()
    expect(page.locator("#twofactor-state")).to_contain_text("Activo")
    page.get_by_role("link", name="Mis sesiones").click()
    expect(page.locator("#session-list")).to_contain_text("esta sesión")
    page.screenshot(path=f"{SHOTS}-sessions-desktop.png", full_page=True)
    context.close()
