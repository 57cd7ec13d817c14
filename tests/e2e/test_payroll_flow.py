"""«Mi boleta» end to end: the payroll officer uploads a month, watches it load and
publishes it; the teacher opens that payslip and downloads its PDF; anyone checks the
code and the PDF on the public verification page. And a .rem with errors loads nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, FilePayload, Page, expect
from pypdf import PdfReader

from ayni.core.verification import format_code
from ayni.payroll.demo import HEADER, UGEL_07_RUC
from ayni.payroll.models import MONTHS, PayrollRun, Payslip
from ayni.payroll.tasks import import_payroll_task
from ayni.personnel.models import Servant
from tests.conftest import PERSONAS

pytestmark = pytest.mark.e2e

MONTHS_BACK = 30  # the demo set publishes 24 months back: this period has no run yet

# The month's .rem for the teacher (AFP: 0608 and 0606 are hers to carry) and the
# auxiliar (ONP: the 13 % ONP withholding is computed, never in the file).
REM_LINES = {
    "10000001": [
        ("2001", "3612.60"),
        ("2005", "150.00"),
        ("0608", "376.56"),
        ("0606", "51.59"),
        ("0702", "36.13"),
    ],
    "10000002": [("2001", "1950.00"), ("2005", "100.00"), ("0702", "19.50")],
}
# Gross: 3,762.60 + 2,050.00. Net: 3,762.60 − 464.28 and 2,050.00 − (266.50 ONP + 19.50).
TOTAL_GROSS = "5,812.60"
TOTAL_NET = "5,062.32"
TOTAL_DEDUCTIONS = "750.28"
# EsSalud, the employer's 9 %: 338.63 + 184.50
TOTAL_EMPLOYER = "523.13"
TEACHER_NET = "3,298.32"


def _period() -> tuple[int, int]:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - MONTHS_BACK
    return index // 12, index % 12 + 1


def _master_row(dni: str) -> str:
    """One master CSV row from the servant's file, as the UGEL's payroll system exports it."""
    s = Servant.objects.select_related("school", "employing_unit", "pension_regime").get(
        doc_type="01", doc_number=dni
    )
    afp = s.pension_regime is not None and s.pension_regime.system == "AFP"
    values = [
        "01",
        dni,
        s.paternal_surname,
        s.maternal_surname,
        s.given_names,
        s.birth_date.isoformat() if s.birth_date else "",
        s.position,
        s.school.name if s.school else s.employing_unit.name,
        s.school.code if s.school else "",
        "DOCENTE NOMBRADO" if dni == "10000001" else "AUXILIAR DE EDUCACIÓN",
        "III ESCALA MAGISTERIAL" if dni == "10000001" else "AUXILIAR",
        str(s.weekly_hours or ""),
        "LEY 29944",
        s.pension_regime.code if s.pension_regime else "02",
        "598761RQHME0" if afp else "",
        "2005-04-01" if afp else "",
        f"04-{dni[-4:]}-{dni}",
        "PAGO EN BANCO DE LA NACIÓN",
        "",
        "2005-03-01",
        "",
        "",
    ]
    return ",".join(f'"{v}"' if "," in v else v for v in values)


def _files(year: int, month: int, rem_lines: list[str]) -> tuple[FilePayload, FilePayload]:
    """The two uploads as Playwright in-memory files: the .rem (Windows-1252, CRLF, as
    PLAME writes it) and the master CSV (UTF-8)."""
    master = "\n".join([HEADER, *(_master_row(dni) for dni in REM_LINES)]) + "\n"
    rem: FilePayload = {
        "name": f"0601{year}{month:02d}{UGEL_07_RUC}.rem",
        "mimeType": "application/octet-stream",
        "buffer": ("\r\n".join(rem_lines) + "\r\n").encode("cp1252"),
    }
    csv: FilePayload = {"name": "maestro.csv", "mimeType": "text/csv", "buffer": master.encode()}
    return rem, csv


def _valid_rem_lines() -> list[str]:
    return [
        f"01|{dni}|{code}|{amount if code.startswith('2') else ''}|{amount}|"
        for dni, lines in REM_LINES.items()
        for code, amount in lines
    ]


def _upload(page: Page, url: Callable[[str], str], year: int, month: int, rem_lines: list[str]):
    """From the officer's home: Planillas → Cargar planilla, fill the form, send it."""
    page.goto(url("/"))
    page.locator("main").get_by_role("link", name="Planillas").click()
    expect(page).to_have_url(url("/planillas/"))
    page.get_by_role("link", name="Cargar planilla").click()
    expect(page).to_have_url(url("/planillas/cargar/"))
    form = page.locator("main form")
    expect(form.get_by_label("UGEL")).to_contain_text("UGEL 07 SAN BORJA")
    form.get_by_label("Año").fill(str(year))
    form.get_by_label("Mes").select_option(value=str(month))
    form.get_by_label("Tipo de planilla").select_option(label="Activos")
    form.get_by_label("Fecha de pago").fill(date(year, month, 20).isoformat())
    rem, master = _files(year, month, rem_lines)
    form.locator("#id_rem").set_input_files(rem)
    form.locator("#id_master").set_input_files(master)
    form.get_by_role("button", name="Cargar").click()
    expect(page).to_have_url(re.compile(r"/planillas/[0-9a-f-]{36}/$"))
    expect(page.locator("main .messages")).to_contain_text("Archivo recibido")


