"""«Mi legajo» with change requests, end to end on a phone.

The demo teacher asks to correct her maestría, confirms, withdraws another pending
request and follows the first in «Seguimiento»; the UGEL 07 escalafón officer
observes it, the teacher corrects it, the officer approves it; the teacher sees
«Atendido», the corrected file and the change in her file's history.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from ayni.personnel.models import ChangeRequest, Degree, EntryVersion

pytestmark = pytest.mark.e2e

TEACHER = "QUISPE HUAMÁN, ROSA ELENA"
OFFICER = "María Isabel Flores Gutiérrez"
MY_FILE = re.compile(r"^Mi legajo\b")
SECTION_II = "II Situación académica"
OLD_SPECIALTY = "Gestión de la Educación"
FIRST_SPECIALTY = "Gestión Educativa"
FINAL_SPECIALTY = "Gestión Educativa y Liderazgo"
OBSERVATION = "Adjunte la copia del diploma de maestría: la mención no coincide con SUNEDU."
REPLY = "La mención exacta es «Gestión Educativa y Liderazgo»; envié el diploma por mesa de partes."
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _rows(page: Page) -> Locator:
    return page.locator("main table tbody tr")


def _diff_row(page: Page, label: str) -> Locator:
    return page.locator("table.diff tbody tr", has=page.get_by_role("rowheader", name=label))


def _open_section_ii(page: Page, url) -> None:  # type: ignore[no-untyped-def]
    """Home (the «Ayni» brand) → the «Mi legajo» tile → «II Situación académica»."""
    page.locator("header").get_by_role("link", name="Ayni", exact=True).click()
    expect(page).to_have_url(url("/"))
    page.locator("main").get_by_role("link", name=MY_FILE).click()
    expect(page).to_have_url(url("/mi-legajo/"))
    page.get_by_role("link", name=SECTION_II).click()
    expect(page).to_have_url(url("/mi-legajo/academica/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SECTION_II)


def _maestria_row(page: Page) -> Locator:
    degrees = page.locator(".kind-block", has=page.get_by_role("heading", name="Grado o título"))
    return degrees.locator("tbody tr").filter(has_text="Maestría")


def test_degree_correction_observed_corrected_and_approved(  # type: ignore[no-untyped-def]
    page: Page, new_context, login, url, servant_of
):
    teacher = page
    teacher_servant = servant_of("servant")
    maestria = Degree.objects.get(servant=teacher_servant, level="maestria")
    assert (maestria.specialty, maestria.version) == (OLD_SPECIALTY, 1)

    # --- 1. The teacher asks to correct her maestría's specialty. ---------------------
    login(teacher, "servant")
    expect(teacher).to_have_url(url("/"))
    _open_section_ii(teacher, url)
    row = _maestria_row(teacher)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(OLD_SPECIALTY)
    row.get_by_role("link", name="Corregir", exact=True).click()

    expect(teacher).to_have_url(
        re.compile(rf"/mi-legajo/academica/solicitar/degree/correct/{maestria.uuid}/$")
    )
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Solicitar modificación")
    main = teacher.locator("main")
    expect(main).to_contain_text("Corregir: grado o título")
    current = teacher.locator("section", has=teacher.get_by_role("heading", name="Registro actual"))
    expect(current).to_contain_text(OLD_SPECIALTY)
    specialty = teacher.get_by_label("Especialidad o mención")
    expect(specialty).to_have_value(OLD_SPECIALTY)
    specialty.fill(FIRST_SPECIALTY)
    teacher.get_by_label("Comentario para escalafón (opcional)").fill("Mención mal registrada.")
    teacher.get_by_role("button", name="Enviar solicitud", exact=True).click()

    # The confirmation step: still on the form URL, the changed value highlighted.
    dialog = teacher.get_by_role("alertdialog", name="¿Enviar la solicitud?")
    expect(dialog).to_be_visible()
    marks = dialog.locator("mark")
    expect(marks).to_have_count(1)
    expect(marks).to_have_text(FIRST_SPECIALTY)
    changed = _diff_row(teacher, "Especialidad o mención")
    expect(changed.locator("td").nth(0)).to_have_text(OLD_SPECIALTY)
    expect(changed.locator("td").nth(1)).to_contain_text(FIRST_SPECIALTY)
    expect(_diff_row(teacher, "Institución").locator("mark")).to_have_count(0)
    assert not ChangeRequest.objects.filter(entry_uuid=maestria.uuid).exists()
    dialog.get_by_role("button", name="Sí, enviar solicitud").click()

    expect(teacher).to_have_url(re.compile(rf"/mis-solicitudes/({UUID})/enviada/$"))
    match = re.search(rf"/mis-solicitudes/({UUID})/enviada/$", teacher.url)
    assert match is not None
    ref = match.group(1)
    status = teacher.get_by_role("status").filter(has_text="Su solicitud fue enviada")
    expect(status.get_by_role("heading", level=1)).to_have_text("Su solicitud fue enviada")
    expect(status).to_contain_text("grado o título (sección II)")
    expect(status).to_contain_text("«En solicitud»")
    expect(status).to_contain_text("mesa de partes virtual")
    cr = ChangeRequest.objects.get(uuid=ref)
    assert (cr.state, cr.operation, cr.entry_uuid) == ("en_solicitud", "correct", maestria.uuid)

    # --- 2. «Seguimiento»: withdraw the pending training request, follow the new one. -
    teacher.get_by_role("link", name="Volver a mi legajo").click()
    expect(teacher).to_have_url(url("/mi-legajo/"))
    teacher.get_by_role("link", name="Seguimiento de atención de solicitud").click()
    expect(teacher).to_have_url(url("/mis-solicitudes/"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text(
        "Seguimiento de atención de solicitud"
    )
    expect(_rows(teacher)).to_have_count(3)
    training = _rows(teacher).filter(has_text="Agregar: capacitación")
    expect(training).to_contain_text("En solicitud")
    training.get_by_role("link", name="Anular solicitud").click()

    expect(teacher).to_have_url(re.compile(rf"/mis-solicitudes/{UUID}/anular/$"))
    confirm = teacher.get_by_role("alertdialog", name="¿Anular la solicitud?")
    expect(confirm).to_contain_text("Agregar: capacitación (sección II)")
    confirm.get_by_role("button", name="Aceptar").click()

    expect(teacher).to_have_url(url("/mis-solicitudes/"))
    expect(teacher.locator("main .messages")).to_contain_text("Anuló la solicitud.")
    training = _rows(teacher).filter(has_text="Agregar: capacitación")
    expect(training.locator(".state")).to_have_text("Anulado")
    expect(training.get_by_role("link", name="Anular solicitud")).to_have_count(0)

    mine = (
        _rows(teacher).filter(has_text="Corregir: grado o título").filter(has_text="En solicitud")
    )
    expect(mine).to_have_count(1)
    mine.get_by_role("link", name="Ver estado e historial").click()
    expect(teacher).to_have_url(url(f"/mis-solicitudes/{ref}/"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Corregir: grado o título")
    expect(teacher.locator("#request-state")).to_have_text("En solicitud")
    expect(teacher.locator("table.diff mark")).to_have_text(FIRST_SPECIALTY)
    expect(teacher.locator("main")).to_contain_text("Su comentario: Mención mal registrada.")
    history = teacher.locator("ol.timeline li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("En solicitud")
    expect(history.first).to_contain_text("Mención mal registrada.")
    expect(teacher.get_by_role("heading", name="Subsanar la solicitud")).to_have_count(0)

    # --- 3. The escalafón officer observes it. ------------------------------------------
    officer = new_context().new_page()
    login(officer, "escalafon")
    expect(officer).to_have_url(url("/"))
    officer.get_by_role("link", name="Solicitudes de modificación").click()
    expect(officer).to_have_url(url("/escalafon/solicitudes/"))
    expect(officer.get_by_role("heading", level=1)).to_have_text("Solicitudes de modificación")
    # The withdrawn training request left the inbox: only hers remains pending.
    expect(officer.locator("main")).to_contain_text("1 solicitud")
    expect(_rows(officer)).to_have_count(1)
    expect(_rows(officer)).to_contain_text("Corregir: grado o título (sección II)")
    expect(_rows(officer)).not_to_contain_text("capacitación")
    _rows(officer).get_by_role("link", name=TEACHER).click()

    expect(officer).to_have_url(url(f"/escalafon/solicitudes/{ref}/"))
    expect(officer.get_by_role("heading", level=1)).to_have_text("Corregir: grado o título")
    expect(officer.locator("main")).to_contain_text("DNI 10000001")
    expect(officer.locator("#request-state")).to_have_text("En solicitud")
    expect(officer.locator("#conflict")).to_have_count(0)
    changed = _diff_row(officer, "Especialidad o mención")
    expect(changed.locator("td").nth(0)).to_have_text(OLD_SPECIALTY)
    expect(changed.locator("td mark")).to_have_text(FIRST_SPECIALTY)
    expect(officer.locator("main")).to_contain_text(
        "Comentario del servidor: Mención mal registrada."
    )
    officer.get_by_label("Comentario, observación o motivo").fill(OBSERVATION)
    officer.get_by_role("button", name="Observar").click()

    expect(officer).to_have_url(url(f"/escalafon/solicitudes/{ref}/"))
    expect(officer.locator("main .messages")).to_contain_text("Solicitud observada")
    expect(officer.locator("#request-state")).to_have_text("Observado")
    expect(officer.get_by_role("button", name="Aprobar y aplicar")).to_have_count(0)

    # --- 4. The teacher corrects it, reaching it from her file. -------------------------
    _open_section_ii(teacher, url)
    row = _maestria_row(teacher)
    expect(row.get_by_role("link", name="Corregir", exact=True)).to_have_count(0)
    row.get_by_role("link", name="Observado").click()

    expect(teacher).to_have_url(url(f"/mis-solicitudes/{ref}/"))
    expect(teacher.locator("#request-state")).to_have_text("Observado")
    notice = teacher.locator(".msg-warning")
    expect(notice).to_contain_text("Observación de escalafón:")
    expect(notice).to_contain_text(OBSERVATION)
    expect(notice).to_contain_text(re.compile(r"Tiene hasta el \d{2}/\d{2}/\d{4}"))
    fix = teacher.locator("form", has=teacher.get_by_role("heading", name="Subsanar la solicitud"))
    specialty = fix.get_by_label("Especialidad o mención")
    expect(specialty).to_have_value(FIRST_SPECIALTY)
    expect(fix.get_by_label("Institución")).to_have_value(maestria.institution)
    specialty.fill(FINAL_SPECIALTY)
    fix.get_by_label("Respuesta a la observación").fill(REPLY)
    fix.get_by_role("button", name="Enviar corrección").click()

    expect(teacher).to_have_url(url(f"/mis-solicitudes/{ref}/"))
    expect(teacher.locator("main .messages")).to_contain_text("Envió la corrección")
    expect(teacher.locator("#request-state")).to_have_text("En solicitud")
    expect(teacher.locator("table.diff mark")).to_have_text(FINAL_SPECIALTY)
    expect(teacher.get_by_role("heading", name="Subsanar la solicitud")).to_have_count(0)
    expect(teacher.locator("ol.timeline li")).to_have_count(3)

    # --- 5. The officer approves it. ----------------------------------------------------
    officer.get_by_role("link", name="Solicitudes de modificación").first.click()
    expect(officer).to_have_url(url("/escalafon/solicitudes/"))
    expect(_rows(officer)).to_have_count(1)
    _rows(officer).get_by_role("link", name=TEACHER).click()
    expect(officer).to_have_url(url(f"/escalafon/solicitudes/{ref}/"))
    expect(officer.locator("#request-state")).to_have_text("En solicitud")
    changed = _diff_row(officer, "Especialidad o mención")
    expect(changed.locator("td").nth(0)).to_have_text(OLD_SPECIALTY)
    expect(changed.locator("td mark")).to_have_text(FINAL_SPECIALTY)
    officer_history = officer.locator("ol.timeline li")
    expect(officer_history.nth(1)).to_contain_text(OBSERVATION)
    expect(officer_history.nth(2)).to_contain_text(REPLY)
    officer.get_by_role("button", name="Aprobar y aplicar").click()

    # «Aprobar y aplicar» asks first: the change before and after, and what will happen.
    confirm = officer.locator("#confirm-approve")
    expect(confirm.get_by_role("heading", level=2)).to_have_text("Confirme: aprobar y aplicar")
    expect(confirm).to_contain_text("pasará a «Atendido»")
    expect(confirm).to_contain_text("Se avisará al servidor")
    confirmed = _diff_row(officer, "Especialidad o mención")
    expect(confirmed.locator("td").nth(0)).to_have_text(OLD_SPECIALTY)
    expect(confirmed.locator("td mark")).to_have_text(FINAL_SPECIALTY)
    expect(officer.locator("#request-state")).to_have_text("En solicitud")
    officer.get_by_role("button", name="Confirmar: aprobar y aplicar").click()

    expect(officer).to_have_url(url(f"/escalafon/solicitudes/{ref}/"))
    expect(officer.locator("main .messages")).to_contain_text("Solicitud atendida")
    expect(officer.locator("#request-state")).to_have_text("Atendido")
    expect(officer.get_by_role("button", name="Aprobar y aplicar")).to_have_count(0)

    # --- 6. The teacher sees «Atendido» and the corrected file. -------------------------
    teacher.locator("header").get_by_role("link", name="Ayni", exact=True).click()
    teacher.get_by_role("link", name="Seguimiento de solicitudes").click()
    expect(teacher).to_have_url(url("/mis-solicitudes/"))
    done = _rows(teacher).filter(has_text="Corregir: grado o título").filter(has_text="Atendido")
    expect(done).to_have_count(1)
    expect(done.get_by_role("link", name="Anular solicitud")).to_have_count(0)
    done.get_by_role("link", name="Ver estado e historial").click()
    expect(teacher).to_have_url(url(f"/mis-solicitudes/{ref}/"))
    expect(teacher.locator("#request-state")).to_have_text("Atendido")
    expect(teacher.locator("main")).to_contain_text("El cambio ya figura en su legajo.")
    history = teacher.locator("ol.timeline li strong")
    expect(history).to_have_text(["En solicitud", "Observado", "En solicitud", "Atendido"])
    expect(teacher.locator("ol.timeline li").last).to_contain_text(OFFICER)
    expect(teacher.get_by_role("link", name="Anular solicitud")).to_have_count(0)

    _open_section_ii(teacher, url)
    row = _maestria_row(teacher)
    expect(row).to_contain_text(FINAL_SPECIALTY)
    expect(row).not_to_contain_text(OLD_SPECIALTY)
    expect(row.get_by_role("link", name="Corregir", exact=True)).to_be_visible()

    teacher.get_by_role("link", name="Mi legajo", exact=True).first.click()
    expect(teacher).to_have_url(url("/mi-legajo/"))
    teacher.get_by_role("link", name="Historial de cambios de mi legajo").click()
    expect(teacher).to_have_url(url("/mi-legajo/historial/"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text(
        "Historial de cambios de mi legajo"
    )
    newest = _rows(teacher).first
    expect(newest.locator("td").nth(1)).to_have_text("Corrección")
    expect(newest.locator("td").nth(2)).to_have_text("Sección II · Grado o título: Maestría")
    expect(newest.locator("td").nth(3)).to_have_text(OFFICER)
    expect(newest.locator("td").nth(4)).to_contain_text("Solicitud de modificación atendida")

    # --- The database agrees. -----------------------------------------------------------
    maestria.refresh_from_db()
    assert maestria.specialty == FINAL_SPECIALTY
    assert maestria.version == 2
    cr.refresh_from_db()
    assert cr.state == ChangeRequest.State.ATENDIDO
    assert cr.proposed is not None and cr.proposed["specialty"] == FINAL_SPECIALTY
    assert list(cr.events.values_list("to_state", flat=True)) == [
        "en_solicitud",
        "observado",
        "en_solicitud",
        "atendido",
    ]
    version = EntryVersion.objects.get(entry_uuid=maestria.uuid, version=2)
    assert version.change_request_id == cr.pk
    assert version.before is not None and version.after is not None
    assert version.before["specialty"] == OLD_SPECIALTY
    assert version.after["specialty"] == FINAL_SPECIALTY
    withdrawn = ChangeRequest.objects.get(servant=teacher_servant, kind="training")
    assert withdrawn.state == ChangeRequest.State.ANULADO
