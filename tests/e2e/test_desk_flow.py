"""Mesa de partes virtual, end to end on a phone.

A newcomer without an account asks for access from the login page, confirms it by
e-mail, the UGEL 07 desk accepts it, and she sets her password and reaches her home.
The demo teacher files the supporting document of her observed change request
(after a disguised PNG is refused), downloads her cargo de recepción, and the
escalafón officer finds the document inside the request.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import FilePayload, Page, expect

from ayni.accounts.models import User
from ayni.desk.demo import demo_pdf
from ayni.desk.models import AccessRequest, Case
from ayni.personnel.models import ChangeRequest, Servant
from tests.e2e.conftest import fill_login


def _state_now(label: str) -> str:
    """A filing's state as the pages show it: before its official reception (filed out of
    hours) it is «Presentado, por recibir», never «Recibido»."""
    from django.utils import timezone

    number, year = (int(n) for n in re.findall(r"\d+", label)[:2])
    case = Case.objects.filter(number=number, year=year).latest("submitted_at")
    return "Presentado, por recibir" if case.received_at > timezone.now() else "Recibido"


pytestmark = pytest.mark.e2e

NEWCOMER_DNI = "10000020"
NEWCOMER_EMAIL = "ana.ccori@ayni.example"
NEW_PASSWORD = "Chaska-Wayta-2026!"
TEACHER = "QUISPE HUAMÁN, ROSA ELENA"
UGEL = "UGEL 07 SAN BORJA"
UGEL_CHOICE = "UGEL 07 San Borja"  # as the chooser names it
LABEL = r"Exp\. N\.° \d{6}-\d{4}"
WORDS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _pdf_file(name: str, title: str) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": demo_pdf(title).data}


def _answer(question: str) -> str:
    found = re.search(r"¿Cuánto es (\w+) más (\w+)\?", question)
    assert found, question
    return str(WORDS.index(found.group(1)) + WORDS.index(found.group(2)))


def _link_in(body: str, path: str, live_server_url: str) -> str:
    found = re.search(re.escape(settings.SITE_URL) + rf"({re.escape(path)}\S+)", body)
    assert found, body
    return live_server_url + found.group(1)


def test_newcomer_asks_for_access_and_the_desk_creates_her_account(  # type: ignore[no-untyped-def]
    page: Page, new_context, login, url, live_server
):
    newcomer = page
    mail.outbox.clear()  # loading the demo set may have sent notices of its own

    # --- 1. From the login page to the access request form. ---------------------------
    newcomer.goto(url("/cuenta/ingresar/"))
    newcomer.get_by_role("link", name="Solicite acceso a su UGEL").click()
    expect(newcomer).to_have_url(url("/acceso/solicitar/"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Solicitar acceso a Ayni")

    form = newcomer.locator("main form")
    expect(form.get_by_label("Tipo de documento")).to_have_value("01")
    form.get_by_label("Número de documento").fill(NEWCOMER_DNI)
    form.get_by_label("Apellido paterno").fill("Ccori")
    form.get_by_label("Apellido materno").fill("Mamani")
    form.get_by_label("Nombres", exact=True).fill("Ana Lucía")
    form.get_by_label("Correo electrónico").fill(NEWCOMER_EMAIL)
    form.get_by_label("Teléfono celular").fill("987123456")
    form.get_by_label("Región (DRE/GRE)").select_option(label="DRE Lima Metropolitana")
    form.get_by_label("UGEL", exact=True).select_option(label=UGEL_CHOICE)
    form.get_by_label("Usted es").select_option(label="Docente")
    form.get_by_label("Condición").select_option(label="Contratado")
    form.get_by_label(re.compile(r"^Un PDF con el FUT")).set_input_files(
        _pdf_file("fut-contrato-dni.pdf", "FUT contrato y DNI")
    )
    question = form.locator("label[for=id_answer]")
    expect(question).to_contain_text(re.compile(r"¿Cuánto es \w+ más \w+\?"))
    form.locator("#id_answer").fill(_answer(question.inner_text()))
    assert not AccessRequest.objects.filter(doc_number=NEWCOMER_DNI).exists()
    form.get_by_role("button", name="Enviar solicitud").click()

    expect(newcomer).to_have_url(url("/acceso/enviada/"))
    sent = newcomer.get_by_role("status")
    expect(sent.get_by_role("heading", level=1)).to_have_text("Revise su correo")
    expect(sent).to_contain_text("Solo cuando la confirme recibirá su número de expediente")
    # Nothing reaches the UGEL before the e-mail is confirmed.
    ar = AccessRequest.objects.get(doc_number=NEWCOMER_DNI)
    assert (ar.state, ar.case_id) == (AccessRequest.State.UNCONFIRMED, None)

    # --- 2. The confirmation e-mail; the link shows a button (mail scanners). --------
    assert [m.subject for m in mail.outbox] == ["Ayni: confirme su solicitud de acceso"]
    assert mail.outbox[0].to == [NEWCOMER_EMAIL]
    confirm_link = _link_in(str(mail.outbox[0].body), "/acceso/confirmar/", live_server.url)
    mail.outbox.clear()
    newcomer.goto(confirm_link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(
        "Confirmar su solicitud de acceso"
    )
    ar.refresh_from_db()
    assert ar.state == AccessRequest.State.UNCONFIRMED
    newcomer.get_by_role("button", name="Confirmar y enviar a mi UGEL").click()

    expect(newcomer.get_by_role("heading", level=1)).to_have_text(
        "Seguimiento de su solicitud de acceso"
    )
    confirmed = newcomer.get_by_role("status")
    expect(confirmed).to_contain_text(re.compile(rf"Llegó a {UGEL} como {LABEL}\."))
    number = newcomer.locator("#case-number")
    expect(number).to_have_text(re.compile(rf"^{LABEL}$"))
    label = number.inner_text()
    expect(newcomer.locator("#access-state")).to_have_text("Recibido")
    assert [m.subject for m in mail.outbox] == [f"Ayni: su solicitud es el {label}"]
    follow_link = _link_in(str(mail.outbox[0].body), "/acceso/seguimiento/", live_server.url)
    mail.outbox.clear()

    # --- 3. The UGEL 07 desk accepts it: the servant record does not exist yet. ------
    desk = new_context().new_page()
    login(desk, "mesa_partes")
    expect(desk).to_have_url(url("/"))
    desk.locator("main").get_by_role("link", name="Mesa de partes", exact=True).click()
    expect(desk).to_have_url(url("/mesa/"))
    expect(desk.get_by_role("heading", level=1)).to_have_text("Bandeja de la mesa de partes")
    row = desk.locator("main table tbody tr").filter(has_text=label)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Solicitud de acceso a Ayni")
    expect(row).to_contain_text("CCORI MAMANI, ANA LUCÍA")
    expect(row).to_contain_text(f"{_state_now(label)} · Mesa de partes")
    row.get_by_role("link", name=label).click()

    expect(desk).to_have_url(re.compile(r"/mesa/[0-9a-f-]{36}/$"))
    expect(desk.get_by_role("heading", level=1)).to_have_text(label)
    expect(desk.locator("#case-state")).to_have_text(_state_now(label))
    expect(desk.locator("main")).to_contain_text("fut-contrato-dni.pdf")
    access = desk.locator("section", has=desk.get_by_role("heading", name="Solicitud de acceso"))
    expect(access).to_contain_text("CCORI MAMANI, ANA LUCÍA")
    expect(access).to_contain_text(f"DNI {NEWCOMER_DNI}")
    expect(access).to_contain_text(NEWCOMER_EMAIL)
    expect(access).to_contain_text("Docente · Contratado")
    expect(access).to_contain_text("No existe: se creará y escalafón deberá completarlo.")
    expect(access.get_by_role("alert")).to_have_count(0)  # no mismatches to warn about
    assert not User.objects.filter(doc_number=NEWCOMER_DNI).exists()
    access.get_by_role("button", name="Aceptar y crear la cuenta").click()

    expect(desk.locator("main .messages")).to_contain_text("Solicitud aceptada: se creó la cuenta")
    expect(desk.locator("#case-state")).to_have_text("Atendido")
    expect(desk.get_by_role("button", name="Aceptar y crear la cuenta")).to_have_count(0)
    # in real order: when filed out of hours, «Recibido oficialmente» may come after the act
    expect(desk.locator("ol.timeline")).to_contain_text("Solicitud aceptada: cuenta creada")

    # --- 4. The follow link says so; the e-mail carries the set-password link. -------
    newcomer.goto(follow_link)
    expect(newcomer.locator("#case-number")).to_have_text(label)
    expect(newcomer.locator("#access-state")).to_have_text("Aceptado")
    expect(newcomer.locator("main")).to_contain_text("Su cuenta está lista")

    # (the desk officer's own «ingreso desde un dispositivo nuevo» goes to the officer)
    (ready,) = [m for m in mail.outbox if m.to == [NEWCOMER_EMAIL]]
    assert ready.subject == "Ayni: su cuenta está lista"
    body = str(ready.body)
    assert label in body
    password_link = _link_in(body, "/cuenta/contrasena/restablecer/", live_server.url)
    newcomer.goto(password_link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Nueva contraseña")
    main = newcomer.locator("main")
    main.locator("#id_new_password1").fill(NEW_PASSWORD)
    main.locator("#id_new_password2").fill(NEW_PASSWORD)
    main.get_by_role("button", name="Guardar contraseña").click()
    expect(newcomer).to_have_url(url("/cuenta/contrasena/restablecida/"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Contraseña guardada")

    # --- 5. First login: privacy notice, then her home. ------------------------------
    main.get_by_role("link", name="Ingresar").click()
    expect(newcomer).to_have_url(url("/cuenta/ingresar/"))
    fill_login(newcomer, NEWCOMER_DNI, NEW_PASSWORD)
    expect(newcomer).to_have_url(url("/cuenta/privacidad/"))
    privacy = newcomer.locator("#privacy-form")
    privacy.locator("#accept").check()
    privacy.get_by_role("button", name="Aceptar y continuar").click()
    expect(newcomer).to_have_url(url("/"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Hola, Ana Lucía")
    expect(newcomer.locator("main .lead")).to_contain_text(f"Docente · Contratado · {UGEL}")

    # --- The database agrees. -------------------------------------------------------
    ar.refresh_from_db()
    assert ar.state == AccessRequest.State.ACCEPTED
    assert ar.case is not None and ar.case.label == label
    assert ar.case.state == Case.State.DONE
    servant = Servant.objects.get(doc_number=NEWCOMER_DNI)
    assert servant.needs_completion
    assert servant.user is not None and servant.user.doc_number == NEWCOMER_DNI
    assert ar.servant_id == servant.pk


def test_teacher_files_support_that_escalafon_sees_in_the_request(  # type: ignore[no-untyped-def]
    page: Page, new_context, login, url, servant_of
):
    teacher = page
    observed = ChangeRequest.objects.get(servant=servant_of("servant"), state="observado")
    subject = "Copia legalizada del diploma de bachiller"

    # --- 1. Home → «Mesa de partes virtual» → «Presentar un documento». ---------------
    login(teacher, "servant")
    expect(teacher).to_have_url(url("/"))
    teacher.locator("main").get_by_role("link", name=re.compile(r"^Mesa de partes virtual")).click()
    expect(teacher).to_have_url(url("/mesa-de-partes/"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Mesa de partes virtual")
    teacher.get_by_role("link", name="Presentar un documento").click()
    expect(teacher).to_have_url(url("/mesa-de-partes/nuevo/"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Presentar un documento")

    form = teacher.locator("main form")
    expect(form.get_by_label("UGEL", exact=True).locator("option:checked")).to_have_text(
        UGEL_CHOICE
    )
    form.get_by_label("Tipo de trámite").select_option(
        label="Sustento de solicitud de modificación"
    )
    requests = form.get_by_label("Solicitud de modificación que sustenta")
    # Her two open requests: the pending training and the observed correction.
    expect(requests.locator("option")).to_have_count(3)
    option = requests.locator("option").filter(has_text="Corregir grado o título (Observado,")
    expect(option).to_have_attribute("value", str(observed.uuid))
    requests.select_option(value=str(observed.uuid))
    form.get_by_label("Asunto").fill(subject)

    # --- 2. A photo renamed to .pdf is refused by content; what she typed stays. -----
    form.get_by_label("Documentos (PDF)").set_input_files(
        {"name": "foto-diploma.pdf", "mimeType": "application/pdf", "buffer": PNG}
    )
    form.get_by_role("button", name="Enviar").click()
    expect(teacher).to_have_url(url("/mesa-de-partes/nuevo/"))
    error = form.locator(".field-error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("«foto-diploma.pdf» no es un PDF")
    expect(form.get_by_label("Asunto")).to_have_value(subject)
    expect(form.get_by_label("Tipo de trámite").locator("option:checked")).to_have_text(
        "Sustento de solicitud de modificación"
    )
    expect(requests).to_have_value(str(observed.uuid))
    assert not Case.objects.filter(subject=subject).exists()

    # --- 3. The real PDF goes through. --------------------------------------------------
    form.get_by_label("Documentos (PDF)").set_input_files(
        _pdf_file("diploma-bachiller-legalizado.pdf", "Diploma de bachiller legalizado")
    )
    form.get_by_role("button", name="Enviar").click()

    expect(teacher).to_have_url(re.compile(r"/mesa-de-partes/[0-9a-f-]{36}/$"))
    heading = teacher.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(rf"^{LABEL}$"))
    label = heading.inner_text()
    expect(teacher.locator("main .messages")).to_contain_text(f"Su trámite fue recibido: {label}.")
    expect(teacher.locator("main .lead")).to_have_text(
        f"Sustento de solicitud de modificación · {subject}"
    )
    expect(teacher.locator("#case-state")).to_have_text(_state_now(label))
    documents = teacher.locator("section", has=teacher.get_by_role("heading", name="Documentos"))
    expect(documents.locator("li")).to_have_count(1)
    expect(documents).to_contain_text("diploma-bachiller-legalizado.pdf")

    with teacher.expect_download() as info:
        teacher.get_by_role("link", name="Descargar cargo de recepción").click()
    download = info.value
    number, year = re.findall(r"\d+", label)
    assert download.suggested_filename == f"cargo-{number}-{year}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    teacher.get_by_role("link", name="Mesa de partes virtual").first.click()
    expect(teacher).to_have_url(url("/mesa-de-partes/"))
    mine = teacher.locator("main table tbody tr").filter(has_text=label)
    expect(mine).to_contain_text(f"Sustento de solicitud de modificación: {subject}")
    expect(mine.locator(".state")).to_have_text(_state_now(label))

    # --- 4. The escalafón officer sees it inside the observed request. -----------------
    officer = new_context().new_page()
    login(officer, "escalafon")
    expect(officer).to_have_url(url("/"))
    officer.get_by_role("link", name="Solicitudes de modificación").click()
    expect(officer).to_have_url(url("/escalafon/solicitudes/"))
    officer.get_by_label("Estado").select_option(label="Observado")
    officer.get_by_role("button", name="Filtrar").click()
    expect(officer).to_have_url(re.compile(r"/escalafon/solicitudes/\?estado=observado"))
    rows = officer.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Corregir: grado o título (sección II)")
    expect(rows.locator(".state")).to_have_text("Observado")
    rows.get_by_role("link", name=TEACHER).click()

    expect(officer).to_have_url(url(f"/escalafon/solicitudes/{observed.uuid}/"))
    expect(officer.locator("#request-state")).to_have_text("Observado")
    support = officer.locator("#support-cases")
    expect(support.get_by_role("heading", level=2)).to_have_text(
        "Sustento presentado por mesa de partes"
    )
    # The demo's earlier filing and hers, each with its file.
    expect(support.locator(":scope > ul > li")).to_have_count(2)
    filed = support.locator(":scope > ul > li").filter(has_text=label)
    expect(filed).to_contain_text(subject)
    expect(filed.get_by_role("link", name="diploma-bachiller-legalizado.pdf")).to_be_visible()

    with officer.expect_download() as info:
        filed.get_by_role("link", name="diploma-bachiller-legalizado.pdf").click()
    assert info.value.suggested_filename == "diploma-bachiller-legalizado.pdf"

    case = Case.objects.get(subject=subject)
    assert (case.kind, case.change_request_id, case.label) == ("sustento", observed.pk, label)


def test_a_filing_out_of_hours_says_its_real_times(page: Page, new_context, login, url):  # type: ignore[no-untyped-def]
    """Issue 11: filed at 19:47 Lima on 01/12 (00:47 UTC on 02/12). The cargo and the
    verification page both say 01/12; the official reception (02/12 08:00) is labelled as
    such; the desk's inbox shows no «hace 0 minutos» for a reception still to come."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine
    from pypdf import PdfReader

    from ayni.desk.cases import case_file
    from ayni.org.models import OrgUnit

    lima = ZoneInfo("America/Lima")
    with time_machine.travel(datetime(2026, 12, 1, 19, 47, tzinfo=lima), tick=True):
        teacher_servant = Servant.objects.get(doc_number="10000001")
        case = case_file(
            user=teacher_servant.user,
            servant=teacher_servant,
            unit=OrgUnit.objects.get(code="150108"),
            kind="otro",
            subject="Constancia de trabajo (fuera de hora)",
            files=[demo_pdf("FUT")],
        )
        login(page, "servant")
        page.goto(url(f"/mesa-de-partes/{case.uuid}/"))
        expect(page.locator("#case-times")).to_have_text(
            "Presentado el 01/12/2026 a las 19:47; se recibirá oficialmente el 02/12/2026 a "
            "las 08:00 (fuera del horario de atención)."
        )
        with page.expect_download() as info:
            page.get_by_role("link", name="Descargar cargo de recepción").click()
        text = " ".join(
            p.extract_text().replace("\n", " ") for p in PdfReader(info.value.path()).pages
        )
        assert "Emitido el 01/12/2026" in text and "02/12/2026 a las 08:00" in text

        visitor = new_context().new_page()
        visitor.goto(url(f"/verificar/?c={case.verification_code}"))
        visitor.get_by_role("button", name="Verificar").click()
        result = visitor.locator("#verify-result")
        expect(result).to_contain_text("Documento válido.")
        expect(result.locator("dt", has_text="Emitido").locator("xpath=..")).to_contain_text(
            "01/12/2026"
        )

        desk = new_context().new_page()
        login(desk, "mesa_partes")
        desk.goto(url("/mesa/"))
        row = desk.locator("main table tbody tr").filter(has_text=case.label)
        expect(row).to_contain_text("02/12/2026 08:00")
        expect(row).to_contain_text("fuera del horario de atención")
        expect(row).not_to_contain_text("hace 0 minutos")
        expect(row).to_contain_text(re.compile(r"presentado hace (un momento|\d+ minutos?),"))
