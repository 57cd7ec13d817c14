"""Supervision dashboards (issue 12): figures equal the demo rows counted by hand, every
level's total is the sum of its rows, scoping by `supervision.view`, read-only lists,
audited reads and downloads, constant queries."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ayni.core.audit import reads_of_subject
from ayni.core.models import AuditEvent
from ayni.core.workdays import LIMA
from ayni.org.models import OrgUnit
from ayni.personnel.models import ChangeRequest, Servant
from ayni.supervision.aggregates import Calendar, refresh, request_working_days
from ayni.supervision.demo import seed_supervision_demo
from ayni.supervision.models import UnitFigures
from ayni.supervision.selectors import dashboard
from ayni.supervision.tables import all_tables

# The pseudo-locale check of the lead's file, reused (its fixtures, imported here).
from tests.test_i18n_pseudo import check_pages, pseudo_locale  # noqa: F401

pytestmark = pytest.mark.django_db

LIMA_METRO, LIMA_PROV, CUSCO, MINEDU = "150101", "150200", "080000", "000000"
UNIT_TABLES = (
    "personal-unidades",
    "solicitudes-unidades",
    "mesa-unidades",
    "informes-unidades",
    "accesos-unidades",
)


@pytest.fixture
def sector(demo_data) -> None:  # type: ignore[no-untyped-def]
    """The demo sector of ayni.supervision.demo, and the figures computed from it."""
    seed_supervision_demo()
    refresh()


def tables_of(code: str) -> dict[str, Any]:
    board = dashboard(OrgUnit.objects.get(code=code))
    return {t.key: t for section in all_tables(board).values() for t in section}


def numbers(cells: list[tuple[str, Any]]) -> list[Any]:
    return [raw for _shown, raw in cells]


def line(table: Any, head: str) -> list[Any]:
    (found,) = [numbers(x.cells) for x in table.lines if x.head[0] == head]
    return found


# --- every level adds up ---------------------------------------------------------------


def test_every_levels_total_is_the_sum_of_its_rows(sector):
    codes = [MINEDU, LIMA_METRO, LIMA_PROV, CUSCO, "150108", "150104", "080009"]
    for code in codes:
        tables = tables_of(code)
        for key in UNIT_TABLES:
            table = tables[key]
            for column in range(len(table.columns)):
                if not isinstance(table.total[column][1], int):
                    continue  # dates and averages do not add up
                rows = sum(x.cells[column][1] for x in table.lines)
                assert rows == table.total[column][1], (code, key, table.columns[column])
        unit = OrgUnit.objects.get(code=code)
        servants = Servant.objects.filter(employing_unit__path__startswith=unit.path).count()
        assert tables["personal-unidades"].total[0][1] == servants, code


def test_the_dres_own_staff_is_its_own_row(sector):
    """The figure of issue 12 (13 servants, rows summing 12): the DRE's own officers."""
    table = tables_of(LIMA_METRO)["personal-unidades"]
    own = [x for x in table.lines if x.own]
    assert [x.head[0] for x in own] == ["DRE Lima Metropolitana (la propia unidad)"]
    assert own[0].cells[0][1] == 2  # 20000005 and 20000009 are employed by the DRE itself
    assert own[0].link == ""


def test_minedu_sums_the_whole_sector(sector):
    tables = tables_of(MINEDU)
    assert tables["personal-unidades"].total[0][1] == Servant.objects.count()
    requests = tables["solicitudes-unidades"]
    assert numbers(requests.total)[:4] == [
        ChangeRequest.objects.filter(state=state).count()
        for state in ("en_solicitud", "observado", "atendido", "rechazado")
    ]
    dres = {x.head[0] for x in tables["personal-unidades"].lines}
    assert {"DRE Lima Metropolitana", "DRE Lima Provincias", "DRE Cusco"} <= dres


# --- figures equal the demo rows counted by hand -----------------------------------------


