"""The REST API (issue 15): tokens, scoping, audit, errors as problem details,
pagination, ETags, payroll upload and publish, with real HTTP requests through
Django's test client (the whole middleware stack, the real database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ayni.api.models import AccessToken
from ayni.api.tokens import TokenError, digest_of, token_create
from ayni.core.audit import reads_of_subject
from ayni.core.models import AuditEvent
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest
from tests.api_helpers import REM_NAME, bearer, make_token
from tests.test_payroll import GOOD_REM, MASTER

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
JSON = "application/json"


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    return body


# --- public -----------------------------------------------------------------------------


def test_org_tree_is_public_and_paged_by_cursor(demo_data):
    client = Client()
    first = client.get("/api/v1/unidades", {"tipo": "DRE", "limite": 5}).json()
    assert len(first["items"]) == 5 and first["siguiente"]
    second = client.get(
        "/api/v1/unidades", {"tipo": "DRE", "limite": 5, "cursor": first["siguiente"]}
    ).json()
    assert not {u["codigo"] for u in first["items"]} & {u["codigo"] for u in second["items"]}
    ugels = client.get("/api/v1/unidades", {"padre": "150101", "limite": 200}).json()["items"]
    assert "150108" in {u["codigo"] for u in ugels}
    forged = client.get("/api/v1/unidades", {"cursor": "123:abc"})
    assert problem(forged, 400)["errors"][0]["campo"] == "cursor"


def test_verification_gives_the_pages_verdict_and_shares_its_hourly_limit(
    persona, settings, client_for
):
    slip = (
        bearer(make_token(persona("servant"))).get("/api/v1/yo/boletas?limite=1").json()["items"]
    )[0]
    client = Client()
    ok = client.post("/api/v1/verificacion", {"codigo": slip["codigo_verificacion"]}, JSON)
    assert ok.status_code == 200 and ok.json()["veredicto"] == "genuine"
    assert "Q***" in str(ok.json()["resumen"])  # the public summary: masked name
    altered = client.post(
        "/api/v1/verificacion",
        {"codigo": slip["codigo_verificacion"], "sha256": "0" * 64},
        JSON,
    ).json()
    assert altered["veredicto"] == "altered" and altered["pdf_comparado"]
    assert client.post("/api/v1/verificacion", {"codigo": "XXXX"}, JSON).json()["veredicto"] == (
        "unknown"
    )
    problem(client.post("/api/v1/verificacion", {"codigo": "A", "sha256": "zz"}, JSON), 422)
    # the page and the API count against one budget per address
    settings.VERIFY_RATE_LIMIT_PER_HOUR = 5
    client.post("/verificar/", {"code": "ABCD-EFGH-JKMN-PQRS"})
    refused = client.post("/api/v1/verificacion", {"codigo": "XXXX"}, JSON)
    assert problem(refused, 429)["detail"].startswith("Hizo demasiadas consultas")
    assert refused["Retry-After"] == "3600"


# --- tokens: what is stored, what is refused ---------------------------------------------


def test_a_token_is_stored_hashed_and_works_only_in_the_header(persona):
    user = persona("servant")
    secret = make_token(user, ["propio"])
    token = AccessToken.objects.get(user=user)
    assert secret.startswith("ayni_") and len(secret) > 40
    assert token.digest == digest_of(secret) and secret not in str(token.__dict__)
    assert bearer(secret).get("/api/v1/yo/legajo").status_code == 200
    body = problem(Client().get("/api/v1/yo/legajo", {"token": secret}), 400)
    assert "cabecera" in body["detail"]
    problem(Client().get("/api/v1/yo/legajo", {"x": secret}), 400)
    problem(Client().get("/api/v1/yo/legajo"), 401)
    problem(Client(HTTP_AUTHORIZATION="Bearer ayni_no-existe").get("/api/v1/yo/legajo"), 401)
    assert AuditEvent.objects.filter(action="api.token_refused").exists()


def test_every_use_is_audited_with_the_tokens_name_and_shown_as_last_use(persona):
    user = persona("servant")
    secret = make_token(user, ["propio"], name="Banco de la Nación")
    client = bearer(secret)
    client.get("/api/v1/yo/legajo")
    client.get("/api/v1/yo/boletas")
    token = AccessToken.objects.get(user=user)
    assert token.use_count == 2 and token.last_used_at is not None
    uses = AuditEvent.objects.filter(action="api.token_used", actor=user)
    assert uses.count() == 2
    assert {e.detail for e in uses} == {
        "Banco de la Nación · GET /api/v1/yo/legajo",
        "Banco de la Nación · GET /api/v1/yo/boletas",
    }


def test_expired_revoked_and_deactivated_tokens_stop(persona):
    user = persona("other_servant")
    secret = make_token(user, ["propio"])
    token = AccessToken.objects.get(user=user)
    with time_machine.travel(token.expires_at + timedelta(seconds=1)):
        problem(bearer(secret).get("/api/v1/yo/legajo"), 401)
    assert bearer(secret).get("/api/v1/yo/legajo").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    problem(bearer(secret).get("/api/v1/yo/legajo"), 401)
    user.is_active = True
    user.save(update_fields=["is_active"])
    AccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    problem(bearer(secret).get("/api/v1/yo/legajo"), 401)


def test_a_withdrawn_role_stops_the_token_at_its_next_use(persona):
    officer = persona("escalafon")
    client = bearer(make_token(officer, ["servidores:leer"]))
    assert client.post("/api/v1/servidores/busqueda", {"q": ""}, JSON).status_code == 200
    officer.role_grants.update(active=False)
    body = problem(client.post("/api/v1/servidores/busqueda", {"q": ""}, JSON), 403)
    assert "servidores:leer" in body["detail"]


def test_creation_refuses_what_the_user_does_not_hold(persona):
    servant, officer = persona("servant"), persona("planillas")
    later = timezone.now() + timedelta(days=10)
    cases = [
        (servant, ["servidores:leer"], [], later, "permisos que usted tiene"),
        (officer, ["planillas:cargar"], ["/no-es-mi-unidad/"], later, "su propio ámbito"),
        (officer, ["planillas:cargar"], [], later, "al menos una unidad"),
        (officer, ["planillas:cargar"], None, timezone.now() + timedelta(days=91), "90 días"),
        (officer, ["planillas:publicar"], None, timezone.now() + timedelta(hours=9), "8 horas"),
        (officer, [], None, later, "al menos un permiso"),
        (officer, ["planillas:cargar"], None, timezone.now() - timedelta(hours=1), "futura"),
    ]
    cusco = officer.role_grants.get().unit.path
    for user, scopes, units, expiry, message in cases:
        with pytest.raises(TokenError, match=message):
            token_create(
                user=user,
                name="x",
                scopes=scopes,
                unit_paths=[cusco] if units is None else units,
                expires_at=expiry,
            )
    with pytest.raises(TokenError, match="Escriba un nombre"):
        token_create(user=servant, name="  ", scopes=["propio"], unit_paths=[], expires_at=later)
    assert not AccessToken.objects.filter(user__in=[servant]).exists()


def test_a_publishing_token_carries_nothing_else(persona, servant_of):
    admin = persona("admin")
    # MINEDU's admin holds no payroll permission: the scope is not even offered
    with pytest.raises(TokenError):
        token_create(
            user=admin,
            name="x",
            scopes=["planillas:publicar"],
            unit_paths=[admin.role_grants.get().unit.path],
            expires_at=timezone.now() + timedelta(hours=1),
        )


def test_rate_limit_per_token(persona, settings):
    settings.API_TOKEN_RATE_PER_MINUTE = 3
    user = persona("servant")
    first, second = bearer(make_token(user, ["propio"])), bearer(make_token(user, ["propio"]))
    assert [first.get("/api/v1/yo/legajo").status_code for _ in range(2)] == [200, 200]
    refused = first.get("/api/v1/yo/legajo")
    assert problem(refused, 429)["detail"].startswith("Este token hizo demasiadas")
    assert refused["Retry-After"] == "60"
    assert second.get("/api/v1/yo/legajo").status_code == 200  # each token its own budget


# --- scoping: the same selectors as the pages ----------------------------------------------


def test_a_servant_sees_only_their_own_data(persona, servant_of):
    teacher = bearer(make_token(persona("servant"), ["propio"]))
    colleague = bearer(make_token(persona("other_servant"), ["propio"]))
    mine = teacher.get("/api/v1/yo/boletas?limite=200").json()["items"]
    assert mine and all(p["id"] for p in mine)
    theirs = colleague.get("/api/v1/yo/boletas?limite=200").json()["items"]
    assert not {p["id"] for p in mine} & {p["id"] for p in theirs}
    problem(colleague.get(f"/api/v1/yo/boletas/{mine[0]['id']}"), 404)
    problem(colleague.get(f"/api/v1/yo/boletas/{mine[0]['id']}/pdf"), 404)
    # the staff endpoints need a staff scope: a servant's token cannot even ask
    ref = servant_of("other_servant").uuid
    problem(teacher.get(f"/api/v1/servidores/{ref}/legajo"), 403)
    problem(teacher.get("/api/v1/yo/legajo/no-existe"), 404)


def test_a_staff_read_through_the_api_is_seen_by_the_servant(persona, servant_of):
    teacher = servant_of("servant")
    officer = persona("escalafon")
    client = bearer(make_token(officer, ["servidores:leer"], name="Sistema UGEL"))
    before = reads_of_subject("servant", teacher.pk).count()
    file = client.get(f"/api/v1/servidores/{teacher.uuid}/legajo").json()
    assert file["servidor"]["apellidos"].startswith("QUISPE")
    assert len(file["secciones"]) == 10
    reads = reads_of_subject("servant", teacher.pk)
    assert reads.count() == before + 1
    latest = reads.order_by("-id").first()
    assert latest.actor == officer and "Sistema UGEL" in latest.detail
    page = Client()
    page.force_login(teacher.user)
    assert "Sistema UGEL" in page.get("/mi-legajo/quien-vio/").content.decode()
    # a search by document is its own read, seen by the person found
    found = client.post("/api/v1/servidores/busqueda", {"q": teacher.doc_number}, JSON).json()
    assert [s["id"] for s in found["items"]] == [str(teacher.uuid)]
    assert reads_of_subject("servant", teacher.pk).count() == before + 2


def test_officers_reach_only_their_units_and_a_token_only_its_units(persona, servant_of):
    cusco_ref = servant_of("cusco_servant").uuid
    lima = bearer(make_token(persona("escalafon"), ["servidores:leer"]))
    problem(lima.get(f"/api/v1/servidores/{cusco_ref}/legajo"), 404)
    cusco = bearer(make_token(persona("other_ugel_officer"), ["servidores:leer"]))
    assert cusco.get(f"/api/v1/servidores/{cusco_ref}/legajo").status_code == 200
    problem(cusco.get(f"/api/v1/servidores/{servant_of('servant').uuid}/legajo"), 404)
    # a DRE supervisor's token narrowed to UGEL 08 Cañete... is outside DRE Lima: refused
    supervisor = persona("dre_supervisor")
    with pytest.raises(TokenError):
        make_token(supervisor, ["servidores:leer"], units=["/no/"])
    # narrowed to one UGEL of the DRE: the other UGELs' servants are out of its reach
    ugel07 = servant_of("servant").employing_unit
    narrow = bearer(make_token(supervisor, ["servidores:leer"], units=[ugel07.path]))
    assert narrow.get(f"/api/v1/servidores/{servant_of('servant').uuid}/legajo").status_code == 200
    wide = make_token(supervisor, ["servidores:leer"])
    assert bearer(wide).post("/api/v1/servidores/busqueda", {"q": ""}, JSON).status_code == 200
    narrowed = narrow.post("/api/v1/servidores/busqueda", {"q": ""}, JSON).json()["items"]
    assert narrowed and all(s["unidad_codigo"] == ugel07.code for s in narrowed)


def test_review_through_the_api_keeps_segregation_of_duties(persona, servant_of):
    officer = persona("escalafon")
    client = bearer(make_token(officer, ["solicitudes:revisar"]))
    listed = client.get("/api/v1/solicitudes?limite=200").json()["items"]
    own = ChangeRequest.objects.filter(servant=servant_of("escalafon")).first()
    assert own is not None and str(own.uuid) not in {r["id"] for r in listed}
    problem(client.post(f"/api/v1/solicitudes/{own.uuid}/aprobar", {"nota": ""}, JSON), 404)
    # the DRE's office takes the UGEL officer's own request
    dre = bearer(make_token(persona("dre_escalafon"), ["solicitudes:revisar"]))
    target = ChangeRequest.objects.filter(
        servant=servant_of("servant"), state="en_solicitud"
    ).first()
    problem(client.post(f"/api/v1/solicitudes/{target.uuid}/rechazar", {"motivo": " "}, JSON), 422)
    observed = client.post(
        f"/api/v1/solicitudes/{target.uuid}/observar", {"nota": "Adjunte la resolución."}, JSON
    )
    assert observed.status_code == 200 and observed.json()["estado"] == "observado"
    again = client.post(f"/api/v1/solicitudes/{target.uuid}/aprobar", {"nota": ""}, JSON)
    assert "no se puede atender" in problem(again, 409)["detail"]
    target.refresh_from_db()
    assert target.state == "observado"
    assert AuditEvent.objects.filter(
        action="personnel.change_request.observado", actor=officer
    ).exists()
    assert dre.get(f"/api/v1/solicitudes/{own.uuid}").json()["id"] == str(own.uuid)


def test_approve_applies_the_change_through_the_service(persona, servant_of):
    officer = persona("escalafon")
    client = bearer(make_token(officer, ["solicitudes:revisar"]))
    target = ChangeRequest.objects.filter(
        servant=servant_of("servant"), state="en_solicitud"
    ).first()
    done = client.post(f"/api/v1/solicitudes/{target.uuid}/aprobar", {"nota": "Conforme"}, JSON)
    assert done.status_code == 200 and done.json()["estado"] == "atendido"
    target.refresh_from_db()
    assert target.state == "atendido" and target.entry_uuid is not None
    twice = client.post(f"/api/v1/solicitudes/{target.uuid}/aprobar", {"nota": ""}, JSON)
    problem(twice, 409)


def test_desk_cases_are_listed_and_routed_by_the_desk_only(persona):
    desk = bearer(make_token(persona("mesa_partes"), ["mesa:gestionar"]))
    cases = desk.get("/api/v1/expedientes").json()["items"]
    received = next(c for c in cases if c["estado"] == "recibido")
    routed = desk.post(f"/api/v1/expedientes/{received['id']}/derivar", {"area": "escalafon"}, JSON)
    assert routed.status_code == 200 and routed.json()["estado"] == "derivado"
    problem(desk.post(f"/api/v1/expedientes/{received['id']}/derivar", {"area": "x"}, JSON), 422)
    escalafon = bearer(make_token(persona("escalafon")))
    problem(escalafon.get("/api/v1/expedientes"), 403)


# --- documents: ETag ------------------------------------------------------------------------


def test_payslip_pdf_has_an_etag_and_answers_304_when_unchanged(persona):
    client = bearer(make_token(persona("servant"), ["propio"]))
    slip = client.get("/api/v1/yo/boletas?limite=1").json()["items"][0]
    pdf = client.get(f"/api/v1/yo/boletas/{slip['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf["ETag"].startswith('"')
    same = client.get(f"/api/v1/yo/boletas/{slip['id']}/pdf", HTTP_IF_NONE_MATCH=pdf["ETag"])
    assert same.status_code == 304 and same.content == b"" and same["ETag"] == pdf["ETag"]
    other = client.get(f"/api/v1/yo/boletas/{slip['id']}/pdf", HTTP_IF_NONE_MATCH='"x"')
    assert other.status_code == 200


def test_my_report_pdf_is_mine_only_with_its_etag(persona):
    teacher = bearer(make_token(persona("servant"), ["propio"]))
    reports = teacher.get("/api/v1/yo/informes").json()["items"]
    issued = next(r for r in reports if r["informe_id"])
    pdf = teacher.get(f"/api/v1/yo/informes/{issued['informe_id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = teacher.get(
        f"/api/v1/yo/informes/{issued['informe_id']}/pdf", HTTP_IF_NONE_MATCH=pdf["ETag"]
    )
    assert again.status_code == 304
    colleague = bearer(make_token(persona("other_servant"), ["propio"]))
    problem(colleague.get(f"/api/v1/yo/informes/{issued['informe_id']}/pdf"), 404)


# --- payroll: upload, status with line numbers, publish ------------------------------------


def _upload(client, rem=GOOD_REM, **extra):
    data = {
        "ugel": "150108",
        "anio": "2030",
        "mes": "1",
        "tipo": "activos",
        "fecha_pago": "2030-01-20",
        "rem": SimpleUploadedFile(REM_NAME, rem.encode()),
        "maestro": SimpleUploadedFile("maestro.csv", MASTER),
        **extra,
    }
    return client.post("/api/v1/planillas", data)


def test_payroll_upload_status_and_publish_with_a_publishing_token(
    persona, django_capture_on_commit_callbacks
):
    officer = persona("planillas")
    client = bearer(make_token(officer, ["planillas:cargar", "planillas:publicar"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client)
    assert response.status_code == 202, response.content
    ref = response.json()["id"]
    status = client.get(f"/api/v1/planillas/{ref}").json()
    assert status["estado"] == "draft" and status["boletas"] == 2 and status["errores"] == []
    published = client.post(f"/api/v1/planillas/{ref}/publicar")
    assert published.status_code == 200, published.content
    assert published.json()["estado"] == "published"
    assert published.json()["boletas_publicadas"] == 2
    run = PayrollRun.objects.get(uuid=ref)
    assert run.state == "published" and run.published_by == officer
    assert AuditEvent.objects.filter(action="payroll.run.published", actor=officer).exists()
    twice = client.post(f"/api/v1/planillas/{ref}/publicar")
    assert "Publicada" in problem(twice, 409)["detail"]


def test_an_upload_token_cannot_publish_and_a_failed_file_reports_lines(
    persona, django_capture_on_commit_callbacks
):
    client = bearer(make_token(persona("planillas"), ["planillas:cargar"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, rem=GOOD_REM + "01|1|2001|1|1|\n")
    ref = response.json()["id"]
    status = client.get(f"/api/v1/planillas/{ref}").json()
    assert status["estado"] == "failed"
    assert {k: status["errores"][0][k] for k in ("archivo", "linea")} == {
        "archivo": "rem",
        "linea": 9,
    }
    assert "8 dígitos" in status["errores"][0]["mensaje"]
    body = problem(client.post(f"/api/v1/planillas/{ref}/publicar"), 403)
    assert "planillas:publicar" in body["detail"]


def test_upload_refusals(persona, monkeypatch):
    client = bearer(make_token(persona("planillas"), ["planillas:cargar"]))
    wrong_name = client.post(
        "/api/v1/planillas",
        {
            "ugel": "150108",
            "anio": "2030",
            "mes": "1",
            "tipo": "activos",
            "fecha_pago": "2030-01-20",
            "rem": SimpleUploadedFile("octubre.txt", b"x"),
            "maestro": SimpleUploadedFile("maestro.csv", MASTER),
        },
    )
    fields = {e["campo"] for e in problem(wrong_name, 422)["errors"]}
    assert "rem" in fields
    other_ugel = _upload(client, ugel="080001")
    assert problem(other_ugel, 422)["errors"][0]["campo"] == "ugel"
    problem(client.post("/api/v1/planillas", {"a": 1}, JSON), 422)
    monkeypatch.setattr("ayni.api.endpoints.payroll.MAX_BODY", 1000)
    problem(_upload(client), 413)
    assert not PayrollRun.objects.filter(year=2030, month=1).exists()


def test_other_ugels_officer_and_servants_cannot_touch_runs(persona):
    run = PayrollRun.objects.filter(ugel__code="150108", state="published").first()
    lima = bearer(make_token(persona("planillas"), ["planillas:cargar"]))
    assert lima.get(f"/api/v1/planillas/{run.uuid}").status_code == 200
    for who in ("other_ugel_officer", "escalafon", "servant"):
        client = bearer(make_token(persona(who)))
        problem(client.get(f"/api/v1/planillas/{run.uuid}"), 403)


# --- the portal's own session -----------------------------------------------------------------


def test_session_auth_needs_csrf_on_writes(persona):
    client = Client(enforce_csrf_checks=True)
    from ayni.identity.testing import sign_in_verified

    sign_in_verified(client, persona("escalafon"))
    assert client.get("/api/v1/solicitudes").status_code == 200
    target = ChangeRequest.objects.filter(state="en_solicitud").exclude(
        servant__user=persona("escalafon")
    )
    refused = client.post(
        f"/api/v1/solicitudes/{target.first().uuid}/observar", {"nota": "x"}, JSON
    )
    assert "CSRF" in problem(refused, 403)["detail"]


def test_errors_are_problem_documents(persona):
    client = bearer(make_token(persona("escalafon")))
    problem(client.get("/api/v1/no-existe"), 404)
    problem(client.delete("/api/v1/solicitudes"), 405)
    problem(client.post("/api/v1/servidores/busqueda", "{no es json", JSON), 400)
    invalid = problem(client.post("/api/v1/servidores/busqueda", {"q": "x" * 61}, JSON), 422)
    assert invalid["errors"] == [
        {"campo": "q", "mensaje": "texto vacío, demasiado largo o no válido"}
    ]
    problem(client.get("/api/v1/servidores/no-es-uuid/legajo"), 422)
    problem(client.get(f"/api/v1/servidores/{'0' * 8}-0000-0000-0000-{'0' * 12}/legajo"), 404)


def test_guessing_tokens_from_one_address_is_stopped(demo_data):
    guesser = Client(HTTP_AUTHORIZATION="Bearer ayni_adivinado")
    answers = [guesser.get("/api/v1/yo/legajo").status_code for _ in range(30)]
    assert answers == [401] * 29 + [429]
    assert AuditEvent.objects.filter(action="api.token_refused").count() == 29


def test_a_staff_tokens_uses_are_audited_in_its_unit(persona):
    officer = persona("escalafon")
    unit = officer.role_grants.get().unit
    bearer(make_token(officer, ["servidores:leer"])).post(
        "/api/v1/servidores/busqueda", {"q": ""}, JSON
    )
    use = AuditEvent.objects.filter(action="api.token_used", actor=officer).latest("id")
    assert use.unit_path == unit.path
