"""Hoja de vida and informe escalafonario: content, service time, numbering, scoping,
validity and annulment."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from pypdf import PdfReader

from ayni.core.models import VerificationRecord, WorkItem
from ayni.org.models import OrgUnit
from ayni.personnel.file_selectors import compute_service_time
from ayni.personnel.models import Servant
from ayni.reports.models import Resume, ResumeBatch, ServiceReport, ServiceReportRequest
from ayni.reports.services import (
    ReportError,
    informe_annul,
    informe_issue,
    informe_request,
    report_pdf,
    resume_generate,
    resume_pdf,
)

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")


def pdf_text(pdf: bytes) -> tuple[list[str], int]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages], len(reader.pages)


@pytest.fixture
def teacher(servant_of):
    return servant_of("servant")


def test_hoja_de_vida_prints_the_header_and_every_section(teacher, persona):
    resume = resume_generate(servant=teacher, actor=persona("escalafon"))
    pages, count = pdf_text(resume_pdf(resume))
    text = "\n".join(pages)
    for expected in (
        "HOJA DE VIDA",
        "QUISPE HUAMÁN, ROSA ELENA",
        "DNI 10000001",
        "Femenino",
        "MAGISTERIO - LEY N.° 29944",
        "Escala III",
        "0312603",
        "PROFESORA DE AULA",
        "30 horas",
        "Nombrado · Activo",
        "I. FILIACIÓN E IDENTIFICACIÓN",
        "II. SITUACIÓN ACADÉMICA",
        "III. INGRESO O REINGRESO",
        "IV. TRAYECTORIA LABORAL",
        "V. ASIGNACIONES, INCENTIVOS Y RETENCIONES",
        "VI. RETIRO Y RÉGIMEN PENSIONARIO",
        "VII. PREMIOS Y ESTÍMULOS",
        "VIII. SANCIONES",
        "IX. LICENCIAS Y VACACIONES",
        "X. OTROS",
        "MENDOZA QUISPE, DIEGO ALONSO",
        "Gestión de la Educación",
        "01234-2005-UGEL07",
        "Ascenso de escala",
        "Retención judicial",
        "598761RQHME0",
        "Diploma de honor",
        "Suspensión",
        "Licencia por motivos particulares",
        "Ficha escalafonaria actualizada",
    ):
        assert expected in text, expected
    service = compute_service_time(teacher)
    assert str(service.total) in text
    code = resume.verification_code
    formatted = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    for number, page in enumerate(pages, start=1):
        assert f"Página {number} de {count}" in page
        assert formatted in page  # the verification code on every page
        assert "UGEL 07 SAN BORJA" in page
    record = VerificationRecord.objects.get(code=code)
    resume.refresh_from_db()  # the PDF was rendered on first need and its digest recorded
    assert record.kind == "hoja_de_vida" and record.pdf_sha256 == resume.pdf_sha256


def test_servant_sees_the_latest_and_downloads_it(client_for, teacher):
    client = client_for("servant")
    page = client.get("/mi-legajo/reporte/hoja-de-vida/").content.decode()
    assert "Descargar PDF" in page and "Gestión de la Educación" in page
    response = client.get("/mi-legajo/reporte/hoja-de-vida/pdf/")
    assert response.content.startswith(b"%PDF-")
    assert 'filename="hoja-de-vida-' in response["Content-Disposition"]


def test_without_hoja_de_vida_the_servant_gets_one_at_once(client_for, persona):
    """Self-service (issue 11): no «Su UGEL aún no ha generado», no request to the UGEL."""
    client = client_for("other_servant")
    auxiliar = Servant.objects.get(doc_number="10000002")
    assert not Resume.objects.filter(servant=auxiliar).exists()
    page = client.get("/mi-legajo/reporte/hoja-de-vida/").content.decode()
    assert "aún no ha generado" not in page and "MAMANI CONDORI" in page
    resume = Resume.objects.get(servant=auxiliar)
    assert resume.generated_by is None  # the system, from the validated file
    assert VerificationRecord.objects.filter(code=resume.verification_code).exists()
    assert not WorkItem.objects.filter(kind="reports.resume_request", state="open").exists()
    response = client.get("/mi-legajo/reporte/hoja-de-vida/pdf/")
    assert response.content.startswith(b"%PDF-")


def test_batch_generates_every_servant_of_the_ugel(
    persona, django_capture_on_commit_callbacks, client_for
):
    ugel = OrgUnit.objects.get(code="150108")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("escalafon").post("/escalafon/hojas-de-vida/", {"unit": ugel.pk})
    batch = ResumeBatch.objects.get(unit=ugel)
    # every servant of the UGEL but the officer herself (nobody is staff for themselves)
    employed = (
        Servant.objects.filter(employing_unit=ugel).exclude(user=persona("escalafon")).count()
    )
    assert (batch.state, batch.total, batch.done) == ("done", employed, employed)
    assert (
        Resume.objects.filter(servant__employing_unit=ugel).values("servant").distinct().count()
        == employed
    )
    cusco = OrgUnit.objects.get(code="080001")
    assert (
        client_for("escalafon").post("/escalafon/hojas-de-vida/", {"unit": cusco.pk}).status_code
        == 404
    )


def test_informe_flow_numbers_service_time_and_notifies(persona, servant_of):
    cesante = servant_of("cesante")
    req = ServiceReportRequest.objects.get(servant=cesante, state="pendiente")
    report = informe_issue(officer=persona("escalafon"), req=req)
    assert report.number == 2  # the demo issued number 1 this year
    pages, _ = pdf_text(report_pdf(report))
    text = "\n".join(pages)
    service = compute_service_time(cesante)
    assert f"Tiempo de servicios: {service.total}" in text
    assert "01/04/1980 – 31/12/2021" in text  # the period counted, to the cessation
    assert "25 años: cumple" in text and "30 años: cumple" in text
    assert "Pensión" in text and "María Isabel Flores Gutiérrez" in text
    assert f"N.° {report.number:05d}-{report.year}-150108" in text
    assert (report.valid_until - report.issued_at.date()).days in range(180, 185)
    assert "Su informe escalafonario está listo" in client_title(persona("cesante"))
    with pytest.raises(ReportError):
        informe_issue(officer=persona("escalafon"), req=req)


def client_title(user) -> str:
    from ayni.core.models import Notification

    return " ".join(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_teacher_informe_shows_discounted_leave(persona, teacher):
    report = ServiceReport.objects.get(servant=teacher)
    pages, _ = pdf_text(report_pdf(report))
    text = "\n".join(pages)
    assert "01/04/2017 – 30/06/2017" in text  # unpaid leave discounted
    assert "02/06/2014 – 11/06/2014" in text  # suspension discounted
    assert "25 años: no cumple" in text


def test_request_rules(persona, servant_of, teacher):
    with pytest.raises(ReportError, match="propio legajo"):
        informe_request(user=persona("other_servant"), servant=teacher, purpose="cts")
    informe_request(user=persona("servant"), servant=teacher, purpose="cts")
    with pytest.raises(ReportError, match="pendiente"):
        informe_request(user=persona("servant"), servant=teacher, purpose="cts")


def test_review_page_warns_about_pending_change_requests(client_for, persona, teacher):
    req = informe_request(user=persona("servant"), servant=teacher, purpose="ats")
    page = client_for("escalafon").get(f"/escalafon/informes/{req.uuid}/").content.decode()
    assert "solicitudes de modificación en trámite" in page
    assert (
        client_for("other_ugel_officer").get(f"/escalafon/informes/{req.uuid}/").status_code == 404
    )
    assert (
        client_for("other_ugel_officer").post(f"/escalafon/informes/{req.uuid}/").status_code == 404
    )
    assert client_for("dre_supervisor").get(f"/escalafon/informes/{req.uuid}/").status_code == 403
    req.refresh_from_db()
    assert req.state == "pendiente"


def test_servant_downloads_only_her_own_informe(client_for, teacher):
    report = ServiceReport.objects.get(servant=teacher)
    url = f"/mi-legajo/reporte/informes/{report.uuid}/pdf/"
    assert client_for("servant").get(url).content.startswith(b"%PDF-")
    assert client_for("other_servant").get(url).status_code == 404
    assert client_for("escalafon").get(url).status_code == 404


def test_verification_shows_valid_expired_and_annulled(persona, teacher):
    report = ServiceReport.objects.get(servant=teacher)
    client = Client()
    assert (
        "Documento válido."
        in client.post("/verificar/", {"code": report.verification_code}).content.decode()
    )
    day_after = report.valid_until + timedelta(days=1)
    with time_machine.travel(
        datetime(day_after.year, day_after.month, day_after.day, 9, tzinfo=LIMA), tick=False
    ):
        assert (
            "vencido"
            in Client().post("/verificar/", {"code": report.verification_code}).content.decode()
        )
    with pytest.raises(ReportError):
        informe_annul(officer=persona("escalafon"), report=report, reason=" ")
    informe_annul(officer=persona("escalafon"), report=report, reason="Datos de ingreso errados")
    body = client.post("/verificar/", {"code": report.verification_code}).content.decode()
    assert "Documento anulado." in body and "Datos de ingreso errados" in body
    report.refresh_from_db()
    with default_storage.open(report.pdf_file, "rb") as handle:
        stored = handle.read()
    report.refresh_from_db()
    assert report.pdf_sha256 and stored.startswith(b"%PDF")  # the issued PDF never changes


@pytest.mark.django_db(transaction=True)
def test_numbering_has_no_gaps_or_duplicates_under_concurrent_issue(demo_data, persona):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    officer = persona("escalafon")
    servants = list(
        Servant.objects.filter(employing_unit__code="150108", user__isnull=False).exclude(
            user=officer
        )
    )
    requests = []
    for servant in servants:
        for purpose in ("cts", "otro"):
            requests.append(informe_request(user=servant.user, servant=servant, purpose=purpose))
    errors: list[BaseException] = []

    def issue(chunk):
        try:
            for req in chunk:
                informe_issue(officer=officer, req=req)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(requests[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(
        ServiceReport.objects.filter(unit__code="150108").values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))