def test_requests_past_the_term_and_paused_while_observed(sector):
    tables = tables_of(LIMA_METRO)
    # UGEL 01: filed 45 working days ago; UGEL 05: 52 days. UGEL 03's 38-day request was
    # observed for 12 of them (26 count) and UGEL 05's observed one has 5 paused (28 count).
    assert line(tables["solicitudes-unidades"], "UGEL 01 San Juan de Miraflores")[4] == 1
    assert line(tables["solicitudes-unidades"], "UGEL 03 Breña")[4] == 0
    assert line(tables["solicitudes-unidades"], "UGEL 05 San Juan de Lurigancho")[:5] == [
        1,
        1,
        0,
        0,
        1,
    ]
    assert tables["solicitudes-unidades"].total[4][1] == 2
    oldest = [numbers([x.head, *x.cells]) for x in tables["solicitudes-antiguas"].lines]
    assert [(row[1], row[3], row[4]) for row in oldest[:4]] == [
        ("UGEL 05 San Juan de Lurigancho", 52, 0),
        ("UGEL 01 San Juan de Miraflores", 45, 0),
        ("UGEL 05 San Juan de Lurigancho", 28, 5),
        ("UGEL 03 Breña", 26, 12),
    ]
    ages = {x.head[0]: x.cells[0][1] for x in tables["solicitudes-antiguedad"].lines}
    assert ages["Más de 30 días hábiles"] == 2
    assert ages["21 a 30 días hábiles"] == 2
    # Lima Provincias: 25 days in process at UGEL 09, one answered at UGEL 10: none late.
    provincias = tables_of(LIMA_PROV)["solicitudes-unidades"]
    assert numbers(provincias.total) == [1, 0, 1, 0, 0]


def test_the_paused_days_come_from_the_history_rows(demo_data):
    cal = Calendar(datetime(2026, 10, 1).date(), datetime(2026, 12, 31).date())
    filed = datetime(2026, 11, 2, 10, tzinfo=LIMA)  # a Monday
    now = datetime(2026, 11, 30, 10, tzinfo=LIMA)  # four weeks later: 20 working days
    assert request_working_days(filed, [], now, cal) == (20, 0)
    observed = [
        ("en_solicitud", filed),
        ("observado", datetime(2026, 11, 9, 10, tzinfo=LIMA)),
        ("en_solicitud", datetime(2026, 11, 16, 10, tzinfo=LIMA)),  # a week observed
    ]
    assert request_working_days(filed, observed, now, cal) == (15, 5)
    still = observed[:2]  # observed since the 9th, still: 15 working days paused
    assert request_working_days(filed, still, now, cal) == (5, 15)


def test_payroll_of_the_month_and_the_units_that_have_not_published(sector):
    tables = tables_of(LIMA_METRO)
    status = tables["planillas-mes"]
    # UGEL 07 (payroll demo) and UGEL 01 published; UGEL 03 loaded and did not publish;
    # the other four have no run this month.
    assert status.total[0][1] == "2 / 7"
    assert status.extra["pending"] == 5
    missing = {x.head[0]: x.cells[0][1] for x in tables["planillas-pendientes"].lines}
    assert missing == {
        "UGEL 02 Rímac": "Sin planilla",
        "UGEL 03 Breña": "Cargada, sin publicar",
        "UGEL 04 Comas": "Sin planilla",
        "UGEL 05 San Juan de Lurigancho": "Sin planilla",
        "UGEL 06 Ate": "Sin planilla",
    }
    ugel01 = line(status, "UGEL 01 San Juan de Miraflores")
    # 4 active servants of 7 (a cesante, a pensionista... not in «activos»), 2450 + 120 i
    active = Servant.objects.filter(
        employing_unit__code="150102", status=Servant.Status.ACTIVO
    ).count()
    assert ugel01[3] == active
    assert ugel01[4] == sum(Decimal("2450.00") + 120 * i for i in range(active))
    months = tables["planillas-meses"]
    assert len(months.lines) == 12
    # UGEL 05 missed last month too; UGEL La Convención (Cusco) two and three months back
    last_month = numbers(months.lines[-2].cells)
    assert last_month[0] == "3 / 7"  # UGEL 07, 01 and 03 published; UGEL 05 did not
    assert tables_of(CUSCO)["planillas-mes"].total[0][1] == "2 / 14"


