"""Issue 11: the hoja de vida is self-service and current; what a page promises is sent;
the small dead ends («presente su solicitud en la mesa de partes» with no link,
«Completar la ficha de 2 servidor(es)» opening the unfiltered list)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from ayni.core.models import AuditEvent, Notification, VerificationRecord, WorkItem
from ayni.org.models import OrgUnit
from ayni.personnel.change_requests import change_request_approve, change_request_submit
from ayni.personnel.models import Servant
from ayni.personnel.sections import KINDS
from ayni.personnel.servant_records import NewServant, servants_create_bulk
from ayni.reports.models import Resume, ServiceReportRequest
from ayni.reports.services import informe_issue

pytestmark = pytest.mark.django_db
PAGE = "/mi-legajo/reporte/hoja-de-vida/"
TEACHERS = ("servant", "other_servant", "cesante", "cusco_servant", "canete_servant")
TEMPLATES = Path(__file__).resolve().parent.parent / "ayni" / "templates"
TRAINING = {
    "name": "Curso de evaluación formativa",
    "institution": "MINEDU",
    "kind": "curso",
    "hours": "40",
    "date_from": "2025-05-01",
    "date_to": "2025-06-30",
}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


# --- self-service ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", TEACHERS)
def test_every_demo_teacher_gets_a_hoja_de_vida_at_once(client_for, servant_of, who):
    """Replay: four of five demo teachers dead-ended at «Su UGEL aún no ha generado su
    hoja de vida». Now each (the retired one too) gets one on opening the page."""
    client = client_for(who)
    servant = servant_of(who)
    page = client.get(PAGE)
    body = page.content.decode()
    assert page.status_code == 200
    assert "aún no ha generado" not in body and "Solicitar mi hoja de vida" not in body
    resume = Resume.objects.filter(servant=servant).first()
    assert resume is not None and servant.paternal_surname in body
    assert VerificationRecord.objects.get(code=resume.verification_code).kind == "hoja_de_vida"
    pdf = client.get(f"{PAGE}pdf/").content
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "HOJA DE VIDA" in text and servant.paternal_surname in text
    code = resume.verification_code
    assert "-".join(code[i : i + 4] for i in range(0, 16, 4)) in text
    # no work item for the UGEL: nobody has to do anything
    assert not WorkItem.objects.filter(kind="reports.resume_request", state="open").exists()


def test_the_same_one_while_the_file_does_not_change(client_for, servant_of):
    client = client_for("other_servant")
    servant = servant_of("other_servant")
    client.get(PAGE)
    first = Resume.objects.get(servant=servant)
    records = VerificationRecord.objects.count()
    client.get(PAGE)
    # days pass: the service time grows, the file does not change: still the same issue
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        client.get(PAGE)
        client.get(f"{PAGE}pdf/")
    assert list(Resume.objects.filter(servant=servant)) == [first]
    assert VerificationRecord.objects.count() == records
    assert AuditEvent.objects.filter(action="reports.resume_self_issued").count() == 1


def test_an_approved_change_gives_a_new_verifiable_one_and_supersedes_the_old(
    client_for, servant_of, persona
):
    """Replay: once generated, the hoja de vida never reflected later approved changes."""
    client = client_for("servant")
    teacher = servant_of("servant")
    client.get(PAGE)
    old = Resume.objects.filter(servant=teacher).first()
    assert "Curso de evaluación formativa" not in pdf_text(client.get(f"{PAGE}pdf/").content)
    cr = change_request_submit(
        user=persona("servant"),
        servant=teacher,
        kind=KINDS["training"],
        operation="add",
        values=TRAINING,
    )
    change_request_approve(officer=persona("escalafon"), cr=cr)
    body = client.get(PAGE).content.decode()
    new = Resume.objects.filter(servant=teacher).first()
    assert new.pk != old.pk and new.fingerprint != old.fingerprint
    assert "Curso de evaluación formativa" in body
    assert "Su legajo cambió desde su hoja de vida anterior" in body
    assert "Curso de evaluación formativa" in pdf_text(client.get(f"{PAGE}pdf/").content)
    # both verify: the old one as genuine for its date, naming that a newer one exists
    anonymous = client_for("anonymous")
    verdict = anonymous.post("/verificar/", {"code": old.verification_code}).content.decode()
    assert "existe uno más reciente" in verdict
    verdict = anonymous.post("/verificar/", {"code": new.verification_code}).content.decode()
    assert "Documento válido." in verdict
    assert VerificationRecord.objects.get(code=old.verification_code).superseded_by


def test_staff_keep_their_batch_and_their_button(client_for, persona, servant_of):
    teacher = servant_of("other_servant")
    client_for("escalafon").post(f"/servidores/{teacher.uuid}/hoja-de-vida/")
    assert Resume.objects.get(servant=teacher).generated_by == persona("escalafon")
    assert client_for("escalafon").get("/escalafon/hojas-de-vida/").status_code == 200


def test_only_ones_own(client_for, servant_of):
    """The page and the PDF are the user's own: nothing to choose, nothing in the URL."""
    client_for("servant").get(PAGE)
    theirs = Resume.objects.get(servant=servant_of("servant"))
    response = client_for("other_servant").get(f"{PAGE}pdf/")
    assert response.status_code == 404  # the auxiliar has not opened his page yet
    assert theirs.verification_code not in client_for("other_servant").get(PAGE).content.decode()


