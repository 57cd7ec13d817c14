"""Personal data rights (issue 17): «Mis datos», ARCO requests, incidents, retention."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ayni.accounts.models import AccountLink, Role, RoleGrant
from ayni.accounts.permissions import SelfActionError
from ayni.core.audit import audit_log, reads_of_subject
from ayni.core.models import AuditEvent, Holiday
from ayni.core.states import TransitionError
from ayni.dataprotection import services
from ayni.dataprotection.models import ArcoRequest, DataExport, Right, SecurityIncident
from ayni.dataprotection.ranges import Unsatisfiable, parse_range
from ayni.dataprotection.retention import apply_retention
from ayni.desk.models import AccessRequest
from ayni.org.models import OrgUnit

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")


def _stream(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


@pytest.fixture
def teacher_export(client_for, persona, servant_of, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The demo teacher asks for her data after two officers read her file."""
    teacher = servant_of("servant")
    escalafon = client_for("escalafon")
    detail = reverse("personnel:servant_detail", args=[teacher.uuid])
    assert escalafon.get(detail).status_code == 200
    client = client_for("servant")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dataprotection:export_request"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=persona("servant"))
    return client, export


def _zip(client, export) -> zipfile.ZipFile:  # type: ignore[no-untyped-def]
    response = client.get(reverse("dataprotection:export_download", args=[export.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(_stream(response)))


def test_teacher_zip_holds_every_staff_read_of_her_file(teacher_export, servant_of, persona):
    client, export = teacher_export
    export.refresh_from_db()
    assert export.state == DataExport.State.DONE
    assert export.percent == 100
    archive = _zip(client, export)
    names = archive.namelist()
    assert "datos.json" in names and "resumen.pdf" in names
    data = json.loads(archive.read("datos.json"))
    teacher = servant_of("servant")
    expected = set(reads_of_subject("servant", teacher.pk).values_list("id", flat=True))
    assert expected, "the demo must have staff reads of the teacher's file"
    assert {e["id"] for e in data["lecturas_del_personal"]} == expected
    # the file, its versions, requests, payslips (index and PDFs), notices, sign-ins
    assert sum(len(k["registros"]) for s in data["legajo"] for k in s["tipos"]) > 5
    assert data["solicitudes_de_modificacion"]
    assert data["boletas"] and all(b["archivo"] in names for b in data["boletas"])
    assert archive.read(data["boletas"][0]["archivo"]).startswith(b"%PDF")
    assert data["servidor"]["documento"].endswith("10000001")
    assert archive.read("resumen.pdf").startswith(b"%PDF")
    # what other apps hold about her (informe requests, …), never a secret
    others = data["otros_registros"]
    assert any("reports.servicereportrequest" in key for key in others)
    assert not any(
        "hash" in name or "token" in name for rows in others.values() for r in rows for name in r
    )
    # stored JSON comes out as JSON a program reads, never Python's text of it
    values = [v for rows in others.values() for r in rows for v in r.values()]
    assert not any(isinstance(v, str) and v.startswith(("{'", "['")) for v in values)
    # the request and the download are audited
    user = persona("servant")
    assert AuditEvent.objects.filter(actor=user, action="dataprotection.export_requested").exists()
    assert AuditEvent.objects.filter(actor=user, action="dataprotection.export_downloaded").exists()


def test_summary_pdf_names_the_reader(teacher_export, persona):
    client, export = teacher_export
    archive = _zip(client, export)
    reader = PdfReader(io.BytesIO(archive.read("resumen.pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "MIS DATOS PERSONALES" in text
    assert persona("escalafon").full_name.split()[0] in text


def test_another_servant_cannot_download_it(teacher_export, client_for):
    _client, export = teacher_export
    url = reverse("dataprotection:export_download", args=[export.uuid])
    assert client_for("other_servant").get(url).status_code == 404
    assert client_for("dp_officer").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302


def test_link_expires_after_a_day(teacher_export, client_for):
    _client, export = teacher_export
    url = reverse("dataprotection:export_download", args=[export.uuid])
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=50)):
        assert client_for("servant").get(url).status_code == 200  # a new session
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        response = client_for("servant").get(url)
        assert response.status_code == 410
        assert "venció" in response.content.decode()


def test_range_resumes_with_the_right_bytes(teacher_export):
    client, export = teacher_export
    url = reverse("dataprotection:export_download", args=[export.uuid])
    whole = _stream(client.get(url))
    assert len(whole) == export.size
    part = client.get(url, HTTP_RANGE="bytes=1000-")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 1000-{export.size - 1}/{export.size}"
    assert int(part["Content-Length"]) == export.size - 1000
    assert _stream(part) == whole[1000:]
    middle = client.get(url, HTTP_RANGE="bytes=10-19")
    assert _stream(middle) == whole[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-7")
    assert _stream(tail) == whole[-7:]
    # an If-Range for another file: the whole file again, never a mix of two files
    stale = client.get(url, HTTP_RANGE="bytes=1000-", HTTP_IF_RANGE='"otro"')
    assert stale.status_code == 200 and _stream(stale) == whole
    head = client.head(url)
    assert head.status_code == 200 and int(head["Content-Length"]) == export.size
    assert head["Accept-Ranges"] == "bytes" and not head.content
    beyond = client.get(url, HTTP_RANGE=f"bytes={export.size}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{export.size}"


def test_parse_range_edges():
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=5-100", 10) == (5, 9)
    assert parse_range("bytes=-100", 10) == (0, 9)
    assert parse_range("bytes=0-1,5-6", 10) is None  # several ranges: the whole file
    assert parse_range("items=0-1", 10) is None
    assert parse_range("bytes=7-3", 10) is None
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=10-", 10)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=-0", 10)


def test_a_second_click_while_preparing_makes_no_second_export(client_for, persona):
    client = client_for("servant")
    client.post(reverse("dataprotection:export_request"))  # not run: on_commit not executed
    client.post(reverse("dataprotection:export_request"))
    assert DataExport.objects.filter(user=persona("servant")).count() == 1


def test_retired_servant_gets_her_data(client_for, persona, django_capture_on_commit_callbacks):
    client = client_for("cesante")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataprotection:export_request"))
    export = DataExport.objects.get(user=persona("cesante"))
    data = json.loads(_zip(client, export).read("datos.json"))
    assert data["servidor"]["documento"].endswith("10000003")


# --- ARCO ---------------------------------------------------------------------------------


def test_arco_due_dates_on_hand_worked_working_days(persona):
    """Filed Thursday 24/07/2025 at 10:00 Lima, with the national holidays of 28 and 29
    July and a weekend in between: access (20 working days) and opposition (10)."""
    Holiday.objects.get_or_create(date=date(2025, 7, 28), defaults={"name": "Fiestas Patrias"})
    Holiday.objects.get_or_create(date=date(2025, 7, 29), defaults={"name": "Fiestas Patrias"})
    Holiday.objects.get_or_create(date=date(2025, 8, 6), defaults={"name": "Batalla de Junín"})
    minedu = OrgUnit.objects.get(kind=OrgUnit.Kind.MINEDU).path
    moment = datetime(2025, 7, 24, 10, 0, tzinfo=LIMA)
    # 25 Fri (1), 28-29 holidays, 30 Wed (2), 31 Thu (3), 1 Aug Fri (4), 4 Mon (5),
    # 5 Tue (6), 6 holiday, 7 Thu (7), 8 Fri (8), 11 Mon (9), 12 Tue (10)
    _r, term, due = services.due_date_for(moment, minedu, Right.OPPOSITION)
    assert term == 10 and due == date(2025, 8, 12)
    # … 13 (11), 14 (12), 15 (13), 18 (14), 19 (15), 20 (16), 21 (17), 22 (18), 25 (19), 26 (20)
    _r, term, due = services.due_date_for(moment, minedu, Right.ACCESS)
    assert term == 20 and due == date(2025, 8, 26)
    # filed Saturday night: received Monday 28? a holiday: Wednesday 30 at opening
    received, _t, due = services.due_date_for(
        datetime(2025, 7, 26, 22, 0, tzinfo=LIMA), minedu, Right.RECTIFICATION
    )
    assert received.date() == date(2025, 7, 30)
    # 31 (1), 1 (2), 4 (3), 5 (4), 7 (5), 8 (6), 11 (7), 12 (8), 13 (9), 14 (10)
    assert due == date(2025, 8, 14)


def test_arco_request_reaches_the_nearest_officer(client_for, persona):
    client = client_for("servant")
    response = client.post(
        reverse("dataprotection:arco_file"),
        {"right": "cancelacion", "detail": "Pido suprimir mi teléfono antiguo de Ayni."},
    )
    assert response.status_code == 302
    arco = ArcoRequest.objects.filter(requester=persona("servant")).latest("created_at")
    assert arco.unit_path == OrgUnit.objects.get(kind=OrgUnit.Kind.MINEDU).path
    assert arco.term_days == 10
    page = client.get(reverse("dataprotection:my_data")).content.decode()
    assert arco.due_date.strftime("%d/%m/%Y") in page
    desk = client_for("dp_officer").get(reverse("dataprotection:desk")).content.decode()
    assert reverse("dataprotection:arco_detail", args=[arco.uuid]) in desk
    home = client_for("dp_officer").get("/").content.decode()  # the work queue
    assert reverse("dataprotection:arco_detail", args=[arco.uuid]) in home
    services.answer_arco(
        persona("dp_officer"), arco, decision="denegada", answer="Es un dato que la ley exige."
    )
    home = client_for("dp_officer").get("/").content.decode()
    assert reverse("dataprotection:arco_detail", args=[arco.uuid]) not in home


def test_officer_of_another_subtree_does_not_see_it(client_for, persona):
    """With an officer at DRE Lima Metropolitana, the UGEL 07 teacher's request goes there;
    DRE Lima Provincias' officer never sees it, MINEDU's (above) does."""
    lima = OrgUnit.objects.get(code="150101")
    provincias = OrgUnit.objects.get(code="150200")
    RoleGrant.objects.create(user=persona("escalafon"), role=Role.PROTECCION_DATOS, unit=lima)
    RoleGrant.objects.create(
        user=persona("other_dre_supervisor"), role=Role.PROTECCION_DATOS, unit=provincias
    )
    arco = services.file_arco(
        persona("servant"), right=Right.ACCESS, detail="Quiero saber a quién se comunicaron."
    )
    assert arco.unit_path == lima.path
    url = reverse("dataprotection:arco_detail", args=[arco.uuid])
    assert client_for("other_dre_supervisor").get(url).status_code == 404
    desk = client_for("other_dre_supervisor").get(reverse("dataprotection:desk")).content
    assert url not in desk.decode()
    assert client_for("escalafon").get(url).status_code == 200
    assert client_for("dp_officer").get(url).status_code == 200
    assert client_for("other_servant").get(url).status_code == 403


def test_officer_cannot_answer_a_request_about_herself(persona, client_for):
    officer = persona("dp_officer")
    arco = services.file_arco(
        officer, right=Right.OPPOSITION, detail="Me opongo al uso de mi foto en la intranet."
    )
    # nobody else: it stays with MINEDU, but she never sees it on her desk …
    url = reverse("dataprotection:arco_detail", args=[arco.uuid])
    assert client_for("dp_officer").get(url).status_code == 404
    # … and the service refuses her in Spanish, changing nothing
    with pytest.raises(SelfActionError):
        services.answer_arco(officer, arco, decision="atendida", answer="Atendida por mí misma.")
    arco.refresh_from_db()
    assert arco.state == ArcoRequest.State.RECEIVED


def test_answering_goes_through_the_gate_once(persona):
    arco = ArcoRequest.objects.get(requester=persona("servant"))  # the demo's
    officer = persona("dp_officer")
    services.answer_arco(
        officer, arco, decision="atendida", answer="Se restringirá la vista de su celular."
    )
    arco.refresh_from_db()
    assert arco.state == "atendida" and arco.answered_by == officer
    assert AuditEvent.objects.filter(action="dataprotection.arco.atendida", actor=officer).exists()
    stale = ArcoRequest.objects.get(pk=arco.pk)
    stale.state = ArcoRequest.State.RECEIVED
    from ayni.core.errors import StaleStateError

    with pytest.raises((StaleStateError, TransitionError)):
        services.answer_arco(officer, stale, decision="denegada", answer="Segundo intento aquí.")


def test_desk_lists_overdue_first(client_for, persona):
    page = client_for("dp_officer").get(reverse("dataprotection:desk")).content.decode()
    overdue = ArcoRequest.objects.get(requester=persona("other_servant"))
    in_term = ArcoRequest.objects.get(requester=persona("servant"))
    assert overdue.is_overdue and not in_term.is_overdue
    first = page.index(str(overdue.uuid))
    assert first < page.index(str(in_term.uuid))
    assert "Vencida" in page


def test_double_submit_makes_one_request(client_for, persona):
    client = client_for("servant")
    before = ArcoRequest.objects.count()
    data = {
        "right": "acceso",
        "detail": "Quiero saber qué datos míos tiene Ayni.",
        "form_token": "t" * 32,
    }
    first = client.post(reverse("dataprotection:arco_file"), data)
    second = client.post(reverse("dataprotection:arco_file"), data)
    assert first.status_code == 302 and second.status_code == 302
    assert ArcoRequest.objects.count() == before + 1


def test_rectification_points_to_change_requests(client_for):
    page = client_for("servant").get(reverse("dataprotection:my_data")).content.decode()
    assert "solicitud de modificación" in page
    assert "Nada se borra de forma automática" in page


# --- incidents, inventory, uses ---------------------------------------------------------------


def test_incident_shows_its_48_hour_clock(client_for, persona):
    client = client_for("dp_officer")
    detected = timezone.localtime(timezone.now() - timedelta(hours=5), LIMA)
    response = client.post(
        reverse("dataprotection:incident_new"),
        {
            "unit_path": OrgUnit.objects.get(kind=OrgUnit.Kind.MINEDU).path,
            "title": "Acceso indebido a una cuenta",
            "description": "Se ingresó con una contraseña filtrada.",
            "detected_at": detected.strftime("%Y-%m-%dT%H:%M"),
            "data_categories": "Legajo de una persona",
            "people_affected": "1",
            "measures": "",
        },
    )
    assert response.status_code == 302
    incident = SecurityIncident.objects.get(title="Acceso indebido a una cuenta")
    page = client.get(response["Location"]).content.decode()
    deadline = timezone.localtime(incident.authority_deadline, LIMA).strftime("%d/%m/%Y %H:%M")
    assert deadline in page and "quedan 43 horas" in page
    client.post(response["Location"], {"step": "authority"})
    incident.refresh_from_db()
    assert incident.authority_notified_at is not None
    with time_machine.travel(timezone.now() + timedelta(hours=50)):
        other = SecurityIncident.objects.exclude(pk=incident.pk).get()  # the demo's
        assert other.authority_overdue and not incident.authority_overdue


def test_inventory_exports_csv(client_for):
    response = client_for("dp_officer").get(reverse("dataprotection:inventory") + "?formato=csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("tratamiento,finalidad,base_legal")
    assert "Planillas y boletas de pago" in text
    assert client_for("admin").get(reverse("dataprotection:inventory")).status_code == 403


def test_uses_page_shows_officer_contact_and_is_linked_from_the_notice(client_for):
    page = client_for("servant").get(reverse("dataprotection:uses")).content.decode()
    assert "Rocío Elizabeth Paredes Villanueva" in page
    assert "Banco de la Nación" in page
    notice = client_for("servant").get(reverse("accounts:privacy")).content.decode()
    assert reverse("dataprotection:uses") in notice


def test_new_privacy_version_asks_again(client_for, persona):
    user = persona("servant")
    client = client_for("servant")
    client.post(reverse("accounts:privacy"), {"accept": "1"})
    services.publish_privacy_version(persona("admin"), version="2026-1", changes="Nuevo texto.")
    assert client.get(reverse("home"))["Location"] == reverse("accounts:privacy")
    client.post(reverse("accounts:privacy"), {"accept": "1"})
    user.refresh_from_db()
    assert user.privacy_accepted_at is not None
    page = client.get(reverse("dataprotection:my_data")).content.decode()
    assert "Aceptó la versión 2026-1" in page and "Aceptó la versión 2025-1" in page


# --- retention ------------------------------------------------------------------------------


def _access_request(state: str, age_days: int, n: int) -> AccessRequest:
    name = default_storage.save(f"desk/access/test-{n}.pdf", ContentFile(b"%PDF-1.4 test"))
    ar = AccessRequest.objects.create(
        doc_type="01",
        doc_number=f"4000000{n}",
        paternal_surname="PRUEBA",
        given_names="ANA",
        email=f"ana{n}@example.com",
        unit=OrgUnit.objects.get(code="150108"),
        staff_kind="docente",
        condition="nombrado",
        state=state,
        confirm_token_hash=f"c{n}" * 10,
        follow_token_hash=f"f{n}" * 10,
        file_name=name,
        file_original_name="dni.pdf",
        file_sha256="0" * 64,
    )
    moment = timezone.now() - timedelta(days=age_days)
    AccessRequest.objects.filter(pk=ar.pk).update(created_at=moment, updated_at=moment)
    return ar


def test_retention_dry_run_lists_and_deletes_nothing(persona):
    old = _access_request("sin_confirmar", 40, 1)
    young = _access_request("sin_confirmar", 5, 2)
    rejected = _access_request("rechazado", 200, 3)
    link = AccountLink.objects.create(
        user=persona("servant"),
        purpose="correo",
        code_hash="h" * 64,
        created_at=timezone.now() - timedelta(days=45),
        expires_at=timezone.now() - timedelta(days=44),
    )
    events = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Solicitudes de acceso nunca confirmadas" in text and str(old.uuid) in text
    demo = AccessRequest.objects.get(doc_number="40000099")  # the demo's, listed too
    assert str(demo.uuid) in text and "(plazo 30 días): 2 se eliminaría" in text
    assert str(young.uuid) not in text
    assert AccessRequest.objects.filter(pk__in=[old.pk, young.pk, rejected.pk]).count() == 3
    assert default_storage.exists(old.file_name) and default_storage.exists(rejected.file_name)
    assert AccountLink.objects.filter(pk=link.pk).exists()
    assert AuditEvent.objects.count() == events


def test_retention_removes_only_what_is_past_term(persona, servant_of):
    old = _access_request("sin_confirmar", 40, 4)
    young = _access_request("sin_confirmar", 5, 5)
    rejected = _access_request("rechazado", 200, 6)
    recent_rejected = _access_request("rechazado", 10, 7)
    spent = AccountLink.objects.create(
        user=persona("servant"),
        purpose="correo",
        code_hash="s" * 64,
        created_at=timezone.now() - timedelta(days=45),
        expires_at=timezone.now() - timedelta(days=44),
    )
    live = AccountLink.objects.create(
        user=persona("servant"),
        purpose="correo",
        code_hash="l" * 64,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    teacher = servant_of("servant")
    payslips = teacher.payslips.count()
    audit_log(action="dataprotection.inventory_exported", actor=persona("dp_officer"))
    events_before = AuditEvent.objects.count()
    items = {i.kind: i.count for i in apply_retention(dry_run=False)}
    # this test's rows and the demo's (an access request of 40 days, a link of 45)
    assert items["access_request_unconfirmed"] == 2
    assert items["access_request_rejected_upload"] == 1
    assert items["account_link"] == 2
    assert not AccessRequest.objects.filter(doc_number="40000099").exists()
    assert not AccessRequest.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.file_name)
    assert AccessRequest.objects.filter(pk=young.pk).exists()
    rejected.refresh_from_db()
    assert rejected.file_name == "" and rejected.state == "rechazado"
    recent_rejected.refresh_from_db()
    assert recent_rejected.file_name and default_storage.exists(recent_rejected.file_name)
    assert not AccountLink.objects.filter(pk=spent.pk).exists()
    assert AccountLink.objects.filter(pk=live.pk).exists()
    # personal files, payslips and the audit trail stay; the removals are audited
    assert teacher.payslips.count() == payslips
    assert AuditEvent.objects.count() == events_before + 3
    assert AuditEvent.objects.filter(action="dataprotection.retention_applied").count() == 3


def test_a_task_delivered_twice_builds_one_zip(persona):
    from ayni.dataprotection.tasks import build_export_task

    export = DataExport.objects.create(user=persona("cesante"))
    assert build_export_task.call(export.pk) is True
    first = DataExport.objects.get(pk=export.pk)
    assert build_export_task.call(export.pk) is False  # the second worker finds it done
    again = DataExport.objects.get(pk=export.pk)
    assert (again.state, again.file_name, again.sha256) == ("listo", first.file_name, first.sha256)
    moves = AuditEvent.objects.filter(
        object_id=str(export.pk), action__startswith="dataprotection.export."
    )
    assert sorted(moves.values_list("action", flat=True)) == [
        "dataprotection.export.listo",
        "dataprotection.export.preparando",
    ]


def test_publish_privacy_notice_command(persona):
    out = io.StringIO()
    call_command("publish_privacy_notice", "2026-2", "--changes", "Nuevos plazos.", stdout=out)
    assert "2026-2" in out.getvalue()
    assert persona("servant").privacy_accepted_at is None


def test_audit_archive_exports_then_detaches_old_events(persona, settings):
    import gzip

    from ayni.dataprotection.archive import archive_audit
    from ayni.dataprotection.models import AuditArchive

    settings.DATAPROTECTION_AUDIT_ARCHIVE_DAYS = 3650
    old = [
        audit_log(action="dataprotection.inventory_exported", actor=persona("dp_officer"))
        for _ in range(3)
    ]
    ancient = timezone.now() - timedelta(days=3651)
    AuditEvent.objects.filter(pk__in=[e.pk for e in old]).update(occurred_at=ancient)
    total = AuditEvent.objects.count()
    assert archive_audit(dry_run=True).count == 3
    assert AuditEvent.objects.count() == total
    result = archive_audit(dry_run=False)
    assert result.count == 3 and result.archive is not None
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    with default_storage.open(result.archive.file_name, "rb") as handle:
        lines = gzip.decompress(handle.read()).decode().splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(e.pk for e in old)
    assert AuditArchive.objects.get().count == 3
    # the archiving itself is in the live trail, and nothing newer went
    assert AuditEvent.objects.filter(action="dataprotection.audit_archived").count() == 1
    assert AuditEvent.objects.count() == total - 3 + 1
    settings.DATAPROTECTION_AUDIT_ARCHIVE_DAYS = 0
    assert archive_audit(dry_run=False).count == 0
