"""Issue 10, duties and trust: nobody is staff for themselves (item 2), the retired
servant's rule (item 9), a second «informe» filing (item 11), desk reads (item 10),
double submits (item 7), one gate per state and PDFs after commit.

Each regression test replays the original attack or input from the issue.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from ayni.accounts.models import Role, RoleGrant
from ayni.accounts.permissions import SelfActionError, handling_path
from ayni.core import audit_actions
from ayni.core.formtoken import new_token
from ayni.core.models import AuditEvent, VerificationRecord, WorkItem
from ayni.desk.cases import case_answer, case_file, case_route
from ayni.desk.demo import demo_pdf
from ayni.desk.models import Case, CaseEvent
from ayni.identity.testing import sign_in_verified
from ayni.org.models import OrgUnit
from ayni.personnel.change_requests import (
    change_request_approve,
    change_request_observe,
    change_request_reject,
    change_request_submit,
)
from ayni.personnel.file_services import entry_create
from ayni.personnel.models import ChangeRequest, ChangeRequestEvent, Training
from ayni.personnel.sections import KINDS
from ayni.reports.models import Resume, ServiceReport, ServiceReportRequest
from ayni.reports.services import (
    informe_annul,
    informe_issue,
    informe_request,
    report_pdf,
    resume_generate,
)

pytestmark = pytest.mark.django_db
PDF = demo_pdf("Documento de prueba").data
ROOT = Path(__file__).resolve().parent.parent
TRAINING = {
    "p-name": "Curso de evaluación formativa",
    "p-institution": "MINEDU",
    "p-kind": "curso",
    "p-hours": "40",
    "p-date_from": "2025-05-01",
    "p-date_to": "2025-06-30",
}


def upload(name: str = "fut.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def ugel07(demo_data) -> OrgUnit:
    return OrgUnit.objects.get(code="150108")


@pytest.fixture
def dre(demo_data) -> OrgUnit:
    return OrgUnit.objects.get(code="150101")


@pytest.fixture
def officer_file(servant_of):
    """The UGEL 07 escalafón officer's own servant record."""
    return servant_of("escalafon")


@pytest.fixture
def own_request(officer_file) -> ChangeRequest:
    """The demo: the officer asked for a change on her own file."""
    return ChangeRequest.objects.get(servant=officer_file, state="en_solicitud")


def training_values() -> dict[str, str]:
    return {k[2:]: v for k, v in TRAINING.items()}


# --- item 2: nobody is staff for themselves ----------------------------------------------


def test_officer_cannot_approve_her_own_request_the_dre_office_does(
    client_for, persona, own_request, dre
):
    """Replay: the escalafón officer approves a change request on her own file."""
    officer = client_for("escalafon")
    url = f"/escalafon/solicitudes/{own_request.uuid}/"
    inbox = officer.get("/escalafon/solicitudes/").content.decode()
    assert url not in inbox
    assert "Tiene 1 solicitud propia en trámite" in inbox and "la DRE" in inbox
    assert officer.get(url).status_code == 404
    assert officer.post(url, {"action": "approve", "note": "Conforme"}).status_code == 404
    for service, kwargs in (
        (change_request_approve, {}),
        (change_request_observe, {"note": "Falta la constancia"}),
        (change_request_reject, {"reason": "No procede"}),
    ):
        with pytest.raises(SelfActionError, match="propio legajo"):
            service(officer=persona("escalafon"), cr=own_request, **kwargs)
    own_request.refresh_from_db()
    assert own_request.state == "en_solicitud"
    assert not Training.objects.filter(servant=own_request.servant, institution="SERVIR").exists()
    # the work item waits at the DRE's escalafón office, not at her UGEL
    item = WorkItem.objects.get(
        source_type="change_request", source_id=str(own_request.pk), state="open"
    )
    assert item.unit_path == dre.path
    assert url not in officer.get("/").content.decode()
    dre_officer = client_for("dre_escalafon")
    assert url in dre_officer.get("/").content.decode()
    dre_inbox = dre_officer.get("/escalafon/solicitudes/").content.decode()
    assert url in dre_inbox and "Solicitud propia de un especialista de escalafón" in dre_inbox
    response = dre_officer.post(
        url, {"action": "approve", "confirmado": "1", "note": "Constancia conforme"}
    )
    assert response.status_code == 302
    own_request.refresh_from_db()
    assert own_request.state == "atendido"
    assert Training.objects.filter(servant=own_request.servant, institution="SERVIR").exists()
    event = AuditEvent.objects.get(
        action="personnel.change_request.atendido", object_id=str(own_request.pk)
    )
    assert event.actor == persona("dre_escalafon") and event.client_ip
    assert event.subject_type == "servant" and event.subject_id == own_request.servant_id


