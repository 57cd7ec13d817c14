"""Benefits end to end on a phone: the demo teacher opens «¿Cumplo los requisitos?» from
her home, reads her ATS status with its facts and source, then gets a constancia de pagos
for the last 24 months paid (PDF and XLSX), whose code verifies. The page fits 360 px;
screenshots at 360 px and desktop width are saved when AYNI_SHOTS names a folder.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from ayni.benefits.models import BenefitRequest, PaymentCertificate
from ayni.core.verification import Verdict, format_code, verify_document
from ayni.desk.demo import demo_pdf

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("AYNI_SHOTS", "")


def shot(page: Page, name: str) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name} scrolls sideways: {width}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_teacher_checks_requirements_and_gets_a_constancia(  # type: ignore[no-untyped-def]
    page: Page, login, url, servant_of, browser
):
    teacher = servant_of("servant")
    login(page, "servant")
    page.locator("main").get_by_role("link", name="¿Cumplo los requisitos?").click()
    expect(page).to_have_url(url("/beneficios/"))
    ats = page.locator("#beneficio-ats25")
    expect(ats).to_contain_text("Cumplirá 25 años de servicios el 09/10/2028")
    expect(ats).to_contain_text("Ley N.° 29944")
    expect(ats).to_contain_text("S/\u00a07,225.20")
    expect(page.locator("#beneficio-cese_edad")).to_contain_text("31/12/2043")
    shot(page, "beneficios-360")

    page.get_by_role("link", name="Constancia de pagos").first.click()
    expect(page).to_have_url(url("/mi-boleta/constancias/"))
    shot(page, "constancias-360")
    page.get_by_role("button", name="Obtener constancia").click()
    expect(page.locator("#constancia-status")).to_contain_text("Constancia lista")
    expect(page.locator("#constancia-status")).to_contain_text("24 meses con pagos")
    shot(page, "constancia-lista-360")
    cert = PaymentCertificate.objects.get(servant=teacher)

    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar PDF").click()
    pdf = Path(info.value.path()).read_bytes()
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "CONSTANCIA DE PAGOS" in text and format_code(cert.verification_code) in text
    assert verify_document(cert.verification_code, pdf).verdict == Verdict.GENUINE

    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar hoja de cálculo (XLSX)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book["Meses"].max_row > 24

    # --- luto y sepelio: the form asks for both documents; the request shows its computation
    page.goto(url("/beneficios/"))
    page.get_by_role("link", name="Solicitar: Subsidio por luto y sepelio").click()
    expect(page).to_have_url(url("/beneficios/solicitar/luto/"))
    shot(page, "luto-form-360")
    page.get_by_label("Parentesco de la persona fallecida").select_option(value="padre_madre")
    page.get_by_label("Nombre completo de la persona fallecida").fill("MARÍA HUAMÁN DE QUISPE")
    document = demo_pdf("Acta").data
    for label in ("Acta o certificado de defunción", "Documento que acredite el parentesco"):
        page.get_by_label(label).set_input_files(
            files=[{"name": "documento.pdf", "mimeType": "application/pdf", "buffer": document}]
        )
    page.get_by_role("button", name="Presentar pedido").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subsidio por luto y sepelio")
    expect(page.locator("main")).to_contain_text("S/\u00a03,000.00")
    expect(page.locator("main")).to_contain_text("Derivado")
    expect(page.locator("main")).to_contain_text("Ley N.° 29944, art. 62")
    shot(page, "luto-pedido-360")
    luto = BenefitRequest.objects.get(servant=teacher, benefit="luto")

    if SHOTS:  # the same pages at desktop width
        desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE")
        wide = desktop.new_page()
        login(wide, "servant")
        for path, name in (
            ("/beneficios/", "beneficios-desktop"),
            (f"/constancias/{cert.uuid}/", "constancia-desktop"),
            (f"/beneficios/pedidos/{luto.uuid}/", "luto-pedido-desktop"),
        ):
            wide.goto(url(path))
            shot(wide, name)
        desktop.close()


def test_survivors_form_fits_a_phone(page: Page, url) -> None:  # type: ignore[no-untyped-def]
    page.goto(url("/beneficios/deudos/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Subsidio por luto y sepelio: pedido de deudos"
    )
    expect(page.get_by_label("DNI del servidor fallecido")).to_be_visible()
    shot(page, "deudos-360")
