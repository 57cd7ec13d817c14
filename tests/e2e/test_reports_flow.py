"""Reports end to end on a phone: «Informe escalafonario» and «Reporte de hoja de vida».

The demo auxiliar (no informe yet) asks for an informe for his ATS; the UGEL 07
escalafón officer issues it; the auxiliar sees it «Emitido» and downloads its PDF;
an anonymous visitor checks the code, then the code and the PDF, on «Verificar
documento». Teachers the UGEL never generated a hoja de vida for get theirs at once
(self-service), download it and the code verifies.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from ayni.core.verification import format_code
from ayni.reports.models import ServiceReport, ServiceReportRequest

pytestmark = pytest.mark.e2e

AUXILIAR = "MAMANI CONDORI, JUAN CARLOS"
CESANTE = "TORRES SALAZAR, VÍCTOR HUGO"
ATS = "Asignación por tiempo de servicios (ATS)"
MY_FILE = re.compile(r"^Mi legajo\b")
CODE = r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}"


def _rows(page: Page) -> Locator:
    return page.locator("main table tbody tr")


def _open_my_file_link(page: Page, url, name: str) -> None:  # type: ignore[no-untyped-def]
    """Home → the «Mi legajo» tile → a link of the file's home."""
    expect(page).to_have_url(url("/"))
    page.locator("main").get_by_role("link", name=MY_FILE).click()
    expect(page).to_have_url(url("/mi-legajo/"))
    page.locator("main").get_by_role("link", name=name, exact=True).click()


