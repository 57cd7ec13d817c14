"""In-app help (issue 11): one «Ayuda» page per service, reachable from the service's
page, each explaining every state of its model with the model's own label."""

from __future__ import annotations

import re
from html import unescape

import pytest

from ayni.benefits.models import BenefitRequest, PaymentCertificate
from ayni.core.verification import Verdict
from ayni.dataprotection.models import ArcoRequest, DataExport
from ayni.dataprotection.terms import TERMS
from ayni.desk.models import AccessRequest, AccountRecovery, Case
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest
from ayni.portal.help import PAGES
from ayni.reports.models import ServiceReport, ServiceReportRequest
from ayni.sharing.models import ShareLink
from ayni.supervision.models import ListExport
from tests.test_i18n_pseudo import check_pages, pseudo_locale  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

#: which models' states each page must explain (the page's own declaration is checked too)
EXPECTED = {
    "mi-legajo": [],
    "solicitudes": [ChangeRequest.State],
    "mi-boleta": [PayrollRun.State],
    "reportes": [ServiceReportRequest.State, ServiceReport.State],
    "mesa-de-partes": [Case.State, AccessRequest.State],
    "verificar": [],
    "revision": [ChangeRequest.State],
    "planillas": [PayrollRun.State],
    "mesa": [Case.State, AccessRequest.State, AccountRecovery.State],
    "servidores": [],
    "auditoria": [],
    "beneficios": [BenefitRequest.State, PaymentCertificate.State],
    "api": [],
    "compartir": [ShareLink.State],
    "seguridad": [],
    "mis-datos": [ArcoRequest.State, DataExport.State],
    "proteccion-de-datos": [ArcoRequest.State],
    "supervision": [ListExport.State],
}

#: the service page (as its persona) that links to its help
SERVICE_PAGES = {
    "mi-legajo": ("servant", "/mi-legajo/"),
    "solicitudes": ("servant", "/mis-solicitudes/"),
    "mi-boleta": ("servant", "/mi-boleta/"),
    "reportes": ("cesante", "/mi-legajo/reporte/informes/"),
    "mesa-de-partes": ("servant", "/mesa-de-partes/"),
    "verificar": ("anonymous", "/verificar/"),
    "revision": ("escalafon", "/escalafon/solicitudes/"),
    "planillas": ("planillas", "/planillas/"),
    "mesa": ("mesa_partes", "/mesa/"),
    "servidores": ("escalafon", "/servidores/"),
    "auditoria": ("dre_supervisor", "/auditoria/"),
    "beneficios": ("servant", "/beneficios/"),
    "api": ("servant", "/cuenta/tokens/"),
    "compartir": ("servant", "/mis-enlaces/"),
    "seguridad": ("servant", "/cuenta/seguridad/"),
    "mis-datos": ("servant", "/mis-datos-personales/"),
    "proteccion-de-datos": ("dp_officer", "/proteccion-de-datos/"),
    "supervision": ("dre_supervisor", "/supervision/150101/"),
}

#: more pages of the same services that link their guide (a part of it after «#»)
MORE_SERVICE_PAGES = [
    ("seguridad", "servant", "/cuenta/sesiones/"),
    ("seguridad", "escalafon", "/cuenta/segundo-factor/verificar/?paso=1"),
    ("seguridad", "servant", "/cuenta/segundo-factor/configurar/"),
    ("mis-datos", "anonymous", "/proteccion-de-datos/uso-de-sus-datos/"),
    ("proteccion-de-datos#inventario", "dp_officer", "/proteccion-de-datos/inventario/"),
    ("proteccion-de-datos#incidentes", "dp_officer", "/proteccion-de-datos/incidentes/nuevo/"),
    ("supervision", "minedu_supervisor", "/supervision/000000/"),
    ("supervision#listas", "dre_supervisor", "/supervision/150101/lista/solicitudes/"),
    ("supervision#datos-abiertos", "anonymous", "/datos-abiertos/"),
]