def test_pdf_in_preparation_is_said_and_polled(client_for, servant_of):
    """On a slow worker (here: the after-commit task never runs) the page says «en
    preparación» and polls; the status box renders the PDF itself once the worker is late."""
    client = client_for("other_servant")
    body = client.get(PAGE).content.decode()
    assert "está en preparación" in body
    assert 'hx-get="/mi-legajo/reporte/hoja-de-vida/estado/"' in body
    assert "Descargar PDF" not in body
    status = client.get(f"{PAGE}estado/").content.decode()
    assert "está en preparación" in status  # not late yet: still waiting for the worker
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        status = client.get(f"{PAGE}estado/").content.decode()
    assert "Descargar PDF" in status and "hx-get" not in status
    resume = Resume.objects.get(servant=servant_of("other_servant"))
    assert resume.pdf_file and resume.pdf_sha256
    assert VerificationRecord.objects.get(code=resume.verification_code).pdf_sha256


# --- notices a page promises are sent ------------------------------------------------------


def test_no_page_promises_a_hoja_de_vida_notice():
    """The «Le avisaremos cuando su hoja de vida esté lista» promise is gone with the
    request to the UGEL; the remaining «le avisaremos» promises are tested below."""
    promises = []
    for path in [*TEMPLATES.rglob("*.html"), *(TEMPLATES.parent).rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?i)le avisaremos[^\"]*", text):
            promises.append((path.name, match.group(0)))
    assert all("hoja de vida" not in text for _, text in promises), promises
    # the informe's (below) and the long constancia's (tests/test_benefits.py)
    assert {name for name, _ in promises} <= {"views.py", "_constancia_status.html"}


def test_the_informe_notice_promised_on_request_is_sent(
    client_for, persona, servant_of, django_capture_on_commit_callbacks
):
    """«Le avisaremos cuando esté listo»: an in-app notice and an e-mail with a link."""
    client = client_for("servant")
    teacher = servant_of("servant")
    response = client.post("/mi-legajo/reporte/informes/", {"purpose": "cts"}, follow=True)
    assert "Le avisaremos cuando esté listo" in response.content.decode()
    req = ServiceReportRequest.objects.get(servant=teacher, purpose="cts")
    mail.outbox.clear()
    before = Notification.objects.filter(recipient=teacher.user).count()
    with django_capture_on_commit_callbacks(execute=True):
        informe_issue(officer=persona("escalafon"), req=req)
    assert Notification.objects.filter(recipient=teacher.user).count() == before + 1
    note = Notification.objects.filter(recipient=teacher.user).order_by("-id").first()
    assert note.title == "Su informe escalafonario está listo"
    assert note.link == "/mi-legajo/reporte/informes/"
    assert "Su informe escalafonario está listo" in client.get("/notificaciones/").content.decode()
    sent = [m for m in mail.outbox if "Su informe escalafonario está listo" in m.subject]
    assert len(sent) == 1 and sent[0].to == [teacher.user.email]
    assert "/mi-legajo/reporte/informes/" in sent[0].body
    assert teacher.doc_number not in sent[0].body


# --- small dead ends --------------------------------------------------------------------------


def test_contact_data_links_to_the_mesa_de_partes(client_for):
    """Replay: «presente su solicitud en la mesa de partes» had no link."""
    body = client_for("servant").get("/mi-legajo/filiacion/").content.decode()
    help_text = re.search(r'<p class="help" id="contact-help">(.*?)</p>', body, re.S)
    assert help_text is not None
    assert '<a href="/mesa-de-partes/nuevo/">' in help_text.group(1)
    assert client_for("servant").get("/mesa-de-partes/nuevo/").status_code == 200


def test_completar_la_ficha_opens_the_list_of_those_to_complete(client_for, persona):
    """Replay: «Completar la ficha de 2 servidor(es)» opened the unfiltered list."""
    ugel = OrgUnit.objects.get(code="150108")
    people = [
        NewServant(
            doc_type="01",
            doc_number=f"4700000{i}",
            paternal_surname="NUEVO",
            maternal_surname=f"PLANILLA{i}",
            given_names="ANA",
            birth_date=None,
            position="DOCENTE",
            condition=Servant.Condition.NOMBRADO,
            status=Servant.Status.ACTIVO,
        )
        for i in range(2)
    ]
    servants_create_bulk(
        people=people,
        unit=ugel,
        title="Completar la ficha de 2 servidores nuevos de la planilla 03/2026",
        source_type="payroll_run",
        source_id="999",
    )
    item = WorkItem.objects.get(kind="personnel.complete_records", source_id="999")
    assert item.link == "/servidores/?por_completar=1"  # a flag, no personal data
    officer = client_for("escalafon")
    body = officer.get(item.link).content.decode()
    assert "NUEVO PLANILLA0" in body and "NUEVO PLANILLA1" in body
    assert "QUISPE HUAMÁN" not in body  # a complete record is not listed
    listed = re.search(r"<p>(\d+) servidor(es)?</p>", body)
    assert listed is not None
    expected = Servant.objects.filter(
        needs_completion=True, employing_unit__path__startswith=ugel.path
    ).count()
    assert int(listed.group(1)) == expected
    assert "QUISPE HUAMÁN" in officer.get("/servidores/").content.decode()


def test_the_payroll_work_item_says_real_plurals():
    from ayni.payroll import importer

    source = Path(importer.__file__).read_text(encoding="utf-8")
    assert "servidor(es)" not in source and "nuevo(s)" not in source
