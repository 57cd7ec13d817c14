"""Issue 10, payroll part: each case replayed as the issue describes it.

3. A published run and its payslips never change or disappear; background tasks act
   only on the state they were queued for; the newest upload of a draft wins;
   annulment and the adicional run that replaces it.
4. A line for a servant of another unit is an error naming no one; run pages show
   the master's names only.
5. Every failure of an import ends the run «Con errores» with a Spanish message; line
   numbers are physical lines.
7. One-time tokens on upload, publish and annul.
10. The run page is one audit event naming the servants it showed; the poll writes
   nothing; a staff payslip download names its servant; changes carry the address.
"""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client

from ayni.core.errors import StaleStateError, UserError
from ayni.core.formtoken import FIELD as FORM_TOKEN
from ayni.core.formtoken import new_token
from ayni.core.models import AuditEvent, StateChange, VerificationRecord
from ayni.org.models import OrgUnit
from ayni.payroll.importer import INTERNAL_ERROR, payroll_import
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.services import ANNULLED_PUBLIC, payroll_annul, payroll_publish, run_for_upload
from ayni.payroll.tasks import import_payroll_task, render_run_pdfs_task
from ayni.personnel.models import Servant
from tests.test_payroll import AUXILIAR, GOOD_REM, HEADER, MASTER, NAME, TEACHER

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")
# A second, different file for the same month: only the teacher, 100.00.
OTHER_REM = "01|10000001|2001|100.00|100.00|\r\n"


@pytest.fixture
def ugel07(demo_data):
    return OrgUnit.objects.get(code="150108")


def stored_upload(ugel, rem=GOOD_REM, master=MASTER, *, additional=False, actor=None):
    """What the upload page does: the files stored, a queued run, the task not yet run."""
    data = rem.encode() if isinstance(rem, str) else rem
    return run_for_upload(
        ugel=ugel,
        year=2030,
        month=1,
        kind="activos",
        payment_date=date(2030, 1, 20),
        additional=additional,
        actor=actor,
        rem_name=NAME,
        rem_file=default_storage.save("payroll/uploads/t.rem", ContentFile(data)),
        master_file=default_storage.save("payroll/uploads/t.csv", ContentFile(master)),
    )


def fresh(run):
    return PayrollRun.objects.get(pk=run.pk)


def gross_of(run):
    return sorted(Payslip.objects.filter(run=run).values_list("gross", flat=True))


# --- item 3: the races, replayed in the bad order -------------------------------------


def test_first_upload_finishing_after_the_second_was_published_changes_nothing(ugel07, persona):
    officer = persona("planillas")
    first = stored_upload(ugel07, GOOD_REM)
    second = stored_upload(ugel07, OTHER_REM)
    assert fresh(first).state == "superseded" and fresh(first).superseded_by_id == second.pk
    assert import_payroll_task.func(second.pk, officer.pk) == 1
    payroll_publish(run=second, actor=officer)
    codes = list(Payslip.objects.filter(run=second).values_list("verification_code", flat=True))

    # the first upload's task comes late: it does nothing and says so on its run
    assert import_payroll_task.func(first.pk, officer.pk) == 0
    assert fresh(first).state == "superseded"
    assert fresh(second).state == "published"  # never «Con errores»
    assert gross_of(second) == [Decimal("100.00")]
    assert not Payslip.objects.filter(run=first).exists()
    assert VerificationRecord.objects.filter(code__in=codes, status="valid").count() == 1

    # a plain re-upload never reuses the published run; an adicional is a new run
    with pytest.raises(UserError, match="planilla adicional"):
        stored_upload(ugel07, GOOD_REM)
    extra = stored_upload(ugel07, GOOD_REM, additional=True)
    assert extra.pk not in (first.pk, second.pk) and extra.sequence == 2
    assert import_payroll_task.func(extra.pk, officer.pk) == 2
    assert fresh(second).state == "published" and gross_of(second) == [Decimal("100.00")]
    assert VerificationRecord.objects.filter(code__in=codes, status="valid").count() == 1


