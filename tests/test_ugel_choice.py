"""Choosing a UGEL (issue 11): region first, then its UGELs, each named so it is unique,
on the anonymous access request and on the desk filing form; a form returned with
errors says plainly that the file must be attached again."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from ayni.core.forms import REATTACH as REATTACH_LAZY
from ayni.desk.forms import AccessRequestForm, FilingForm
from ayni.org.models import OrgUnit
from ayni.org.selectors import display_name, ugel_groups
from tests.test_desk import access_form, upload

pytestmark = pytest.mark.django_db
REATTACH = str(REATTACH_LAZY)  # a lazy gettext: its Spanish words, for `in`


@pytest.fixture
def ugel07(demo_data) -> OrgUnit:  # type: ignore[no-untyped-def]
    return OrgUnit.objects.get(code="150108")


def _options(html: str, select_id: str) -> str:
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {select_id}"
    return match[1]


def _labels(fragment: str) -> list[str]:
    return [unescape(label) for label in re.findall(r"<option[^>]*>([^<]*)</option>", fragment)]


def test_the_two_la_union_ugels_are_told_apart(demo_data):
    labels = [label for group in ugel_groups() for _, label in group.ugels]
    assert "UGEL La Unión (Arequipa)" in labels
    assert "UGEL La Unión (Piura)" in labels
    assert "UGEL LA UNIÓN" not in labels and "UGEL La Unión" not in labels
    assert len(labels) == len(set(labels)) == OrgUnit.objects.filter(kind="UGEL").count()


def test_names_read_as_names():
    assert display_name("UGEL SANTIAGO DE CHUCO") == "UGEL Santiago de Chuco"
    assert display_name("UGEL 07 SAN BORJA") == "UGEL 07 San Borja"
    assert display_name("UGEL LA MAR") == "UGEL La Mar"
    assert display_name("UGEL PICHARI-KIMBIRI-VILLA VIRGEN") == "UGEL Pichari-Kimbiri-Villa Virgen"
    assert display_name("GRE LA LIBERTAD") == "GRE La Libertad"


def test_each_region_groups_only_its_own_ugels(demo_data):
    groups = {group.label: group for group in ugel_groups()}
    arequipa = groups["GRE Arequipa"]
    units = OrgUnit.objects.in_bulk([pk for pk, _ in arequipa.ugels])
    assert {unit.parent_id for unit in units.values()} == {arequipa.region.pk}
    assert "UGEL La Unión (Arequipa)" in [label for _, label in arequipa.ugels]
    assert "UGEL La Unión (Piura)" not in [label for _, label in arequipa.ugels]


@pytest.mark.parametrize(
    ("path", "who"), [("/acceso/solicitar/", "anonymous"), ("/mesa-de-partes/nuevo/", "servant")]
)
def test_both_forms_ask_region_first_then_a_grouped_ugel_list(path, who, client_for):
    page = client_for(who).get(path).content.decode()
    assert page.index('id="id_region"') < page.index('id="id_unit"')
    regions = _labels(_options(page, "id_region"))
    assert regions[0] == "Elija su región"
    assert "GRE Arequipa" in regions and "DRE Piura" in regions
    units = _options(page, "id_unit")
    # without JavaScript the list is grouped under each region's name, as the region list says
    groups = [unescape(g) for g in re.findall(r'<optgroup label="([^"]+)"', units)]
    assert groups == regions[1:]
    labels = _labels(units)
    assert labels.count("UGEL La Unión (Arequipa)") == 1
    assert labels.count("UGEL La Unión (Piura)") == 1
    assert len(labels) == len(set(labels))
    # with it, a small same-origin script narrows the list (CSP: no inline script)
    assert 'data-region-select="id_region"' in page
    assert re.search(r'<script src="/static/ayni/ugel-chooser[^"]*\.js"', page)


def test_the_filing_form_starts_at_the_servants_own_region_and_ugel(client_for, ugel07):
    page = client_for("servant").get("/mesa-de-partes/nuevo/").content.decode()
    region = _options(page, "id_region")
    assert re.search(rf'<option value="{ugel07.parent_id}" selected>DRE Lima Metropolitana', region)
    assert re.search(rf'<option value="{ugel07.pk}" selected>UGEL 07 San Borja', page)


def test_a_ugel_of_another_region_is_refused_on_both_forms(ugel07, demo_data):
    arequipa = OrgUnit.objects.get(kind="UGEL", name="UGEL LA UNIÓN", parent__code="040000")
    piura = OrgUnit.objects.get(code="200000")
    access = AccessRequestForm({"region": piura.pk, "unit": arequipa.pk})
    assert "Esa UGEL no pertenece a la región elegida." in access.errors["unit"]
    filing = FilingForm({"region": piura.pk, "unit": arequipa.pk, "kind": "otro", "subject": "x"})
    assert "Esa UGEL no pertenece a la región elegida." in filing.errors["unit"]
    # the filing form may leave the region out: the UGEL says which it is
    alone = FilingForm({"unit": arequipa.pk, "kind": "otro", "subject": "x"})
    alone.is_valid()
    assert "unit" not in alone.errors
    assert alone.cleaned_data["region"].code == "040000"


def test_access_request_lands_at_the_la_union_chosen(ugel07, demo_data):
    from ayni.desk.models import AccessRequest

    piura_la_union = OrgUnit.objects.get(kind="UGEL", name="UGEL LA UNIÓN", parent__code="200000")
    response = access_form(
        Client(), ugel07, region=piura_la_union.parent_id, unit=piura_la_union.pk
    )
    assert response.status_code == 302
    assert AccessRequest.objects.get(doc_number="10000020").unit == piura_la_union


def test_a_returned_access_form_says_the_pdf_must_be_attached_again(ugel07):
    response = access_form(Client(), ugel07, answer="99")
    body = unescape(response.content.decode())
    assert response.status_code == 400
    assert "La respuesta no es correcta" in body
    field = re.search(r'<div class="field[^"]*">\s*<label for="id_document">.*?</div>', body, re.S)
    assert field and REATTACH in field[0]
    assert REATTACH not in Client().get("/acceso/solicitar/").content.decode()


def test_a_returned_filing_says_the_documents_must_be_attached_again(client_for, ugel07):
    client = client_for("servant")
    assert REATTACH not in unescape(client.get("/mesa-de-partes/nuevo/").content.decode())
    response = client.post(
        "/mesa-de-partes/nuevo/",
        {"unit": ugel07.pk, "kind": "otro", "subject": "", "documents": upload("a.pdf", b"%PDF")},
    )
    body = unescape(response.content.decode())
    assert response.status_code == 400
    field = re.search(r'<div class="field[^"]*">\s*<label for="id_documents">.*?</div>', body, re.S)
    assert field and REATTACH in field[0]


def test_a_name_after_a_number_keeps_its_article_capitalised():
    from ayni.org.selectors import display_name

    assert display_name("UGEL 01 EL PORVENIR") == "UGEL 01 El Porvenir"
    assert display_name("UGEL 02 LA ESPERANZA") == "UGEL 02 La Esperanza"
    assert display_name("UGEL SANTIAGO DE CHUCO") == "UGEL Santiago de Chuco"
    assert display_name("UGEL LA UNIÓN") == "UGEL La Unión"
