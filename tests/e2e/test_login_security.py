"""Lockout after repeated wrong passwords, and password reset by e-mail link."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, fill_login

pytestmark = pytest.mark.e2e

INVALID = "Tipo de documento, número o contraseña incorrectos."
NEW_PASSWORD = "Chaska-Wayta-2026!"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(page: Page, login, url):
    error = page.locator("#login-error")
    for attempt in range(1, 5):
        login(page, "other_servant", f"equivocada-{attempt}")
        expect(page).to_have_url(url("/cuenta/ingresar/"))
        expect(error).to_have_text(INVALID)
        # The form keeps what the user typed (except the password).
        expect(page.locator("#id_doc_number")).to_have_value("10000002")
        expect(page.locator("#id_password")).to_have_value("")

    login(page, "other_servant", "equivocada-5")
    expect(error).to_contain_text("demasiados intentos")
    reset_link = error.get_by_role("link", name="Restablecer mi contraseña")
    expect(reset_link).to_have_attribute("href", "/cuenta/contrasena/olvide/")

    login(page, "other_servant", DEMO_PASSWORD)
    expect(page).to_have_url(url("/cuenta/ingresar/"))
    expect(error).to_contain_text("demasiados intentos")
    expect(page.locator("header").get_by_role("button", name="Salir")).to_have_count(0)

    # The lockout is per account and address: a colleague at the same
    # computer can still log in.
    login(page, "servant")
    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Rosa Elena")

    # And the link offered by the lockout message leads to the reset page.
    page.locator("header").get_by_role("button", name="Salir").click()
    login(page, "other_servant", DEMO_PASSWORD)
    page.locator("#login-error").get_by_role("link", name="Restablecer mi contraseña").click()
    expect(page).to_have_url(url("/cuenta/contrasena/olvide/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Restablecer contraseña")


def test_password_reset_by_email_link(page: Page, login, url, live_server):
    page.goto(url("/cuenta/ingresar/"))
    page.get_by_role("link", name="¿Olvidó su contraseña?").click()
    expect(page).to_have_url(url("/cuenta/contrasena/olvide/"))

    main = page.locator("main")
    main.locator("#id_doc_type").select_option(label="DNI")
    main.locator("#id_doc_number").fill("10000001")
    mail.outbox.clear()  # loading the demo set may have sent notices of its own
    main.get_by_role("button", name="Enviar enlace").click()
    expect(page).to_have_url(url("/cuenta/contrasena/olvide/enviado/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su correo")

    assert [m.subject for m in mail.outbox] == ["Ayni: restablecer su contraseña"]
    message = mail.outbox[0]
    body = str(message.body)
    assert message.to == ["demo.10000001@ayni.example"]
    # The e-mail carries a link, never personal data.
    assert "QUISPE" not in body and "10000001" not in body
    found = re.search(re.escape(settings.SITE_URL) + r"(/cuenta/contrasena/restablecer/\S+)", body)
    assert found, body
    link = live_server.url + found.group(1)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nueva contraseña")
    main.locator("#id_new_password1").fill(NEW_PASSWORD)
    main.locator("#id_new_password2").fill(NEW_PASSWORD)
    main.get_by_role("button", name="Guardar contraseña").click()
    expect(page).to_have_url(url("/cuenta/contrasena/restablecida/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Contraseña guardada")

    # The link works once only.
    page.goto(link)
    expect(page.locator("main")).to_contain_text("El enlace no es válido o ya fue usado")

    # The old password no longer opens the account; the new one does.
    login(page, "servant", DEMO_PASSWORD)
    expect(page.locator("#login-error")).to_have_text(INVALID)
    fill_login(page, "10000001", NEW_PASSWORD)
    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Rosa Elena")


def test_distributed_guessing_then_the_owner_signs_in_with_the_mailed_link(
    page: Page, new_context, url, live_server
):
    """Item 8: 100 wrong passwords from 25 addresses, then the right one from a 26th,
    must not log in silently. The browser is the 26th address; the 100 guesses come
    from the test client with other addresses."""
    from django.test import Client

    for attempt in range(100):
        Client().post(
            "/cuenta/ingresar/",
            {"doc_type": "01", "doc_number": "10000002", "password": f"guess-{attempt}"},
            REMOTE_ADDR=f"10.9.{attempt % 25}.1",
        )
    mail.outbox.clear()
    page.goto(url("/cuenta/ingresar/"))
    fill_login(page, "10000002", DEMO_PASSWORD)
    expect(page.locator("#login-error")).to_contain_text("muchos intentos fallidos")
    expect(page.locator("header").get_by_role("button", name="Salir")).to_have_count(0)

    # The right password brought a sign-in link to the address on file; its code is
    # after "#", which the browser never sends: the page puts it in the form.
    sent = [m for m in mail.outbox if m.subject == "Ayni: complete su ingreso"]
    assert [m.to for m in sent] == [["demo.10000002@ayni.example"]]
    found = re.search(
        re.escape(settings.SITE_URL) + r"(/cuenta/ingresar/enlace/#\S+)", sent[0].body
    )
    assert found, sent[0].body
    owner = new_context().new_page()
    owner.goto(live_server.url + found.group(1))
    expect(owner).to_have_url(url("/cuenta/ingresar/enlace/"))  # the code left the address bar
    owner.get_by_role("button", name="Ingresar a Ayni").click()
    expect(owner).to_have_url(url("/"))
    expect(owner.locator("header").get_by_role("button", name="Salir")).to_have_count(1)