def test_older_upload_finishing_late_never_replaces_the_newer_draft(ugel07, client_for):
    first = stored_upload(ugel07, GOOD_REM)
    second = stored_upload(ugel07, OTHER_REM)
    assert import_payroll_task.func(second.pk) == 1
    assert import_payroll_task.func(first.pk) == 0
    assert fresh(second).state == "draft" and gross_of(second) == [Decimal("100.00")]
    assert fresh(first).state == "superseded"
    page = client_for("planillas").get(f"/planillas/{first.uuid}/").content.decode()
    assert "Reemplazada" in page
    assert "Esta carga fue reemplazada por una más nueva del mismo periodo y no se usó." in page
    assert f"/planillas/{second.uuid}/" in page  # «Ver la carga más nueva»


def test_an_upload_superseded_while_it_imports_writes_nothing(ugel07):
    first = stored_upload(ugel07, GOOD_REM)
    newer = {}

    def meanwhile(done, total):  # the officer uploads again while the first one runs
        if "run" not in newer:
            newer["run"] = stored_upload(ugel07, OTHER_REM)

    outcome = payroll_import(
        run=first,
        rem_name=NAME,
        rem_bytes=GOOD_REM.encode(),
        master_bytes=MASTER,
        progress=meanwhile,
    )
    assert outcome.stale and not outcome.ok
    assert "reemplazada por una más nueva" in outcome.errors[0]
    assert fresh(first).state == "superseded"
    assert not Payslip.objects.filter(run=first).exists()
    assert import_payroll_task.func(newer["run"].pk) == 1
    assert fresh(newer["run"]).state == "draft"


def test_a_stale_task_failing_late_never_marks_the_published_run_failed(ugel07, persona):
    officer = persona("planillas")
    first = stored_upload(ugel07, GOOD_REM)
    published = {}

    def meanwhile(done, total):
        second = stored_upload(ugel07, OTHER_REM)
        import_payroll_task.func(second.pk)
        published["run"] = payroll_publish(run=second, actor=officer)
        raise RuntimeError("the worker dies after the second run was published")

    outcome = payroll_import(
        run=first, rem_name=NAME, rem_bytes=GOOD_REM.encode(), master_bytes=MASTER,
        progress=meanwhile,
    )  # fmt: skip
    assert outcome.stale
    assert fresh(published["run"]).state == "published"
    assert fresh(first).state == "superseded" and fresh(first).errors == []
    assert gross_of(published["run"]) == [Decimal("100.00")]


def test_a_task_for_a_published_run_changes_nothing(ugel07, persona):
    run = stored_upload(ugel07)
    import_payroll_task.func(run.pk)
    payroll_publish(run=run, actor=persona("planillas"))
    before = gross_of(run)
    # the same task delivered twice (a worker retry)
    assert import_payroll_task.func(run.pk) == 0
    outcome = payroll_import(
        run=run, rem_name=NAME, rem_bytes=OTHER_REM.encode(), master_bytes=MASTER
    )
    assert outcome.stale and "Publicada" in outcome.errors[0]
    assert fresh(run).state == "published" and gross_of(run) == before


def test_the_gate_is_the_only_way_between_states(ugel07, persona):
    run = stored_upload(ugel07)
    import_payroll_task.func(run.pk)
    with pytest.raises(UserError, match="Solo se anula una planilla publicada"):
        payroll_annul(run=run, actor=None, reason="se publicó por error, mes equivocado")
    payroll_publish(run=run, actor=persona("planillas"))
    with pytest.raises(StaleStateError):
        payroll_publish(run=run, actor=None)
    moves = list(
        StateChange.objects.filter(object_type="payroll.payrollrun", object_id=str(run.pk))
        .order_by("pk")
        .values_list("from_state", "to_state")
    )
    assert moves == [("queued", "importing"), ("importing", "draft"), ("draft", "published")]


# --- item 3: annulment and the adicional that replaces it -----------------------------


@pytest.fixture
def published(ugel07, persona):
    run = stored_upload(ugel07)
    import_payroll_task.func(run.pk)
    return payroll_publish(run=run, actor=persona("planillas"))


