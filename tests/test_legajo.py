"""Mi legajo: the file pages, change requests through every transition, review, conflicts,
staff edits and their versions, permissions and query counts."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core import mail

from ayni.core.models import AuditEvent, Notification, WorkItem
from ayni.personnel.change_requests import (
    ChangeRequestError,
    ConflictError,
    TransitionError,
    change_request_approve,
    change_request_observe,
    change_request_reject,
    change_request_resubmit,
    change_request_submit,
    change_request_withdraw,
    expire_observed_requests,
)
from ayni.personnel.file_services import entry_update
from ayni.personnel.models import ChangeRequest, Degree, EntryVersion, Training
from ayni.personnel.sections import KINDS, entry_values

pytestmark = pytest.mark.django_db
State = ChangeRequest.State
DEGREE = KINDS["degree"]
TRAINING = KINDS["training"]

NEW_TRAINING = {
    "name": "Curso de matemática para primaria",
    "institution": "MINEDU",
    "kind": "curso",
    "hours": "60",
    "date_from": "2025-04-01",
    "date_to": "2025-06-30",
}


def maestria(teacher):
    return Degree.objects.get(servant=teacher, level="maestria")


def corrected(degree, **changes):
    values = entry_values(DEGREE, degree)
    values.update(changes)
    return values


@pytest.fixture
def teacher(servant_of):
    return servant_of("servant")


@pytest.fixture
def submit(persona, teacher):
    def make(**changes):
        degree = maestria(teacher)
        return change_request_submit(
            user=persona("servant"),
            servant=teacher,
            kind=DEGREE,
            operation="correct",
            entry=degree,
            values=corrected(degree, **changes),
        )

    return make


# --- the file pages -----------------------------------------------------------------


def test_file_home_shows_header_with_service_time_and_ten_sections(client_for):
    body = client_for("servant").get("/mi-legajo/").content.decode()
    for text in (
        "QUISPE HUAMÁN, ROSA ELENA",
        "DNI 10000001",
        "MAGISTERIO - LEY N.° 29944",
        "PROFESORA DE AULA",
        "0312603",
        "30 horas semanales",
        "Nombrado · Activo",
        "Tiempo de servicios",
        "Filiación e identificación",
        "Otros",
    ):
        assert text in body
    assert body.count('class="roman"') == 10


def test_every_section_shows_its_entries(client_for):
    client = client_for("servant")
    expectations = {
        "filiacion": [
            "MENDOZA QUISPE, DIEGO ALONSO",
            "Av. San Luis 2450",
            "Quechua",
            "Bienes y rentas",
        ],
        "academica": ["Gestión de la Educación", "Programa de formación en servicio"],
        "ingreso": ["Nombramiento", "01234-2005-UGEL07"],
        "trayectoria": ["Reasignación", "Ascenso de escala", "Encargatura"],
        "asignaciones": ["Subsidio por luto", "Retención judicial", "S/\u00a0450.00"],
        "retiro": ["D.L. 25897 (AFP)", "598761RQHME0"],
        "premios": ["Felicitación", "Diploma de honor"],
        "sanciones": ["Suspensión", "Amonestación escrita"],
        "licencias": ["Licencia por maternidad", "Licencia por motivos particulares"],
        "otros": ["Ficha escalafonaria actualizada"],
    }
    for slug, texts in expectations.items():
        body = client.get(f"/mi-legajo/{slug}/").content.decode()
        for text in texts:
            assert text in body, (slug, text)
    assert client.get("/mi-legajo/no-existe/").status_code == 404


def test_service_time_discounts_unpaid_leave_and_suspension(client_for, teacher):
    from ayni.personnel.file_selectors import compute_service_time

    result = compute_service_time(teacher, today=date(2026, 11, 26))
    # 2003-03-01..2003-12-31, 2004-03-01..2004-12-31, 2005-03-01..today, less a 10-day
    # suspension (2014) and three months of unpaid leave (2017)
    assert result.total.discounted == (
        result.total.discounted[0].__class__(date(2014, 6, 2), date(2014, 6, 11)),
        result.total.discounted[1].__class__(date(2017, 4, 1), date(2017, 6, 30)),
    )
    # 10m + 10m + 9a3m1d (to 1 Jun 2014) + 2a9m20d (12 Jun 2014 to 31 Mar 2017)
    # + 9a4m26d (1 Jul 2017 to 26 Nov 2026) = 20a 36m 47d = 23a 1m 17d
    assert str(result.total) == "23 años 1 mes 17 días"
    assert result.ats_reached == []


def test_cesante_service_ends_at_cessation_and_reaches_ats(client_for):
    body = client_for("cesante").get("/mi-legajo/").content.decode()
    assert "41 años 9 meses 0 días" in body
    assert "cumple 25 años (ATS)" in body
    assert "cumple 30 años (ATS)" in body


def test_file_page_runs_a_fixed_number_of_queries(
    client_for, teacher, django_assert_max_num_queries
):
    client = client_for("servant")
    client.get("/mi-legajo/academica/")  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/mi-legajo/academica/")
    Training.objects.bulk_create(
        [
            Training(
                servant=teacher,
                name=f"Curso {i}",
                institution="MINEDU",
                kind="curso",
                hours=10,
                date_from=date(2020, 1, 1),
                date_to=date(2020, 2, 1),
            )
            for i in range(40)
        ]
    )
    with CaptureQueriesContext(connection) as after:
        response = client.get("/mi-legajo/academica/")
    assert "Curso 39" in response.content.decode()
    assert len(after) == len(before)
    with django_assert_max_num_queries(len(before)):
        client.get("/mi-legajo/academica/")


def test_inbox_runs_a_fixed_number_of_queries(client_for, persona, servant_of):
    client = client_for("escalafon")
    client.get("/escalafon/solicitudes/")  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/escalafon/solicitudes/")
    other = servant_of("other_servant")
    from ayni.personnel.models import Servant

    Servant.objects.filter(pk=other.pk).update(user=persona("other_servant"))
    for i in range(15):
        change_request_submit(
            user=persona("other_servant"),
            servant=other,
            kind=TRAINING,
            operation="add",
            values={**NEW_TRAINING, "name": f"Taller {i}"},
        )
    with CaptureQueriesContext(connection) as after:
        body = client.get("/escalafon/solicitudes/").content.decode()
    assert "MAMANI CONDORI, JUAN CARLOS" in body
    assert len(after) == len(before)


def test_file_history_lists_versions(client_for):
    body = client_for("servant").get("/mi-legajo/historial/").content.decode()
    assert "Sección II · Grado o título: Maestría" in body
    assert "Carga inicial del legajo" in body


def sixty_more_changes(teacher) -> None:
    degree = maestria(teacher)
    for n in range(1, 61):
        EntryVersion.objects.create(
            servant=teacher,
            kind="degree",
            entry_uuid=uuid.uuid4(),
            version=1,
            operation="update",
            before=entry_values(DEGREE, degree),
            after=entry_values(DEGREE, degree),
            note=f"Ajuste {n:03d}",
        )


def test_file_page_shows_the_latest_changes_and_links_the_whole_history(
    client_for, teacher, persona
):
    sixty_more_changes(teacher)
    officer = client_for("escalafon")
    page = officer.get(f"/servidores/{teacher.uuid}/").content.decode()
    assert "Ajuste 060" in page and "Ajuste 051" in page
    assert "Ajuste 050" not in page
    history_url = f"/servidores/{teacher.uuid}/historial/"
    assert f'href="{history_url}"' in page

    first = officer.get(history_url).content.decode()
    total = EntryVersion.objects.filter(servant=teacher).count()
    assert f"{total} cambios registrados" in first
    assert "Ajuste 060" in first and "Ajuste 011" in first and "Ajuste 010" not in first
    second = officer.get(history_url, {"pagina": 2}).content.decode()
    assert "Ajuste 010" in second and "Ajuste 001" in second and "Ajuste 011" not in second
    assert "Carga inicial del legajo" in second  # the demo's own, the oldest
    # each page of the history is a read the servant sees, with what was read
    reads = AuditEvent.objects.filter(
        action="personnel.servant_viewed",
        subject_id=teacher.pk,
        actor=persona("escalafon"),
        detail="Historial del legajo",
    )
    assert reads.count() == 2
    seen = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "Historial del legajo" in seen


def test_own_history_is_paged_and_not_an_audited_read(client_for, teacher):
    sixty_more_changes(teacher)
    servant = client_for("servant")
    first = servant.get("/mi-legajo/historial/").content.decode()
    assert "Ajuste 060" in first and "Ajuste 010" not in first
    assert "Página 1 de 2" in first
    last = servant.get("/mi-legajo/historial/", {"pagina": 99}).content.decode()
    assert "Ajuste 001" in last and "Página 2 de 2" in last
    # her own file through the staff address is her own history, not a staff read
    own = servant.get(f"/servidores/{teacher.uuid}/historial/").content.decode()
    assert "Historial de cambios de mi legajo" in own
    assert not AuditEvent.objects.filter(
        subject_id=teacher.pk, detail="Historial del legajo"
    ).exists()


# --- the servant's request flow through the pages ----------------------------------


def test_request_flow_form_confirmation_and_message(client_for, teacher):
    client = client_for("servant")
    degree = maestria(teacher)
    url = f"/mi-legajo/academica/solicitar/degree/correct/{degree.uuid}/"
    form = client.get(url).content.decode()
    assert "Gestión de la Educación" in form  # current values prefilled
    data = {f"p-{k}": v for k, v in corrected(degree, specialty="Gestión Educativa").items()}
    data["comment"] = "Así figura en el diploma."
    confirm = client.post(url, data).content.decode()
    assert "¿Enviar la solicitud?" in confirm
    assert "<mark>Gestión Educativa</mark>" in confirm
    assert not ChangeRequest.objects.filter(entry_uuid=degree.uuid).exists()
    sent = client.post(url, {**data, "confirmed": "1"}, follow=True).content.decode()
    assert "Su solicitud fue enviada" in sent
    assert "mesa de partes virtual" in sent
    cr = ChangeRequest.objects.get(entry_uuid=degree.uuid)
    assert cr.state == State.EN_SOLICITUD
    assert cr.proposed["specialty"] == "Gestión Educativa"
    assert cr.current["specialty"] == "Gestión de la Educación"
    assert cr.comment == "Así figura en el diploma."
    assert WorkItem.objects.filter(
        source_type="change_request",
        source_id=str(cr.pk),
        state="open",
        permission="requests.review",
    ).exists()
    # the file itself is untouched until the officer approves
    assert maestria(teacher).specialty == "Gestión de la Educación"


def test_invalid_proposal_keeps_what_was_typed(client_for, teacher):
    client = client_for("servant")
    response = client.post(
        "/mi-legajo/academica/solicitar/training/add/",
        {
            "p-name": "Curso sin horas",
            "p-institution": "MINEDU",
            "p-kind": "curso",
            "p-hours": "0",
            "p-date_from": "2025-05-01",
            "p-date_to": "2025-04-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Curso sin horas"' in body
    assert "no puede ser anterior" in body
    assert ChangeRequest.objects.filter(servant=teacher, kind="training").count() == 1


def test_withdraw_with_trash_icon_and_accept(client_for, teacher):
    client = client_for("servant")
    pending = ChangeRequest.objects.get(servant=teacher, kind="training", state=State.EN_SOLICITUD)
    listing = client.get("/mis-solicitudes/").content.decode()
    assert f"/mis-solicitudes/{pending.uuid}/anular/" in listing
    confirm = client.get(f"/mis-solicitudes/{pending.uuid}/anular/").content.decode()
    assert "¿Anular la solicitud?" in confirm and "Aceptar" in confirm
    client.post(f"/mis-solicitudes/{pending.uuid}/anular/")
    pending.refresh_from_db()
    assert pending.state == State.ANULADO
    assert not WorkItem.objects.filter(
        source_type="change_request", source_id=str(pending.pk), state="open"
    ).exists()
    again = client.post(f"/mis-solicitudes/{pending.uuid}/anular/", follow=True)
    assert "no puede pasar a" in again.content.decode()


def test_seguimiento_filters_and_shows_history(client_for, teacher):
    client = client_for("servant")
    observed = client.get("/mis-solicitudes/?estado=observado").content.decode()
    assert "Corregir: grado o título" in observed
    assert "Agregar: capacitación" not in observed
    cr = ChangeRequest.objects.get(servant=teacher, state=State.OBSERVADO)
    detail = client.get(f"/mis-solicitudes/{cr.uuid}/").content.decode()
    assert "Adjunte copia legible del diploma" in detail
    assert "En solicitud" in detail and "Observado" in detail
    assert "Subsanar la solicitud" in detail


def test_servant_corrects_an_observed_request(client_for, teacher):
    client = client_for("servant")
    cr = ChangeRequest.objects.get(servant=teacher, state=State.OBSERVADO)
    data = {f"p-{k}": v for k, v in cr.proposed.items()}
    data["p-registry_number"] = "B-2001-08822"
    data["comment"] = "Envié el diploma por mesa de partes."
    client.post(f"/mis-solicitudes/{cr.uuid}/", data)
    cr.refresh_from_db()
    assert cr.state == State.EN_SOLICITUD
    assert cr.proposed["registry_number"] == "B-2001-08822"
    assert list(cr.events.values_list("to_state", flat=True)) == [
        State.EN_SOLICITUD,
        State.OBSERVADO,
        State.EN_SOLICITUD,
    ]


# --- the services: every transition, and the impossible ones -----------------------


def test_approve_applies_the_change_atomically_and_versions_it(submit, persona, teacher):
    cr = submit(specialty="Gestión Educativa")
    change_request_approve(officer=persona("escalafon"), cr=cr, note="Conforme al diploma")
    degree = maestria(teacher)
    assert degree.specialty == "Gestión Educativa"
    assert degree.version == 2
    version = EntryVersion.objects.get(entry_uuid=degree.uuid, version=2)
    assert version.before["specialty"] == "Gestión de la Educación"
    assert version.after["specialty"] == "Gestión Educativa"
    assert version.actor == persona("escalafon")
    assert version.change_request == cr
    cr.refresh_from_db()
    assert cr.state == State.ATENDIDO
    assert AuditEvent.objects.filter(
        action="personnel.entry_update", subject_id=teacher.pk
    ).exists()
    note = Notification.objects.filter(recipient=persona("servant")).first()
    assert note.title == "Su solicitud de modificación fue atendida"


def test_approving_an_addition_and_a_removal(persona, teacher):
    user, officer = persona("servant"), persona("escalafon")
    add = change_request_submit(
        user=user, servant=teacher, kind=TRAINING, operation="add", values=NEW_TRAINING
    )
    change_request_approve(officer=officer, cr=add)
    added = Training.objects.get(servant=teacher, name=NEW_TRAINING["name"])
    add.refresh_from_db()
    assert add.entry_uuid == added.uuid
    remove = change_request_submit(
        user=user, servant=teacher, kind=TRAINING, operation="remove", entry=added
    )
    change_request_approve(officer=officer, cr=remove)
    assert not Training.objects.filter(pk=added.pk).exists()
    assert EntryVersion.objects.filter(entry_uuid=added.uuid, operation="delete").exists()


def test_reject_requires_a_reason_and_keeps_the_file(submit, persona, teacher):
    cr = submit(specialty="Otra cosa")
    with pytest.raises(ChangeRequestError, match="motivo"):
        change_request_reject(officer=persona("escalafon"), cr=cr, reason="  ")
    change_request_reject(officer=persona("escalafon"), cr=cr, reason="No hay sustento")
    cr.refresh_from_db()
    assert cr.state == State.RECHAZADO
    assert cr.resolution_note == "No hay sustento"
    assert maestria(teacher).specialty == "Gestión de la Educación"


def test_observe_sets_five_working_days(submit, persona):
    cr = submit(specialty="Gestión Educativa")
    with pytest.raises(ChangeRequestError):
        change_request_observe(officer=persona("escalafon"), cr=cr, note="")
    change_request_observe(
        officer=persona("escalafon"), cr=cr, note="Falta el diploma", today=date(2026, 12, 4)
    )
    cr.refresh_from_db()
    # Friday 4 Dec 2026 + 5 working days, skipping 8 and 9 December (holidays)
    assert cr.observed_until == date(2026, 12, 15)


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ("approved", "approve"),
        ("approved", "observe"),
        ("approved", "withdraw"),
        ("rejected", "approve"),
        ("withdrawn", "reject"),
        ("withdrawn", "resubmit"),
        ("observed", "approve"),
        ("pending", "resubmit"),
    ],
)
def test_impossible_transitions_are_refused_by_the_service(setup, action, submit, persona):
    servant_user, officer = persona("servant"), persona("escalafon")
    cr = submit(specialty="Gestión Educativa")
    if setup == "approved":
        change_request_approve(officer=officer, cr=cr)
    elif setup == "rejected":
        change_request_reject(officer=officer, cr=cr, reason="No")
    elif setup == "withdrawn":
        change_request_withdraw(user=servant_user, cr=cr)
    elif setup == "observed":
        change_request_observe(officer=officer, cr=cr, note="Falta sustento")
    state = ChangeRequest.objects.get(pk=cr.pk).state
    calls = {
        "approve": lambda: change_request_approve(officer=officer, cr=cr),
        "observe": lambda: change_request_observe(officer=officer, cr=cr, note="x"),
        "reject": lambda: change_request_reject(officer=officer, cr=cr, reason="x"),
        "withdraw": lambda: change_request_withdraw(user=servant_user, cr=cr),
        "resubmit": lambda: change_request_resubmit(
            user=servant_user, cr=cr, values=None, comment="x"
        ),
    }
    with pytest.raises(TransitionError):
        calls[action]()
    assert ChangeRequest.objects.get(pk=cr.pk).state == state


def test_one_open_request_per_entry(submit):
    submit(specialty="Gestión Educativa")
    with pytest.raises(ChangeRequestError, match="Ya tiene una solicitud en trámite"):
        submit(specialty="Gestión")


def test_only_the_owner_may_request_or_withdraw(persona, teacher, submit):
    degree = maestria(teacher)
    with pytest.raises(ChangeRequestError):
        change_request_submit(
            user=persona("other_servant"),
            servant=teacher,
            kind=DEGREE,
            operation="correct",
            entry=degree,
            values=corrected(degree, specialty="X"),
        )
    cr = submit(specialty="Gestión Educativa")
    with pytest.raises(ChangeRequestError):
        change_request_withdraw(user=persona("other_servant"), cr=cr)


def test_unchanged_correction_is_refused(submit):
    with pytest.raises(ChangeRequestError, match="iguales"):
        submit()


def test_cesante_keeps_the_right_to_ask_for_corrections(persona, servant_of):
    cesante = servant_of("cesante")
    degree = Degree.objects.get(servant=cesante)
    cr = change_request_submit(
        user=persona("cesante"),
        servant=cesante,
        kind=DEGREE,
        operation="correct",
        entry=degree,
        values=corrected(degree, registry_number="T-1979-00123"),
    )
    assert cr.state == State.EN_SOLICITUD


def test_conflict_when_the_entry_changed_after_the_request(submit, persona, teacher, client_for):
    cr = submit(specialty="Gestión Educativa")
    degree = maestria(teacher)
    entry_update(
        actor=persona("escalafon"),
        entry=degree,
        kind=DEGREE,
        values=corrected(degree, institution="PUCP"),
        note="RD 1-2026",
    )
    with pytest.raises(ConflictError):
        change_request_approve(officer=persona("escalafon"), cr=cr)
    assert maestria(teacher).specialty == "Gestión de la Educación"
    page = client_for("escalafon").get(f"/escalafon/solicitudes/{cr.uuid}/").content.decode()
    assert "Conflicto:" in page
    assert "Aprobar y aplicar" not in page
    assert "PUCP" in page  # current value shown beside the proposal


def test_expired_observation_is_closed_by_the_daily_task(persona, teacher):
    cr = ChangeRequest.objects.get(servant=teacher, state=State.OBSERVADO)
    assert expire_observed_requests(today=cr.observed_until) == 0
    assert expire_observed_requests(today=cr.observed_until + timedelta(days=1)) == 1
    cr.refresh_from_db()
    assert cr.state == State.RECHAZADO
    assert cr.resolution_note == "plazo vencido"
    assert cr.events.last().actor is None


def test_daily_command_runs_the_task(teacher):
    from django.core.management import call_command
    from time_machine import travel

    cr = ChangeRequest.objects.get(servant=teacher, state=State.OBSERVADO)
    with travel(cr.observed_until + timedelta(days=2)):
        call_command("run_daily", "--now")
    cr.refresh_from_db()
    assert cr.state == State.RECHAZADO


def test_state_changes_email_a_link_without_personal_values(
    submit, persona, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cr = submit(specialty="Gestión Educativa")
        change_request_observe(officer=persona("escalafon"), cr=cr, note="Falta el diploma")
    message = mail.outbox[-1]
    assert f"/mis-solicitudes/{cr.uuid}/" in message.body
    assert "Gestión" not in message.body
    assert "Falta el diploma" not in message.body
    assert "10000001" not in message.body


# --- review inbox and staff edits: permissions -------------------------------------


def test_review_inbox_is_scoped(client_for, teacher):
    cr = ChangeRequest.objects.get(servant=teacher, state=State.EN_SOLICITUD)
    assert (
        "QUISPE HUAMÁN" in client_for("escalafon").get("/escalafon/solicitudes/").content.decode()
    )
    cusco = client_for("other_ugel_officer").get("/escalafon/solicitudes/").content.decode()
    assert "QUISPE" not in cusco
    assert (
        client_for("other_ugel_officer").get(f"/escalafon/solicitudes/{cr.uuid}/").status_code
        == 404
    )
    assert (
        client_for("other_ugel_officer")
        .post(f"/escalafon/solicitudes/{cr.uuid}/", {"action": "approve"})
        .status_code
        == 404
    )
    assert client_for("dre_supervisor").get("/escalafon/solicitudes/").status_code == 403
    cr.refresh_from_db()
    assert cr.state == State.EN_SOLICITUD


def test_review_page_approves_through_the_form(client_for, teacher):
    cr = ChangeRequest.objects.get(servant=teacher, state=State.EN_SOLICITUD)
    client = client_for("escalafon")
    page = client.get(f"/escalafon/solicitudes/{cr.uuid}/").content.decode()
    assert "Diplomado en evaluación formativa" in page
    confirm = client.post(
        f"/escalafon/solicitudes/{cr.uuid}/", {"action": "approve", "note": "Conforme"}
    ).content.decode()
    assert "Confirme: aprobar y aplicar" in confirm
    assert not Training.objects.filter(servant=teacher, name="Diplomado en evaluación formativa")
    response = client.post(
        f"/escalafon/solicitudes/{cr.uuid}/",
        {"action": "approve", "note": "Conforme", "confirmado": "1"},
        follow=True,
    )
    assert "Solicitud atendida" in response.content.decode()
    assert Training.objects.filter(
        servant=teacher, name="Diplomado en evaluación formativa"
    ).exists()
    seen = client_for("servant").get(f"/mis-solicitudes/{cr.uuid}/").content.decode()
    assert "Atendido" in seen
    assert "El cambio ya figura en su legajo." in seen


def test_approve_and_apply_is_confirmed_with_the_change_before_and_after(
    submit, client_for, teacher, django_capture_on_commit_callbacks
):
    """Issue 11: «Aprobar y aplicar» was one click; it now shows what will happen first."""
    cr = submit(specialty="Gestión Educativa")
    client = client_for("escalafon")
    url = f"/escalafon/solicitudes/{cr.uuid}/"
    asked = client.post(url, {"action": "approve", "note": "Conforme al diploma"})
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Confirme: aprobar y aplicar" in page
    assert "Se corregirá en el legajo de QUISPE HUAMÁN, ROSA ELENA" in page
    assert '<th scope="col">Antes</th>' in page and '<th scope="col">Después</th>' in page
    assert "Gestión de la Educación" in page and "<mark>Gestión Educativa</mark>" in page
    assert "pasará a «Atendido»" in page  # the state's own label
    assert "Se avisará al servidor" in page
    assert 'name="confirmado" value="1"' in page and 'value="Conforme al diploma"' in page
    assert "Volver sin aprobar" in page
    cr.refresh_from_db()
    assert cr.state == State.EN_SOLICITUD  # nothing happened yet
    assert maestria(teacher).specialty == "Gestión de la Educación"
    assert not Notification.objects.filter(link__contains=str(cr.uuid)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"action": "approve", "note": "Conforme al diploma", "confirmado": "1"}
        )
    assert done.status_code == 302
    cr.refresh_from_db()
    assert cr.state == State.ATENDIDO and cr.resolution_note == "Conforme al diploma"
    assert maestria(teacher).specialty == "Gestión Educativa"
    assert Notification.objects.filter(link__contains=str(cr.uuid)).exists()


def test_the_confirmation_refuses_at_once_what_approval_would_refuse(client_for, servant_of):
    own = ChangeRequest.objects.get(servant=servant_of("escalafon"), state=State.EN_SOLICITUD)
    client = client_for("escalafon")
    response = client.post(f"/escalafon/solicitudes/{own.uuid}/", {"action": "approve"})
    assert response.status_code == 404  # her own request lies outside her staff scope
    assert "Confirme" not in response.content.decode()
    confirmed = client.post(
        f"/escalafon/solicitudes/{own.uuid}/", {"action": "approve", "confirmado": "1"}
    )
    assert confirmed.status_code == 404
    own.refresh_from_db()
    assert own.state == State.EN_SOLICITUD


def test_a_confirmation_left_open_does_not_apply_a_request_that_moved_on(
    submit, client_for, persona, teacher
):
    cr = submit(specialty="Gestión Educativa")
    client = client_for("escalafon")
    url = f"/escalafon/solicitudes/{cr.uuid}/"
    assert "Confirme" in client.post(url, {"action": "approve"}).content.decode()
    change_request_observe(officer=persona("dre_escalafon"), cr=cr, note="Falta el diploma")
    response = client.post(url, {"action": "approve", "confirmado": "1"}, follow=True)
    assert "«Observado»: no se puede atender" in response.content.decode()
    cr.refresh_from_db()
    assert cr.state == State.OBSERVADO
    assert maestria(teacher).specialty == "Gestión de la Educación"
    # and a confirmation opened after it moved on is refused before it is shown
    again = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert "Confirme: aprobar y aplicar" not in again and "no se puede atender" in again


def test_a_confirmed_approval_sent_twice_applies_once(submit, client_for, teacher):
    cr = submit(specialty="Gestión Educativa")
    client = client_for("escalafon")
    data = {"action": "approve", "confirmado": "1", "form_token": "t" * 32}
    first = client.post(f"/escalafon/solicitudes/{cr.uuid}/", data)
    second = client.post(f"/escalafon/solicitudes/{cr.uuid}/", data, follow=True)
    assert first.status_code == 302
    assert "Este formulario ya se había enviado" in second.content.decode()
    assert cr.events.filter(to_state=State.ATENDIDO).count() == 1


def test_another_servant_cannot_see_a_request(client_for, teacher):
    cr = ChangeRequest.objects.filter(servant=teacher).first()
    assert client_for("other_servant").get(f"/mis-solicitudes/{cr.uuid}/").status_code == 404
    assert (
        client_for("other_servant").post(f"/mis-solicitudes/{cr.uuid}/anular/").status_code == 404
    )
    cr.refresh_from_db()
    assert cr.is_open


def test_staff_edit_cites_its_resolution_and_is_versioned(client_for, teacher, persona):
    client = client_for("escalafon")
    degree = maestria(teacher)
    url = f"/servidores/{teacher.uuid}/legajo/degree/{degree.uuid}/editar/"
    data = {f"p-{k}": v for k, v in corrected(degree, registry_number="M-2015-99999").items()}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Cite la resolución" in refused.content.decode()
    client.post(url, {**data, "note": "RD N.° 00123-2026-UGEL07"})
    degree.refresh_from_db()
    assert degree.registry_number == "M-2015-99999"
    version = EntryVersion.objects.get(entry_uuid=degree.uuid, version=2)
    assert version.note == "RD N.° 00123-2026-UGEL07"
    assert version.actor == persona("escalafon")
    history = client_for("servant").get("/mi-legajo/historial/").content.decode()
    assert "RD N.° 00123-2026-UGEL07" in history


def test_staff_edit_permissions(client_for, teacher, servant_of):
    degree = maestria(teacher)
    url = f"/servidores/{teacher.uuid}/legajo/degree/{degree.uuid}/editar/"
    assert client_for("escalafon").get(url).status_code == 200
    assert client_for("other_ugel_officer").get(url).status_code == 404
    assert client_for("dre_supervisor").get(url).status_code == 403  # no personnel.edit
    assert client_for("servant").get(url).status_code == 403
    officer_self = servant_of("escalafon")
    own = f"/servidores/{officer_self.uuid}/legajo/degree/nuevo/"
    assert client_for("escalafon").get(own).status_code == 404  # not her own file
    removal = f"/servidores/{teacher.uuid}/legajo/degree/{degree.uuid}/eliminar/"
    client_for("escalafon").post(removal, {"note": "RD N.° 9-2026"})
    assert not Degree.objects.filter(pk=degree.pk).exists()