def _pdf_text(pdf: bytes) -> str:
    return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def test_informe_requested_issued_downloaded_and_verified(  # type: ignore[no-untyped-def]
    page: Page, new_context, login, url, servant_of
):
    auxiliar = page
    servant = servant_of("other_servant")
    assert not ServiceReportRequest.objects.filter(servant=servant).exists()

    # --- 1. The auxiliar asks for an informe for his ATS. -------------------------------
    login(auxiliar, "other_servant")
    _open_my_file_link(auxiliar, url, "Informe escalafonario")
    expect(auxiliar).to_have_url(url("/mi-legajo/reporte/informes/"))
    expect(auxiliar.get_by_role("heading", level=1)).to_have_text("Informe escalafonario")
    expect(_rows(auxiliar)).to_have_text(["Aún no ha pedido informes."])
    auxiliar.get_by_label("Finalidad del informe").select_option(label=ATS)
    auxiliar.get_by_role("button", name="Solicitar informe").click()

    expect(auxiliar).to_have_url(url("/mi-legajo/reporte/informes/"))
    expect(auxiliar.locator("main .messages")).to_contain_text(
        "Su pedido de informe escalafonario fue enviado a su UGEL."
    )
    expect(_rows(auxiliar)).to_have_count(1)
    mine = _rows(auxiliar).first
    expect(mine).to_contain_text(ATS)
    expect(mine.locator(".state")).to_have_text("Pendiente")
    expect(mine.get_by_role("link", name="Descargar PDF")).to_have_count(0)
    req = ServiceReportRequest.objects.get(servant=servant)
    assert (req.purpose, req.state) == ("ats", "pendiente")

    # --- 2. The escalafón officer issues it. --------------------------------------------
    officer = new_context().new_page()
    login(officer, "escalafon")
    expect(officer).to_have_url(url("/"))
    queue = officer.get_by_role("region", name="Bandeja de trabajo")
    work = rf"^Emitir informe escalafonario \(.+\) de {re.escape(AUXILIAR)}$"
    expect(queue.get_by_role("link", name=re.compile(work))).to_have_count(1)
    # No button of the officer's home leads to the inbox: open it by its address.
    officer.goto(url("/escalafon/informes/"))
    expect(officer.get_by_role("heading", level=1)).to_have_text("Informes escalafonarios")
    pending = officer.locator(
        "section", has=officer.get_by_role("heading", name="Pedidos pendientes")
    ).locator("tbody tr")
    expect(pending).to_have_count(2)  # the demo cesante's (pensión) and the auxiliar's
    expect(pending.filter(has_text=CESANTE)).to_contain_text("Pensión")
    row = pending.filter(has_text=AUXILIAR)
    expect(row).to_contain_text(ATS)
    row.get_by_role("link", name=AUXILIAR).click()

    expect(officer).to_have_url(url(f"/escalafon/informes/{req.uuid}/"))
    expect(officer.get_by_role("heading", level=1)).to_have_text("Informe escalafonario")
    expect(officer.locator("main .lead")).to_contain_text(f"Finalidad: {ATS}")
    expect(officer.locator("main")).to_contain_text(AUXILIAR)
    expect(officer.locator("main")).to_contain_text("DNI 10000002")
    officer.get_by_role("button", name="Emitir informe escalafonario").click()

    expect(officer).to_have_url(url(f"/escalafon/informes/{req.uuid}/"))
    expect(officer.locator("main .messages")).to_contain_text(
        re.compile(r"Se emitió el INFORME ESCALAFONARIO N\.° \d{5}-\d{4}-")
    )
    report = ServiceReport.objects.select_related("unit").get(request=req)
    expect(officer.locator("#issued")).to_contain_text(
        f"Se emitió el {report.label}, vigente hasta el {report.valid_until:%d/%m/%Y}."
    )
    expect(officer.get_by_role("button", name="Emitir informe escalafonario")).to_have_count(0)
    expect(officer.get_by_role("button", name="Anular informe")).to_be_visible()
    req.refresh_from_db()
    assert req.state == "emitido"

    # --- 3. The auxiliar sees it issued and downloads the PDF. --------------------------
    auxiliar.reload()
    mine = _rows(auxiliar).first
    expect(mine.locator(".state")).to_have_text("Emitido")
    number = f"N.° {report.number:05d}-{report.year}"
    expect(mine).to_contain_text(f"{number} · vigente hasta {report.valid_until:%d/%m/%Y}")
    with auxiliar.expect_download() as info:
        mine.get_by_role("link", name="Descargar PDF").click()
    download = info.value
    assert download.suggested_filename.startswith("informe-escalafonario-")
    assert download.suggested_filename == (
        f"informe-escalafonario-{report.number:05d}-{report.year}.pdf"
    )
    pdf_path = download.path()
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    code = format_code(report.verification_code)
    assert re.fullmatch(CODE, code)
    assert code in _pdf_text(pdf)

    # --- 4. Anyone checks the code, then the code and the PDF. --------------------------
    visitor = new_context().new_page()
    visitor.goto(url("/verificar/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Verificar documento")
    visitor.get_by_label("Código de verificación").fill(code)
    visitor.get_by_role("button", name="Verificar").click()
    result = visitor.locator("#verify-result")
    expect(result).to_contain_text("Documento válido.")
    expect(result).to_contain_text(ATS)
    expect(result).to_contain_text(f"{report.valid_until:%d/%m/%Y}")
    expect(result).not_to_contain_text("MAMANI")  # the holder's name is masked
    expect(result).not_to_contain_text("idéntico")

    visitor.get_by_label("Código de verificación").fill(code)
    visitor.get_by_label(re.compile(r"^Documento PDF")).set_input_files(str(pdf_path))
    visitor.get_by_role("button", name="Verificar").click()
    expect(result).to_contain_text("Documento válido.")
    expect(result).to_contain_text("El PDF es idéntico, byte por byte, al emitido.")


@pytest.mark.parametrize("who", ["cusco_servant", "cesante"])
def test_teacher_gets_her_hoja_de_vida_at_once_and_it_verifies(  # type: ignore[no-untyped-def]
    page: Page, new_context, login, url, servant_of, who
):
    """Self-service (issue 11): a teacher the UGEL never generated one for (the Cusco
    contract teacher; the retired teacher) opens «Reporte de hoja de vida» and gets it
    at once, from the file as it stands; its code verifies."""
    from ayni.reports.models import Resume

    servant = servant_of(who)
    assert not Resume.objects.filter(servant=servant).exists()
    login(page, who)
    _open_my_file_link(page, url, "Reporte de hoja de vida")
    expect(page).to_have_url(url("/mi-legajo/reporte/hoja-de-vida/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reporte de hoja de vida")
    main = page.locator("main")
    expect(main).not_to_contain_text("aún no ha generado")
    expect(main.locator(".lead")).to_contain_text(
        re.compile(r"^Emitida el \d{2}/\d{2}/\d{4} a nombre de ")
    )
    expect(main).to_contain_text(servant.paternal_surname)
    # «en preparación» (a slow worker) turns into the download button by itself
    link = main.get_by_role("link", name="Descargar PDF")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert re.fullmatch(r"hoja-de-vida-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "HOJA DE VIDA" in text and servant.paternal_surname in text
    resume = Resume.objects.get(servant=servant)
    code = format_code(resume.verification_code)
    assert code in text
    expect(main).to_contain_text(f"Código de verificación: {code}")
    # opening it again gives the same one (the file did not change)
    page.reload()
    expect(main).to_contain_text(f"Código de verificación: {code}")
    assert Resume.objects.filter(servant=servant).count() == 1

    visitor = new_context().new_page()
    visitor.goto(url("/verificar/"))
    visitor.get_by_label("Código de verificación").fill(code)
    visitor.get_by_role("button", name="Verificar").click()
    expect(visitor.locator("#verify-result")).to_contain_text("Documento válido.")
    expect(visitor.locator("#verify-result")).to_contain_text("Hoja de vida")