def test_annulment_needs_a_reason_and_keeps_every_payslip(published, client_for):
    officer = client_for("planillas")
    url = f"/planillas/{published.uuid}/"
    page = officer.get(url).content.decode()
    assert "Anular planilla" in page and 'name="form_token"' in page
    response = officer.post(f"{url}anular/", {"reason": "  "}, follow=True)
    assert "Escriba el motivo de la anulación" in response.content.decode()
    assert fresh(published).state == "published"

    reason = "Se publicó con el archivo de diciembre por error"
    response = officer.post(f"{url}anular/", {"reason": reason}, follow=True)
    body = response.content.decode()
    assert "Planilla anulada" in body and "Anulada" in body and reason in body
    run = fresh(published)
    assert run.state == "annulled" and run.annulled_reason == reason
    assert run.annulled_by.login_id == "01-20000002"
    slips = Payslip.objects.filter(run=run)
    assert slips.count() == 2 and all(s.published for s in slips)
    records = VerificationRecord.objects.filter(code__in=[s.verification_code for s in slips])
    assert {(r.status, r.annulled_reason) for r in records} == {("annulled", ANNULLED_PUBLIC)}
    event = AuditEvent.objects.get(action="payroll.run.annulled", object_id=str(run.pk))
    assert event.client_ip == "127.0.0.1" and event.after["reason"] == reason

    # the code verifies as annulled, with the public sentence, not the officer's words
    teacher_slip = slips.get(servant__doc_number="10000001")
    answer = Client().post("/verificar/", {"code": teacher_slip.verification_code})
    text = answer.content.decode()
    assert "Documento anulado." in text and "la reemplaza una planilla" in text
    assert "diciembre" not in text


def test_an_annulled_payslip_is_marked_in_mi_boleta(published, client_for):
    payroll_annul(run=published, actor=None, reason="archivo equivocado, se repone")
    slip = Payslip.objects.get(run=published, servant__doc_number="10000001")
    with time_machine.travel(datetime(2030, 1, 21, 9, tzinfo=LIMA), tick=False):
        client = client_for("servant")
        listing = client.get("/mi-boleta/?anio=2030").content.decode()
        assert "ENERO - 2030" in listing
        assert "Anulada: la reemplaza una planilla adicional" in listing
        detail = client.get(f"/mi-boleta/{slip.uuid}/").content.decode()
        assert "Boleta anulada." in detail and "Documento anulado" in detail
        assert client.get(f"/mi-boleta/{slip.uuid}/pdf/").content.startswith(b"%PDF")


def test_an_adicional_replaces_an_annulled_run(published, ugel07, client_for):
    payroll_annul(run=published, actor=None, reason="archivo equivocado, se repone")
    with pytest.raises(UserError, match="planilla adicional"):
        stored_upload(ugel07, OTHER_REM)
    extra = stored_upload(ugel07, OTHER_REM, additional=True)
    assert extra.sequence == 2 and fresh(published).state == "annulled"
    assert import_payroll_task.func(extra.pk) == 1
    payroll_publish(run=extra, actor=None)
    assert Payslip.objects.filter(run=published).count() == 2  # the annulled ones stay
    page = client_for("planillas").get(f"/planillas/{published.uuid}/").content.decode()
    assert f"/planillas/{extra.uuid}/" in page and "Adicional 1" in page
    # a background PDF task for the annulled run does nothing
    assert render_run_pdfs_task.func(published.pk) == 0


def test_only_the_units_payroll_officer_annuls(published, client_for, persona):
    from ayni.accounts.models import Role, RoleGrant

    reason = {"reason": "se publicó por error, mes equivocado"}
    assert (
        client_for("escalafon").post(f"/planillas/{published.uuid}/anular/", reason).status_code
        == 403
    )
    officer = persona("other_ugel_officer")
    RoleGrant.objects.create(
        user=officer, role=Role.PLANILLAS, unit=OrgUnit.objects.get(code="080001")
    )
    assert (
        client_for("other_ugel_officer")
        .post(f"/planillas/{published.uuid}/anular/", reason)
        .status_code
        == 404
    )
    assert client_for("planillas").get(f"/planillas/{published.uuid}/anular/").status_code == 405
    assert fresh(published).state == "published"


