"""A servant on a phone: log in, read «Mi legajo» and who looked at it, log out;
accept the privacy notice at first login."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ayni.accounts.models import User

pytestmark = pytest.mark.e2e

# The tile's accessible name is "Mi legajo Sus datos y su historia laboral";
# a plain substring would also match «¿Quién vio mi legajo?».
MY_FILE = re.compile(r"^Mi legajo\b")


def test_teacher_reads_her_file_and_who_viewed_it_then_logs_out(page: Page, login, url):
    login(page, "servant")

    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Rosa Elena")
    tile = page.get_by_role("link", name=MY_FILE)
    expect(tile).to_be_visible()

    tile.click()
    expect(page).to_have_url(url("/mi-legajo/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi legajo")
    main = page.locator("main")
    expect(main).to_contain_text("QUISPE HUAMÁN, ROSA ELENA")
    expect(main).to_contain_text("DNI 10000001")
    expect(main).to_contain_text("(0312603)")
    # Her own reading is not a staff read: no «queda registrada» notice.
    expect(page.get_by_text("Esta consulta queda registrada")).to_have_count(0)

    page.get_by_role("link", name="¿Quién vio mi legajo?").click()
    expect(page).to_have_url(url("/mi-legajo/quien-vio/"))
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text="María Isabel Flores Gutiérrez").first).to_be_visible()
    expect(rows.filter(has_text="Jorge Luis Mendoza Castillo").first).to_be_visible()

    page.locator("header").get_by_role("button", name="Salir").click()
    expect(page).to_have_url(url("/cuenta/ingresar/"))
    expect(page.locator("main .messages")).to_contain_text("Cerró su sesión")
    expect(page.locator("header").get_by_role("button", name="Salir")).to_have_count(0)

    # The session is gone: a private page sends her back to the login page.
    page.goto(url("/mi-legajo/"))
    expect(page).to_have_url(re.compile(r"/cuenta/ingresar/\?next=/mi-legajo/$"))


def test_first_login_requires_accepting_the_privacy_notice(page: Page, login, url, persona):
    user = persona("other_servant")
    User.objects.filter(pk=user.pk).update(privacy_accepted_at=None)

    login(page, "other_servant")
    expect(page).to_have_url(url("/cuenta/privacidad/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aviso de privacidad")

    # Nothing else is served until the notice is accepted.
    page.goto(url("/mi-legajo/"))
    expect(page).to_have_url(url("/cuenta/privacidad/"))

    form = page.locator("#privacy-form")
    checkbox = form.locator("#accept")
    expect(checkbox).not_to_be_checked()
    # The box is required: submitting without it keeps the user on the notice.
    form.get_by_role("button", name="Aceptar y continuar").click()
    expect(page).to_have_url(url("/cuenta/privacidad/"))
    user.refresh_from_db()
    assert user.privacy_accepted_at is None

    checkbox.check()
    form.get_by_role("button", name="Aceptar y continuar").click()
    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Juan Carlos")
    expect(page.get_by_role("link", name=MY_FILE)).to_be_visible()

    user.refresh_from_db()
    assert user.privacy_accepted_at is not None
    assert user.privacy_accepted_at <= timezone.now()

    # Accepted once: the notice page now only says when.
    page.goto(url("/cuenta/privacidad/"))
    expect(page.locator("#privacy-form")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Usted aceptó este aviso el")