def test_another_officer_of_the_unit_takes_it_when_there_is_one(persona, officer_file, ugel07):
    colleague = persona("planillas")
    RoleGrant.objects.create(user=colleague, role=Role.ESCALAFON, unit=ugel07)
    cr = change_request_submit(
        user=persona("escalafon"),
        servant=officer_file,
        kind=KINDS["training"],
        operation="add",
        values=training_values(),
    )
    item = WorkItem.objects.get(source_type="change_request", source_id=str(cr.pk), state="open")
    assert item.unit_path == ugel07.path  # her colleague at the UGEL sees it
    change_request_approve(officer=persona("planillas"), cr=cr)
    cr.refresh_from_db()
    assert cr.state == "atendido"
    # an ordinary servant's request stays at the UGEL
    assert handling_path(ugel07.path, "requests.review", persona("servant").pk) == ugel07.path


def test_officer_cannot_issue_or_annul_her_own_informe(client_for, persona, officer_file, dre):
    """Replay: the escalafón officer issues her own informe escalafonario."""
    req = informe_request(user=persona("escalafon"), servant=officer_file, purpose="cts")
    item = WorkItem.objects.get(source_type="informe_request", source_id=str(req.pk))
    assert item.unit_path == dre.path
    officer = client_for("escalafon")
    url = f"/escalafon/informes/{req.uuid}/"
    inbox = officer.get("/escalafon/informes/").content.decode()
    assert url not in inbox and "Tiene 1 pedido propio pendiente" in inbox
    assert officer.post(url).status_code == 404
    with pytest.raises(SelfActionError):
        informe_issue(officer=persona("escalafon"), req=req)
    assert not ServiceReport.objects.filter(request=req).exists()
    # the DRE's office issues it, and it verifies
    dre_officer = client_for("dre_escalafon")
    assert url in dre_officer.get("/escalafon/informes/").content.decode()
    assert dre_officer.post(url).status_code == 302
    report = ServiceReport.objects.get(request=req)
    assert report.issued_by == persona("dre_escalafon")
    assert VerificationRecord.objects.get(code=report.verification_code).status == "valid"
    assert report_pdf(report).startswith(b"%PDF")
    # and she cannot annul it either
    annul = f"/escalafon/informes/emitidos/{report.uuid}/anular/"
    assert officer.post(annul, {"reason": "Prueba"}).status_code == 404
    with pytest.raises(SelfActionError):
        informe_annul(officer=persona("escalafon"), report=report, reason="Prueba")
    report.refresh_from_db()
    assert report.state == "emitido"


def test_nobody_edits_their_own_file_or_makes_their_own_hoja_de_vida(
    client_for, persona, officer_file
):
    officer = client_for("escalafon")
    new_entry = f"/servidores/{officer_file.uuid}/legajo/training/nuevo/"
    assert officer.get(new_entry).status_code == 404
    assert officer.post(new_entry, {**TRAINING, "note": "RD 1-2026"}).status_code == 404
    with pytest.raises(SelfActionError):
        entry_create(
            actor=persona("escalafon"),
            servant=officer_file,
            kind=KINDS["training"],
            values=training_values(),
            note="RD 1-2026",
        )
    assert officer.post(f"/servidores/{officer_file.uuid}/hoja-de-vida/").status_code == 404
    with pytest.raises(SelfActionError):
        resume_generate(servant=officer_file, actor=persona("escalafon"))


def test_desk_officer_cannot_handle_her_own_filing(client_for, persona, servant_of, ugel07):
    desk_user = persona("mesa_partes")
    case = case_file(
        user=desk_user,
        servant=servant_of("mesa_partes"),
        unit=ugel07,
        kind="otro",
        subject="Constancia de trabajo",
        files=[],
    )
    client = client_for("mesa_partes")
    assert f"/mesa/{case.uuid}/" not in client.get("/mesa/").content.decode()
    assert client.get(f"/mesa/{case.uuid}/").status_code == 404
    with pytest.raises(SelfActionError):
        case_route(officer=desk_user, case=case, area="escalafon")
    with pytest.raises(SelfActionError):
        case_answer(officer=desk_user, case=case, state="atendido", comment="")
    case.refresh_from_db()
    assert case.state == "recibido"


