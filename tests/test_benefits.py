"""«¿Cumplo los requisitos?», the constancia de pagos and benefit requests, as the
personas use them (real database, real PDF and XLSX, the real verification page)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from ayni.benefits.models import BenefitRequest, PaymentCertificate
from ayni.core.models import VerificationRecord
from ayni.core.verification import Verdict, format_code, verify_document
from ayni.desk.demo import demo_pdf
from ayni.desk.models import Case
from ayni.payroll.models import Payslip
from ayni.personnel.models import Servant

pytestmark = pytest.mark.django_db


def month(offset: int = 0) -> str:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- «¿Cumplo los requisitos?» ---------------------------------------------------------


def test_teacher_sees_ats_status_with_facts_rule_and_source(client_for) -> None:
    page = client_for("servant").get("/beneficios/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Asignación por tiempo de servicios (25 años)" in html
    # Hand-worked from her file: contracts 2003 and 2004 (1 año 8 meses), appointed from
    # 01/03/2005 less a 10-day suspension (02-11/06/2014) and unpaid leave (04-06/2017):
    # 9a 3m 1d + 2a 9m 20d + 1a 8m = 13a 8m 21d before 01/07/2017; 11a 3m 9d more
    # (9 + 21 days carry into a month) end on 09/10/2028.
    assert "Cumplirá 25 años de servicios el 09/10/2028" in html
    assert "Cumplirá 30 años de servicios el 09/10/2033" in html
    assert "Remuneración íntegra mensual (RIM)" in html
    assert "Ley N.° 29944" in html and "Décima Primera Disposición" in html
    assert "como nombrado y como contratado" in html
    assert "S/\u00a03,612.60" in html  # the RIM from her latest payslip
    assert "S/\u00a07,225.20" in html  # two RIM
    assert "Cesará por límite de edad el 31/12/2043" in html  # born 14/05/1978
    assert "art. 53, literal d), modificado por la Ley N.° 31451" in html
    assert "Subsidio por luto y sepelio" in html and "S/\u00a03,000.00" in html


def test_retired_teacher_sees_cts_counted_at_cessation(client_for) -> None:
    html = client_for("cesante").get("/beneficios/").content.decode()
    assert "Al cese:" in html and "años computables" in html
    assert "Cumplió 25 años de servicios el" in html


def test_anonymous_is_sent_to_sign_in(client_for) -> None:
    response = client_for("anonymous").get("/beneficios/")
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


# --- constancia de pagos ---------------------------------------------------------------


def test_teacher_gets_a_verifiable_constancia_for_24_months(client_for, servant_of) -> None:
    client = client_for("servant")
    response = client.post(
        "/mi-boleta/constancias/", {"first": month(-23), "last": month(0)}, follow=True
    )
    assert response.status_code == 200
    cert = PaymentCertificate.objects.get(servant=servant_of("servant"))
    assert cert.state == "done"
    assert "Constancia lista" in response.content.decode()
    pdf = client.get(f"/constancias/{cert.uuid}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    data = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    text = pdf_text(data)
    assert "CONSTANCIA DE PAGOS" in text
    assert "QUISPE HUAMÁN, ROSA ELENA" in text
    assert "REMUNERACIÓN" in text or "REMUNERACION" in text
    assert format_code(cert.verification_code) in text
    # the published payslips of those months, annulled runs excluded
    slips = Payslip.objects.filter(
        servant=servant_of("servant"),
        published=True,
        run__state="published",
        payment_date__lte=timezone.localdate(),
    )
    first, last = month(-23), month(0)
    net = sum(
        (p.net for p in slips if first <= f"{p.year:04d}-{p.month:02d}" <= last), Decimal("0")
    )
    assert cert.snapshot["totals"]["net"] == f"S/\u00a0{net:,.2f}"
    # genuine on the verification page; a modified copy is not
    assert verify_document(cert.verification_code, data).verdict == Verdict.GENUINE
    assert verify_document(cert.verification_code, data + b"%").verdict == Verdict.ALTERED
    record = VerificationRecord.objects.get(code=cert.verification_code)
    assert record.summary["Titular"].startswith("Q*****")
    # the same figures as a spreadsheet, as numbers
    xlsx = client.get(f"/constancias/{cert.uuid}/xlsx/")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book["Meses"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    total_row = next(r for r in values if r[0] == "Total")
    assert Decimal(str(total_row[5])) == net
    assert book["Conceptos"]["A2"].value


def test_servant_cannot_fetch_another_servants_constancia(client_for, servant_of) -> None:
    client_for("servant").post("/mi-boleta/constancias/", {"first": month(-2), "last": month(0)})
    cert = PaymentCertificate.objects.get(servant=servant_of("servant"))
    other = client_for("other_servant")
    for path in ("", "pdf/", "xlsx/"):
        assert other.get(f"/constancias/{cert.uuid}/{path}").status_code == 404
    # an officer of another UGEL neither
    assert client_for("other_ugel_officer").get(f"/constancias/{cert.uuid}/pdf/").status_code == 404


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2025-13", "2025-12", "AAAA-MM"),
        ("2025/01", "2025-12", "AAAA-MM"),
        ("'; DROP", "2025-12", "AAAA-MM"),
        ("2025-06", "2025-01", "posterior al mes final"),
        ("1900-01", "2025-01", "anteriores a 1950"),
        ("2099-01", "2099-02", "mes en curso"),
    ],
)
def test_malformed_or_impossible_months_are_refused(client_for, first, last, message) -> None:
    response = client_for("servant").post("/mi-boleta/constancias/", {"first": first, "last": last})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PaymentCertificate.objects.exists()


def test_a_huge_range_is_refused_before_any_work(client_for) -> None:
    response = client_for("servant").post(
        "/mi-boleta/constancias/", {"first": "1950-01", "last": month(0)}
    )
    assert response.status_code == 400
    assert "como máximo 600 meses" in response.content.decode()


def test_retired_servant_without_payslips_in_range_gets_a_clear_refusal(client_for) -> None:
    response = client_for("cesante").post(
        "/mi-boleta/constancias/", {"first": "1990-01", "last": "1990-12"}
    )
    assert response.status_code == 400
    assert "No hay boletas publicadas en Ayni" in response.content.decode()
    assert not PaymentCertificate.objects.exists()


def test_long_range_runs_as_a_task_with_progress(
    client_for, servant_of, django_capture_on_commit_callbacks
) -> None:
    first = Payslip.objects.filter(servant=servant_of("servant")).order_by("year", "month").first()
    assert first is not None
    start = f"{first.year - 3:04d}-{first.month:02d}"  # 3 years without pay, then all
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("servant").post(
            "/mi-boleta/constancias/", {"first": start, "last": month(0)}
        )
    assert response.status_code == 302
    cert = PaymentCertificate.objects.get()
    assert cert.total > 36 and cert.state == "done" and cert.done == cert.total
    assert len(cert.snapshot["empty_months"]) >= 36  # the months without payments listed
    # the page promised «le avisaremos cuando esté lista»: the notice is there
    teacher = servant_of("servant").user
    assert teacher.notifications.filter(title="Su constancia de pagos está lista").exists()


def test_double_click_makes_one_constancia(client_for) -> None:
    client = client_for("servant")
    data = {"first": month(-5), "last": month(0), "form_token": "t" * 30}
    first = client.post("/mi-boleta/constancias/", data)
    second = client.post("/mi-boleta/constancias/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert PaymentCertificate.objects.count() == 1


def test_payroll_officer_issues_for_a_servant_in_scope_only(client_for, servant_of) -> None:
    planillas = client_for("planillas")
    ok = planillas.post(
        "/planillas/constancias/", {"doc": "10000001", "first": month(-11), "last": month(0)}
    )
    assert ok.status_code == 302
    cert = PaymentCertificate.objects.get()
    assert cert.servant == servant_of("servant")
    assert planillas.get(f"/constancias/{cert.uuid}/pdf/").status_code == 200
    # outside the officer's UGEL: the same answer as a document that does not exist
    far = planillas.post(
        "/planillas/constancias/", {"doc": "10000004", "first": month(-2), "last": month(0)}
    )
    assert far.status_code == 400
    assert "No hay un servidor con ese documento" in far.content.decode()
    # a servant cannot use the officer's page
    assert client_for("servant").get("/planillas/constancias/").status_code in (403, 404)


# --- benefit requests ------------------------------------------------------------------


def pdf_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf("Acta").data, content_type="application/pdf")


def test_luto_request_needs_its_documents_and_files_a_routed_case(client_for, servant_of) -> None:
    client = client_for("servant")
    form = client.get("/beneficios/solicitar/luto/").content.decode()
    assert "Acta o certificado de defunción" in form and "parentesco" in form
    refused = client.post(
        "/beneficios/solicitar/luto/",
        {
            "relationship": "padre_madre",
            "deceased_name": "JUAN QUISPE",
            "acta": pdf_upload("a.pdf"),
        },
    )
    assert refused.status_code == 400
    assert "Adjunte: Documento que acredite el parentesco" in refused.content.decode()
    assert not BenefitRequest.objects.exists()
    done = client.post(
        "/beneficios/solicitar/luto/",
        {
            "relationship": "padre_madre",
            "deceased_name": "JUAN QUISPE",
            "acta": pdf_upload("acta.pdf"),
            "parentesco": pdf_upload("partida.pdf"),
        },
    )
    assert done.status_code == 302
    req = BenefitRequest.objects.get()
    assert req.amount == Decimal("3000.00")
    assert req.case.state == Case.State.ROUTED and req.case.area == Case.Area.PLANILLAS
    assert req.case.files.count() == 2
    page = client.get(done["Location"]).content.decode()
    assert "S/\u00a03,000.00" in page and req.case.label in page


def test_ats_not_yet_reached_cannot_be_requested(client_for) -> None:
    response = client_for("servant").post("/beneficios/solicitar/ats25/", {})
    assert response.status_code == 400
    assert "aún no le corresponde" in response.content.decode()
    assert not BenefitRequest.objects.exists()


def test_officer_corrects_with_a_note_and_the_servant_is_told(client_for, servant_of) -> None:
    client_for("servant").post(
        "/beneficios/solicitar/luto/",
        {
            "relationship": "hijo",
            "deceased_name": "ANA QUISPE",
            "acta": pdf_upload("a.pdf"),
            "parentesco": pdf_upload("b.pdf"),
        },
    )
    req = BenefitRequest.objects.get()
    planillas = client_for("planillas")
    no_note = planillas.post(f"/beneficios/pedidos/{req.uuid}/", {"amount": "2500.00"})
    assert no_note.status_code == 400
    ok = planillas.post(
        f"/beneficios/pedidos/{req.uuid}/", {"amount": "2,500.00", "note": "Prorrateo"}
    )
    assert ok.status_code == 302
    req.refresh_from_db()
    assert req.state == "corregido" and req.final_amount == Decimal("2500.00")
    assert servant_of("servant").user.notifications.filter(title__contains=req.case.label).exists()
    # the servant cannot decide their own request; another UGEL's officer cannot see it
    assert (
        client_for("servant").post(f"/beneficios/pedidos/{req.uuid}/", {"amount": "1"}).status_code
        == 404
    )
    assert (
        client_for("other_ugel_officer").get(f"/beneficios/pedidos/{req.uuid}/").status_code == 404
    )


# --- the demo --------------------------------------------------------------------------


def test_demo_teacher_has_her_constancia_and_luto_request(servant_of) -> None:
    from ayni.benefits.demo import seed_benefits_demo

    seed_benefits_demo()
    seed_benefits_demo()  # idempotent
    teacher = servant_of("servant")
    cert = PaymentCertificate.objects.get(servant=teacher)
    assert cert.state == "done" and cert.total == 24
    assert cert.snapshot["paid_months"] == 24  # the 24 months up to the latest paid
    assert verify_document(cert.verification_code).verdict == Verdict.GENUINE
    req = BenefitRequest.objects.get(servant=teacher, benefit="luto")
    assert req.amount == Decimal("3000.00")
    assert req.computation["source"].startswith("Ley N.° 29944, art. 62")
    near = Servant.objects.get(doc_number="10000006")
    from ayni.personnel.file_selectors import compute_service_time

    total = compute_service_time(near).total
    assert (total.years, total.months) == (24, 11)


def test_the_planillas_work_queue_leads_to_the_computation(client_for, persona) -> None:
    from ayni.core.models import WorkItem

    client_for("servant").post(
        "/beneficios/solicitar/luto/",
        {
            "relationship": "conyuge",
            "deceased_name": "LUIS PÉREZ",
            "acta": pdf_upload("a.pdf"),
            "parentesco": pdf_upload("b.pdf"),
        },
    )
    req = BenefitRequest.objects.get()
    items = WorkItem.objects.filter(source_type="case", source_id=str(req.case.pk), state="open")
    assert [i.link for i in items] == [f"/beneficios/pedidos/{req.uuid}/"]
    assert items[0].permission == "payroll.manage"
    listed = client_for("planillas").get("/planillas/beneficios/").content.decode()
    assert req.case.label in listed


def test_constancia_is_signed_by_the_ugel_when_signing_is_on(
    signing, client_for, servant_of
) -> None:
    from ayni.core.signing.check import SignatureState, check_signature

    client = client_for("servant")
    client.post("/mi-boleta/constancias/", {"first": month(-3), "last": month(-1)})
    cert = PaymentCertificate.objects.get(servant=servant_of("servant"))
    data = client.get(f"/constancias/{cert.uuid}/pdf/").content
    check = check_signature(data)
    assert check.state == SignatureState.VALID
    assert check.organisation == "UGEL 07 SAN BORJA"
    # the verification record holds the hash of the signed bytes
    assert verify_document(cert.verification_code, data).verdict == Verdict.GENUINE


def test_retired_teacher_requests_cts_with_its_computation(client_for, servant_of) -> None:
    client = client_for("cesante")
    form = client.get("/beneficios/solicitar/cts/")
    assert form.status_code == 200 and "No necesita adjuntar documentos" in form.content.decode()
    response = client.post("/beneficios/solicitar/cts/", {})
    assert response.status_code == 302
    req = BenefitRequest.objects.get(servant=servant_of("cesante"), benefit="cts")
    assert req.amount > 0
    facts = dict(req.computation["facts"])
    assert facts["Años computables"].isdigit()
    assert req.computation["source"].startswith("Ley N.° 29944, art. 63")
    # a second request while the first is open is refused
    again = client.post("/beneficios/solicitar/cts/", {})
    assert again.status_code == 400 and "Ya tiene un pedido" in again.content.decode()
    # an active teacher cannot ask for CTS
    active = client_for("servant").post("/beneficios/solicitar/cts/", {})
    assert active.status_code == 400 and "aún no le corresponde" in active.content.decode()


def test_officer_acts_need_a_fresh_second_factor(client_for, persona, servant_of) -> None:
    from django.conf import settings

    from ayni.benefits.demo import seed_teacher
    from ayni.identity.twofactor import VERIFIED_AT

    seed_teacher()
    req = BenefitRequest.objects.get(servant=servant_of("servant"), benefit="luto")
    stale = client_for("planillas")  # verified, but longer ago than the step-up window
    session = stale.session
    session[VERIFIED_AT] = float(session[VERIFIED_AT]) - settings.STEP_UP_SECONDS - 60
    session.save()
    refused = stale.post(f"/beneficios/pedidos/{req.uuid}/", {"amount": "3000.00"})
    assert refused.status_code == 302 and "paso=1" in refused["Location"]
    issue = stale.post(
        "/planillas/constancias/", {"doc": "10000001", "first": month(-2), "last": month(0)}
    )
    assert issue.status_code == 302 and "paso=1" in issue["Location"]
    req.refresh_from_db()
    assert req.state == "presentado"
    assert not PaymentCertificate.objects.filter(requested_by=persona("planillas")).exists()
