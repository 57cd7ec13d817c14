"""«Mis datos personales (Ley 29733)» end to end on a phone: the demo teacher asks for her
data, downloads the ZIP (every staff read of her file is in it), files an ARCO request
and sees its due date; the data-protection officer finds it on the desk."""

from __future__ import annotations

import json
import os
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from ayni.core.audit import reads_of_subject

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("AYNI_E2E_SHOTS", "")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})


def _second_factor(page: Page) -> None:
    """Staff may be asked for a second factor (demo mode shows the current code)."""
    page.wait_for_load_state()
    if "/segundo-factor/" not in page.url:
        return
    code = re.search(r"código de ahora es (\d{6})", page.locator("main").inner_text())
    assert code, "the demo page shows the current code"
    page.get_by_label("Código").fill(code.group(1))
    page.get_by_role("button", name="Verificar").click()


def test_servant_requests_and_downloads_mis_datos(  # type: ignore[no-untyped-def]
    page: Page, new_context, login, url, servant_of
):
    teacher = servant_of("servant")
    login(page, "servant")
    expect(page).to_have_url(url("/"))
    page.locator("main").get_by_role("link", name="Mis datos personales (Ley 29733)").click()
    expect(page).to_have_url(url("/mis-datos-personales/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis datos personales (Ley 29733)")

    page.get_by_role("button", name="Preparar mis datos").click()
    link = page.get_by_role("link", name="Descargar mis datos (ZIP)")
    expect(link).to_be_visible(timeout=60_000)
    _shot(page, "mis-datos")
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("datos.json"))
        assert archive.read("resumen.pdf").startswith(b"%PDF")
    expected = set(reads_of_subject("servant", teacher.pk).values_list("id", flat=True))
    assert {e["id"] for e in data["lecturas_del_personal"]} >= expected

    # an ARCO request, with its due date
    page.get_by_label("Oposición").check()
    page.get_by_label("¿Qué pide?").fill("Me opongo a que se muestre mi celular en mi colegio.")
    page.get_by_role("button", name="Presentar solicitud").click()
    expect(page.locator(".messages")).to_contain_text("El plazo para responderle vence el")
    expect(page.locator("#my-arco tbody tr")).to_have_count(2)

    # the officer's desk lists it
    officer = new_context().new_page()
    login(officer, "dp_officer")
    _second_factor(officer)
    officer.locator("main").get_by_role("link", name="Protección de datos personales").click()
    expect(officer).to_have_url(url("/proteccion-de-datos/"))
    expect(officer.locator("#arco-desk tbody tr")).to_have_count(3)
    expect(officer.locator("#arco-desk")).to_contain_text("Vencida")
    _shot(officer, "desk")
    officer.locator("#arco-desk tbody tr").last.get_by_role("link").click()
    expect(officer.locator("main")).to_contain_text("Me opongo a que se muestre mi celular")
    _shot(officer, "arco")
    officer.get_by_label("Atender").check()
    officer.get_by_label("Respuesta a la persona").fill(
        "Su celular ya no se mostrará al personal de su institución educativa."
    )
    officer.get_by_role("button", name="Registrar respuesta").click()
    expect(officer.locator(".messages")).to_contain_text("La respuesta fue registrada")
    page.reload()
    expect(page.locator("#my-arco")).to_contain_text("ya no se mostrará")
    officer.get_by_role("link", name="Registrar incidente de seguridad").click()
    _shot(officer, "incident-new")
    officer.goto(url("/proteccion-de-datos/"))
    officer.locator("#inc-title + ul a").first.click()
    expect(officer.locator("#clock")).to_contain_text("quedan")
    _shot(officer, "incident")
    page.goto(url("/proteccion-de-datos/uso-de-sus-datos/"))
    _shot(page, "uses")