# --- one gate per state ----------------------------------------------------------------


def test_only_the_gates_assign_state():
    files = [
        ROOT / "ayni/personnel/change_requests.py",
        ROOT / "ayni/desk/cases.py",
        ROOT / "ayni/desk/receipts.py",
        *(ROOT / "ayni/reports").glob("*.py"),
    ]
    offenders = [
        f"{path.name}:{n}"
        for path in files
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.state\s*=[^=]", line)
    ]
    assert offenders == []
    for old in ("personnel.change_request_atendido", "desk.case_atendido"):
        assert not audit_actions.is_registered(old)


def test_gates_write_history_and_audit_with_the_address(client_for, persona, servant_of, ugel07):
    teacher = servant_of("servant")
    cr = change_request_submit(
        user=persona("servant"),
        servant=teacher,
        kind=KINDS["training"],
        operation="add",
        values=training_values(),
    )
    change_request_observe(officer=persona("escalafon"), cr=cr, note="Adjunte la constancia")
    assert list(
        ChangeRequestEvent.objects.filter(request=cr).values_list("to_state", flat=True)
    ) == [
        "en_solicitud",
        "observado",
    ]
    assert AuditEvent.objects.filter(
        action="personnel.change_request.observado", object_id=str(cr.pk)
    ).exists()
    case = case_file(
        user=persona("servant"),
        servant=teacher,
        unit=ugel07,
        kind="otro",
        subject="Constancia",
        files=[],
    )
    client_for("mesa_partes").post(
        f"/mesa/{case.uuid}/", {"action": "route", "area": "escalafon", "comment": "Para escalafón"}
    )
    case.refresh_from_db()
    assert (case.state, case.area) == ("derivado", "escalafon")
    assert CaseEvent.objects.filter(case=case, to_state="derivado", area="escalafon").exists()
    event = AuditEvent.objects.get(action="desk.case.derivado", object_id=str(case.pk))
    assert event.client_ip and event.subject_id == teacher.pk


# --- PDFs after commit ------------------------------------------------------------------


def test_a_rolled_back_filing_leaves_no_file(
    persona, servant_of, ugel07, django_capture_on_commit_callbacks
):
    teacher = servant_of("servant")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        case = case_file(
            user=persona("servant"),
            servant=teacher,
            unit=ugel07,
            kind="otro",
            subject="Se deshace",
            files=[],
        )
        raise RuntimeError("rollback after filing")
    assert callbacks == []
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not VerificationRecord.objects.filter(code=case.verification_code).exists()
    assert not default_storage.exists(f"desk/cargos/{case.uuid}.pdf")
    # committed, the cargo is rendered after commit and its digest recorded
    with django_capture_on_commit_callbacks(execute=True):
        kept = case_file(
            user=persona("servant"),
            servant=teacher,
            unit=ugel07,
            kind="otro",
            subject="Queda",
            files=[],
        )
    kept.refresh_from_db()
    assert default_storage.exists(kept.receipt_file)
    assert (
        VerificationRecord.objects.get(code=kept.verification_code).pdf_sha256
        == kept.receipt_sha256
    )


def test_a_rolled_back_informe_leaves_no_file(
    persona, servant_of, django_capture_on_commit_callbacks
):
    req = ServiceReportRequest.objects.get(servant=servant_of("cesante"), state="pendiente")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        report = informe_issue(officer=persona("escalafon"), req=req)
        raise RuntimeError("rollback after issuing")
    assert callbacks == []
    assert not default_storage.exists(f"informes/{report.uuid}.pdf")
    req.refresh_from_db()
    assert req.state == "pendiente"


def test_a_download_before_rendering_renders_it(client_for, persona, servant_of, ugel07):
    case = case_file(
        user=persona("servant"),
        servant=servant_of("servant"),
        unit=ugel07,
        kind="otro",
        subject="X",
        files=[],
    )
    assert not case.receipt_file  # the after-commit task has not run
    response = client_for("servant").get(f"/mesa-de-partes/{case.uuid}/cargo/")
    assert response.content.startswith(b"%PDF")
    case.refresh_from_db()
    assert case.receipt_file and default_storage.exists(case.receipt_file)


# --- item 11: a second «informe» filing ---------------------------------------------------


