"""Mesa de partes virtual: upload checks, numbering, office hours, access requests,
routing permissions, scoping, intake observations."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ayni.accounts.models import User
from ayni.core.models import WorkItem
from ayni.desk.cases import (
    DeskError,
    case_answer,
    case_file,
    case_route,
    expire_observed_cases,
)
from ayni.desk.demo import demo_pdf
from ayni.desk.models import AccessRequest, Case
from ayni.desk.uploads import check_pdf, clean_name
from ayni.org.models import OrgUnit
from ayni.personnel.models import ChangeRequest, Servant
from ayni.reports.models import ServiceReportRequest

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")
PDF = demo_pdf("Documento de prueba").data


@pytest.fixture
def ugel07(demo_data):
    return OrgUnit.objects.get(code="150108")


@pytest.fixture
def teacher(servant_of):
    return servant_of("servant")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# --- upload checks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("foto.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "no es un PDF"),
        ("roto.pdf", b"%PDF-1.7\n1 0 obj garbage", "dañado"),
        ("vacio.pdf", b"", "no es un PDF"),
    ],
)
def test_uploads_are_checked_by_content(name, data, message):
    with pytest.raises(ValidationError, match=message):
        check_pdf(upload(name, data))


def test_oversized_upload_is_refused(settings):
    settings.DESK_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="pesa más de 1 MB"):
        check_pdf(upload("grande.pdf", PDF + b"0" * (1024 * 1024)))


def test_file_names_lose_path_characters():
    assert clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_name("C:\\Users\\ana\\mi <resolución>.pdf") == "mi _resolución_.pdf"
    checked = check_pdf(upload("../../../x.pdf", PDF))
    assert checked.original_name == "x.pdf"


def test_refused_upload_keeps_what_was_typed(client_for, ugel07):
    response = client_for("servant").post(
        "/mesa-de-partes/nuevo/",
        {
            "unit": ugel07.pk,
            "kind": "otro",
            "subject": "Constancia de trabajo",
            "documents": upload("foto.pdf", b"\x89PNG\r\n\x1a\n0000"),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "no es un PDF" in body and 'value="Constancia de trabajo"' in body
    assert not Case.objects.filter(subject="Constancia de trabajo").exists()


def test_too_many_files_are_refused(client_for, ugel07, settings):
    settings.DESK_MAX_FILES = 2
    response = client_for("servant").post(
        "/mesa-de-partes/nuevo/",
        {
            "unit": ugel07.pk,
            "kind": "otro",
            "subject": "Varios",
            "documents": [upload(f"d{i}.pdf", PDF) for i in range(3)],
        },
    )
    assert "como máximo 2 archivos" in response.content.decode()


# --- filing, numbering, office hours ----------------------------------------------------


def test_filing_gets_a_number_a_receipt_and_a_work_item(client_for, ugel07, teacher):
    with time_machine.travel(datetime(2030, 3, 4, 10, 0, tzinfo=LIMA), tick=False):
        client = client_for("servant")
        response = client.post(
            "/mesa-de-partes/nuevo/",
            {
                "unit": ugel07.pk,
                "kind": "otro",
                "subject": "Constancia de trabajo",
                "documents": [upload("fut.pdf", PDF), upload("dni.pdf", PDF)],
            },
            follow=True,
        )
    body = response.content.decode()
    assert "Su trámite fue recibido: Exp. N.° 000001-2030" in body
    case = Case.objects.get(year=2030)
    assert case.received_at == datetime(2030, 3, 4, 10, 0, tzinfo=LIMA)
    assert [f.original_name for f in case.files.all()] == ["fut.pdf", "dni.pdf"]
    assert all(len(f.sha256) == 64 and f.stored_name != f.original_name for f in case.files.all())
    with time_machine.travel(datetime(2030, 3, 4, 10, 5, tzinfo=LIMA), tick=False):
        client = client_for("servant")
        receipt = client.get(f"/mesa-de-partes/{case.uuid}/cargo/")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(receipt.content)).pages[0].extract_text()
    for expected in (
        "CARGO DE RECEPCIÓN",
        "Exp. N.° 000001-2030",
        "04/03/2030 a las 10:00",
        "fut.pdf",
        case.files.first().sha256[:20],
    ):
        assert expected in text.replace("\n", ""), expected
    assert WorkItem.objects.filter(
        source_type="case", source_id=str(case.pk), state="open", permission="desk.manage"
    ).exists()
    assert "Exp. N.° 000001-2030" in client_for("mesa_partes").get("/").content.decode()


def test_filing_after_hours_counts_on_the_next_working_day(ugel07, teacher, persona):
    with time_machine.travel(datetime(2030, 3, 8, 18, 30, tzinfo=LIMA), tick=False):  # Friday
        case = case_file(
            user=persona("servant"),
            servant=teacher,
            unit=ugel07,
            kind="otro",
            subject="Fuera de hora",
            files=[demo_pdf("x")],
        )
    assert case.received_at == datetime(2030, 3, 11, 8, 0, tzinfo=LIMA)
    assert case.year == 2030


def test_numbers_are_per_ugel_and_year(persona, teacher, ugel07):
    first = case_file(
        user=persona("servant"),
        servant=teacher,
        unit=ugel07,
        kind="otro",
        subject="a",
        files=[demo_pdf("a")],
    )
    second = case_file(
        user=persona("servant"),
        servant=teacher,
        unit=ugel07,
        kind="otro",
        subject="b",
        files=[demo_pdf("b")],
    )
    cusco = case_file(
        user=persona("servant"),
        servant=teacher,
        unit=OrgUnit.objects.get(code="080001"),
        kind="otro",
        subject="c",
        files=[demo_pdf("c")],
    )
    assert second.number == first.number + 1
    assert cusco.number == 1


def test_informe_filing_creates_the_reports_request(persona, teacher, ugel07):
    case_file(
        user=persona("servant"),
        servant=teacher,
        unit=ugel07,
        kind="informe",
        subject="Informe para CTS",
        files=[demo_pdf("FUT")],
        informe_purpose="cts",
    )
    req = ServiceReportRequest.objects.get(servant=teacher, purpose="cts")
    assert "Presentado por mesa de partes" in req.purpose_detail


def test_support_filing_must_name_an_open_request_of_the_filer(
    persona, teacher, ugel07, servant_of
):
    with pytest.raises(DeskError):
        case_file(
            user=persona("servant"),
            servant=teacher,
            unit=ugel07,
            kind="sustento",
            subject="x",
            files=[demo_pdf("x")],
        )
    other = ChangeRequest.objects.exclude(servant=teacher).first()
    if other is not None:
        with pytest.raises(DeskError):
            case_file(
                user=persona("servant"),
                servant=teacher,
                unit=ugel07,
                kind="sustento",
                subject="x",
                files=[demo_pdf("x")],
                change_request=other,
            )


def test_support_filing_appears_inside_the_change_request(client_for, teacher):
    cr = ChangeRequest.objects.get(servant=teacher, state="observado")
    case = cr.desk_cases.get()
    page = client_for("escalafon").get(f"/escalafon/solicitudes/{cr.uuid}/").content.decode()
    assert "Sustento presentado por mesa de partes" in page
    assert case.label in page and "diploma-de-bachiller.pdf" in page
    attachment = case.files.first()
    response = client_for("escalafon").get(f"/mesa/{case.uuid}/archivos/{attachment.pk}/")
    assert response.content.startswith(b"%PDF")
    assert client_for("other_ugel_officer").get(
        f"/mesa/{case.uuid}/archivos/{attachment.pk}/"
    ).status_code in (403, 404)


# --- routing and answers --------------------------------------------------------------


def test_routing_permissions_and_states(persona, teacher, ugel07, client_for):
    case = case_file(
        user=persona("servant"),
        servant=teacher,
        unit=ugel07,
        kind="boleta",
        subject="Reclamo",
        files=[demo_pdf("r")],
    )
    with pytest.raises(DeskError, match="Solo la mesa de partes"):
        case_route(officer=persona("escalafon"), case=case, area="planillas")
    case_route(officer=persona("mesa_partes"), case=case, area="planillas", comment="A planillas")
    case.refresh_from_db()
    assert (case.state, case.area) == ("derivado", "planillas")
    assert WorkItem.objects.filter(
        source_id=str(case.pk), source_type="case", state="open", permission="payroll.manage"
    ).exists()
    assert case.label in client_for("planillas").get("/").content.decode()
    with pytest.raises(DeskError, match="no puede atender"):
        case_answer(officer=persona("escalafon"), case=case, state="atendido", comment="")
    with pytest.raises(DeskError, match="motivo"):
        case_answer(officer=persona("planillas"), case=case, state="archivado", comment="")
    case_answer(
        officer=persona("planillas"),
        case=case,
        state="atendido",
        comment="Se devolverá el descuento",
    )
    case.refresh_from_db()
    assert case.state == "atendido"
    steps = list(case.events.values_list("to_state", flat=True))
    assert steps == ["recibido", "derivado", "atendido"]
    page = client_for("servant").get(f"/mesa-de-partes/{case.uuid}/").content.decode()
    assert "Se devolverá el descuento" in page and "Derivado" in page


def test_observed_intake_closes_as_not_filed_after_two_working_days(
    persona, teacher, ugel07, client_for
):
    with time_machine.travel(datetime(2030, 3, 6, 9, tzinfo=LIMA), tick=False):  # Wednesday
        case = case_file(
            user=persona("servant"),
            servant=teacher,
            unit=ugel07,
            kind="otro",
            subject="Incompleto",
            files=[demo_pdf("x")],
        )
        case_answer(
            officer=persona("mesa_partes"),
            case=case,
            state="observado",
            comment="Falta la copia del DNI",
        )
    case.refresh_from_db()
    assert case.observed_until == date(2030, 3, 8)
    assert expire_observed_cases(today=date(2030, 3, 8)) == 0
    assert expire_observed_cases(today=date(2030, 3, 9)) == 1
    case.refresh_from_db()
    assert case.state == "no_presentado"


def test_observed_filing_is_completed_in_the_same_case(persona, teacher, ugel07, client_for):
    case = case_file(
        user=persona("servant"),
        servant=teacher,
        unit=ugel07,
        kind="otro",
        subject="Incompleto",
        files=[demo_pdf("x")],
    )
    case_answer(
        officer=persona("mesa_partes"),
        case=case,
        state="observado",
        comment="Falta la copia del DNI",
    )
    client_for("servant").post(
        f"/mesa-de-partes/{case.uuid}/",
        {"files": upload("dni.pdf", PDF), "comment": "Adjunto el DNI"},
    )
    case.refresh_from_db()
    assert case.state == "recibido" and case.files.count() == 2


def test_desk_inbox_is_scoped_and_searched_by_post(client_for, teacher):
    client = client_for("mesa_partes")
    page = client.get("/mesa/").content.decode()
    assert "Exp. N.°" in page
    found = client.post("/mesa/", {"q": "10000001"})
    assert "QUISPE HUAMÁN" in found.content.decode()
    assert "10000001" not in found.wsgi_request.get_full_path()
    assert client_for("servant").get("/mesa/").status_code == 403
    case = Case.objects.filter(filer__isnull=False).first()
    assert client_for("other_ugel_officer").get(f"/mesa/{case.uuid}/").status_code == 404
    assert client_for("other_servant").get(f"/mesa-de-partes/{case.uuid}/").status_code == 404


# --- access requests --------------------------------------------------------------------


def answer_for(page: str) -> str:
    words = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
    a, b = re.search(r"¿Cuánto es (\w+) más (\w+)\?", page).groups()
    return str(words.index(a) + words.index(b))


def access_form(client: Client, ugel07: OrgUnit, **changes):
    page = client.get("/acceso/solicitar/").content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', page)[1]
    form_token = re.search(r'name="form_token" value="([^"]+)"', page)[1]
    data = {
        "form_token": form_token,
        "doc_type": "01",
        "doc_number": "10000020",
        "paternal_surname": "Rojas",
        "maternal_surname": "Lázaro",
        "given_names": "Milagros",
        "email": "mila@example.pe",
        "phone": "",
        "region": ugel07.parent_id,
        "unit": ugel07.pk,
        "staff_kind": "docente",
        "condition": "contratado",
        "document": upload("solicitud.pdf", PDF),
        "answer": answer_for(page),
        "challenge": token,
        "website": "",
    }
    data.update(changes)
    return client.post("/acceso/solicitar/", data)


def test_access_request_confirm_accept_and_set_password(
    ugel07, client_for, django_capture_on_commit_callbacks
):
    anonymous = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = access_form(anonymous, ugel07)
    assert response["Location"] == "/acceso/enviada/"
    ar = AccessRequest.objects.get(doc_number="10000020")
    assert ar.state == "sin_confirmar" and ar.case is None  # nothing reaches the UGEL yet
    code = re.search(r"http://[^/]+/acceso/confirmar/#(\S+)", mail.outbox[-1].body)[1]
    assert "10000020" not in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = anonymous.post("/acceso/confirmar/", {"code": code}).content.decode()
    ar.refresh_from_db()
    assert ar.state == "recibido" and ar.case.kind == "acceso"
    assert ar.case.label in confirmed
    follow = re.search(r"http://[^/]+/acceso/seguimiento/#(\S+)", mail.outbox[-1].body)[1]
    followed = Client().post("/acceso/seguimiento/", {"token": follow}).content.decode()
    assert "Recibido" in followed
    desk = client_for("mesa_partes")
    page = desk.get(f"/mesa/{ar.case.uuid}/").content.decode()
    assert "No existe: se creará" in page
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(f"/mesa/{ar.case.uuid}/", {"action": "accept"})
    ar.refresh_from_db()
    assert ar.state == "aceptado"
    user = User.objects.get(login_id="01-10000020")
    servant = Servant.objects.get(doc_number="10000020")
    assert servant.user == user and servant.needs_completion
    assert servant.condition == "contratado"
    reset = re.search(r"http://[^/]+(/cuenta/contrasena/restablecer/\S+)", mail.outbox[-1].body)[1]
    newcomer = Client()
    form_page = newcomer.get(reset, follow=True)
    newcomer.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "clave-nueva-2026!", "new_password2": "clave-nueva-2026!"},
    )
    assert (
        newcomer.post(
            "/cuenta/ingresar/",
            {"doc_type": "01", "doc_number": "10000020", "password": "clave-nueva-2026!"},
        ).status_code
        == 302
    )


def test_access_request_shows_a_mismatch_with_the_record(
    ugel07, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        access_form(Client(), ugel07, doc_number="10000002", given_names="Juana")
    token = re.search(r"/acceso/confirmar/#(\S+)", mail.outbox[-1].body)[1]
    Client().post("/acceso/confirmar/", {"code": token})
    ar = AccessRequest.objects.get(doc_number="10000002", given_names="JUANA")
    page = client_for("mesa_partes").get(f"/mesa/{ar.case.uuid}/").content.decode()
    assert "no coinciden" in page and "JUAN CARLOS" in page and "JUANA" in page


def test_access_request_checks(ugel07):
    client = Client()
    wrong = access_form(client, ugel07, answer="99")
    assert "La respuesta no es correcta" in wrong.content.decode()
    bad_dni = access_form(client, ugel07, doc_number="123")
    assert "El DNI debe tener exactamente 8 dígitos" in bad_dni.content.decode()
    other_region = access_form(client, ugel07, region=OrgUnit.objects.get(code="080000").pk)
    assert "no pertenece a la región" in other_region.content.decode()
    png = access_form(client, ugel07, document=upload("dni.pdf", b"\x89PNG\r\n\x1a\n00"))
    assert "no es un PDF" in png.content.decode()
    assert 'value="Milagros"' in png.content.decode()
    assert not AccessRequest.objects.filter(doc_number="10000020").exists()


def test_access_requests_are_rate_limited(ugel07, settings):
    settings.DESK_ACCESS_REQUESTS_PER_HOUR = 2
    client = Client()
    for _ in range(2):
        access_form(client, ugel07, answer="99")
    assert "demasiadas solicitudes" in access_form(client, ugel07).content.decode()


def test_follow_by_number_needs_the_document_too(demo_data):
    ar = AccessRequest.objects.get(doc_number="10000010")
    client = Client()
    number = f"{ar.case.number:06d}-{ar.case.year}"
    alone = client.post("/acceso/seguimiento/", {"number": number, "doc_number": "99999999"})
    assert "No encontramos" in alone.content.decode()
    found = client.post("/acceso/seguimiento/", {"number": number, "doc_number": "10000010"})
    assert "Recibido" in found.content.decode() and ar.case.label in found.content.decode()
    assert "No encontramos" in client.post("/acceso/seguimiento/", {"token": "x"}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_case_numbers_have_no_gaps_or_duplicates_under_concurrent_filing(demo_data, persona):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    ugel = OrgUnit.objects.get(code="150108")
    teacher = Servant.objects.get(doc_number="10000001")
    user = persona("servant")
    errors: list[BaseException] = []

    def file_some() -> None:
        try:
            for i in range(5):
                case_file(
                    user=user,
                    servant=teacher,
                    unit=ugel,
                    kind="otro",
                    subject=f"Concurrente {i}",
                    files=[demo_pdf("c")],
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_some) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Case.objects.filter(unit=ugel).values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 20


def test_the_filing_form_offers_no_kind_that_leads_nowhere(client_for, servant_of):
    """Replay: every servant saw «Solicitud de modificación que sustenta» with only «—»,
    under the default kind «Sustento…», whether or not a request was open."""
    from ayni.personnel.models import ChangeRequest

    def form_of(persona: str) -> str:
        return client_for(persona).get("/mesa-de-partes/nuevo/").content.decode()

    with_request = servant_of("servant")
    assert ChangeRequest.objects.filter(
        servant=with_request, state__in=ChangeRequest.OPEN_STATES
    ).exists()
    page = form_of("servant")
    assert '<option value="sustento"' in page
    assert re.search(r'<select name="change_request"[^>]*data-for-kind="sustento"', page)
    assert re.search(r'<select name="informe_purpose"[^>]*data-for-kind="informe"', page)
    assert '<option value="" selected>Elija…</option>' in page and ">—</option>" not in page
    assert "case-kind.js" in page

    without = servant_of("canete_servant")
    assert not ChangeRequest.objects.filter(
        servant=without, state__in=ChangeRequest.OPEN_STATES
    ).exists()
    page = form_of("canete_servant")
    assert '<option value="sustento"' not in page and 'name="change_request"' not in page
    # the kind it cannot file is refused, not silently filed as something else
    response = client_for("canete_servant").post(
        "/mesa-de-partes/nuevo/",
        {"kind": "sustento", "subject": "x", "documents": upload("a.pdf", PDF)},
    )
    assert response.status_code == 400 and "Elija una opción válida" in response.content.decode()


def test_an_empty_control_answer_gets_one_error_not_two(client_for):
    page = client_for("anonymous").post("/acceso/solicitar/", {"answer": ""}).content.decode()
    answer = re.search(r'<div class="field has-error"><label for="id_answer">.*?</div>', page, re.S)
    assert answer and answer[0].count('class="field-error"') == 1
    assert "Este campo es obligatorio." in answer[0]
    assert "La respuesta no es correcta" not in page


def test_the_privacy_notice_is_there_before_anyone_gives_their_data():
    form = Client().get("/acceso/solicitar/").content.decode()
    note = r'id="privacy-note">.*<a href="/cuenta/privacidad/">aviso de privacidad</a>'
    assert re.search(note, form)
    assert '<a href="/cuenta/privacidad/" id="footer-privacy">Privacidad</a>' in form
    notice = Client().get("/cuenta/privacidad/")
    assert notice.status_code == 200
    body = notice.content.decode()
    assert "Ley N.° 29733" in body and 'id="privacy-form"' not in body
    # accepting it is for a signed-in user: an anonymous POST accepts nothing
    assert Client().post("/cuenta/privacidad/", {"accept": "1"})["Location"] == "/cuenta/ingresar/"
