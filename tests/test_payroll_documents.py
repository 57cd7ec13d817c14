"""Issue 11, payroll: what a teacher and an officer actually see on the payslip and in
the payroll pages.

- A pensioner's payslip: EsSalud 0610 (4 %, Ley 26790 art. 6) withheld from the pension,
  no employer 0804, no ONP, no AFP lines; the rate is data with its validity date.
- «Tiempo de servicio»: computed from the file when the master leaves it empty; the
  demo's payslips agree with the files (the retired teacher entered in 1980) and the
  Cusco and Cañete teachers have their own UGEL's runs.
- «Publicar planilla» asks for confirmation with what will happen.
- The payroll officer's guide, its sample files (which import cleanly), a master with
  only the required columns, «Volver a cargar» on a failed upload.
- `manage.py` from a checkout without production configuration runs as `make run` does.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from ayni.core.formtoken import FIELD as FORM_TOKEN
from ayni.core.formtoken import new_token
from ayni.core.models import AuditEvent
from ayni.org.models import OrgUnit, PayrollConcept
from ayni.payroll import samples
from ayni.payroll.demo import HEADER
from ayni.payroll.importer import payroll_import, rates_for
from ayni.payroll.models import ContributionRate, PayrollRun, Payslip
from ayni.payroll.pdf import payslip_pdf
from ayni.payroll.service_times import service_times
from ayni.payroll.services import payroll_publish, run_for_upload
from ayni.personnel.file_selectors import compute_service_time
from ayni.personnel.models import Servant

pytestmark = pytest.mark.django_db

RUC = "20330611023"
PENSIONER = (
    "01,10000003,TORRES,SALAZAR,VÍCTOR HUGO,1956-01-20,PROFESOR DE AULA (CESANTE),"
    "I.E. 6069,0507525,CESANTE,V,,LEY 29944,03,,,04-0003,,,1980-04-01,2021-12-31,"
)
PENSION_REM = (
    "01|10000003|2001|3150.00|3150.00|\r\n"
    "01|10000003|2009|400.00|400.00|\r\n"  # escolaridad: not subject to EsSalud
    "01|10000003|0702||15.00|\r\n"
)


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _import(ugel, kind, rem, master, *, year=2030, month=2, ruc=RUC):
    run = run_for_upload(
        ugel=ugel,
        year=year,
        month=month,
        kind=kind,
        payment_date=date(year, month, 20),
        additional=False,
        actor=None,
    )
    outcome = payroll_import(
        run=run,
        rem_name=f"0601{year}{month:02d}{ruc}.rem",
        rem_bytes=rem.encode(),
        master_bytes=master.encode() if isinstance(master, str) else master,
    )
    return run, outcome


@pytest.fixture
def ugel07(demo_data):
    return OrgUnit.objects.get(code="150108")


# --- pensioners ---------------------------------------------------------------------


def test_a_pensioner_has_4_percent_essalud_withheld_and_no_employer_or_pension_lines(ugel07):
    run, outcome = _import(ugel07, "cesantes", PENSION_REM, f"{HEADER}\n{PENSIONER}\n")
    assert outcome.ok, outcome.errors
    slip = Payslip.objects.get(run=run)
    lines = {line["code"]: line for line in slip.lines}
    assert set(lines) == {"2001", "2009", "0702", "0610"}  # no 0804, no 0607, no AFP line
    assert lines["0610"] == {
        "code": "0610",
        "name": "ESSALUD - SEGURO REGULAR - PENSIONISTA",
        "kind": "APORTE_TRABAJADOR",
        "computed": True,
        "amount": "126.00",  # 4 % of 3,150.00 (the escolaridad is not subject to EsSalud)
    }
    assert slip.gross == Decimal("3550.00")
    assert slip.deductions == Decimal("141.00")  # 15.00 union + 126.00 EsSalud
    assert slip.net == Decimal("3409.00")
    assert slip.employer_contributions == Decimal("0.00")
    assert slip.taxable_base == Decimal("3150.00")
    run.refresh_from_db()
    assert run.total_net == Decimal("3409.00")


def test_the_pensioner_rate_is_data_with_its_validity_date(ugel07):
    concept = PayrollConcept.objects.get(code="0610")
    first = ContributionRate.objects.get(concept=concept)
    assert (first.rate, first.valid_from) == (Decimal("0.0400"), date(1997, 5, 17))
    assert "0610" not in rates_for(1997, 5)  # the law is of 17/05/1997
    assert rates_for(1997, 6)["0610"] == Decimal("0.0400")
    # a new rate from a later period applies from then on, the old periods keep theirs
    ContributionRate.objects.create(
        concept=concept, rate=Decimal("0.0450"), valid_from=date(2030, 3, 1)
    )
    run, outcome = _import(ugel07, "cesantes", PENSION_REM, f"{HEADER}\n{PENSIONER}\n", month=3)
    assert outcome.ok, outcome.errors
    slip = Payslip.objects.get(run=run)
    assert next(x for x in slip.lines if x["code"] == "0610")["amount"] == "141.75"
    assert slip.net == Decimal("3550.00") - Decimal("15.00") - Decimal("141.75")
    assert rates_for(2030, 2)["0610"] == Decimal("0.0400")


def test_a_pensioner_run_refuses_afp_lines(ugel07):
    rem = PENSION_REM + "01|10000003|0608||300.00|\r\n"
    run, outcome = _import(ugel07, "cesantes", rem, f"{HEADER}\n{PENSIONER}\n")
    assert not outcome.ok
    assert outcome.errors == [
        "rem, línea 4: el concepto 0608 es un aporte a una AFP y una planilla de cesantes y "
        "pensionistas no lleva aportes a una AFP"
    ]
    assert not Payslip.objects.filter(run=run).exists()


def test_a_pensioner_run_without_a_rate_for_the_period_loads_nothing(ugel07):
    ContributionRate.objects.filter(concept__code="0610").delete()
    _, outcome = _import(ugel07, "cesantes", PENSION_REM, f"{HEADER}\n{PENSIONER}\n")
    assert not outcome.ok
    assert (
        "no hay una tasa de EsSalud de pensionistas (0610) vigente en 02/2030" in outcome.errors[0]
    )


def test_an_active_servant_keeps_onp_and_employer_essalud(ugel07):
    row = (
        "01,10000002,MAMANI,CONDORI,JUAN CARLOS,1985-09-02,AUXILIAR,I.E. 7072,0312603,"
        "AUXILIAR,,30,LEY 30493,02,,,04-0002,,,2011-03-01,,"
    )
    run, outcome = _import(
        ugel07, "activos", "01|10000002|2001|1950.00|1950.00|\r\n", f"{HEADER}\n{row}\n"
    )
    assert outcome.ok, outcome.errors
    codes = {x["code"]: x["amount"] for x in Payslip.objects.get(run=run).lines}
    assert codes == {"2001": "1950.00", "0607": "253.50", "0804": "175.50"}


def test_the_demo_pensioner_payslip_and_pdf_show_the_withholding(servant_of, client_for):
    slip = (
        Payslip.objects.filter(servant=servant_of("cesante"), run__kind="cesantes", published=True)
        .exclude(month__in=(7, 12))
        .order_by("-year", "-month")
        .first()
    )
    assert slip is not None
    amounts = {x["code"]: x["amount"] for x in slip.lines}
    assert amounts == {"2001": "3150.00", "0702": "15.00", "0610": "126.00"}
    assert slip.net == Decimal("3009.00")
    client = client_for("cesante")
    page = client.get(f"/mi-boleta/{slip.uuid}/").content.decode()
    assert "ESSALUD - SEGURO REGULAR - PENSIONISTA" in page
    assert "S/\u00a0126.00" in page and "S/\u00a03,009.00" in page
    assert "Aportes del empleador" not in page
    assert "(según su legajo)" in page  # tiempo de servicio computed from the file
    text = pdf_text(payslip_pdf(slip))
    assert "0610" in text and "126.00" in text
    assert "S/ 3,009.00" in text
    assert "APORTES DEL EMPLEADOR" not in text


# --- tiempo de servicio and the demo's coherence ---------------------------------------


def test_an_empty_tiempo_de_servicio_is_computed_from_the_file(ugel07, servant_of):
    run, outcome = _import(ugel07, "cesantes", PENSION_REM, f"{HEADER}\n{PENSIONER}\n")
    assert outcome.ok, outcome.errors
    slip = Payslip.objects.get(run=run)
    expected = str(compute_service_time(servant_of("cesante"), today=date(2030, 2, 28)).total)
    assert slip.header["tiempo_servicio"] == expected
    assert expected.startswith("41 años")  # 01/04/1980 to the cessation, 31/12/2021
    assert slip.header["tiempo_servicio_legajo"] is True
    payroll_publish(run=run, actor=None)
    slip.refresh_from_db()
    text = pdf_text(payslip_pdf(slip))
    assert re.search(rf"TIEMPO DE SERVICIO\s+{expected}\s+\(según legajo\)", text)


def test_the_masters_tiempo_de_servicio_wins_when_given(ugel07):
    master = f"{HEADER}\n{PENSIONER}41A 08M 30D\n"
    run, outcome = _import(ugel07, "cesantes", PENSION_REM, master)
    assert outcome.ok, outcome.errors
    header = Payslip.objects.get(run=run).header
    assert (header["tiempo_servicio"], header["tiempo_servicio_legajo"]) == ("41A 08M 30D", False)


def test_bulk_service_times_agree_with_the_files(demo_data):
    on = date(2026, 6, 30)
    servants = list(Servant.objects.filter(doc_number__in=[f"1000000{i}" for i in range(1, 6)]))
    found = service_times([s.pk for s in servants], on)
    for servant in servants:
        assert found[servant.pk] == str(compute_service_time(servant, today=on).total)


def test_demo_payslips_agree_with_the_files(servant_of):
    cesante = Payslip.objects.filter(servant=servant_of("cesante"), published=True).first()
    assert cesante is not None
    assert cesante.header["fecha_ingreso"] == "1980-04-01"  # his nombramiento
    assert cesante.header["fecha_termino"] == "2021-12-31"  # his cessation
    assert cesante.header["tiempo_servicio"].startswith("41 años")
    teacher = Payslip.objects.filter(servant=servant_of("servant"), published=True).first()
    assert teacher is not None
    assert teacher.header["fecha_ingreso"] == "2003-03-01"  # her first contract
    assert teacher.header["tiempo_servicio"]
    for who in ("other_servant", "cusco_servant", "canete_servant"):
        slip = Payslip.objects.filter(servant=servant_of(who), published=True).first()
        assert slip is not None and slip.header["tiempo_servicio"], who


@pytest.mark.parametrize(
    "who, ugel, kind",
    [("cusco_servant", "080001", "contratados"), ("canete_servant", "150201", "activos")],
)
def test_the_cusco_and_canete_teachers_have_their_ugels_runs(
    who, ugel, kind, servant_of, client_for
):
    servant = servant_of(who)
    slips = Payslip.objects.filter(servant=servant, published=True).select_related("run__ugel")
    assert slips.count() >= 4
    assert {(p.run.ugel.code, p.run.kind, p.run.state) for p in slips} == {
        (ugel, kind, "published")
    }
    today = timezone.localdate()
    visible = [p for p in slips if p.payment_date <= today]
    assert len(visible) >= 3
    shown = client_for(who).get("/mi-boleta/").content.decode()
    assert "S/\u00a0" in shown and "Aún no" not in shown
    newest = max(visible, key=lambda p: (p.year, p.month))
    page = client_for(who).get(f"/mi-boleta/{newest.uuid}/").content.decode()
    assert servant.paternal_surname in page
    if who == "cusco_servant":
        # her contract began on 01/03/2026 (file): never a payslip before it
        assert all((p.year, p.month) >= (2026, 3) for p in slips)
        assert newest.header["fecha_ingreso"] == "2026-03-01"
        assert newest.header["fecha_termino"] == "2026-12-31"
        assert newest.header["fecha_afiliacion"] == "2026-03-01"  # never before her service
        assert {x["code"] for x in newest.lines} >= {"0608", "0606", "0804"}
    else:
        assert newest.header["fecha_ingreso"] == "1999-04-01"
        assert "0607" in {x["code"] for x in newest.lines}  # ONP, computed


def test_the_demo_is_idempotent(demo_data):
    from ayni.payroll.demo import seed_payroll_demo

    before = PayrollRun.objects.count()
    assert seed_payroll_demo() == 0
    assert PayrollRun.objects.count() == before


# --- «Publicar planilla» confirms ------------------------------------------------------

TEACHER_ROW = (
    "01,10000001,QUISPE,HUAMÁN,ROSA ELENA,1978-05-14,PROFESORA DE AULA,I.E. 7072,"
    "0312603,DOCENTE,III,30,LEY 29944,21,598761RQHME0,2005-04-01,04-0001,,,2005-03-01,,"
)
AUX_ROW = (
    "01,10000002,MAMANI,CONDORI,JUAN CARLOS,1985-09-02,AUXILIAR,I.E. 7072,0312603,"
    "AUXILIAR,,30,LEY 30493,02,,,04-0002,,,2011-03-01,,"
)
DRAFT_REM = (
    "01|10000001|2001|3612.60|3612.60|\r\n"
    "01|10000001|0608||376.56|\r\n"
    "01|10000002|2001|1950.00|1950.00|\r\n"
)


@pytest.fixture
def draft(ugel07):
    run, outcome = _import(
        ugel07, "activos", DRAFT_REM, f"{HEADER}\n{TEACHER_ROW}\n{AUX_ROW}\n", month=4
    )
    assert outcome.ok, outcome.errors
    return run


def test_publish_shows_what_will_happen_and_publishes_nothing(draft, client_for):
    officer = client_for("planillas")
    detail = officer.get(f"/planillas/{draft.uuid}/").content.decode()
    assert f'href="/planillas/{draft.uuid}/publicar/"' in detail  # a link, not a one-click form
    response = officer.get(f"/planillas/{draft.uuid}/publicar/")
    assert response.status_code == 200
    page = response.content.decode()
    # 3,612.60 + 1,950.00 gross; 376.56 AFP + 253.50 ONP; EsSalud 9 % of both
    for figure in (
        'id="publish-servants">2<',
        'id="publish-gross">S/\u00a05,562.60<',
        'id="publish-deductions">S/\u00a0630.06<',
        'id="publish-net">S/\u00a04,932.54<',
        'id="publish-employer">S/\u00a0500.63<',
        'id="publish-payment-date">20/04/2030<',
    ):
        assert figure in page, figure
    assert "Una planilla publicada no cambia nunca más" in page
    assert "2 servidores verán su boleta" in page
    assert 'name="confirmar" value="1"' in page and 'name="form_token"' in page
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert not AuditEvent.objects.filter(action="payroll.run.published", object_id=str(draft.pk))


def test_an_unconfirmed_post_publishes_nothing(draft, client_for):
    """The one-click form of before (a POST without «confirmar») leads to the confirmation."""
    response = client_for("planillas").post(f"/planillas/{draft.uuid}/publicar/")
    assert response.status_code == 302
    assert response["Location"] == f"/planillas/{draft.uuid}/publicar/"
    draft.refresh_from_db()
    assert draft.state == "draft" and not Payslip.objects.filter(run=draft, published=True)


def test_the_confirmed_post_publishes_once(draft, client_for):
    officer = client_for("planillas")
    token = new_token()
    for _ in range(2):  # a double click on «Sí, publicar planilla»
        response = officer.post(
            f"/planillas/{draft.uuid}/publicar/", {"confirmar": "1", FORM_TOKEN: token}
        )
        assert response.status_code == 302
        assert response["Location"] == f"/planillas/{draft.uuid}/"
    draft.refresh_from_db()
    assert draft.state == "published"
    assert (
        AuditEvent.objects.filter(action="payroll.run.published", object_id=str(draft.pk)).count()
        == 1
    )
    # a published run has nothing left to confirm
    again = officer.get(f"/planillas/{draft.uuid}/publicar/", follow=True).content.decode()
    assert "no hay nada que publicar" in again


def test_only_the_units_payroll_officer_sees_the_confirmation(draft, client_for):
    assert client_for("escalafon").get(f"/planillas/{draft.uuid}/publicar/").status_code == 403
    assert client_for("servant").get(f"/planillas/{draft.uuid}/publicar/").status_code == 403


# --- the payroll officer's guide ---------------------------------------------------------


def test_the_upload_page_links_the_guide_and_the_guide_explains_the_files(client_for):
    officer = client_for("planillas")
    upload = officer.get("/planillas/cargar/").content.decode()
    assert 'href="/planillas/guia/"' in upload
    page = officer.get("/planillas/guia/").content.decode()
    assert "<h1>Guía de planillas</h1>" in page
    for text in (
        "0601AAAAMM&lt;RUC&gt;.rem",
        "Monto devengado",
        "Monto pagado",
        "<code>regimen_pensionario</code>",
        "<code>tiempo_servicio</code>",
        "Errores frecuentes y cómo corregirlos",
        "0610 EsSalud de pensionistas",
        "4 %, desde el 17/05/1997",
        "13 %, desde el 01/01/2000",
    ):
        assert text in page, text
    for name in (samples.REM_NAME, samples.MASTER_NAME, samples.MINIMAL_MASTER_NAME):
        assert f'href="/planillas/guia/{name}"' in page


def test_the_sample_files_download_under_their_names(client_for):
    officer = client_for("planillas")
    rem = officer.get(f"/planillas/guia/{samples.REM_NAME}")
    assert rem.status_code == 200
    assert rem["Content-Disposition"] == f'attachment; filename="{samples.REM_NAME}"'
    assert rem.content.startswith(b"01|09990001|2001|3612.60|3612.60|\r\n")
    master = officer.get(f"/planillas/guia/{samples.MASTER_NAME}")
    assert master.content.decode().splitlines()[0].startswith("tipo_doc,num_doc,")
    assert officer.get("/planillas/guia/otro.rem").status_code == 404


@pytest.mark.parametrize("master", [samples.sample_master, samples.sample_minimal_master])
def test_the_sample_files_are_in_the_formats_the_importer_reads(master):
    from ayni.payroll.importer import load_concepts, load_pension_regimes
    from ayni.payroll.rem import parse_master, parse_rem

    rows, errors = parse_master(master(), load_pension_regimes())
    assert errors == [] and len(rows) == 3
    parsed = parse_rem(samples.sample_rem(), load_concepts(), rows)
    assert parsed.errors == []
    assert (len(parsed.lines), parsed.line_count) == (3, len(samples.REM_LINES))
    establishment = rows[("01", "09990003")].school_name
    assert establishment == ("SEDE DE LA UGEL, PISO 2" if master is samples.sample_master else "")


def test_uploading_the_guides_sample_is_refused_and_registers_no_one(ugel07):
    """An officer trying the guide's files must not leave fictitious servants behind."""
    year, month = 2030, 1
    run = run_for_upload(
        ugel=ugel07, year=year, month=month, kind="activos",
        payment_date=date(year, month, 20), additional=False, actor=None,
    )  # fmt: skip
    name = f"0601{year}{month:02d}{samples.SAMPLE_RUC}.rem"
    outcome = payroll_import(
        run=run, rem_name=name, rem_bytes=samples.sample_rem(), master_bytes=samples.sample_master()
    )
    assert not outcome.ok
    assert outcome.errors == [
        "maestro, línea 2: este es el archivo de ejemplo de la guía de planillas (documento "
        "09990001): sirve para ver el formato; cargue los archivos de su UGEL"
    ]
    assert not Servant.objects.filter(doc_number__in=["09990001", "09990002", "09990003"]).exists()
    assert not Payslip.objects.filter(run=run).exists()