def test_desk_overdue_per_area_and_week(sector):
    tables = tables_of(LIMA_PROV)
    assert numbers(tables["mesa-unidades"].total) == [2, 2, 1]
    areas = {x.head[0]: numbers(x.cells) for x in tables["mesa-areas"].lines}
    assert areas["Planillas"] == [1, 1, 1]  # UGEL 09's filing, 44 working days old
    assert areas["Mesa de partes"] == [1, 1, 0]
    weeks = tables["mesa-semanas"]
    assert sum(x.cells[0][1] for x in weeks.lines) == weeks.total[0][1]


def test_informes_and_access_requests(sector):
    tables = tables_of(LIMA_METRO)
    informes = numbers(tables["informes-unidades"].total)
    # UGEL 07: the teacher's issued informe and the cesante's pending one; UGEL 03: one
    # pending for 20 working days.
    assert informes[:3] == [3, 1, 2]
    access = tables["accesos-unidades"]
    assert line(access, "UGEL 07 San Borja")[0] == 2  # the two confirmed demo requests


def test_three_supervisors_see_three_different_consistent_pictures(sector, client_for):
    seen = {}
    for who, code in [
        ("dre_supervisor", LIMA_METRO),
        ("other_dre_supervisor", LIMA_PROV),
        ("minedu_supervisor", MINEDU),
    ]:
        response = client_for(who).get("/supervision/", follow=True)
        assert response.redirect_chain[-1][0] == f"/supervision/{code}/"
        seen[who] = tables_of(code)["personal-unidades"].total[0][1]
    assert seen["minedu_supervisor"] > seen["dre_supervisor"] > seen["other_dre_supervisor"]


# --- scoping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("anonymous", "/supervision/", 302),
        ("servant", "/supervision/", 403),
        ("servant", f"/supervision/{LIMA_METRO}/", 403),
        ("escalafon", f"/supervision/{LIMA_METRO}/", 403),
        ("planillas", "/supervision/150108/lista/planillas/", 403),
        ("admin", f"/supervision/{MINEDU}/", 403),  # administers accounts; reads no figures
        ("dre_supervisor", f"/supervision/{LIMA_PROV}/", 404),
        ("dre_supervisor", "/supervision/150201/", 404),  # UGEL 08 Cañete
        ("dre_supervisor", f"/supervision/{MINEDU}/", 404),
        ("dre_supervisor", "/supervision/150201/lista/solicitudes/", 404),
        ("dre_supervisor", "/supervision/150201/tabla/personal-unidades.csv", 404),
        ("other_dre_supervisor", "/supervision/150108/", 404),
        ("dre_supervisor", "/supervision/0312603/", 404),  # a school is not a dashboard
        ("dre_supervisor", "/supervision/150108/", 200),
        ("minedu_supervisor", "/supervision/080009/", 200),
    ],
)
def test_who_opens_which_dashboard(sector, client_for, who, path, status):
    response = client_for(who).get(path)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/cuenta/ingresar/")


def test_lima_metro_never_sees_lima_provincias(sector, client_for):
    client = client_for("dre_supervisor")
    page = client.get(f"/supervision/{LIMA_METRO}/").content.decode()
    for name in ("Cañete", "Huaura", "Huaral", "Lima Provincias", "Cusco", "Anta"):
        assert name not in page, name
    requests = client.get(f"/supervision/{LIMA_METRO}/lista/solicitudes/").content.decode()
    assert "UGEL 01 San Juan de Miraflores" in requests
    assert "UGEL 09 Huaura" not in requests and "Anta" not in requests


