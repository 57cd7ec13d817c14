"""The persona x view matrix: every personal view tried by every persona.

200 means the page shows what it must; 403 a page the persona's roles don't
open; 404 an object out of scope (indistinguishable from a missing one); 302 an
anonymous visitor sent to log in. Every view added later joins this matrix.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone

from ayni.core.models import AuditEvent
from ayni.desk.models import Case
from ayni.payroll.models import Payslip
from ayni.personnel.models import ChangeRequest
from ayni.reports.models import ServiceReport, ServiceReportRequest

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "servant",
    "other_servant",
    "cesante",
    "escalafon",
    "planillas",
    "other_ugel_officer",
    "dre_supervisor",
    "other_dre_supervisor",
    "admin",
]

# A servant's file (and its history): the teacher of UGEL 07, and of UGEL 08 Cañete.
FILE_OF_TEACHER = {
    "anonymous": 302,
    "servant": 200,
    "other_servant": 404,
    "cesante": 404,
    "escalafon": 200,
    "planillas": 404,
    "other_ugel_officer": 404,
    "dre_supervisor": 200,
    "other_dre_supervisor": 404,
    "admin": 200,
}
FILE_OF_CANETE = {
    "anonymous": 302,
    "servant": 404,
    "other_servant": 404,
    "cesante": 404,
    "escalafon": 404,
    "planillas": 404,
    "other_ugel_officer": 404,
    "dre_supervisor": 404,
    "other_dre_supervisor": 200,
    "admin": 200,
}

# view -> expected status per persona (views on a servant's record use the teacher
# of UGEL 07, "servant", or the teacher of UGEL 08 Cañete, "canete_servant").
MATRIX: dict[str, dict[str, int]] = {
    "/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/mi-legajo/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/mi-legajo/quien-vio/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/notificaciones/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/servidores/": {
        "anonymous": 302,
        "servant": 403,
        "other_servant": 403,
        "cesante": 403,
        "escalafon": 200,
        "planillas": 403,
        "other_ugel_officer": 200,
        "dre_supervisor": 200,
        "other_dre_supervisor": 200,
        "admin": 200,
    },
    "/auditoria/": {
        "anonymous": 302,
        "servant": 403,
        "other_servant": 403,
        "cesante": 403,
        "escalafon": 403,
        "planillas": 403,
        "other_ugel_officer": 403,
        "dre_supervisor": 200,
        "other_dre_supervisor": 200,
        "admin": 200,
    },
    "servant_detail:servant": FILE_OF_TEACHER,
    "servant_detail:canete_servant": FILE_OF_CANETE,
    "servant_detail:missing": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302},
    # the full history of a file: the same scope as the file itself
    "servant_history:servant": FILE_OF_TEACHER,
    "servant_history:canete_servant": FILE_OF_CANETE,
    "servant_history:missing": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302},
    "/verificar/": dict.fromkeys(PERSONAS, 200),
    # Mi legajo (every persona has a servant record of their own)
    "/mi-legajo/academica/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/mi-legajo/historial/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/mi-legajo/academica/solicitar/degree/add/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/mis-solicitudes/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "my_request:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": 200},
    "my_request_withdraw:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": 200},
    "/escalafon/solicitudes/": dict.fromkeys(PERSONAS, 403)
    | {"anonymous": 302, "escalafon": 200, "other_ugel_officer": 200},
    "review_detail:": dict.fromkeys(PERSONAS, 403)
    | {"anonymous": 302, "escalafon": 200, "other_ugel_officer": 404},
    "staff_entry_new:": dict.fromkeys(PERSONAS, 403)
    | {"anonymous": 302, "escalafon": 200, "other_ugel_officer": 404},
    # Mi boleta and planillas
    "/mi-boleta/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "my_payslip:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": 200},
    "my_payslip_pdf:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": 200},
    "scheduled_payslip:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302},
    "/planillas/": dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "planillas": 200},
    "/planillas/cargar/": dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "planillas": 200},
    "payroll_run:": dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "planillas": 200},
    # Reports
    "/mi-legajo/reporte/hoja-de-vida/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/mi-legajo/reporte/informes/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "my_resume_pdf:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": 200},
    "my_informe_pdf:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": 200},
    "/escalafon/informes/": dict.fromkeys(PERSONAS, 403)
    | {"anonymous": 302, "escalafon": 200, "other_ugel_officer": 200},
    "informe_review:": dict.fromkeys(PERSONAS, 403)
    | {"anonymous": 302, "escalafon": 200, "other_ugel_officer": 404},
    "/escalafon/hojas-de-vida/": dict.fromkeys(PERSONAS, 403)
    | {"anonymous": 302, "escalafon": 200, "other_ugel_officer": 200},
    # Mesa de partes
    "/acceso/solicitar/": dict.fromkeys(PERSONAS, 200),
    "/acceso/seguimiento/": dict.fromkeys(PERSONAS, 200),
    "/mesa-de-partes/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "/mesa-de-partes/nuevo/": dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    "my_case:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": 200},
    "my_case_receipt:": dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": 200},
    "/mesa/": dict.fromkeys(PERSONAS, 200)
    | {"anonymous": 302, "servant": 403, "other_servant": 403, "cesante": 403},
    "desk_case:": dict.fromkeys(PERSONAS, 404)
    | {
        "anonymous": 302,
        "servant": 403,
        "other_servant": 403,
        "cesante": 403,
        "escalafon": 200,
        "admin": 404,
    },
    "access_case:": dict.fromkeys(PERSONAS, 404)
    | {"anonymous": 302, "servant": 403, "other_servant": 403, "cesante": 403},
    "/admin/": dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "admin": 200},
}

CASES = [(view, who, status) for view, row in MATRIX.items() for who, status in row.items()]


def resolve(view: str, servant_of) -> str:
    teacher = servant_of("servant")
    pending = ChangeRequest.objects.filter(servant=teacher, state="en_solicitud").first()
    special = {
        "my_request:": lambda: f"/mis-solicitudes/{pending.uuid}/",
        "my_request_withdraw:": lambda: f"/mis-solicitudes/{pending.uuid}/anular/",
        "review_detail:": lambda: f"/escalafon/solicitudes/{pending.uuid}/",
        "staff_entry_new:": lambda: f"/servidores/{teacher.uuid}/legajo/degree/nuevo/",
        "my_payslip:": lambda: f"/mi-boleta/{visible_slip().uuid}/",
        "my_payslip_pdf:": lambda: f"/mi-boleta/{visible_slip().uuid}/pdf/",
        "scheduled_payslip:": lambda: f"/mi-boleta/{scheduled_slip().uuid}/",
        "payroll_run:": lambda: f"/planillas/{visible_slip().run.uuid}/",
        "my_resume_pdf:": lambda: "/mi-legajo/reporte/hoja-de-vida/pdf/",
        "my_informe_pdf:": lambda: (
            f"/mi-legajo/reporte/informes/{ServiceReport.objects.get(servant=teacher).uuid}/pdf/"
        ),
        "my_case:": lambda: f"/mesa-de-partes/{support_case().uuid}/",
        "my_case_receipt:": lambda: f"/mesa-de-partes/{support_case().uuid}/cargo/",
        "desk_case:": lambda: f"/mesa/{support_case().uuid}/",
        "access_case:": lambda: (
            f"/mesa/{Case.objects.get(kind='acceso', filer_doc_number='10000010').uuid}/"
        ),
        "informe_review:": lambda: (
            f"/escalafon/informes/{ServiceReportRequest.objects.get(state='pendiente').uuid}/"
        ),
    }

    def support_case() -> Case:
        return Case.objects.get(kind="sustento", filer=teacher.user)

    def visible_slip() -> Payslip:
        return Payslip.objects.filter(
            servant=teacher, payment_date__lte=timezone.localdate()
        ).first()

    def scheduled_slip() -> Payslip:
        return Payslip.objects.filter(
            servant=teacher, payment_date__gt=timezone.localdate()
        ).first()

    if view in special:
        return special[view]()
    if not view.startswith(("servant_detail:", "servant_history:")):
        return view
    name, target = view.split(":", 1)
    ref = uuid.uuid4() if target == "missing" else servant_of(target).uuid
    return f"/servidores/{ref}/historial/" if name == "servant_history" else f"/servidores/{ref}/"


@pytest.mark.parametrize(("view", "who", "expected"), CASES, ids=[f"{v}-{w}" for v, w, _ in CASES])
def test_scoping_matrix(view, who, expected, client_for, servant_of):
    client = client_for(who)
    response = client.get(resolve(view, servant_of))
    assert response.status_code == expected
    if expected == 302:
        landing = client.get(resolve(view, servant_of), follow=True)
        assert landing.redirect_chain[-1][0].startswith("/cuenta/ingresar/")


def test_not_found_and_forbidden_look_the_same(client_for, servant_of):
    client = client_for("other_ugel_officer")
    forbidden = client.get(f"/servidores/{servant_of('servant').uuid}/")
    missing = client.get(f"/servidores/{uuid.uuid4()}/")
    assert forbidden.status_code == missing.status_code == 404

    def without_csrf(body: bytes) -> str:  # the logout form's token is new on every page
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())

    assert without_csrf(forbidden.content) == without_csrf(missing.content)


def test_servant_sees_only_her_own_record(client_for):
    body = client_for("servant").get("/mi-legajo/").content.decode()
    assert "QUISPE HUAMÁN, ROSA ELENA" in body
    assert "MAMANI" not in body


def test_staff_read_is_audited_and_shown_to_the_servant(client_for, servant_of, persona):
    teacher = servant_of("servant")
    before = AuditEvent.objects.filter(
        action="personnel.servant_viewed", subject_id=teacher.pk
    ).count()
    page = client_for("escalafon").get(f"/servidores/{teacher.uuid}/").content.decode()
    assert "Esta consulta queda registrada" in page
    event = AuditEvent.objects.filter(
        action="personnel.servant_viewed", subject_id=teacher.pk
    ).first()
    assert (
        AuditEvent.objects.filter(action="personnel.servant_viewed", subject_id=teacher.pk).count()
        == before + 1
    )
    assert event.actor == persona("escalafon")
    assert event.unit_path == "/000000/150101/150108/"
    seen = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "María Isabel Flores Gutiérrez" in seen
    assert "Escalafón y legajos" in seen


def test_own_read_is_not_logged_as_a_staff_read(client_for, servant_of):
    teacher = servant_of("servant")
    before = AuditEvent.objects.filter(subject_id=teacher.pk).count()
    client_for("servant").get(f"/servidores/{teacher.uuid}/")
    client_for("servant").get("/mi-legajo/")
    assert AuditEvent.objects.filter(subject_id=teacher.pk).count() == before


def test_servant_list_shows_only_servants_in_scope(client_for):
    lima = client_for("dre_supervisor").get("/servidores/").content.decode()
    assert "QUISPE HUAMÁN, ROSA ELENA" in lima
    assert "RAMOS PAREDES" not in lima  # UGEL 08 Cañete belongs to DRE Lima Provincias
    assert "CCORI APAZA" not in lima
    cusco = client_for("other_ugel_officer").get("/servidores/").content.decode()
    assert "CCORI APAZA, LUZ MARINA" in cusco
    assert "QUISPE" not in cusco


def test_servant_search_is_posted_so_no_document_number_reaches_a_url(client_for):
    client = client_for("escalafon")
    response = client.post("/servidores/", {"q": "10000001"})
    body = response.content.decode()
    assert "QUISPE HUAMÁN, ROSA ELENA" in body
    assert "MAMANI" not in body
    assert "10000001" not in response.wsgi_request.get_full_path()
    outside = client.post("/servidores/", {"q": "10000004"}).content.decode()
    assert "No se encontraron servidores." in outside


def test_audit_page_lists_only_events_of_the_scope(client_for, servant_of):
    client_for("escalafon").get(f"/servidores/{servant_of('servant').uuid}/")
    client_for("other_dre_supervisor").get(f"/servidores/{servant_of('canete_servant').uuid}/")
    lima = client_for("dre_supervisor").get("/auditoria/?action=personnel").content.decode()
    assert "María Isabel Flores Gutiérrez" in lima
    assert "Raúl Espinoza Cruz" not in lima
    provincias = client_for("other_dre_supervisor").get("/auditoria/?action=personnel")
    assert "Raúl Espinoza Cruz" in provincias.content.decode()
    assert "María Isabel Flores Gutiérrez" not in provincias.content.decode()


def test_staff_home_shows_unit_figures_and_work_queue(client_for):
    officer = client_for("escalafon").get("/").content.decode()
    assert "Completar la ficha del servidor SÁNCHEZ GARCÍA, YOLANDA" in officer
    assert "UGEL 07 SAN BORJA" in officer
    cusco = client_for("other_ugel_officer").get("/").content.decode()
    assert "SÁNCHEZ GARCÍA" not in cusco
    supervisor = client_for("dre_supervisor").get("/").content.decode()
    assert "Servidores por unidad" in supervisor
    assert "UGEL 07 SAN BORJA" in supervisor
    assert "UGEL 08 CAÑETE" not in supervisor
    admin = client_for("admin").get("/").content.decode()
    assert "DRE LIMA PROVINCIAS" in admin
    assert "DRE CUSCO" in admin


def test_retired_servant_keeps_access(client_for):
    home = client_for("cesante").get("/").content.decode()
    assert "conserva el acceso" in home
    assert "Cesante" in client_for("cesante").get("/mi-legajo/").content.decode()


def test_paging_keeps_the_search_without_putting_it_in_the_url(client_for, demo_data, monkeypatch):
    from ayni.personnel.demo import generate_servants

    monkeypatch.setattr("ayni.personnel.views.servants.PAGE_SIZE", 5)
    generate_servants(800)
    client = client_for("admin")
    first = client.post("/servidores/", {"q": "QUISPE"}).content.decode()
    assert "Página 1 de" in first
    assert "?pagina=2" in first and "QUISPE" not in first.split("?pagina=2")[0][-200:]
    second = client.get("/servidores/?pagina=2").content.decode()
    rows = [line for line in second.splitlines() if "/servidores/" in line and "<td" in line]
    assert rows and all("QUISPE" in row for row in rows)
    client.get("/servidores/")  # a fresh visit forgets the search
    unfiltered = client.get("/servidores/?pagina=2").content.decode()
    rows = [line for line in unfiltered.splitlines() if "/servidores/" in line and "<td" in line]
    assert any("QUISPE" not in row for row in rows)


def test_audit_paging_keeps_the_filters(client_for, servant_of):
    for _ in range(60):
        client_for("escalafon").get(f"/servidores/{servant_of('servant').uuid}/")
    page = client_for("admin").get("/auditoria/?action=personnel").content.decode()
    assert "action=personnel&amp;pagina=2" in page


def test_supervisor_figures_count_each_ugel_once(client_for, demo_data):
    from ayni.org.models import OrgUnit
    from ayni.personnel.demo import generate_servants
    from ayni.personnel.models import Servant
    from ayni.portal.selectors import figures_for

    generate_servants(500)
    lima = OrgUnit.objects.get(code="150101")
    from ayni.accounts.models import User

    supervisor = User.objects.get(login_id="01-20000005")
    (figures,) = figures_for(supervisor)
    assert figures.unit == lima
    assert (
        figures.total == Servant.objects.filter(employing_unit__path__startswith=lima.path).count()
    )
    assert (
        sum(row["total"] for row in figures.children)
        + Servant.objects.filter(employing_unit=lima).count()
        == figures.total
    )
    san_borja = next(r for r in figures.children if r["unit"].code == "150108")
    assert san_borja["total"] == Servant.objects.filter(employing_unit__code="150108").count()
