"""Issue 11, «Dates in Lima»: a filing at 19:47 Lima on 01/12 (00:47 UTC on 02/12) is
dated 01/12 on the cargo, on the verification page and on every page; the official
reception (02/12 08:00) is printed as such. Same for the hoja de vida and the informe;
«Desk times»: real times, in order, never a relative time in the future."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from ayni.desk.cases import case_answer, case_file, case_route
from ayni.desk.demo import demo_pdf
from ayni.desk.models import Case
from ayni.desk.receipts import receipt_pdf
from ayni.org.models import OrgUnit
from ayni.reports.models import Resume, ServiceReportRequest
from ayni.reports.services import informe_issue, report_pdf, resume_generate, resume_pdf

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")
EVENING = datetime(2026, 12, 1, 19, 47, tzinfo=LIMA)  # Tuesday
assert EVENING.astimezone(UTC) == datetime(2026, 12, 2, 0, 47, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(p.extract_text().replace("\n", " ") for p in pages)


def verify_page(client_for, code: str) -> str:
    body = client_for("anonymous").post("/verificar/", {"code": code}).content.decode()
    return re.sub(r"\s+", " ", body)


def issued_on_verify_page(body: str) -> str:
    found = re.search(r"<dt>Emitido</dt><dd>([^<]*)</dd>", body)
    assert found is not None, body
    return found.group(1)


@pytest.fixture
def ugel07(demo_data):
    return OrgUnit.objects.get(code="150108")


@pytest.fixture
def evening_case(client_for, ugel07) -> Case:
    with time_machine.travel(EVENING, tick=False):
        response = client_for("servant").post(
            "/mesa-de-partes/nuevo/",
            {
                "unit": ugel07.pk,
                "kind": "otro",
                "subject": "Constancia de trabajo",
                "documents": [
                    SimpleUploadedFile(
                        "fut.pdf", demo_pdf("FUT").data, content_type="application/pdf"
                    )
                ],
            },
        )
    assert response.status_code == 302
    return Case.objects.get(subject="Constancia de trabajo")


# --- one fact, one date, everywhere ---------------------------------------------------------


def test_cargo_at_1947_lima_is_dated_01_12_like_the_verification_page(evening_case, client_for):
    """Replay: the cargo printed «Emitido el 02/12/2026», the verification page 01/12."""
    case = evening_case
    assert case.received_at == datetime(2026, 12, 2, 8, 0, tzinfo=LIMA)
    with time_machine.travel(EVENING, tick=False):
        text = text_of(client_for("servant").get(f"/mesa-de-partes/{case.uuid}/cargo/").content)
        page = verify_page(client_for, case.verification_code)
    assert "Emitido el 01/12/2026" in text and "Emitido el 02/12/2026" not in text
    assert "01/12/2026 a las 19:47" in text  # Presentado
    assert "02/12/2026 a las 08:00" in text  # Recibido oficialmente, labelled as such
    assert "RECIBIDO OFICIALMENTE (DÍA Y HORA HÁBIL)" in text
    assert "presentado fuera del horario de atención" in text
    assert issued_on_verify_page(page) == "01/12/2026"
    assert "<dt>Presentado</dt><dd>01/12/2026 19:47</dd>" in page
    assert "<dt>Recibido oficialmente</dt><dd>02/12/2026 08:00</dd>" in page


def test_the_cargo_does_not_depend_on_the_active_time_zone(evening_case):
    """Rendered by a worker in UTC (or any zone), the dates are still Lima's."""
    with timezone.override("UTC"):
        text = text_of(receipt_pdf(evening_case))
    assert "Emitido el 01/12/2026" in text and "01/12/2026 a las 19:47" in text


def test_case_pages_say_the_same_dates(evening_case, client_for):
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=LIMA), tick=False):
        mine = client_for("servant").get(f"/mesa-de-partes/{evening_case.uuid}/").content.decode()
    assert (
        "Presentado el 01/12/2026 a las 19:47; recibido oficialmente el 02/12/2026 a las "
        "08:00 (fuera del horario de atención)." in mine
    )