def _states_section(html: str) -> str:
    return " ".join(re.findall(r'<dl class="states">(.*?)</dl>', html, re.S))


def test_every_service_has_a_help_page():
    assert set(PAGES) == set(EXPECTED) == set(SERVICE_PAGES)


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_each_help_page_explains_every_state_of_its_model(slug, client_for):
    response = client_for("anonymous").get(f"/ayuda/{slug}/")  # no personal data: public
    assert response.status_code == 200
    html = unescape(response.content.decode())
    states = _states_section(html)
    for choices in EXPECTED[slug]:
        for value, label in choices.choices:
            row = re.search(
                rf'<dt><span class="state">{re.escape(str(label))}</span></dt><dd>([^<]*)</dd>',
                states,
            )
            assert row, f"{slug}: state «{label}» ({value}) is not explained"
            assert len(row[1].strip()) > 20, f"{slug}: «{label}» has no explanation"
    for table in PAGES[slug].states:
        for label, meaning in table.rows():
            assert str(label) in states and str(meaning), f"{slug}: «{label}»"
    assert "Para qué sirve" in html and "Pasos" in html and "<ol>" in html


def test_the_verification_help_names_every_verdict(client_for):
    html = unescape(client_for("anonymous").get("/ayuda/verificar/").content.decode())
    states = _states_section(html)
    assert states.count('<span class="state">') == len(Verdict)
    for phrase in ("Documento válido", "no es el documento emitido", "Documento anulado"):
        assert phrase in states


@pytest.mark.parametrize("slug", list(SERVICE_PAGES))
def test_each_service_page_links_to_its_help(slug, client_for):
    who, path = SERVICE_PAGES[slug]
    html = client_for(who).get(path).content.decode()
    assert re.search(rf'<a [^>]*href="/ayuda/{slug}/"[^>]*>[^<]*Ayuda', html), (
        f"{path} has no «Ayuda» link to /ayuda/{slug}/"
    )


@pytest.mark.parametrize(("target", "who", "path"), MORE_SERVICE_PAGES)
def test_more_service_pages_link_to_their_help(target, who, path, client_for):
    slug, _sep, part = target.partition("#")
    html = client_for(who).get(path).content.decode()
    href = f"/ayuda/{slug}/" + (f"#{part}" if part else "")
    assert re.search(rf'<a [^>]*href="{re.escape(href)}"[^>]*>[^<]*Ayuda', html), (
        f"{path} has no «Ayuda» link to {href}"
    )
    if part:
        guide = client_for("anonymous").get(f"/ayuda/{slug}/").content.decode()
        assert f'id="{part}"' in guide


def test_the_officers_arco_page_links_to_the_desk_guide(client_for, persona):
    from ayni.dataprotection.services import file_arco

    arco = file_arco(
        persona("servant"), right="oposicion", detail="No quiero que mi correo se use para avisos."
    )
    html = client_for("dp_officer").get(f"/proteccion-de-datos/arco/{arco.uuid}/").content.decode()
    assert 'href="/ayuda/proteccion-de-datos/"' in html


def test_the_guides_quote_the_configured_figures(client_for, settings):
    settings.STEP_UP_SECONDS = 7 * 60
    settings.SESSION_IDLE_SECONDS = 23 * 60
    security = unescape(client_for("anonymous").get("/ayuda/seguridad/").content.decode())
    assert "tiene más de 7 minutos" in security and "después de 23 minutos" in security
    for part in ("codigos-de-recuperacion", "telefono-perdido", "llaves-de-acceso", "sesiones"):
        assert f'id="{part}"' in security
    assert 'id="id-gob-pe"' in security and 'href="/ayuda/api/"' in security
    my_data = unescape(client_for("anonymous").get("/ayuda/mis-datos/").content.decode())
    desk = unescape(client_for("anonymous").get("/ayuda/proteccion-de-datos/").content.decode())
    for right, term in TERMS.items():
        days = f"{term.working_days} días hábiles"
        assert str(term.what) in my_data and days in my_data, right
        assert str(term.officer) in desk and days in desk, right
    assert "Autoridad Nacional de Protección de Datos Personales" in my_data
    board = unescape(client_for("anonymous").get("/ayuda/supervision/").content.decode())
    assert "de 1 a 4 personas" in board and "«s»" in board
    assert "más de 30 días hábiles" in board