def test_officer_publishes_a_month_and_the_teacher_downloads_and_verifies_her_payslip(
    page: Page,
    new_context: Callable[[], BrowserContext],
    login,
    url,
    persona,
    settings,
):
    # The file waits in the queue, as it does behind a real worker, so the run page
    # shows the queued state and polls; the test then plays the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    year, month = _period()
    period = f"{MONTHS[month - 1]} - {year}"

    login(page, "planillas")
    expect(page).to_have_url(url("/"))
    _upload(page, url, year, month, _valid_rem_lines())

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Planilla: Activos · {period}")
    status = page.locator("#run-status")
    expect(status.locator("#run-state")).to_have_text("En cola")
    expect(status.get_by_label("Avance de la carga")).to_be_visible()
    run = PayrollRun.objects.get(ugel__code="150108", year=year, month=month, kind="activos")
    assert run.state == PayrollRun.State.QUEUED
    run_path = f"/planillas/{run.uuid}/"

    # The page asks for its status every 2 s (htmx). Hold the polls off while the worker
    # runs: on SQLite the live server and this thread share one database connection.
    with page.expect_response(
        lambda r: r.url.endswith(run_path) and r.request.headers.get("hx-request") == "true"
    ) as poll:
        pass
    assert poll.value.ok
    page.route(f"**{run_path}", lambda route: route.abort())
    assert import_payroll_task.func(run.pk, persona("planillas").pk) == 2
    page.unroute(f"**{run_path}")

    # The next poll swaps the result in, without reloading the page.
    expect(status.locator("#run-state")).to_have_text("Borrador", timeout=6_000)
    expect(status.get_by_label("Avance de la carga")).to_have_count(0)
    expect(page.locator("main .messages")).to_contain_text("Archivo recibido")  # same page
    figures = status.locator("dl.figures")
    expect(figures.locator("div", has_text="Boletas").locator("dd")).to_have_text("2")
    expect(figures.locator("div", has_text="Líneas").locator("dd")).to_have_text("8")
    expect(figures.locator("div", has_text="Total bruto").locator("dd")).to_have_text(
        f"S/ {TOTAL_GROSS}"
    )
    expect(figures.locator("div", has_text="Total neto").locator("dd")).to_have_text(
        f"S/ {TOTAL_NET}"
    )
    expect(status).to_contain_text(f"0601{year}{month:02d}{UGEL_07_RUC}.rem")
    sample = page.locator("main table tbody tr")
    expect(sample).to_have_count(2)
    expect(sample.filter(has_text="QUISPE HUAMÁN").locator("td").last).to_contain_text(TEACHER_NET)

    # «Publicar planilla» is irreversible: it first says what will happen.
    status.get_by_role("link", name="Publicar planilla").click()
    expect(page).to_have_url(url(f"{run_path}publicar/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Publicar esta planilla?")
    summary = page.locator("#publish-summary")
    expect(summary.locator("#publish-servants")).to_have_text("2")
    expect(summary.locator("#publish-gross")).to_have_text(f"S/ {TOTAL_GROSS}")
    expect(summary.locator("#publish-deductions")).to_have_text(f"S/ {TOTAL_DEDUCTIONS}")
    expect(summary.locator("#publish-net")).to_have_text(f"S/ {TOTAL_NET}")
    expect(summary.locator("#publish-employer")).to_have_text(f"S/ {TOTAL_EMPLOYER}")
    expect(summary.locator("#publish-payment-date")).to_have_text(f"20/{month:02d}/{year}")
    expect(page.locator("#publish-effects")).to_contain_text(
        "Una planilla publicada no cambia nunca más"
    )
    run.refresh_from_db()
    assert run.state == PayrollRun.State.DRAFT  # nothing happened yet
    page.get_by_role("button", name="Sí, publicar planilla").click()
    expect(page).to_have_url(url(run_path))
    expect(page.locator("main .messages")).to_contain_text(
        f"Planilla publicada: las boletas se verán desde el 20/{month:02d}/{year}."
    )
    expect(status.locator("#run-state")).to_have_text("Publicada")
    expect(status.get_by_role("link", name="Publicar planilla")).to_have_count(0)
    run.refresh_from_db()
    assert run.state == PayrollRun.State.PUBLISHED
    assert run.total_gross == Decimal(TOTAL_GROSS.replace(",", ""))

    # The teacher, on her phone: older months are under their year.
    teacher = new_context().new_page()
    login(teacher, "servant")
    expect(teacher).to_have_url(url("/"))
    teacher.get_by_role("link", name=re.compile(r"^Mi boleta")).click()
    expect(teacher).to_have_url(url("/mi-boleta/"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Mi boleta")
    listed = teacher.locator("main ul.payslips")
    expect(listed.get_by_text(period, exact=True)).to_have_count(0)  # not in the last 12
    teacher.get_by_role("navigation", name="Años").get_by_role("link", name=str(year)).click()
    expect(teacher).to_have_url(url(f"/mi-boleta/?anio={year}"))
    entry = listed.locator("li", has_text=period)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"pagada el 20/{month:02d}/{year}")
    expect(entry).to_contain_text(f"Neto S/ {TEACHER_NET}")
    entry.get_by_role("link", name=period).first.click()

    payslip = Payslip.objects.get(run=run, servant__doc_number=PERSONAS["servant"])
    expect(teacher).to_have_url(url(f"/mi-boleta/{payslip.uuid}/"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text(f"Boleta de pago · {period}")
    main = teacher.locator("main")
    expect(main).to_contain_text("QUISPE HUAMÁN, ROSA ELENA")
    expect(main.locator("#net")).to_have_text(f"S/ {TEACHER_NET}")
    expect(main.get_by_role("row", name=re.compile(r"^0608 "))).to_contain_text("376.56")

    with teacher.expect_download() as info:
        main.get_by_role("link", name="Descargar PDF").click()
    download = info.value
    assert download.suggested_filename == f"boleta-{year}-{month:02d}.pdf"
    pdf_path = download.path()
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")

    # The code printed on the PDF is the payslip's.
    payslip.refresh_from_db()
    code = format_code(payslip.verification_code)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert code in text
    assert payslip.pdf_sha256  # stored on first download

    # A bank clerk, not logged in, checks the code, then the code and the PDF.
    clerk = new_context().new_page()
    clerk.goto(url("/verificar/"))
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Verificar documento")
    clerk.get_by_label("Código de verificación").fill(code)
    clerk.get_by_role("button", name="Verificar").click()
    result = clerk.locator("#verify-result")
    expect(result).to_contain_text("Documento válido.")
    expect(result).to_contain_text(period)
    expect(result).to_contain_text("Boleta de pago")
    expect(result).not_to_contain_text("QUISPE")  # the holder's name is masked
    expect(result).not_to_contain_text("idéntico")

    clerk.get_by_label("Código de verificación").fill(code.replace("-", "").lower())
    clerk.get_by_label(re.compile(r"^Documento PDF")).set_input_files(str(pdf_path))
    clerk.get_by_role("button", name="Verificar").click()
    expect(result).to_contain_text("Documento válido.")
    expect(result).to_contain_text("El PDF es idéntico, byte por byte, al emitido.")

    # Published by mistake: the officer annuls it, with a reason. The payslip stays,
    # marked, and its code now answers «Documento anulado».
    page.goto(url(run_path))
    status.get_by_text("Anular esta planilla").click()
    status.get_by_label("Motivo de la anulación").fill("Se publicó con la fecha de pago errada")
    status.get_by_role("button", name="Anular planilla").click()
    expect(page.locator("main .messages")).to_contain_text("Planilla anulada")
    expect(status.locator("#run-state")).to_have_text("Anulada")
    expect(status.locator("#run-annulled")).to_contain_text(
        "Se publicó con la fecha de pago errada"
    )
    assert Payslip.objects.filter(run=run).count() == 2

    teacher.reload()
    expect(main.locator("#payslip-annulled")).to_contain_text("Boleta anulada.")
    clerk.get_by_label("Código de verificación").fill(code)
    clerk.get_by_role("button", name="Verificar").click()
    expect(result).to_contain_text("Documento anulado.")
    expect(result).not_to_contain_text("fecha de pago errada")  # the reason stays inside


def test_a_rem_with_errors_lists_them_by_line_and_loads_nothing(page: Page, login, url):
    year, month = _period()
    lines = _valid_rem_lines()
    lines[1] = "01|10000001|9999|10.00|10.00|"  # line 2: no such concept
    lines[2] = "01|10000001|2003|12,50|12,50|"  # line 3: comma decimal
    lines.append("01|19999999|2001|1000.00|1000.00|")  # line 9: not in the master
    lines.append("01|10000002|0608|100.00|100.00|")  # line 10: AFP-only, she is in ONP
    lines.append("01|10000002|2001|1.00")  # line 11: four fields

    servants = Servant.objects.count()

    login(page, "planillas")
    expect(page).to_have_url(url("/"))
    _upload(page, url, year, month, lines)

    status = page.locator("#run-status")
    expect(status.locator("#run-state")).to_have_text("Con errores")
    expect(status.get_by_role("alert")).to_contain_text(
        "El archivo tiene 5 errores; no se cargó nada."
    )
    errors = status.locator("#run-errors li")
    expect(errors).to_have_text(
        [
            re.compile(r"^rem, línea 2: el concepto «9999» no existe"),
            re.compile(r"^rem, línea 3: monto «12,50» no válido"),
            re.compile(r"^rem, línea 9: .*19999999 no está en el archivo maestro"),
            re.compile(r"^rem, línea 10: el concepto 0608 es solo para afiliados a una AFP"),
            re.compile(r"^rem, línea 11: se esperaban 5 campos .* y hay 4"),
        ]
    )
    expect(status.get_by_role("link", name="Publicar planilla")).to_have_count(0)

    run = PayrollRun.objects.get(ugel__code="150108", year=year, month=month, kind="activos")
    assert run.state == PayrollRun.State.FAILED
    assert run.payslip_count == 0
    assert not Payslip.objects.filter(year=year, month=month).exists()
    assert Servant.objects.count() == servants

    # «Volver a cargar»: the same UGEL, period, kind and payment date; only the files again.
    status.get_by_role("link", name="Volver a cargar").click()
    expect(page).to_have_url(re.compile(r"/planillas/cargar/\?"))
    form = page.locator("main form")
    expect(form.get_by_label("Año")).to_have_value(str(year))
    expect(form.get_by_label("Mes")).to_have_value(str(month))
    expect(form.get_by_label("Fecha de pago")).to_have_value(date(year, month, 20).isoformat())

    # The guide the upload page cites, with its sample files.
    page.get_by_role("link", name="guía de planillas").click()
    expect(page).to_have_url(url("/planillas/guia/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Guía de planillas")
    with page.expect_download() as info:
        page.locator("#guide-samples").get_by_role("link").first.click()
    assert info.value.suggested_filename.endswith(".rem")