def test_hoja_de_vida_at_1947_lima(client_for, servant_of):
    teacher = servant_of("other_servant")
    with time_machine.travel(EVENING, tick=False):
        client = client_for("other_servant")
        page = client.get("/mi-legajo/reporte/hoja-de-vida/").content.decode()
        resume = Resume.objects.get(servant=teacher)
        response = client.get("/mi-legajo/reporte/hoja-de-vida/pdf/")
        verify = verify_page(client_for, resume.verification_code)
    text = text_of(response.content)
    assert "Emitido el 01/12/2026" in text
    assert "tal como estaba el 01/12/2026; el tiempo de servicios" in text
    assert "Emitida el 01/12/2026" in page
    assert 'filename="hoja-de-vida-2026-12-01.pdf"' in response["Content-Disposition"]
    assert issued_on_verify_page(verify) == "01/12/2026"


def test_hoja_de_vida_by_staff_at_1947_lima(servant_of, persona, client_for):
    with time_machine.travel(EVENING, tick=False):
        resume = resume_generate(servant=servant_of("other_servant"), actor=persona("escalafon"))
        text = text_of(resume_pdf(resume))
        verify = verify_page(client_for, resume.verification_code)
    assert "Emitido el 01/12/2026" in text and issued_on_verify_page(verify) == "01/12/2026"


def test_informe_at_1947_lima(client_for, servant_of, persona):
    teacher = servant_of("servant")
    with time_machine.travel(EVENING, tick=False):
        client_for("servant").post("/mi-legajo/reporte/informes/", {"purpose": "cts"})
        req = ServiceReportRequest.objects.get(servant=teacher, purpose="cts")
        report = informe_issue(officer=persona("escalafon"), req=req)
        text = text_of(report_pdf(report))
        verify = verify_page(client_for, report.verification_code)
        mine = client_for("servant").get("/mi-legajo/reporte/informes/").content.decode()
    assert report.year == 2026 and f"-2026-{report.unit.code}" in text
    assert "Emitido el 01/12/2026" in text
    assert "Vigente hasta el 01/06/2027" in text
    assert issued_on_verify_page(verify) == "01/12/2026"
    assert "<dt>Vigente hasta</dt><dd>01/06/2027</dd>" in verify
    row = re.search(r"<tr><td[^>]*>([^<]*)</td><td[^>]*>Compensación", mine)
    assert row is not None and row.group(1) == "01/12/2026"


# --- desk times -------------------------------------------------------------------------------


def test_inbox_never_shows_a_relative_time_in_the_future(evening_case, client_for):
    """Replay: a filing received out of hours showed «hace 0 minutos» for 08:00 tomorrow."""
    with time_machine.travel(datetime(2026, 12, 1, 19, 52, tzinfo=LIMA), tick=False):
        inbox = client_for("mesa_partes").get("/mesa/").content.decode()
        detail = client_for("mesa_partes").get(f"/mesa/{evening_case.uuid}/")
    inbox = re.sub(r"\s+", " ", inbox)
    row = re.search(rf"{re.escape(evening_case.label)}.*?</tr>", inbox)
    assert row is not None
    assert "hace 0 minutos" not in inbox
    assert "02/12/2026 08:00" in row.group(0)
    assert "presentado hace 5 minutos, fuera del horario de atención" in inbox
    body = detail.content.decode()
    assert (
        "Presentado el 01/12/2026 a las 19:47; se recibirá oficialmente el 02/12/2026 a las "
        "08:00 (fuera del horario de atención)." in body
    )


