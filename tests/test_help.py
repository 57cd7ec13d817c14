"""In-app help (issue 11): one «Ayuda» page per service, reachable from the service's
page, each explaining every state of its model with the model's own label."""

from __future__ import annotations

import re
from html import unescape

import pytest

from ayni.benefits.models import BenefitRequest, PaymentCertificate
from ayni.core.verification import Verdict
from ayni.desk.models import AccessRequest, AccountRecovery, Case
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest
from ayni.portal.help import PAGES
from ayni.reports.models import ServiceReport, ServiceReportRequest
from ayni.sharing.models import ShareLink

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
}


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


def test_the_benefit_pages_are_reachable_from_where_people_start(client_for):
    officer = client_for("planillas").get("/").content.decode()
    assert (
        'href="/planillas/beneficios/"' in officer and 'href="/planillas/constancias/"' in officer
    )
    login = client_for("anonymous").get("/cuenta/ingresar/").content.decode()
    assert re.search(r'id="survivors-link">.*href="/beneficios/deudos/"', login)