def test_a_master_with_only_the_required_columns_loads(ugel07):
    master = (
        "regimen_pensionario;cargo;nombres;apellido_paterno;num_doc;tipo_doc\n"
        "02;AUXILIAR;JUAN CARLOS;MAMANI;10000002;01\n"
    )
    run, outcome = _import(ugel07, "activos", "01|10000002|2001|1950.00|1950.00|\r\n", master)
    assert outcome.ok, outcome.errors
    header = Payslip.objects.get(run=run).header
    assert (header["apellidos"], header["nombres"], header["cargo"]) == (
        "MAMANI",
        "JUAN CARLOS",
        "AUXILIAR",
    )
    assert header["establecimiento"] == "" and header["fecha_ingreso"] == ""


def test_a_master_missing_a_required_column_names_it(ugel07):
    master = "tipo_doc,num_doc,nombres,cargo\n01,10000002,JUAN CARLOS,AUXILIAR\n"
    _, outcome = _import(ugel07, "activos", "01|10000002|2001|1950.00|1950.00|\r\n", master)
    assert outcome.errors == [
        "maestro, línea 1: faltan columnas obligatorias en la cabecera: apellido_paterno, "
        "regimen_pensionario"
    ]


def test_a_failed_upload_offers_volver_a_cargar_with_the_same_period(ugel07, client_for):
    run, outcome = _import(
        ugel07, "activos", "01|1|2001|1|1|\r\n", f"{HEADER}\n{AUX_ROW}\n", month=5
    )
    assert not outcome.ok
    officer = client_for("planillas")
    page = officer.get(f"/planillas/{run.uuid}/").content.decode()
    match = re.search(
        r'<a class="btn primary" id="run-reupload" href="([^"]+)">Volver a cargar</a>', page
    )
    assert match, page
    form = officer.get(match.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(rf'<option value="{ugel07.pk}" selected>', form)
    assert 'name="year" value="2030"' in form
    assert re.search(r'<option value="5" selected>Mayo</option>', form)
    assert 'value="2030-05-20"' in form
    assert 'href="/planillas/guia/"' in page


# --- manage.py from a checkout ---------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
CONFIG = ("DEBUG", "SECRET_KEY", "SITE_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")


def manage(tmp_path: Path, *args: str, env_file: str | None = None, **env: str):
    """`manage.py` copied beside an optional `.env`, run with a clean configuration."""
    shutil.copy(REPO / "manage.py", tmp_path / "manage.py")
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file)
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG}
    clean["PYTHONPATH"] = str(REPO)
    clean.update(env)
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, str(tmp_path / "manage.py"), *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(False)
def test_manage_py_in_a_checkout_runs_as_make_run_does(tmp_path):
    done = manage(tmp_path, "import_payroll", "--help")
    assert done.returncode == 0, done.stderr
    assert "--payment-date" in done.stdout
    shown = manage(
        tmp_path, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"
    )
    assert shown.stdout.strip().splitlines()[-1] == "True", shown.stderr