def test_breadcrumbs_and_drill_down_stop_at_the_users_scope(sector, client_for):
    minedu = client_for("minedu_supervisor").get("/supervision/150104/").content.decode()
    crumbs = minedu.split('class="crumbs"')[1].split("</nav>")[0]
    assert 'href="/supervision/000000/"' in crumbs and 'href="/supervision/150101/"' in crumbs
    assert "UGEL 03 Breña" in crumbs
    dre = client_for("dre_supervisor").get("/supervision/150104/").content.decode()
    crumbs = dre.split('class="crumbs"')[1].split("</nav>")[0]
    assert "/supervision/000000/" not in crumbs and 'href="/supervision/150101/"' in crumbs
    lima = client_for("dre_supervisor").get(f"/supervision/{LIMA_METRO}/").content.decode()
    assert 'href="/supervision/150104/"' in lima  # drill down to a UGEL
    assert 'href="/supervision/150103/"' in lima  # UGEL 02, no data: still one click away


def test_nothing_here_accepts_a_post(sector, client_for):
    client = client_for("minedu_supervisor")
    for path in ("/supervision/000000/", "/supervision/000000/lista/planillas/"):
        assert client.post(path, {}).status_code == 405


# --- read-only lists, audited ---------------------------------------------------------------


def test_the_list_behind_a_figure_is_audited_and_read_only(sector, client_for, persona):
    client = client_for("dre_supervisor")
    started = timezone.now()
    page = client.get(f"/supervision/{LIMA_METRO}/lista/solicitudes/?estado=observado")
    html = page.content.decode()
    shown = ChangeRequest.objects.filter(unit_path__startswith="/000000/150101/", state="observado")
    assert f"{shown.count()} registro" in html
    for cr in shown:
        assert cr.servant.full_name in html
    main = html.split("<main")[1].split("</main>")[0]
    assert 'method="post"' not in main and "/escalafon/solicitudes/" not in main
    event = AuditEvent.objects.get(
        action="supervision.list_viewed", actor=persona("dre_supervisor"), occurred_at__gte=started
    )
    assert sorted(event.subject_ids) == sorted({cr.servant_id for cr in shown})
    # The teacher sees the supervisor's read in «¿Quién vio mi legajo?»
    teacher = Servant.objects.get(doc_number="10000001")
    if shown.filter(servant=teacher).exists():
        mine = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
        assert "Jorge Luis Mendoza Castillo" in mine


def test_payroll_runs_and_desk_cases_lists(sector, client_for):
    client = client_for("other_dre_supervisor")
    runs = client.get(f"/supervision/{LIMA_PROV}/lista/planillas/?estado=published")
    html = runs.content.decode()
    assert "UGEL 09 Huaura" in html and "UGEL 07" not in html
    cases = client.get(f"/supervision/{LIMA_PROV}/lista/mesa/").content.decode()
    assert "2 registros" in cases
    assert "/mesa/" not in cases.split("<main")[1].split("Descargar")[0]  # no link to act


# --- exports ---------------------------------------------------------------------------------