def test_a_second_informe_filing_with_the_same_purpose_is_refused_in_spanish(client_for, ugel07):
    """Replay: filing a second «informe» case with the same purpose gave a 500."""
    client = client_for("servant")
    data = {
        "unit": ugel07.pk,
        "kind": "informe",
        "subject": "Informe para CTS",
        "informe_purpose": "cts",
    }
    first = client.post("/mesa-de-partes/nuevo/", {**data, "documents": [upload()]})
    assert first.status_code == 302
    cases, requests = Case.objects.count(), ServiceReportRequest.objects.count()
    second = client.post("/mesa-de-partes/nuevo/", {**data, "documents": [upload()]})
    assert second.status_code == 400
    body = second.content.decode()
    assert "Ya tiene un pedido de informe pendiente con esa finalidad" in body
    assert 'name="subject"' in body and "Informe para CTS" in body  # the form, re-shown
    assert (Case.objects.count(), ServiceReportRequest.objects.count()) == (cases, requests)


# --- item 7: double submits --------------------------------------------------------------


def test_five_identical_send_request_posts_make_one_request(client_for, servant_of):
    """Replay: five «Enviar solicitud» made five requests."""
    client = client_for("servant")
    url = "/mi-legajo/academica/solicitar/training/add/"
    before = ChangeRequest.objects.filter(servant=servant_of("servant")).count()
    data = {**TRAINING, "comment": "", "confirmed": "1", "form_token": new_token()}
    responses = [client.post(url, data) for _ in range(5)]
    assert {r.status_code for r in responses} == {302}
    assert len({r["Location"] for r in responses}) == 1  # each repeat shows the first result
    assert ChangeRequest.objects.filter(servant=servant_of("servant")).count() == before + 1
    assert "ya se había enviado" in client.get(responses[-1]["Location"]).content.decode()
    # the same filing made again later, from a newly opened form, goes through
    again = client.post(url, {**data, "form_token": new_token()})
    assert again.status_code == 302 and again["Location"] != responses[0]["Location"]


def test_twelve_identical_filings_make_one_case(client_for, ugel07):
    """Replay: twelve identical filings made twelve cases (sequential here)."""
    client = client_for("servant")
    token = new_token()
    before = Case.objects.count()
    locations = set()
    for _ in range(12):
        response = client.post(
            "/mesa-de-partes/nuevo/",
            {
                "unit": ugel07.pk,
                "kind": "otro",
                "subject": "Constancia",
                "documents": [upload()],
                "form_token": token,
            },
        )
        assert response.status_code == 302
        locations.add(response["Location"])
    assert Case.objects.count() == before + 1 and len(locations) == 1