@pytest.mark.django_db(False)
def test_manage_py_never_weakens_production(tmp_path):
    # any production setting: DEBUG stays off, and SECRET_KEY and SITE_URL are required
    no_key = manage(tmp_path, "check", DATABASE_URL="postgres://ayni@db.example/ayni")
    assert no_key.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in no_key.stderr
    no_site = manage(tmp_path, "check", SECRET_KEY="x" * 50)
    assert "SITE_URL is required when DEBUG is off" in no_site.stderr
    # DEBUG=0 said outright, in the environment or in .env
    assert "SECRET_KEY is required" in manage(tmp_path, "check", DEBUG="0").stderr
    from_file = manage(tmp_path, "check", env_file="# production\nDEBUG=0\n")
    assert "SECRET_KEY is required" in from_file.stderr


@pytest.mark.django_db(False)
def test_manage_py_reads_the_projects_env_file(tmp_path):
    env_file = 'SECRET_KEY="a-long-secret-for-this-test"\nSITE_URL=https://ayni.example.gob.pe\n'
    done = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SITE_URL)",
        env_file=env_file,
    )
    assert done.stdout.strip().splitlines()[-1] == "False https://ayni.example.gob.pe", done.stderr
    # the environment wins over the file
    done = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        env_file=env_file,
        SITE_URL="https://otra.example.gob.pe",
    )
    assert done.stdout.strip().splitlines()[-1] == "https://otra.example.gob.pe", done.stderr