# --- item 4: servants of another unit, and the names on the run page ------------------

CUSCO_ROW = "01,10000004,APELLIDO,INVENTADO,PERSONA,1980-01-01,DOCENTE,I.E. 7072,,,,30,,02,,,,,,,,"


def test_a_servant_of_another_ugel_is_an_error_line_naming_no_one(ugel07, client_for):
    cusco = Servant.objects.select_related("employing_unit").get(doc_number="10000004")
    master = MASTER + b"\n" + CUSCO_ROW.encode()
    rem = GOOD_REM + "01|10000004|2001|1500.00|1500.00|\r\n"
    run = stored_upload(ugel07, rem, master)
    assert import_payroll_task.func(run.pk) == 0
    run = fresh(run)
    assert run.state == "failed"
    assert run.errors == [
        "maestro, línea 4: el servidor con documento 10000004 pertenece a otra UGEL: su "
        "traslado se registra primero en escalafón"
    ]
    assert not Payslip.objects.filter(run=run).exists()
    assert not Payslip.objects.filter(servant=cusco, year=2030, month=1).exists()
    page = client_for("planillas").get(f"/planillas/{run.uuid}/").content.decode()
    for secret in (cusco.paternal_surname, cusco.given_names, cusco.employing_unit.name):
        assert secret not in page


def test_the_run_page_shows_the_masters_names_never_the_registered_ones(ugel07, client_for):
    registered = Servant.objects.get(doc_number="10000002")
    master = MASTER.replace(b"MAMANI,CONDORI,JUAN CARLOS", b"NOMBRE,DEL MAESTRO,OTRO")
    run = stored_upload(ugel07, GOOD_REM, master)
    assert import_payroll_task.func(run.pk) == 2
    page = client_for("planillas").get(f"/planillas/{run.uuid}/").content.decode()
    assert "NOMBRE DEL MAESTRO, OTRO" in page
    assert registered.paternal_surname not in page and registered.given_names not in page


# --- item 5: every failure ends «Con errores», in Spanish ------------------------------


