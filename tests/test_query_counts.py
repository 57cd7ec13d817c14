"""Staff and servant pages read a constant number of queries, whatever the unit's size
(issue 18): each page is counted with the demo's few rows, then again after the unit
grew by more than a page (servants, a payroll run, change requests, filings), and both
counts must be the same fixed number. A page that starts reading one more query per row
fails here, long before payment day shows it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ayni.core.numbering import next_number
from ayni.core.verification import new_code
from ayni.desk.models import Case
from ayni.org.models import OrgUnit
from ayni.payroll.importer import payroll_import
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.pdf import payslip_pdf
from ayni.payroll.services import payroll_publish, run_for_upload
from ayni.personnel.file_selectors import section_entries, whole_file
from ayni.personnel.models import ChangeRequest, Servant
from ayni.personnel.sections import SECTIONS

pytestmark = pytest.mark.django_db

MANY = 60  # more than a page (50) of every list
RUC = "20330611023"
HEADER = (
    "tipo_doc,num_doc,apellido_paterno,apellido_materno,nombres,fecha_nacimiento,cargo,"
    "establecimiento,codigo_modular,tipo_servidor,nivel_escala,jornada_horas,"
    "regimen_laboral,regimen_pensionario,cuspp,fecha_afiliacion,cuenta_bancaria,"
    "leyenda_permanente,leyenda_mensual,fecha_ingreso,fecha_termino,tiempo_servicio"
)

# The fixed number of queries of each page (the same with few rows and with many).
EXPECTED = {
    "run page": 10,
    "run page, htmx poll": 9,
    "officer's payslip PDF": 7,
    "servant file": 10,
    "servant list": 8,
    "servant search": 11,
    "change request list": 9,
    "desk list": 7,
    "supervision board": 9,
    "supervision list": 10,
    "Mi boleta": 6,
    "Mi boleta PDF (stored)": 4,
    "Mi boleta PDF (first)": 9,
}


def queries(client: Any, url: str, *, post: dict[str, str] | None = None, **extra: Any) -> int:
    """The queries of a page view in a session that has seen a page already (the first
    one records the session, as after signing in) and of a page whose cached parts are
    built (the supervision board's)."""

    def view() -> Any:
        return client.post(url, post, **extra) if post is not None else client.get(url, **extra)

    view()
    with CaptureQueriesContext(connection) as ctx:
        response = view()
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def grow_payroll(ugel: OrgUnit, count: int, year: int = 2030, month: int = 1) -> PayrollRun:
    """A published run of `count` servants new to Ayni (the import creates them in the
    UGEL), through the real importer."""
    master = [HEADER]
    rem = []
    for i in range(count):
        dni = f"{71000000 + i:08d}"
        master.append(
            f"01,{dni},APELLIDO{i:03d},MATERNO,NOMBRE,1980-01-01,PROFESOR,I.E. 7072,0312603,"
            "DOCENTE,III,30,LEY 29944,02,,,04-0001,,,2005-03-01,,"
        )
        rem += [f"01|{dni}|2001|3000.00|3000.00|", f"01|{dni}|0702||30.00|"]
    run = run_for_upload(
        ugel=ugel,
        year=year,
        month=month,
        kind="activos",
        payment_date=date(year, month, 20),
        additional=False,
        actor=None,
    )
    outcome = payroll_import(
        run=run,
        rem_name=f"0601{year}{month:02d}{RUC}.rem",
        rem_bytes="\r\n".join(rem).encode(),
        master_bytes="\n".join(master).encode(),
    )
    assert outcome.ok, outcome.errors
    return payroll_publish(run=run, actor=None)


def grow_requests(ugel: OrgUnit, count: int) -> None:
    servants = list(Servant.objects.filter(employing_unit=ugel)[:count])
    for i in range(count):
        ChangeRequest.objects.create(
            servant=servants[i % len(servants)],
            section=2,
            kind="training",
            operation=ChangeRequest.Operation.ADD,
            proposed={"name": f"Curso {i}", "institution": "DRELM", "hours": 20},
            unit_path=ugel.path,
        )


def grow_cases(ugel: OrgUnit, count: int) -> None:
    now = timezone.now()
    for i in range(count):
        Case.objects.create(
            unit=ugel,
            year=now.year,
            number=next_number(f"desk:{ugel.code}", now.year),
            kind=Case.Kind.OTHER,
            subject=f"Solicitud {i}",
            filer_name="QUISPE HUAMÁN, ROSA ELENA",
            filer_doc_type="01",
            filer_doc_number="10000001",
            submitted_at=now - timedelta(minutes=i),
            received_at=now - timedelta(minutes=i),
            state="recibido",
            area="mesa_partes",
            verification_code=new_code(),
        )


@pytest.fixture
def ugel07(demo_data: None) -> OrgUnit:
    return OrgUnit.objects.get(code="150108")


def test_staff_lists_read_the_same_queries_with_few_and_many_rows(client_for, ugel07):
    escalafon, mesa = client_for("escalafon"), client_for("mesa_partes")
    supervisor = client_for("dre_supervisor")
    dre = OrgUnit.objects.get(code="150101")  # DRE Lima Metropolitana
    pages = {
        "servant list": (escalafon, "/servidores/", None),
        "servant search": (escalafon, "/servidores/", {"q": "QUISPE"}),
        "change request list": (escalafon, "/escalafon/solicitudes/", None),
        "desk list": (mesa, "/mesa/", None),
        "supervision board": (supervisor, f"/supervision/{dre.code}/", None),
        "supervision list": (supervisor, f"/supervision/{ugel07.code}/lista/solicitudes/", None),
    }
    few = {name: queries(c, url, post=post) for name, (c, url, post) in pages.items()}
    grow_payroll(ugel07, MANY)  # 60 more servants in the UGEL
    grow_requests(ugel07, MANY)
    grow_cases(ugel07, MANY)
    many = {name: queries(c, url, post=post) for name, (c, url, post) in pages.items()}
    assert few == many == {name: EXPECTED[name] for name in pages}


def test_the_run_page_reads_the_same_queries_for_a_small_and_a_large_run(client_for, ugel07):
    planillas = client_for("planillas")
    small = grow_payroll(ugel07, 2, month=2)
    large = grow_payroll(ugel07, MANY, month=3)
    counts = {
        run.payslip_count: (
            queries(planillas, f"/planillas/{run.uuid}/"),
            queries(planillas, f"/planillas/{run.uuid}/", headers={"HX-Request": "true"}),
        )
        for run in (small, large)
    }
    expected = (EXPECTED["run page"], EXPECTED["run page, htmx poll"])
    assert counts == {2: expected, MANY: expected}


def test_the_run_page_lists_the_first_names_from_the_index_order(client_for, ugel07):
    """The first payslips by the master's surnames and names, whatever order the file had."""
    run = grow_payroll(ugel07, MANY, month=4)
    page = client_for("planillas").get(f"/planillas/{run.uuid}/").content.decode()
    shown = [f"APELLIDO{i:03d}" for i in range(50)]
    positions = [page.index(name) for name in shown]
    assert positions == sorted(positions)
    assert "APELLIDO050" not in page  # 50 on the page


def test_the_officers_payslip_pdf_reads_the_same_queries_in_any_run(client_for, ugel07):
    planillas = client_for("planillas")
    counts = set()
    for size, month in ((2, 5), (MANY, 6)):
        run = grow_payroll(ugel07, size, month=month)
        payslip = Payslip.objects.filter(run=run).select_related("run").first()
        payslip_pdf(payslip)  # stored, as after publication's background rendering
        counts.add(queries(planillas, f"/planillas/{run.uuid}/boletas/{payslip.uuid}/pdf/"))
    assert counts == {EXPECTED["officer's payslip PDF"]}


def test_the_servant_file_reads_the_same_queries_for_a_full_and_an_empty_file(
    client_for, ugel07, servant_of
):
    teacher = servant_of("servant")  # the demo's fullest file
    grow_payroll(ugel07, 1, month=7)
    newcomer = Servant.objects.get(doc_number="71000000")  # created by the import: no entries
    escalafon = client_for("escalafon")
    full = queries(escalafon, f"/servidores/{teacher.uuid}/")
    empty = queries(escalafon, f"/servidores/{newcomer.uuid}/")
    assert full == empty == EXPECTED["servant file"]


def test_the_whole_file_in_one_query_is_what_each_section_reads(servant_of):
    """`whole_file` (one query) gives the same entries, in the same order and with the same
    values and types, as `section_entries` (a query per kind) for every kind of entry."""
    teacher = servant_of("servant")
    with CaptureQueriesContext(connection) as ctx:
        one = whole_file(teacher)
    assert len(ctx.captured_queries) == 1
    per_kind = {kind.key: rows for s in SECTIONS for kind, rows in section_entries(teacher, s)}
    assert one.keys() == per_kind.keys()
    assert sum(map(len, one.values())) > 10
    for key, rows in per_kind.items():
        assert [e.pk for e in one[key]] == [e.pk for e in rows], key
        for a, b in zip(one[key], rows, strict=True):
            for field in b._meta.concrete_fields:
                got, want = getattr(a, field.attname), getattr(b, field.attname)
                assert (got, type(got)) == (want, type(want)), (key, field.attname)


def test_mi_boleta_reads_the_same_queries_with_many_and_few_payslips(client_for, servant_of):
    teacher, auxiliar = servant_of("servant"), servant_of("other_servant")
    assert teacher.payslips.count() != auxiliar.payslips.count()
    counts = {}
    for name in ("servant", "other_servant"):
        client = client_for(name)
        counts[name] = queries(client, "/mi-boleta/")
        payslip = (
            Payslip.objects.filter(servant__doc_number=servant_of(name).doc_number, published=True)
            .filter(payment_date__lte=timezone.localdate())
            .select_related("run")
            .first()
        )
        payslip_pdf(payslip)
        counts[name + " pdf"] = queries(client, f"/mi-boleta/{payslip.uuid}/pdf/")
    assert counts == {
        "servant": EXPECTED["Mi boleta"],
        "other_servant": EXPECTED["Mi boleta"],
        "servant pdf": EXPECTED["Mi boleta PDF (stored)"],
        "other_servant pdf": EXPECTED["Mi boleta PDF (stored)"],
    }


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")


def statements(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


def test_signing_in_and_the_first_page_write_the_session_once(demo_data, servant_of):
    """Payment day's journey: the sign-in POST reads the account, the lockouts (one
    query for all three), writes what a sign-in records and the session row once; the
    first page after it (Mi boleta) reads and writes nothing more than on later visits."""
    from django.test import Client

    client = Client(REMOTE_ADDR="190.42.17.8")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            "/cuenta/ingresar/",
            {"doc_type": "01", "doc_number": "10000003", "password": "ayni-demo-2026"},
        )
    assert response.status_code == 302
    sign_in = statements(ctx)
    assert len(sign_in) == 10, sign_in
    assert sum("core_throttle" in sql for sql in sign_in) == 1
    assert sum('"django_session"' in sql for sql in sign_in) == 1  # the INSERT, once
    reads_of_the_account = [
        sql
        for sql in sign_in
        if sql.startswith("SELECT") and '"accounts_user"' in sql and '"password"' in sql
    ]
    assert len(reads_of_the_account) == 1  # not once more by the password backend
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/mi-boleta/")
    assert page.status_code == 200
    first_page = statements(ctx)
    assert len(first_page) == EXPECTED["Mi boleta"], first_page
    assert not any(sql.startswith("UPDATE") for sql in first_page)  # no session write


def test_an_import_leaves_the_planners_statistics_fresh(ugel07):
    """PostgreSQL: the import ends with ANALYZE of its year's payslips, so the next page's
    plan knows the new rows (CI runs PostgreSQL with autovacuum off)."""
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's")
    from ayni.payroll.writer import payslips_table

    run = grow_payroll(ugel07, MANY, year=2031)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [payslips_table(run.year)]
        )
        (rows,) = cursor.fetchone()
    assert rows >= MANY  # -1 (never analysed) before


@pytest.mark.parametrize("signed", [False, True])
def test_a_first_download_reads_what_the_pdf_needs_in_one_locked_query(
    signed, client_for, servant_of, request
):
    """The first download renders, stores and records the hash: one locked read of the
    payslip with its run and unit (no deferred column read afterwards, signed or not)."""
    if signed:
        request.getfixturevalue("signing")
    client = client_for("servant")
    client.get("/mi-boleta/")
    visible = Payslip.objects.filter(
        servant=servant_of("servant"), published=True, payment_date__lte=timezone.localdate()
    )
    first, second = visible[:2]
    Payslip.objects.filter(pk__in=[first.pk, second.pk]).update(pdf_file="", pdf_sha256="")
    counts = []
    for payslip in (first, second):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/mi-boleta/{payslip.uuid}/pdf/")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        statements = [q["sql"] for q in ctx.captured_queries]
        counts.append(len(statements))
        payslip_reads = [
            sql for sql in statements if sql.startswith("SELECT") and "payroll_payslip" in sql
        ]
        assert len(payslip_reads) == 2, payslip_reads  # find it (scoped), then lock it
    assert counts[0] == counts[1] == EXPECTED["Mi boleta PDF (first)"]