def _csv(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_a_table_downloads_as_csv_and_xlsx_with_the_pages_figures(sector, client_for, persona):
    from openpyxl import load_workbook

    client = client_for("dre_supervisor")
    started = timezone.now()
    response = client.get(f"/supervision/{LIMA_METRO}/tabla/personal-unidades.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    table = tables_of(LIMA_METRO)["personal-unidades"]
    assert rows[0][:2] == ["Unidad", "Total"]
    assert [r[0] for r in rows[1:]] == [x.head[0] for x in table.lines] + ["Total"]
    assert rows[-1][1] == str(table.total[0][1])
    assert not any("Cañete" in r[0] for r in rows)
    xlsx = client.get(f"/supervision/{LIMA_METRO}/tabla/planillas-meses.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    sheet = list(book.active.iter_rows(values_only=True))
    assert sheet[0][0] == "Mes" and len(sheet) == 13
    assert isinstance(sheet[-1][4], int)  # numbers stay numbers
    events = AuditEvent.objects.filter(
        action="supervision.export_downloaded",
        actor=persona("dre_supervisor"),
        occurred_at__gte=started,
    )
    assert events.count() == 2
    assert {e.unit_path for e in events} == {"/000000/150101/"}


def test_a_list_export_holds_exactly_the_scoped_rows(sector, client_for, persona):
    client = client_for("dre_supervisor")
    rows = _csv(client.get(f"/supervision/{LIMA_METRO}/lista/solicitudes.csv"))
    expected = ChangeRequest.objects.filter(unit_path__startswith="/000000/150101/")
    assert len(rows) - 1 == expected.count()
    assert sorted(r[1] for r in rows[1:]) == sorted(cr.servant.full_name for cr in expected)
    event = AuditEvent.objects.filter(action="supervision.export_downloaded").latest("id")
    assert sorted(event.subject_ids) == sorted({cr.servant_id for cr in expected})
    other = _csv(client_for("minedu_supervisor").get("/supervision/000000/lista/solicitudes.csv"))
    assert len(other) - 1 == ChangeRequest.objects.count()


def test_a_cell_that_looks_like_a_formula_is_written_as_text():
    from ayni.supervision.exports import csv_bytes, download

    response = download("csv", "x", "t", ["a"], [["=HYPERLINK(1)"], [3]])
    assert "'=HYPERLINK(1)" in response.content.decode()
    assert csv_bytes(["a"], [[Decimal("1.50")]]).decode().endswith("1.50\r\n")


# --- freshness and scale ------------------------------------------------------------------------


def test_the_page_says_how_fresh_the_figures_are(sector, client_for):
    from ayni.supervision.models import Refresh
    from ayni.supervision.tasks import refresh_figures_task

    hours_ago = timezone.now() - timedelta(hours=3)
    UnitFigures.objects.update(computed_at=hours_ago)
    Refresh.objects.update(finished_at=hours_ago)
    page = client_for("minedu_supervisor").get("/supervision/000000/").content.decode()
    # «hace 2 horas, 59 minutos»
    assert "Cifras calculadas el" in page and "horas). Cuando tienen más de" in page
    before = tables_of(MINEDU)["personal-unidades"].total[0][1]
    Servant.objects.filter(doc_number="30000001").update(
        employing_unit=OrgUnit.objects.get(code="080003")
    )  # a move between UGELs: the next computation shows it, the cached page does not
    Servant.objects.create(
        doc_type="01",
        doc_number="39999999",
        paternal_surname="NUEVO",
        given_names="SERVIDOR",
        employing_unit=OrgUnit.objects.get(code="150102"),
        condition="nombrado",
    )
    refresh_figures_task.enqueue()  # what the worker does (immediate backend in tests)
    from ayni.supervision.boards import board_key

    latest = Refresh.objects.first()
    for code in (MINEDU, LIMA_METRO, CUSCO):  # the worker rendered the heavy boards
        assert cache.get(board_key(OrgUnit.objects.get(code=code), latest.pk))
    page = client_for("minedu_supervisor").get("/supervision/000000/").content.decode()
    assert "hace un momento" in page
    board = page.split('class="figures"')[1].split("</dl>")[0]
    assert f"<dd>{before + 1}</dd>" in board


def test_the_dashboard_reads_a_constant_number_of_queries(sector, client_for):
    from ayni.personnel.demo import generate_servants

    client = client_for("minedu_supervisor")
    client.get("/supervision/000000/")  # session, caches

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    def both(code: str) -> tuple[int, int]:
        cache.clear()  # cold: the board is built; warm: served from the cache
        return queries(f"/supervision/{code}/"), queries(f"/supervision/{code}/")

    before = {code: both(code) for code in (MINEDU, LIMA_METRO)}
    generate_servants(400)
    refresh()
    after = {code: both(code) for code in (MINEDU, LIMA_METRO)}
    assert before == after
    assert all(warm < cold for cold, warm in after.values())
    assert max(cold for cold, _warm in after.values()) <= 20


# --- the staff home: the rows add up there too -------------------------------------------------


def test_the_home_figures_show_the_dres_own_staff(client_for):
    home = client_for("dre_supervisor").get("/").content.decode()
    assert "DRE LIMA METROPOLITANA (personal de la propia unidad)" in home
    assert 'href="/supervision/"' in home


# --- every word through gettext ------------------------------------------------------------------


def test_supervision_pages_under_the_pseudo_locale(sector, check_pages) -> None:  # noqa: F811
    check_pages(
        "minedu_supervisor",
        [
            "/supervision/000000/",
            "/supervision/150101/",
            "/supervision/150104/",
            "/supervision/000000/lista/solicitudes/",
            "/supervision/000000/lista/planillas/",
            "/supervision/000000/lista/mesa/",
            "/supervision/000000/lista/informes/",
        ],
    )
    check_pages("anonymous", ["/datos-abiertos/"])


# --- open data ---------------------------------------------------------------------------------


def test_small_cells_are_suppressed_with_a_complement():
    from ayni.supervision.opendata import SUPPRESSED, suppress

    conditions = ["nombrados", "contratados", "cesantes", "pensionistas"]
    regimes = ["regimen_ley_29944", "regimen_ley_30328", "regimen_ley_30493", "regimen_dl_276"]
    base = dict.fromkeys([*conditions, *regimes, "regimen_cas", "regimen_otros"], 0)
    row = {
        **base,
        "servidores_total": 21,
        "docentes": 12,
        "auxiliares": 3,
        "administrativos": 6,
        "salud": 0,
        "nombrados": 21,
        "regimen_otros": 21,
        "boletas": 4,
        "neto_total": Decimal("9000.00"),
    }
    out = suppress(row)
    # 3 auxiliares is reserved, and so is the smallest other non-zero cell (6), so that
    # 21 - 12 leaves 9 to split between two unknowns
    assert (out["auxiliares"], out["administrativos"]) == (SUPPRESSED, SUPPRESSED)
    assert (out["docentes"], out["salud"], out["servidores_total"]) == (12, 0, 21)
    assert out["nombrados"] == 21 and out["regimen_otros"] == 21
    assert (out["boletas"], out["neto_total"]) == (SUPPRESSED, SUPPRESSED)
    tiny = suppress({**row, "servidores_total": 3, "docentes": 3, "auxiliares": 0})
    assert tiny["servidores_total"] == SUPPRESSED and tiny["docentes"] == SUPPRESSED


def test_the_monthly_file_reveals_no_small_cell_and_no_person(sector, client_for):
    from ayni.supervision.opendata import COLUMNS, SUPPRESSED, THRESHOLD, publish_month

    record = publish_month()
    response = client_for("anonymous").get(f"/datos-abiertos/{record.period}.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert len(rows) == OrgUnit.objects.filter(kind=OrgUnit.Kind.UGEL).count() == record.rows
    people = [c.name for c in COLUMNS if c.people]
    for row in rows:
        for name in people:
            value = row[name]
            assert value == SUPPRESSED or int(value) == 0 or int(value) >= THRESHOLD, (row, name)
        for group in ("tipo", "condicion", "regimen"):
            cells = [row[c.name] for c in COLUMNS if c.group == group]
            assert cells.count(SUPPRESSED) != 1, (row["ugel"], group)
    breña = next(r for r in rows if r["codigo_ugel"] == "150104")
    assert breña["servidores_total"] == "6" and breña["planilla_publicada"] == "0"
    text = response.content.decode()
    for servant in Servant.objects.all()[:50]:
        assert f",{servant.doc_number}," not in text and servant.full_name not in text


def test_the_open_data_page_is_public(sector, client_for):
    page = client_for("anonymous").get("/datos-abiertos/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ayni-ugel-" in html and "servidores_total" in html
    assert "toda cifra de 1 a 4 personas se publica como «s»" in html
    dictionary = client_for("anonymous").get("/datos-abiertos/diccionario.csv")
    names = [r[0] for r in csv.reader(io.StringIO(dictionary.content.decode().lstrip("\ufeff")))]
    from ayni.supervision.opendata import NAMES

    assert names[1:] == NAMES
    assert client_for("anonymous").get("/datos-abiertos/1999-01.csv").status_code == 404


def test_charts_are_svg_with_a_text_alternative():
    from ayni.supervision.charts import bars, columns

    svg = str(columns("c", "Neto por mes", [("ene 26", 5.0), ("feb 26", 5.0)], fmt="soles"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="c-t">Neto por mes</title>' in svg
    assert "ene 26: S/\xa05.00; feb 26: S/\xa05.00." in svg  # every value in words (<desc>)
    assert svg.count(">S/\xa05.00</text>") == 1  # the peak written once, not over each column
    drawn = str(bars("b", "Por tipo", [("Docente", 3), ("Salud", 0), ("<b>x</b>", 1)]))
    assert "Salud" not in drawn.split("</desc>")[1]  # zeros are not drawn
    assert "&lt;b&gt;x&lt;/b&gt;" in drawn and "<b>" not in drawn  # labels escaped
    assert str(bars("z", "Nada", [("A", 0)])) == ""  # nothing to draw: the table says it


# --- large lists: written by the worker, with their progress ------------------------------------


def test_a_large_list_is_prepared_in_the_background(
    sector, client_for, persona, settings, django_capture_on_commit_callbacks
):
    settings.SUPERVISION_EXPORT_SYNC_ROWS = 3
    client = client_for("dre_supervisor")
    offer = client.get(f"/supervision/{LIMA_METRO}/lista/solicitudes.csv")
    html = offer.content.decode()
    expected = ChangeRequest.objects.filter(unit_path__startswith="/000000/150101/")
    assert f"La lista tiene {expected.count()} registros" in html
    assert not AuditEvent.objects.filter(action="supervision.export_downloaded").exists()
    with django_capture_on_commit_callbacks(execute=True):  # the task queued after commit
        started = client.post(f"/supervision/{LIMA_METRO}/lista/solicitudes.csv/preparar/", {})
    assert started.status_code == 302
    status = client.get(started["Location"]).content.decode()  # the worker ran (immediate)
    assert "Lista: " in status and f"{expected.count()} registros" in status
    fragment = client.get(started["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="export-progress" role="status">')  # polling stops
    link = status.split('id="export-progress"')[1].split('href="')[1].split('"')[0]
    assert link.endswith("/archivo/")
    # someone else, even a supervisor of the whole sector, cannot see or fetch it
    for who in ("minedu_supervisor", "other_dre_supervisor"):
        assert client_for(who).get(started["Location"]).status_code == 404
        assert client_for(who).get(link).status_code == 404
    rows = _csv(client.get(link))
    assert len(rows) - 1 == expected.count()
    assert sorted(r[1] for r in rows[1:]) == sorted(cr.servant.full_name for cr in expected)
    event = AuditEvent.objects.get(action="supervision.export_downloaded")
    assert event.actor == persona("dre_supervisor") and event.unit_path == "/000000/150101/"
    # the file names people: each of them sees the download as a read of their file
    assert sorted(event.subject_ids) == sorted({cr.servant_id for cr in expected})
    teacher = expected.first().servant
    assert reads_of_subject("servant", teacher.pk).filter(pk=event.pk).exists()


def test_a_list_export_is_built_once(sector, persona):
    from ayni.supervision.models import ListExport
    from ayni.supervision.services import build_list_export

    export = ListExport.objects.create(
        requested_by=persona("minedu_supervisor"),
        unit=OrgUnit.objects.get(code=MINEDU),
        kind="planillas",
        fmt="xlsx",
    )
    assert build_list_export(export.pk) > 0
    assert build_list_export(export.pk) == 0  # a second worker (or a retry) does nothing
    export.refresh_from_db()
    assert export.state == "done" and export.percent == 100 and export.file_name