@pytest.mark.django_db(transaction=True)
def test_twelve_concurrent_identical_filings_make_one_case(demo_data, persona):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    ugel07 = OrgUnit.objects.get(code="150108")
    teacher = persona("servant")
    token = new_token()
    before = Case.objects.count()
    statuses: list[int] = []
    errors: list[BaseException] = []

    def file_once() -> None:
        try:
            client = Client()
            client.force_login(teacher)
            response = client.post(
                "/mesa-de-partes/nuevo/",
                {
                    "unit": ugel07.pk,
                    "kind": "otro",
                    "subject": "Constancia",
                    "documents": [upload()],
                    "form_token": token,
                },
            )
            statuses.append(response.status_code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_once) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Case.objects.count() == before + 1
    assert statuses.count(302) >= 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_at_once_apply_the_change_once(demo_data, persona, servant_of):
    """The UGEL officer and the DRE officer press «Aprobar» on the same request at the same
    moment: one applies it, the other is told it already moved; one event, one entry."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    teacher = servant_of("servant")
    cr = ChangeRequest.objects.filter(servant=teacher, state="en_solicitud").first()
    assert cr is not None
    results: list[str] = []
    barrier = threading.Barrier(2)

    def approve(who: str) -> None:
        try:
            client = Client()
            sign_in_verified(client, persona(who))  # staff: second factor passed
            barrier.wait()
            response = client.post(
                f"/escalafon/solicitudes/{cr.uuid}/",
                {"action": "approve", "confirmado": "1", "note": "", "form_token": new_token()},
                follow=True,
            )
            results.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(w,)) for w in ("escalafon", "dre_escalafon")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cr.refresh_from_db()
    assert cr.state == "atendido"
    assert ChangeRequestEvent.objects.filter(request=cr, to_state="atendido").count() == 1
    assert (
        AuditEvent.objects.filter(
            action="personnel.change_request.atendido", object_id=str(cr.pk)
        ).count()
        == 1
    )
    applied = [r for r in results if "el cambio se aplicó al legajo" in r]
    refused = [r for r in results if "La solicitud está «Atendido»: no se puede atender." in r]
    assert len(applied) == 1 and len(refused) == 1


# --- item 9: retired servants ---------------------------------------------------------------


def test_retired_servant_keeps_reading_and_asking(client_for, persona, servant_of, ugel07):
    client = client_for("cesante")
    cesante = servant_of("cesante")
    home = client.get("/").content.decode()
    assert "cesante" in home and "conserva su cuenta" in home
    assert "TORRES SALAZAR" in client.get("/mi-legajo/").content.decode()
    assert client.get("/mi-boleta/").status_code == 200
    assert client.get("/mi-legajo/quien-vio/").status_code == 200
    # his pending informe (pension) is issued by the UGEL; he downloads it
    req = ServiceReportRequest.objects.get(servant=cesante, state="pendiente")
    report = informe_issue(officer=persona("escalafon"), req=req)
    assert client.get(f"/mi-legajo/reporte/informes/{report.uuid}/pdf/").content.startswith(b"%PDF")
    # asks for documents: a hoja de vida and an informe for his CTS
    page = client.get("/mi-legajo/reporte/hoja-de-vida/").content.decode()  # at once
    assert "TORRES SALAZAR" in page and Resume.objects.filter(servant=cesante).exists()
    page = client.get("/mi-legajo/reporte/informes/").content.decode()
    assert 'value="cts"' in page and 'value="ascenso"' not in page and "servicio activo" in page
    assert client.post("/mi-legajo/reporte/informes/", {"purpose": "cts"}).status_code == 302
    refused = client.post("/mi-legajo/reporte/informes/", {"purpose": "ascenso"})
    assert refused.status_code == 400
    assert not ServiceReportRequest.objects.filter(servant=cesante, purpose="ascenso").exists()
    # requests a correction of his file
    sent = client.post(
        "/mi-legajo/academica/solicitar/training/add/", {**TRAINING, "confirmed": "1"}
    )
    assert sent.status_code == 302
    assert ChangeRequest.objects.filter(servant=cesante, state="en_solicitud").exists()
    # and files a constancia request at the desk
    filed = client.post(
        "/mesa-de-partes/nuevo/",
        {
            "unit": ugel07.pk,
            "kind": "otro",
            "subject": "Constancia de servicios",
            "documents": [upload()],
        },
    )
    assert filed.status_code == 302
    assert Case.objects.filter(filer=persona("cesante"), subject="Constancia de servicios").exists()


# --- item 10: desk reads are events the person sees -----------------------------------------------


def test_desk_case_views_and_downloads_show_in_who_viewed(client_for, persona, servant_of, ugel07):
    teacher = servant_of("servant")
    client = client_for("servant")
    client.post(
        "/mesa-de-partes/nuevo/",
        {
            "unit": ugel07.pk,
            "kind": "otro",
            "subject": "Constancia",
            "documents": [upload("dni.pdf")],
        },
    )
    case = Case.objects.filter(filer=persona("servant")).latest("id")
    desk = client_for("mesa_partes")
    assert desk.get(f"/mesa/{case.uuid}/").status_code == 200
    attachment = case.files.get()
    assert desk.get(f"/mesa/{case.uuid}/archivos/{attachment.pk}/").status_code == 200
    viewed = AuditEvent.objects.get(action="desk.case_viewed", object_id=str(case.pk))
    downloaded = AuditEvent.objects.get(action="desk.file_downloaded", object_id=str(attachment.pk))
    for event in (viewed, downloaded):
        assert (event.subject_type, event.subject_id) == ("servant", teacher.pk)
        assert event.actor == persona("mesa_partes") and event.client_ip
    page = client.get("/mi-legajo/quien-vio/").content.decode()
    assert "Consultó un expediente" in page and "Descargó un archivo de un expediente" in page


def test_an_officers_own_request_is_never_in_her_work_list(persona):
    from ayni.portal.selectors import work_queue_for

    officer = persona("escalafon")
    own = ChangeRequest.objects.get(servant__user=officer, state="en_solicitud")
    link = f"/escalafon/solicitudes/{own.uuid}/"
    assert link not in [item.link for item in work_queue_for(officer)]
    assert link in [item.link for item in work_queue_for(persona("dre_escalafon"))]