def test_an_early_act_is_recorded_at_its_time_and_shown_in_order(evening_case, persona, client_for):
    """The desk may work before opening: the act keeps its real time, the history stays in
    order (the official reception is its own line), and the answer is dated at reception."""
    with time_machine.travel(datetime(2026, 12, 2, 7, 30, tzinfo=LIMA), tick=False):
        case_route(officer=persona("mesa_partes"), case=evening_case, area="escalafon")
    with time_machine.travel(datetime(2026, 12, 2, 7, 40, tzinfo=LIMA), tick=False):
        case_answer(
            officer=persona("escalafon"), case=evening_case, state="atendido", comment="Listo"
        )
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=LIMA), tick=False):
        body = client_for("servant").get(f"/mesa-de-partes/{evening_case.uuid}/").content.decode()
    timeline = re.search(r'<ol class="timeline" id="case-timeline">(.*?)</ol>', body, re.S)
    assert timeline is not None
    rows = re.findall(r"<strong>([^<]+)</strong> · (\d\d/\d\d/\d{4} \d\d:\d\d)", timeline.group(1))
    assert rows == [
        ("Presentado", "01/12/2026 19:47"),
        ("Derivado", "02/12/2026 07:30"),
        ("Atendido", "02/12/2026 07:40"),
        ("Recibido oficialmente", "02/12/2026 08:00"),
    ]
    assert "Hecho antes de la hora oficial de recepción" in timeline.group(1)
    assert "La respuesta se tiene por dada el 02/12/2026 a las 08:00." in timeline.group(1)
    assert "<dt>Respondido</dt><dd>02/12/2026 a las 08:00</dd>" in re.sub(r"\s+", " ", body)


def test_an_early_observation_counts_its_days_from_the_reception(client_for, servant_of, persona):
    """Filed Friday evening, received Monday 08:00; observed on Saturday: the two working
    days to complete count from Monday, not from Saturday."""
    ugel = OrgUnit.objects.get(code="150108")
    with time_machine.travel(datetime(2030, 3, 8, 18, 30, tzinfo=LIMA), tick=False):
        case = case_file(
            user=persona("servant"),
            servant=servant_of("servant"),
            unit=ugel,
            kind="otro",
            subject="Fuera de hora",
            files=[demo_pdf("x")],
        )
    with time_machine.travel(datetime(2030, 3, 9, 10, 0, tzinfo=LIMA), tick=False):
        case_answer(
            officer=persona("mesa_partes"), case=case, state="observado", comment="Falta el FUT"
        )
    case.refresh_from_db()
    assert case.received_at == datetime(2030, 3, 11, 8, 0, tzinfo=LIMA)
    assert case.observed_until.isoformat() == "2030-03-13"


def test_before_its_official_reception_a_filing_never_reads_recibido(evening_case, client_for):
    """Replay: a filing at 19:47 showed «Recibido 08:00» (a future time) and the badge
    «Recibido» beside «aún no se recibe oficialmente»."""
    case = evening_case
    with time_machine.travel(EVENING, tick=False):
        mine = client_for("servant").get(f"/mesa-de-partes/{case.uuid}/").content.decode()
        inbox = client_for("mesa_partes").get("/mesa/").content.decode()
    assert '<span class="state" id="case-state">Presentado, por recibir</span>' in mine
    assert "<dt>Se recibirá oficialmente (día y hora hábil)</dt>" in mine
    row = re.search(rf"<tr><td[^>]*><a [^>]*>{re.escape(case.label)}</a>.*?</tr>", inbox, re.S)
    assert row and "se recibirá el 02/12/2026 08:00" in row[0]
    assert "Presentado, por recibir · " in row[0] and "Recibido" not in row[0]
    with time_machine.travel(datetime(2026, 12, 2, 8, 30, tzinfo=LIMA), tick=False):
        later = client_for("servant").get(f"/mesa-de-partes/{case.uuid}/").content.decode()
    assert '<span class="state" id="case-state">Recibido</span>' in later
    assert "<dt>Recibido oficialmente (día y hora hábil)</dt>" in later