def _zip_of(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(NAME, text)
    return buffer.getvalue()


def _with_byte(data: bytes, line: int, byte: bytes = b"\x81") -> bytes:
    lines = data.split(b"\n")
    lines[line - 1] = lines[line - 1][:5] + byte + lines[line - 1][5:]
    return b"\n".join(lines)


FAILURES = {
    "zip renamed .rem": (_zip_of(GOOD_REM), MASTER, "rem, archivo: el archivo está comprimido"),
    "0x81 in the .rem": (
        _with_byte(GOOD_REM.encode(), 3),
        MASTER,
        "rem, línea 3: el byte 0x81 no es un carácter válido",
    ),
    "0x81 in the master": (
        GOOD_REM.encode(),
        _with_byte(MASTER, 2),
        "maestro, línea 2: el byte 0x81 no es un carácter válido",
    ),
    "a stray value after an empty master row": (
        GOOD_REM.encode(),
        MASTER + b"\n" + b"," * 25 + b"x",
        "maestro, línea 4: la fila tiene 26 columnas y la cabecera 22",
    ),
    "a master field over 128 KiB": (
        GOOD_REM.encode(),
        MASTER + b'\n01,10000009,"' + b"A" * (140 * 1024) + b'",X,Y',
        "maestro, línea 4: un campo supera el máximo de 128 KiB",
    ),
    "a UTF-16 .rem": (
        GOOD_REM.encode("utf-16"),
        MASTER,
        "rem, archivo: el archivo está en UTF-16",
    ),
    "a UTF-16 master without BOM": (
        GOOD_REM.encode(),
        MASTER.decode().encode("utf-16-le"),
        "maestro, archivo: el archivo está en UTF-16",
    ),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_every_broken_file_ends_failed_with_a_spanish_message(ugel07, case, client_for):
    rem, master, message = FAILURES[case]
    servants = Servant.objects.count()
    run = stored_upload(ugel07, rem, master)
    assert import_payroll_task.func(run.pk) == 0
    run = fresh(run)
    assert run.state == "failed" and run.progress == 100
    assert any(e.startswith(message) for e in run.errors), run.errors
    assert not Payslip.objects.filter(run=run).exists() and Servant.objects.count() == servants
    page = client_for("planillas").get(f"/planillas/{run.uuid}/").content.decode()
    assert "no se cargó nada" in page


def test_an_empty_master_row_is_skipped_like_a_blank_line(ugel07):
    master = HEADER + "\n" + TEACHER + "\n" + "," * 30 + "\n\n" + AUXILIAR
    run = stored_upload(ugel07, GOOD_REM, master.encode())
    assert import_payroll_task.func(run.pk) == 2
    assert fresh(run).state == "draft"


def test_an_unexpected_error_ends_failed_too(ugel07, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("ayni.payroll.importer.write_payslips", broken)
    run = stored_upload(ugel07)
    assert import_payroll_task.func(run.pk) == 0
    run = fresh(run)
    assert run.state == "failed" and run.errors == [INTERNAL_ERROR]
    assert not Payslip.objects.filter(run=run).exists()


def test_missing_stored_files_end_failed(ugel07):
    run = stored_upload(ugel07)
    default_storage.delete(run.rem_file)
    assert import_payroll_task.func(run.pk) == 0
    assert fresh(run).state == "failed" and fresh(run).errors == [INTERNAL_ERROR]


def test_line_numbers_are_physical_lines(ugel07):
    rem = (
        "01|10000001|2001|3612.60|3612.60|\r\n"  # 1
        "\f\r\n"  # 2: a form feed alone is a blank line, not two
        "01|10000001|0702||36.13|\x0b\n"  # 3: a vertical tab is part of its line
        "\n"  # 4
        "01|10000002|2001|1950.00|1950.00|\x1c\r"  # 5: CR alone ends a line too
        "01|10000001|9999|1|1|\n"  # 6
    )
    master = HEADER + "\n\f\n" + TEACHER + "\n\n" + AUXILIAR.replace("02,,,04", "77,,,04")
    run = stored_upload(ugel07, rem, master.encode())
    import_payroll_task.func(run.pk)
    errors = fresh(run).errors
    assert "maestro, línea 5: régimen pensionario «77» no existe en la Tabla 11" in errors
    assert (
        "rem, línea 5: el servidor con documento 10000002 no está en el archivo maestro" in errors
    )
    assert "rem, línea 6: el concepto «9999» no existe en la Tabla 22" in errors


def test_a_quoted_master_field_over_two_lines_keeps_the_numbers(ugel07):
    teacher = TEACHER.replace("I.E. 7072", '"I.E. 7072\nANEXO"', 1)
    master = HEADER + "\n" + teacher + "\n" + AUXILIAR.replace("02,,,04", "77,,,04")
    run = stored_upload(ugel07, GOOD_REM, master.encode())
    import_payroll_task.func(run.pk)
    assert fresh(run).errors == [
        "maestro, línea 4: régimen pensionario «77» no existe en la Tabla 11",
        "rem, línea 6: el servidor con documento 10000002 no está en el archivo maestro",
        "rem, línea 7: el servidor con documento 10000002 no está en el archivo maestro",
        "rem, línea 8: el servidor con documento 10000002 no está en el archivo maestro",
    ]


# --- item 7: one-time forms -------------------------------------------------------------


def _upload_data(ugel, token):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "ugel": ugel.pk,
        "year": 2030,
        "month": 1,
        "kind": "activos",
        "payment_date": "2030-01-20",
        "rem": SimpleUploadedFile(NAME, GOOD_REM.encode()),
        "master": SimpleUploadedFile("maestro.csv", MASTER),
        FORM_TOKEN: token,
    }


def test_a_repeated_upload_publish_or_annul_post_creates_nothing(ugel07, client_for):
    officer = client_for("planillas")
    token = new_token()
    first = officer.post("/planillas/cargar/", _upload_data(ugel07, token))
    again = officer.post("/planillas/cargar/", _upload_data(ugel07, token))
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert PayrollRun.objects.filter(ugel=ugel07, year=2030, month=1).count() == 1
    run = PayrollRun.objects.get(ugel=ugel07, year=2030, month=1)
    import_payroll_task.func(run.pk)

    token = new_token()
    for _ in range(2):
        response = officer.post(
            f"/planillas/{run.uuid}/publicar/", {"confirmar": "1", FORM_TOKEN: token}
        )
        assert response.status_code == 302
    assert (
        AuditEvent.objects.filter(action="payroll.run.published", object_id=str(run.pk)).count()
        == 1
    )

    token = new_token()
    for _ in range(2):
        officer.post(
            f"/planillas/{run.uuid}/anular/",
            {"reason": "mes equivocado, se repone", FORM_TOKEN: token},
        )
    assert (
        AuditEvent.objects.filter(action="payroll.run.annulled", object_id=str(run.pk)).count() == 1
    )
    # the same filing made again later, from a newly opened form, still goes through
    data = {**_upload_data(ugel07, new_token()), "additional": "on"}
    assert officer.post("/planillas/cargar/", data).status_code == 302
    assert PayrollRun.objects.filter(ugel=ugel07, year=2030, month=1).count() == 2


def test_the_upload_and_publish_forms_carry_a_token(ugel07, client_for):
    officer = client_for("planillas")
    assert 'name="form_token"' in officer.get("/planillas/cargar/").content.decode()
    run = stored_upload(ugel07)
    import_payroll_task.func(run.pk)
    page = officer.get(f"/planillas/{run.uuid}/").content.decode()
    assert page.count('name="form_token"') == 0  # «Publicar planilla» opens its confirmation
    confirm = officer.get(f"/planillas/{run.uuid}/publicar/").content.decode()
    assert confirm.count('name="form_token"') == 1  # the confirmed publish form
    assert Client().post("/planillas/cargar/").status_code in (302, 403)


# --- item 10: audit ------------------------------------------------------------------------


def test_the_run_page_is_one_event_naming_the_servants_it_showed(ugel07, client_for, servant_of):
    run = stored_upload(ugel07)
    officer = client_for("planillas")
    poll = {"HX-Request": "true"}
    before = AuditEvent.objects.count()
    # while the file waits and loads, the page and its 2 s poll show no names: no event
    assert "run-sample" not in officer.get(f"/planillas/{run.uuid}/").content.decode()
    for _ in range(3):
        assert "every 2s" in officer.get(f"/planillas/{run.uuid}/", headers=poll).content.decode()
    assert AuditEvent.objects.count() == before

    import_payroll_task.func(run.pk)
    before = AuditEvent.objects.count()
    # the poll that swaps the finished import in shows names: it is that page view
    swap = officer.get(f"/planillas/{run.uuid}/", headers=poll).content.decode()
    assert "QUISPE HUAMÁN" in swap and "every 2s" not in swap
    officer.get(f"/planillas/{run.uuid}/")
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.action for e in events] == ["payroll.run_viewed", "payroll.run_viewed"]
    shown = {servant_of("servant").pk, servant_of("other_servant").pk}
    assert all(set(e.subject_ids) == shown for e in events)
    assert all(e.client_ip == "127.0.0.1" and e.subject_id is None for e in events)

    # each servant shown sees it in «¿Quién vio mi legajo?»
    page = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "consultó una planilla con sus boletas" in page.lower()


def test_a_staff_payslip_download_names_its_servant(published, client_for, servant_of):
    teacher = servant_of("servant")
    slip = Payslip.objects.get(run=published, servant=teacher)
    officer = client_for("planillas")
    response = officer.get(f"/planillas/{published.uuid}/boletas/{slip.uuid}/pdf/")
    assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="payroll.payslip_viewed", object_id=str(slip.pk))
    assert (event.subject_type, event.subject_id) == ("servant", teacher.pk)
    assert event.client_ip == "127.0.0.1"
    page = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "consultó una boleta de pago" in page.lower()
    # a draft has no PDF for staff; another run's payslip is not reachable by this URL
    draft = stored_upload(ugel07 := published.ugel, OTHER_REM, additional=True)
    import_payroll_task.func(draft.pk)
    draft_slip = Payslip.objects.get(run=draft)
    assert officer.get(f"/planillas/{draft.uuid}/boletas/{draft_slip.uuid}/pdf/").status_code == 404
    assert officer.get(f"/planillas/{draft.uuid}/boletas/{slip.uuid}/pdf/").status_code == 404
    assert (
        client_for("escalafon")
        .get(f"/planillas/{published.uuid}/boletas/{slip.uuid}/pdf/")
        .status_code
        == 403
    )
    assert ugel07.code == "150108"