def test_the_new_guides_pass_every_word_through_gettext(check_pages):  # noqa: F811
    check_pages(
        "anonymous",
        [
            "/ayuda/seguridad/",
            "/ayuda/mis-datos/",
            "/ayuda/proteccion-de-datos/",
            "/ayuda/supervision/",
        ],
    )


def test_the_batch_page_links_to_its_part_of_the_staff_guide(client_for):
    html = client_for("escalafon").get("/escalafon/hojas-de-vida/").content.decode()
    assert 'href="/ayuda/servidores/#hojas-de-vida"' in html
    guide = client_for("escalafon").get("/ayuda/servidores/").content.decode()
    assert 'id="hojas-de-vida"' in guide


@pytest.mark.parametrize("who", ["anonymous", "servant", "escalafon", "dre_supervisor"])
def test_every_page_offers_help_in_its_footer_and_home(who, client_for):
    client = client_for(who)
    for path in ("/cuenta/ingresar/",) if who == "anonymous" else ("/", "/notificaciones/"):
        html = client.get(path).content.decode()
        assert re.search(r'<a href="/ayuda/" id="footer-help">Ayuda</a>', html), path
    if who != "anonymous":
        home = client.get("/").content.decode()
        assert re.search(r'class="help-link"><a href="/ayuda/">Ayuda</a>', home)


def test_the_help_index_lists_every_page_and_the_payroll_guide(client_for):
    html = client_for("planillas").get("/ayuda/").content.decode()
    for slug in PAGES:
        assert f'href="/ayuda/{slug}/"' in html
    assert 'href="/planillas/guia/"' in html
    assert client_for("anonymous").get("/ayuda/no-existe/").status_code == 404


def test_favicon_is_linked_and_served(client_for):
    html = client_for("anonymous").get("/cuenta/ingresar/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/ayni/favicon[^"]*\.svg"', html)
    response = client_for("anonymous").get("/favicon.ico")
    assert response.status_code == 302
    assert re.match(r"/static/ayni/favicon[^/]*\.ico$", response["Location"])


def test_the_help_index_lists_staff_guides_to_staff_only(client_for):
    teacher = client_for("servant").get("/ayuda/").content.decode()
    officer = client_for("escalafon").get("/ayuda/").content.decode()
    assert "/ayuda/revision/" not in teacher and "/ayuda/mi-boleta/" in teacher
    # no staff section at all for a servant or a visitor (its links open staff pages)
    assert "/planillas/guia/" not in teacher and "Para el personal de la UGEL" not in teacher
    assert "/planillas/guia/" not in client_for("anonymous").get("/ayuda/").content.decode()
    assert "/ayuda/revision/" in officer
    # the account and personal-data guides are everyone's; the desks' guides are staff's
    assert "/ayuda/seguridad/" in teacher and "/ayuda/mis-datos/" in teacher
    assert "/ayuda/proteccion-de-datos/" not in teacher and "/ayuda/supervision/" not in teacher
    assert "/ayuda/supervision/" in client_for("dre_supervisor").get("/ayuda/").content.decode()
    assert "/ayuda/proteccion-de-datos/" in client_for("dp_officer").get("/ayuda/").content.decode()


def test_the_benefit_pages_are_reachable_from_where_people_start(client_for):
    officer = client_for("planillas").get("/").content.decode()
    assert (
        'href="/planillas/beneficios/"' in officer and 'href="/planillas/constancias/"' in officer
    )
    login = client_for("anonymous").get("/cuenta/ingresar/").content.decode()
    assert re.search(r'id="survivors-link">.*href="/beneficios/deudos/"', login)
