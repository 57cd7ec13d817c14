"""Mi boleta: import validation on hand-made files, totals, re-import, publication,
the payment-date gate, scoping, PDFs and verification."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from pypdf import PdfReader

from ayni.core.errors import UserError
from ayni.core.models import AuditEvent, VerificationRecord, WorkItem
from ayni.org.models import OrgUnit
from ayni.payroll.importer import PayrollError, payroll_import
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.pdf import payslip_pdf, render_payslip
from ayni.payroll.services import payroll_publish, run_for_upload
from ayni.personnel.models import Servant

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")
RUC = "20330611023"
NAME = f"0601203001{RUC}.rem"  # January 2030: no demo run there
HEADER = (
    "tipo_doc,num_doc,apellido_paterno,apellido_materno,nombres,fecha_nacimiento,cargo,"
    "establecimiento,codigo_modular,tipo_servidor,nivel_escala,jornada_horas,"
    "regimen_laboral,regimen_pensionario,cuspp,fecha_afiliacion,cuenta_bancaria,"
    "leyenda_permanente,leyenda_mensual,fecha_ingreso,fecha_termino,tiempo_servicio"
)
TEACHER = (
    "01,10000001,QUISPE,HUAMÁN,ROSA ELENA,1978-05-14,PROFESORA DE AULA,I.E. 7072,"
    "0312603,DOCENTE,III,30,LEY 29944,21,598761RQHME0,2005-04-01,04-0001,,,2005-03-01,,"
)
AUXILIAR = (
    "01,10000002,MAMANI,CONDORI,JUAN CARLOS,1985-09-02,AUXILIAR,I.E. 7072,0312603,"
    "AUXILIAR,,30,LEY 30493,02,,,04-0002,,,2011-03-01,,"
)
MASTER = "\n".join([HEADER, TEACHER, AUXILIAR]).encode()
GOOD_REM = (
    "01|10000001|2001|3612.60|3612.60|\r\n"
    "01|10000001|2005|150|150|\r\n"
    "01|10000001|0608||376.56|\r\n"
    "\r\n"
    "01|10000001|0702||36.13\r\n"
    "01|10000002|2001|1950.00|1950.00|\r\n"
    "01|10000002|2009|400.00|400.00|\r\n"
    "01|10000002|0702||19.50|\r\n"
)


@pytest.fixture
def ugel07(demo_data):
    return OrgUnit.objects.get(code="150108")


def upload(ugel, *, additional=False, day=20, actor=None):
    """A new upload of January 2030 (each upload is its own run)."""
    return run_for_upload(
        ugel=ugel,
        year=2030,
        month=1,
        kind="activos",
        payment_date=date(2030, 1, day),
        additional=additional,
        actor=actor,
    )


@pytest.fixture
def run(ugel07, persona):
    return upload(ugel07, actor=persona("planillas"))


def load(run, rem=GOOD_REM, master=MASTER, name=NAME, encoding="utf-8"):
    data = rem.encode(encoding) if isinstance(rem, str) else rem
    return payroll_import(run=run, rem_name=name, rem_bytes=data, master_bytes=master)


# --- a clean file -------------------------------------------------------------------


def test_clean_file_loads_with_computed_onp_and_essalud(run):
    outcome = load(run)
    assert outcome.ok, outcome.errors
    assert (outcome.payslips, outcome.lines) == (2, 7)
    teacher = Payslip.objects.get(run=run, servant__doc_number="10000001")
    assert teacher.gross == Decimal("3762.60")
    assert teacher.deductions == Decimal("412.69")
    assert teacher.net == Decimal("3349.91")
    assert teacher.taxable_base == Decimal("3762.60")  # AFP affiliate: income subject to AFP
    codes = [line["code"] for line in teacher.lines]
    assert "0607" not in codes  # AFP affiliates pay no ONP
    essalud = next(x for x in teacher.lines if x["code"] == "0804")
    assert essalud == {
        "code": "0804",
        "kind": "APORTE_EMPLEADOR",
        "amount": "338.63",
        "computed": True,
        "name": essalud["name"],
    }
    aux = Payslip.objects.get(run=run, servant__doc_number="10000002")
    onp = next(x for x in aux.lines if x["code"] == "0607")
    # ONP 13% of the income subject to ONP: the escolaridad (2009) is not subject
    assert onp["amount"] == "253.50" and onp["computed"] is True
    assert aux.gross == Decimal("2350.00")
    assert aux.deductions == Decimal("273.00")
    assert aux.net == Decimal("2077.00")
    assert aux.taxable_base == Decimal("1950.00")
    run.refresh_from_db()
    assert run.state == "draft"
    assert run.ruc == RUC
    assert run.total_net == Decimal("5426.91")
    assert len(run.rem_sha256) == 64


def test_windows_1252_lf_and_no_trailing_pipe_are_accepted(run):
    rem = GOOD_REM.replace("\r\n", "\n").replace("|\n", "\n")
    master = MASTER.decode().encode("cp1252")
    outcome = load(run, rem=rem, master=master, encoding="cp1252")
    assert outcome.ok, outcome.errors
    teacher = Payslip.objects.get(run=run, servant__doc_number="10000001")
    assert teacher.header["apellidos"] == "QUISPE HUAMÁN"


MESSY_REM = (  # GOOD_REM as real files come: spaces, «1» for «01», mixed line ends,
    # amounts with one or no decimals, a servant's lines apart, blank lines between
    "1|10000002|2001|1950|1950.0\n"
    " 01 | 10000001 | 2001 | 3612.6 | 3612.60 |\r\n"
    "01|10000002|0702||19.5|\n"
    "\n   \n"
    "01|10000001|2005|150.00|150|\r\n"
    "01|10000001|0608||376.56|\n"
    "01|10000002|2009|400.00|400.00\n"
    "01|10000001|0702||36.13\r\n"
)


def _snapshot(run):
    return {
        p.servant.doc_number: (p.lines, p.gross, p.deductions, p.net, p.taxable_base)
        for p in Payslip.objects.filter(run=run).select_related("servant")
    }


def test_a_messy_file_gives_the_same_payslips_as_a_tidy_one(run, ugel07):
    assert load(run).ok
    tidy = _snapshot(run)
    messy = upload(ugel07)
    outcome = load(messy, rem=MESSY_REM)
    assert outcome.ok, outcome.errors
    assert (outcome.payslips, outcome.lines) == (2, 7)
    assert _snapshot(messy) == tidy


def test_header_text_is_stored_exactly(run):
    legend = 'Pago según R.D. N° 123\\2030 "urgente"\tver C:\\boletas\\n'
    quoted = '"' + legend.replace('"', '""') + '"'
    master = MASTER.replace(b",04-0001,,,2005", f",04-0001,,{quoted},2005".encode())
    outcome = load(run, master=master)
    assert outcome.ok, outcome.errors
    slip = Payslip.objects.get(run=run, servant__doc_number="10000001")
    assert slip.header["leyenda_mensual"] == legend
    assert slip.header["apellidos"] == "QUISPE HUAMÁN"


def test_deductions_above_income_give_a_negative_net(run):
    rem = "01|10000002|2001|100.00|100.00|\n01|10000002|0702||150.00|\n"
    assert load(run, rem=rem).ok
    slip = Payslip.objects.get(run=run)
    assert slip.deductions == Decimal("163.00")  # 150 + ONP 13 % of 100
    assert slip.net == Decimal("-63.00")


def test_master_fields_go_to_the_snapshot_never_to_the_file(run, servant_of):
    before = Servant.objects.get(doc_number="10000002").position
    master = MASTER.replace(b"AUXILIAR,I.E. 7072", b"AUXILIAR SENIOR,I.E. 7072")
    load(run, master=master)
    slip = Payslip.objects.get(run=run, servant__doc_number="10000002")
    assert slip.header["cargo"] == "AUXILIAR SENIOR"
    assert Servant.objects.get(doc_number="10000002").position == before


# --- every validation rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("02|10000001|2001|10.00|10.00|", "tipo de documento «02» no válido"),
        ("01|1000001|2001|10.00|10.00|", "el DNI «1000001» debe tener 8 dígitos"),
        ("01|10000001|9999|10.00|10.00|", "el concepto «9999» no existe"),
        ("01|10000001|0100|10.00|10.00|", "no puede declararse en un .rem"),
        ("01|10000001|0607||10.00|", "no puede declararse en un .rem"),
        ("01|10000001|2003|1,234.00|1,234.00|", "monto «1,234.00» no válido"),
        ("01|10000001|2003|12345678|12345678|", "monto «12345678» no válido"),
        ("01|10000001|2003|10.123|10.123|", "monto «10.123» no válido"),
        ("01|10000001|2003|||", "la línea no tiene monto"),
        ("01|10000002|0608||10.00|", "es solo para afiliados a una AFP"),
        ("01|10000003|2001|10.00|10.00|", "no está en el archivo maestro"),
        ("01|10000001|2001|10.00|10.00|", "el concepto 2001 se repite"),
        ("01|10000001|2003|10.00", "se esperaban 5 campos"),
    ],
)
def test_each_bad_line_is_reported_with_its_number_and_nothing_loads(run, line, message):
    rem = GOOD_REM + line + "\r\n"
    outcome = load(run, rem=rem)
    assert not outcome.ok
    assert any(message in e and "línea 9" in e for e in outcome.errors), outcome.errors
    assert not Payslip.objects.filter(run=run).exists()
    run.refresh_from_db()
    assert run.state == "failed"
    assert run.errors == outcome.errors


def test_all_errors_are_reported_at_once(run):
    rem = "01|1|2001|1|1|\n01|10000001|9999|1|1|\n\n01|10000003|2001|1|1|\n"
    outcome = load(run, rem=rem)
    assert [e.split(":")[0] for e in outcome.errors] == [
        "rem, línea 1",
        "rem, línea 2",
        "rem, línea 4",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("planilla.rem", "El nombre del archivo debe ser 0601AAAAMM<RUC>.rem"),
        ("0601203001" + "20330611024.rem", "dígito verificador"),
        ("0601202912" + RUC + ".rem", "el archivo es del periodo 12/2029"),
    ],
)
def test_file_name_period_and_ruc_are_checked(run, name, message):
    outcome = load(run, name=name)
    assert not outcome.ok
    assert any(message in e for e in outcome.errors), outcome.errors


@pytest.mark.parametrize(
    ("master", "message"),
    [
        (b"tipo_doc,num_doc\n01,10000001\n", "faltan columnas"),
        (MASTER.replace(b",02,,,04-0002", b",77,,,04-0002"), "régimen pensionario «77» no existe"),
        (MASTER.replace(b"598761RQHME0", b""), "CUSPP de 12 caracteres"),
        (MASTER.replace(b"1985-09-02", b"02/09/1985"), "formato AAAA-MM-DD"),
        (MASTER + b"\n" + AUXILIAR.encode(), "se repite en el maestro"),
    ],
)
def test_master_file_is_validated(run, master, message):
    outcome = load(run, master=master)
    assert not outcome.ok
    assert any(message in e and e.startswith("maestro") for e in outcome.errors), outcome.errors


# --- re-import, drafts, published runs, additional runs -------------------------------


def test_the_same_file_twice_never_duplicates_a_payslip(run, ugel07):
    load(run)
    again = upload(ugel07, day=21)
    assert again.pk != run.pk and again.sequence == run.sequence == 1
    run.refresh_from_db()
    assert run.state == "superseded" and run.superseded_by_id == again.pk
    load(again)
    assert Payslip.objects.filter(run__year=2030, run__month=1).count() == 2
    assert Payslip.objects.filter(run=again).count() == 2
    live = PayrollRun.objects.filter(ugel=ugel07, year=2030, month=1).exclude(state="superseded")
    assert list(live) == [again]


def test_a_draft_is_replaced_by_a_new_file(run, ugel07):
    load(run)
    newer = upload(ugel07)
    load(newer, rem="01|10000001|2001|100.00|100.00|\n")
    assert list(Payslip.objects.filter(run=newer).values_list("gross", flat=True)) == [
        Decimal("100.00")
    ]
    assert not Payslip.objects.filter(run=run).exists()  # a replaced draft's payslips go


def test_a_published_run_never_changes_and_corrections_are_additional(run, ugel07, persona):
    load(run)
    payroll_publish(run=run, actor=persona("planillas"))
    outcome = load(run)  # the same run again: nothing happens, and it says so
    assert outcome.stale and not outcome.ok and "Publicada" in outcome.errors[0]
    with pytest.raises(PayrollError, match="planilla adicional"):
        upload(ugel07, day=25)
    extra = upload(ugel07, day=25, additional=True)
    assert extra.sequence == 2
    assert load(extra, rem="01|10000002|2001|80.00|80.00|\n").ok
    assert Payslip.objects.filter(run=run).count() == 2
    run.refresh_from_db()
    assert run.state == "published"
    with pytest.raises(UserError):
        payroll_publish(run=run, actor=None)


def test_unknown_servant_is_created_flagged_for_escalafon(run):
    master = MASTER + b"\n01,41234567,PEREZ,ROJAS,ANA,1990-01-01,DOCENTE,I.E.,,,,30,,02,,,,,,,,"
    outcome = load(run, rem=GOOD_REM + "01|41234567|2001|1500.00|1500.00|\n", master=master)
    assert outcome.ok and outcome.created_servants == 1
    new = Servant.objects.get(doc_number="41234567")
    assert new.needs_completion and new.employing_unit.code == "150108"
    assert WorkItem.objects.filter(
        kind="personnel.complete_records", state="open", source_id=str(run.pk)
    ).exists()


def test_failed_import_creates_no_servant(run):
    master = MASTER + b"\n01,41234567,PEREZ,ROJAS,ANA,1990-01-01,DOCENTE,I.E.,,,,30,,02,,,,,,,,"
    load(run, rem=GOOD_REM + "01|41234567|2001|1500.00|1500.00|\n01|1|2001|1|1|\n", master=master)
    assert not Servant.objects.filter(doc_number="41234567").exists()


# --- publication and the payment-date gate -----------------------------------------


@pytest.fixture
def published(run, persona):
    load(run)
    return payroll_publish(run=run, actor=persona("planillas"))


def test_publication_creates_verification_records_and_audit(published):
    slips = Payslip.objects.filter(run=published)
    assert all(s.published for s in slips)
    codes = [s.verification_code for s in slips]
    records = VerificationRecord.objects.filter(code__in=codes)
    assert records.count() == 2
    teacher = records.get(code=slips.get(servant__doc_number="10000001").verification_code)
    assert teacher.summary["Titular"] == "Q***** H*****, R*** E****"
    assert teacher.summary["Documento de identidad"] == "DNI ****0001"
    assert teacher.summary["Neto a pagar"] == "S/\u00a03,349.91"
    assert teacher.summary["Periodo"] == "ENERO - 2030"
    event = AuditEvent.objects.get(action="payroll.run.published", object_id=str(published.pk))
    assert event.before == {"state": "draft"} and event.after["state"] == "published"


def test_payslip_appears_at_midnight_lima_on_payment_day(published, client_for):
    slip = Payslip.objects.get(run=published, servant__doc_number="10000001")
    with time_machine.travel(datetime(2030, 1, 19, 23, 59, 59, tzinfo=LIMA), tick=False):
        client = client_for("servant")  # a session opened "now", in 2030
        listing = client.get("/mi-boleta/?anio=2030").content.decode()
        assert "ENERO - 2030" not in listing
        assert client.get(f"/mi-boleta/{slip.uuid}/").status_code == 404
        assert client.get(f"/mi-boleta/{slip.uuid}/pdf/").status_code == 404
    with time_machine.travel(datetime(2030, 1, 20, 0, 0, 0, tzinfo=LIMA), tick=False):
        listing = client.get("/mi-boleta/").content.decode()
        assert "ENERO - 2030" in listing
        assert "S/\u00a03,349.91" in listing
        assert client.get(f"/mi-boleta/{slip.uuid}/").status_code == 200


def test_demo_servant_has_24_months_and_one_scheduled(servant_of, client_for):
    teacher = servant_of("servant")
    slips = Payslip.objects.filter(servant=teacher, published=True)
    from django.utils import timezone

    today = timezone.localdate()
    regular = slips.filter(run__sequence=1)
    assert regular.filter(payment_date__lte=today).count() == 24
    assert regular.filter(payment_date__gt=today).count() == 1
    # two months back: an adicional annulled by mistake and the adicional replacing it
    extra = slips.filter(run__sequence__gt=1)
    assert sorted(extra.values_list("run__state", flat=True)) == ["annulled", "published"]
    # an adicional pays what the month's run left out, never the whole salary again
    assert {slip.net for slip in extra} == {Decimal("225.00")}
    listing = client_for("servant").get("/mi-boleta/").content.decode()
    # «Últimos 12 meses»: the twelve monthly payslips and the month's two adicionales
    assert listing.count('<li class="payslip">') == 14
    assert "Anulada: la reemplaza una planilla adicional" in listing


def test_payslips_are_scoped(published, client_for):
    slip = Payslip.objects.get(run=published, servant__doc_number="10000001")
    with time_machine.travel(datetime(2030, 2, 1, tzinfo=LIMA), tick=False):
        assert client_for("other_servant").get(f"/mi-boleta/{slip.uuid}/").status_code == 404
        assert client_for("other_servant").get(f"/mi-boleta/{slip.uuid}/pdf/").status_code == 404
        assert client_for("planillas").get(f"/mi-boleta/{slip.uuid}/").status_code == 404
    run_url = f"/planillas/{published.uuid}/"
    assert "ENERO - 2030" in client_for("planillas").get(run_url).content.decode()
    assert client_for("escalafon").get(run_url).status_code == 403
    assert client_for("servant").get("/planillas/").status_code == 403


def test_payroll_officer_of_another_ugel_gets_404(published, client_for, persona):
    from ayni.accounts.models import Role, RoleGrant

    officer = persona("other_ugel_officer")
    RoleGrant.objects.create(
        user=officer, role=Role.PLANILLAS, unit=OrgUnit.objects.get(code="080001")
    )
    client = client_for("other_ugel_officer")
    assert client.get(f"/planillas/{published.uuid}/").status_code == 404
    assert client.post(f"/planillas/{published.uuid}/publicar/").status_code == 404
    assert "ENERO - 2030" not in client.get("/planillas/").content.decode()


# --- PDF and verification ------------------------------------------------------------


def test_pdf_carries_the_payslip_fields_and_is_one_a4_page(published):
    slip = Payslip.objects.select_related("run").get(run=published, servant__doc_number="10000001")
    pdf = render_payslip(slip)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = reader.pages[0].extract_text()
    for expected in (
        "BOLETA DE PAGO",
        "ENERO - 2030",
        "QUISPE HUAMÁN",
        "ROSA ELENA",
        "DNI 10000001",
        "I.E. 7072",
        "0312603",
        "PROFESORA DE AULA",
        "598761RQHME0",
        "REMUNERACIÓN",
        "3,612.60",
        "T-REMUN",
        "T-DSCTO",
        "T-LIQUI",
        "S/ 3,349.91",
        "MImponible",
        "14/05/1978",
        "UGEL 07 SAN BORJA",
        slip.verification_code[:4],
    ):
        assert expected in text, expected
    assert "/StructTreeRoot" in pdf.decode("latin-1")  # tagged for screen readers
    assert "/FontFile2" in pdf.decode("latin-1")  # fonts embedded
    assert render_payslip(slip) == pdf  # deterministic


def test_pdf_is_rendered_once_and_verifiable(published, client_for, monkeypatch):
    slip = Payslip.objects.get(run=published, servant__doc_number="10000001")
    with time_machine.travel(datetime(2030, 1, 20, 9, tzinfo=LIMA), tick=False):
        client = client_for("servant")
        response = client.get(f"/mi-boleta/{slip.uuid}/pdf/")
        assert response["Content-Disposition"].startswith(
            'attachment; filename="boleta-2030-01.pdf"'
        )
        assert response["Cache-Control"] == "no-store"
        first = response.content
        calls = []
        monkeypatch.setattr("ayni.payroll.pdf.render_payslip", lambda p: calls.append(p) or b"")
        assert client.get(f"/mi-boleta/{slip.uuid}/pdf/").content == first
        assert calls == []
    slip.refresh_from_db()
    record = VerificationRecord.objects.get(code=slip.verification_code)
    assert record.pdf_sha256 == slip.pdf_sha256
    anonymous = Client()
    genuine = anonymous.post(
        "/verificar/", {"code": slip.verification_code, "pdf": SimpleUploadedFile("b.pdf", first)}
    )
    body = genuine.content.decode()
    assert "Documento válido." in body and "idéntico, byte por byte" in body
    assert "S/\u00a03,349.91" in body and "Q***** H*****" in body
    assert "QUISPE" not in body
    altered = first + b"\n% edited\n"  # any change at all, even one byte
    tampered = anonymous.post(
        "/verificar/", {"code": slip.verification_code, "pdf": SimpleUploadedFile("b.pdf", altered)}
    )
    assert "NO es idéntico" in tampered.content.decode()


def test_payslip_pdf_service_reuses_the_stored_file(published):
    slip = Payslip.objects.select_related("run").get(run=published, servant__doc_number="10000002")
    first = payslip_pdf(slip)
    slip.refresh_from_db()
    assert slip.pdf_file and slip.pdf_sha256
    assert payslip_pdf(Payslip.objects.get(pk=slip.pk)) == first


def test_publication_renders_every_pdf_in_the_background(
    run, persona, settings, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PAYROLL_PRERENDER_PDF = True
    load(run)
    officer = client_for("planillas")
    with django_capture_on_commit_callbacks(execute=True):
        payroll_publish(run=run, actor=persona("planillas"))
    slips = list(Payslip.objects.filter(run=run))
    assert len(slips) == 2 and all(s.pdf_file and s.pdf_sha256 for s in slips)
    for slip in slips:
        record = VerificationRecord.objects.get(code=slip.verification_code)
        assert record.pdf_sha256 == slip.pdf_sha256
    page = officer.get(f"/planillas/{run.uuid}/").content.decode()
    assert "Boletas en PDF ya generadas: 2 de 2." in page
    # payment day serves the stored file: nothing is rendered again
    monkeypatch.setattr("ayni.payroll.pdf.render_payslip", lambda p: pytest.fail("rendered"))
    teacher = next(s for s in slips if s.header["documento"].endswith("10000001"))
    with time_machine.travel(datetime(2030, 1, 20, 9, tzinfo=LIMA), tick=False):
        response = client_for("servant").get(f"/mi-boleta/{teacher.uuid}/pdf/")
    assert response.content.startswith(b"%PDF")


def test_a_run_published_without_prerendering_says_how_many_pdfs_exist(published, client_for):
    page = client_for("planillas").get(f"/planillas/{published.uuid}/").content.decode()
    assert "Boletas en PDF ya generadas: 0 de 2." in page
    assert "las que falten se generan cuando el servidor las descargue" in page


# --- the two ways in: the upload page (background task) and the command -------------


def test_upload_page_runs_the_import_in_the_background(
    client_for, ugel07, django_capture_on_commit_callbacks
):
    client = client_for("planillas")
    form = client.get("/planillas/cargar/").content.decode()
    assert "UGEL 07 SAN BORJA" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/planillas/cargar/",
            {
                "ugel": ugel07.pk,
                "year": 2030,
                "month": 1,
                "kind": "activos",
                "payment_date": "2030-01-20",
                "rem": SimpleUploadedFile(NAME, GOOD_REM.encode()),
                "master": SimpleUploadedFile("maestro.csv", MASTER),
            },
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Borrador" in page and "Publicar planilla" in page
    run = PayrollRun.objects.get(ugel=ugel07, year=2030, month=1)
    assert run.payslip_count == 2
    client.post(f"/planillas/{run.uuid}/publicar/", {"confirmar": "1"})
    run.refresh_from_db()
    assert run.state == "published"


def test_upload_page_refuses_a_misnamed_file_and_keeps_the_form(client_for, ugel07):
    response = client_for("planillas").post(
        "/planillas/cargar/",
        {
            "ugel": ugel07.pk,
            "year": 2030,
            "month": 1,
            "kind": "activos",
            "payment_date": "2030-01-20",
            "rem": SimpleUploadedFile("octubre.txt", b"x"),
            "master": SimpleUploadedFile("maestro.csv", MASTER),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "0601AAAAMM&lt;RUC&gt;.rem" in body
    assert 'value="2030-01-20"' in body
    # the name to copy: UGEL 07's RUC and the period chosen
    ruc = PayrollRun.objects.filter(ugel=ugel07).exclude(ruc="").latest("created_at").ruc
    assert f"el nombre es 0601203001{ruc}.rem" in body
    # both files come back empty: each says it must be attached again
    assert body.count("Vuelva a adjuntar el archivo") == 2
    assert PayrollRun.objects.filter(year=2030, month=1).count() == 0


def test_failed_upload_shows_every_error(client_for, ugel07, django_capture_on_commit_callbacks):
    client = client_for("planillas")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/planillas/cargar/",
            {
                "ugel": ugel07.pk,
                "year": 2030,
                "month": 1,
                "kind": "activos",
                "payment_date": "2030-01-20",
                "rem": SimpleUploadedFile(NAME, (GOOD_REM + "01|1|2001|1|1|\n").encode()),
                "master": SimpleUploadedFile("maestro.csv", MASTER),
            },
        )
    page = client.get(response["Location"]).content.decode()
    assert "no se cargó nada" in page
    assert "rem, línea 9: el DNI «1» debe tener 8 dígitos" in page


def test_management_command_imports_and_publishes(ugel07, tmp_path, capsys):
    rem, master = tmp_path / NAME, tmp_path / "maestro.csv"
    rem.write_text(GOOD_REM)
    master.write_bytes(MASTER)
    call_command(
        "import_payroll",
        str(rem),
        str(master),
        "--ugel",
        "150108",
        "--payment-date",
        "2030-01-20",
        "--publish",
    )
    assert "2 boletas de 7 líneas" in capsys.readouterr().out
    assert PayrollRun.objects.get(ugel=ugel07, year=2030, month=1).state == "published"
    bad = tmp_path / f"0601203002{RUC}.rem"
    bad.write_text("01|1|2001|1|1|\n")
    with pytest.raises(CommandError, match="no se cargó nada"):
        call_command(
            "import_payroll",
            str(bad),
            str(master),
            "--ugel",
            "150108",
            "--payment-date",
            "2030-02-20",
        )


def test_synthetic_sector_payslips_are_published_and_visible(demo_data):
    from ayni.payroll.selectors import visible_payslips
    from ayni.payroll.synthetic import generate_payslips
    from ayni.personnel.demo import generate_servants

    generate_servants(60, with_accounts=True)
    written = generate_payslips(2)
    synthetic = Servant.objects.filter(doc_number__startswith="4")
    assert written >= synthetic.count() * 2
    one = synthetic.select_related("user").first()
    slips = visible_payslips(one.user)
    assert slips.count() == 2
    slip = slips.first()
    assert slip.net == slip.gross - slip.deductions
    assert slip.header["documento"] == f"DNI {one.doc_number}"
    assert generate_payslips(2) == 0  # idempotent


def test_a_stored_pdf_lost_from_the_folder_is_made_again_with_the_same_bytes(
    client_for, servant_of
):
    from django.core.files.storage import default_storage

    slip = (
        Payslip.objects.filter(servant=servant_of("servant"), published=True)
        .filter(payment_date__lte=date.today())
        .first()
    )
    client = client_for("servant")
    first = client.get(f"/mi-boleta/{slip.uuid}/pdf/").content
    slip.refresh_from_db()
    default_storage.delete(slip.pdf_file)
    assert not default_storage.exists(slip.pdf_file)
    again = client.get(f"/mi-boleta/{slip.uuid}/pdf/")
    assert again.status_code == 200 and again.content == first
    slip.refresh_from_db()
    with default_storage.open(slip.pdf_file, "rb") as handle:
        assert handle.read() == first
