"""Survivors without an account claim the subsidio por luto y sepelio (the public path)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ayni.benefits.models import BenefitRequest, SurvivorClaim
from ayni.core.models import WorkItem
from ayni.desk.demo import demo_pdf
from ayni.desk.models import Case
from ayni.org.models import OrgUnit

pytestmark = pytest.mark.django_db
WORDS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf(name).data, content_type="application/pdf")


def claim_form(client: Client, **changes):  # type: ignore[no-untyped-def]
    page = client.get("/beneficios/deudos/").content.decode()
    a, b = re.search(r"¿Cuánto es (\w+) más (\w+)\?", page).groups()  # type: ignore[union-attr]
    ugel = OrgUnit.objects.get(code="150108")
    data = {
        "form_token": re.search(r'name="form_token" value="([^"]+)"', page)[1],  # type: ignore[index]
        "challenge": re.search(r'name="challenge" value="([^"]+)"', page)[1],  # type: ignore[index]
        "answer": str(WORDS.index(a) + WORDS.index(b)),
        "deceased_doc_number": "10000003",  # the retired teacher of UGEL 07
        "deceased_name": "Torres Salazar, Víctor Hugo",
        "relationship": "conyuge",
        "doc_type": "01",
        "doc_number": "10000030",
        "full_name": "Rivas de Torres, Elena",
        "email": "elena@example.pe",
        "phone": "",
        "region": ugel.parent_id,
        "unit": ugel.pk,
        "acta": pdf("acta.pdf"),
        "parentesco": pdf("matrimonio.pdf"),
        "website": "",
    }
    data.update(changes)
    return client.post("/beneficios/deudos/", data)


def confirm(client: Client, capture) -> str:  # type: ignore[no-untyped-def]
    code = re.search(r"/beneficios/deudos/confirmar/#(\S+)", mail.outbox[-1].body)[1]  # type: ignore[index]
    with capture(execute=True):
        return client.post("/beneficios/deudos/confirmar/", {"code": code}).content.decode()


def test_a_spouse_claims_confirms_follows_and_is_told_of_the_review(
    client_for, django_capture_on_commit_callbacks
) -> None:
    anonymous = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = claim_form(anonymous)
    assert response["Location"] == "/beneficios/deudos/enviado/"
    claim = SurvivorClaim.objects.get()
    assert claim.state == "sin_confirmar" and claim.case is None  # nothing reaches the UGEL
    assert "10000003" not in mail.outbox[-1].body
    page = confirm(anonymous, django_capture_on_commit_callbacks)
    claim.refresh_from_db()
    case = claim.case
    assert case is not None and case.label in page
    assert case.state == Case.State.ROUTED and case.area == Case.Area.PLANILLAS
    assert case.filer is None and case.filer_doc_number == "10000030"
    assert case.files.count() == 2
    req = claim.request
    assert req is not None and req.servant.doc_number == "10000003"
    assert req.amount == Decimal("3000.00")
    item = WorkItem.objects.get(source_type="case", source_id=str(case.pk), state="open")
    assert item.link == f"/beneficios/pedidos/{req.uuid}/" and item.permission == "payroll.manage"
    # follow by the e-mailed link, or by number and document together
    follow = re.search(r"/beneficios/deudos/seguimiento/#(\S+)", mail.outbox[-1].body)[1]  # type: ignore[index]
    followed = Client().post("/beneficios/deudos/seguimiento/", {"token": follow}).content.decode()
    # no preliminary amount before the UGEL reviews it: it would tell whether the document
    # is on the rolls
    assert "S/\u00a03,000.00" not in followed and 'id="claim-amount-pending"' in followed
    number = f"{case.number:06d}-{case.year}"
    found = Client().post(
        "/beneficios/deudos/seguimiento/", {"number": number, "doc_number": "10000030"}
    )
    assert found.status_code == 200 and case.label in found.content.decode()
    alone = Client().post(
        "/beneficios/deudos/seguimiento/", {"number": number, "doc_number": "99999999"}
    )
    assert alone.status_code == 404 and "No encontramos" in alone.content.decode()
    # Planillas confirms; the claimant is told by e-mail
    with django_capture_on_commit_callbacks(execute=True):
        client_for("planillas").post(f"/beneficios/pedidos/{req.uuid}/", {"amount": "3000.00"})
    req.refresh_from_db()
    assert req.state == "confirmado"
    assert mail.outbox[-1].to == ["elena@example.pe"]
    assert case.label in mail.outbox[-1].subject
    # a second confirmation with the same code changes nothing
    assert Case.objects.filter(filer_doc_number="10000030").count() == 1


def test_an_unknown_dni_gets_the_same_answer_and_a_plain_case(
    django_capture_on_commit_callbacks,
) -> None:
    anonymous = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = claim_form(anonymous, deceased_doc_number="44444444")
    assert response["Location"] == "/beneficios/deudos/enviado/"
    page = confirm(anonymous, django_capture_on_commit_callbacks)
    claim = SurvivorClaim.objects.get()
    assert claim.case is not None and claim.request is None
    assert claim.case.label in page and "llegó a la UGEL" in page
    assert not BenefitRequest.objects.exists()
    assert WorkItem.objects.filter(source_id=str(claim.case.pk), state="open").exists()


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"parentesco": ""}, "parentesco"),
        ({"answer": "99"}, "La respuesta no es correcta"),
        ({"deceased_doc_number": "123"}, "El DNI tiene 8 dígitos"),
        (
            {"acta": SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")},
            "PDF",
        ),
    ],
)
def test_incomplete_or_forged_claims_store_nothing(changes, field_error) -> None:
    response = claim_form(Client(), **changes)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not SurvivorClaim.objects.exists()
    assert not mail.outbox


def test_a_wrong_code_confirms_nothing() -> None:
    response = Client().post("/beneficios/deudos/confirmar/", {"code": "x" * 40})
    assert response.status_code == 404 and "no es válido" in response.content.decode()