def test_payroll_changes_carry_the_client_address(ugel07, client_for):
    officer = client_for("planillas")
    officer.post("/planillas/cargar/", _upload_data(ugel07, new_token()), REMOTE_ADDR="203.0.113.7")
    run = PayrollRun.objects.get(ugel=ugel07, year=2030, month=1)
    import_payroll_task.func(run.pk)
    officer.post(f"/planillas/{run.uuid}/publicar/", {"confirmar": "1"}, REMOTE_ADDR="203.0.113.8")
    addresses = dict(
        AuditEvent.objects.filter(
            object_id=str(run.pk), action__in=["payroll.run_created", "payroll.run.published"]
        ).values_list("action", "client_ip")
    )
    assert addresses == {
        "payroll.run_created": "203.0.113.7",
        "payroll.run.published": "203.0.113.8",
    }


# --- PostgreSQL: the same races across connections -----------------------------------------

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
)


def _threads(*targets):
    errors: list[BaseException] = []

    def wrap(target):
        def run():
            try:
                target()
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


@pg_only
@pytest.mark.django_db(transaction=True)
def test_pg_two_publishes_at_once_publish_once(demo_data, persona):
    ugel = OrgUnit.objects.get(code="150108")
    run = stored_upload(ugel)
    import_payroll_task.func(run.pk)
    barrier = threading.Barrier(2)

    def publish():
        barrier.wait()
        payroll_publish(run=run, actor=None)

    errors = _threads(publish, publish)
    assert len(errors) == 1 and isinstance(errors[0], StaleStateError), errors
    codes = Payslip.objects.filter(run=run).values("verification_code")
    assert VerificationRecord.objects.filter(code__in=codes).count() == 2
    assert fresh(run).state == "published"


@pg_only
@pytest.mark.django_db(transaction=True)
def test_pg_concurrent_uploads_leave_one_live_run(demo_data):
    ugel = OrgUnit.objects.get(code="150108")
    barrier = threading.Barrier(3)

    def upload():
        barrier.wait()
        stored_upload(ugel)

    assert _threads(upload, upload, upload) == []
    runs = PayrollRun.objects.filter(ugel=ugel, year=2030, month=1)
    assert runs.count() == 3
    assert runs.exclude(state="superseded").count() == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_pg_an_import_finishing_while_a_newer_upload_commits_writes_nothing(demo_data):
    ugel = OrgUnit.objects.get(code="150108")
    first = stored_upload(ugel, GOOD_REM)
    building, uploaded = threading.Event(), threading.Event()
    newer = {}

    def hold(done, total):
        building.set()
        assert uploaded.wait(30)

    def import_first():
        newer["outcome"] = payroll_import(
            run=first, rem_name=NAME, rem_bytes=GOOD_REM.encode(), master_bytes=MASTER,
            progress=hold,
        )  # fmt: skip

    def upload_second():
        assert building.wait(30)
        newer["run"] = stored_upload(ugel, OTHER_REM)
        uploaded.set()

    assert _threads(import_first, upload_second) == []
    assert newer["outcome"].stale
    assert fresh(first).state == "superseded"
    assert not Payslip.objects.filter(run=first).exists()
    assert import_payroll_task.func(newer["run"].pk) == 1
