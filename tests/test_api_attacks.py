"""The REST API attacked (issue 15, third pass): guessed and leaked tokens, personal data
in addresses, ids of other units, an officer on their own file, forged cursors, huge
and odd bodies, methods and content types, CORS, CSRF, ETags of annulled documents, a
token revoked while its upload is read, and whether staff reads reach the servant.

Real HTTP requests through Django's test client (the whole middleware stack) and the
real database; no mocks except the moment a token is revoked mid-upload."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ayni.api.api import api
from ayni.api.models import AccessToken
from ayni.api.pagination import SALT
from ayni.core.audit import reads_of_subject
from ayni.core.models import AuditEvent
from ayni.desk.cases import filer_servant_id
from ayni.desk.models import Case
from ayni.identity.testing import sign_in_verified
from ayni.org.models import OrgUnit
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest, Servant
from ayni.reports.models import ServiceReport
from ayni.reports.services import informe_annul
from tests.api_helpers import REM_NAME, bearer, make_token
from tests.test_payroll import GOOD_REM, MASTER

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
JSON = "application/json"
NOBODY = "00000000-0000-4000-8000-000000000000"
ACTS = (("observar", {"nota": "x"}), ("aprobar", {}), ("rechazar", {"motivo": "x"}))


def problem(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# --- tokens: guessing and leaking ----------------------------------------------------------


def test_a_guessers_lockout_does_not_lock_out_a_real_token_from_the_same_address(persona):
    secret = make_token(persona("escalafon"), ["servidores:leer"])
    guesser = Client(HTTP_AUTHORIZATION="Bearer ayni_" + "A" * 43)
    answers = [guesser.get("/api/v1/solicitudes").status_code for _ in range(31)]
    assert answers[-1] == 429
    assert problem(guesser.get("/api/v1/solicitudes"), 429)
    locked = guesser.get("/api/v1/solicitudes")
    assert locked["Retry-After"] == "3600"
    # the same address (the test client's 127.0.0.1) with a genuine token still works
    ok = bearer(secret).post("/api/v1/servidores/busqueda", {"q": ""}, JSON)
    assert ok.status_code == 200
    refused = AuditEvent.objects.filter(action="api.token_refused")
    assert refused.exists() and not refused.filter(detail__contains="AAAA").exists()


def test_no_token_and_no_personal_data_is_echoed_in_bodies_logs_or_audit(
    persona, servant_of, caplog
):
    caplog.set_level(logging.DEBUG)
    officer = persona("escalafon")
    secret = make_token(officer, ["servidores:leer", "solicitudes:revisar"])
    client = bearer(secret)
    dni = servant_of("servant").doc_number
    answers = [
        client.post("/api/v1/servidores/busqueda", {"q": dni}, JSON),
        client.post("/api/v1/servidores/busqueda", {"q": dni * 9}, JSON),  # too long: 422
        client.post("/api/v1/servidores/busqueda", f'{{"q": "{dni}"', JSON),  # broken: 400
        client.get(f"/api/v1/servidores/{dni}/legajo"),  # a DNI where an id goes: 422
        client.get(f"/api/v1/solicitudes?estado={dni}"),  # 422
        client.get(f"/api/v1/solicitudes?cursor={dni}"),  # 400
        client.get(f"/api/v1/planillas?token={secret}"),  # the token in the address: 400
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}x").get("/api/v1/solicitudes"),  # 401
        Client(HTTP_AUTHORIZATION=f"Basic {secret}").get("/api/v1/solicitudes"),  # 401
    ]
    statuses = [a.status_code for a in answers]
    assert statuses == [200, 422, 400, 422, 422, 400, 400, 401, 401]
    for answer in answers[1:]:
        assert answer["Content-Type"] == PROBLEM
        text = answer.content.decode()
        assert secret not in text and secret[5:20] not in text and dni not in text, text
    logged = caplog.text
    assert secret not in logged and secret[5:20] not in logged and dni not in logged
    for event in AuditEvent.objects.all():
        stored = json.dumps([event.detail, event.before, event.after], default=str)
        assert secret not in stored and secret[5:20] not in stored, event.action
    # the refused token's audit names the path, never the query string
    assert not AuditEvent.objects.filter(detail__contains="?").exists()


def test_an_unexpected_fault_is_a_spanish_problem_without_the_traceback_or_the_path(
    persona, servant_of, monkeypatch, settings, caplog
):
    settings.DEBUG = True  # ninja would send the traceback as JSON in DEBUG
    dni = servant_of("servant").doc_number

    def broken(*args, **kwargs):
        raise RuntimeError(f"fallo con {dni}")

    monkeypatch.setattr("ayni.api.endpoints.servants.search_servants", broken)
    client = bearer(make_token(persona("escalafon"), ["servidores:leer"]))
    answer = client.post("/api/v1/servidores/busqueda", {"q": dni}, JSON)
    body = problem(answer, 500)
    assert dni not in answer.content.decode() and "Traceback" not in answer.content.decode()
    assert body["title"] == "Error interno"
    assert "500 POST /api/v1/servidores/busqueda" in caplog.text  # logged, with its cause


# --- personal data in addresses -----------------------------------------------------------


def test_no_address_of_the_schema_carries_a_document_number_or_a_name(demo_data):
    spec = api.get_openapi_schema()
    allowed_query = {"cursor", "limite", "estado", "anio", "mes", "seccion", "tipo", "padre"}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            for param in op.get("parameters", []):
                where, name = param["in"], param["name"]
                if where == "path":
                    schema = param["schema"]
                    assert schema.get("format") == "uuid" or name == "seccion", (path, name)
                else:
                    assert where == "query" and name in allowed_query, (method, path, name)
            # the search for people goes in a body, never in the address
            if "busqueda" in path:
                assert method == "post" and "requestBody" in op


def test_a_section_name_cannot_smuggle_a_document_number(persona, servant_of):
    client = bearer(make_token(persona("servant"), ["propio"]))
    dni = servant_of("other_servant").doc_number
    body = problem(client.get(f"/api/v1/yo/legajo/{dni}"), 404)
    assert dni not in json.dumps(body)


# --- ids of other units, annulled documents, one's own file ----------------------------------


def test_every_id_of_another_ugel_answers_404_like_an_id_that_does_not_exist(persona):
    cusco = persona("other_ugel_officer")  # escalafón, UGEL Cusco
    client = bearer(make_token(cusco, ["servidores:leer", "solicitudes:revisar"]))
    lima_servant = Servant.objects.filter(employing_unit__code="150107").first() or (
        Servant.objects.exclude(employing_unit__path__startswith=cusco.role_grants.get().unit.path)
        .exclude(user=cusco)
        .first()
    )
    assert lima_servant is not None
    lima_request = ChangeRequest.objects.exclude(
        unit_path__startswith=cusco.role_grants.get().unit.path
    ).first()
    for path in (
        f"/api/v1/servidores/{lima_servant.uuid}/legajo",
        f"/api/v1/servidores/{NOBODY}/legajo",
        f"/api/v1/solicitudes/{lima_request.uuid}",
        f"/api/v1/solicitudes/{NOBODY}",
    ):
        assert problem(client.get(path), 404)["detail"] == "No existe o no está a su alcance."
    state = lima_request.state
    for act, body in ACTS:
        problem(client.post(f"/api/v1/solicitudes/{lima_request.uuid}/{act}", body, JSON), 404)
    lima_request.refresh_from_db()
    assert lima_request.state == state
    assert not reads_of_subject("servant", lima_servant.pk).filter(actor=cusco).exists()


def test_a_run_or_case_of_another_ugel_answers_404_to_every_operation(persona):
    """UGEL 07's payroll and desk officers, given the id of Cusco's run and case."""
    cusco = OrgUnit.objects.get(code=persona("other_ugel_officer").role_grants.get().unit.code)
    run = PayrollRun.objects.filter(ugel__code="150108", state="draft").first() or (
        PayrollRun.objects.filter(ugel__code="150108").first()
    )
    assert run is not None
    PayrollRun.objects.filter(pk=run.pk).update(ugel=cusco)  # as if uploaded in Cusco
    officer = persona("planillas")
    publisher = bearer(make_token(officer, ["planillas:cargar", "planillas:publicar"]))
    state = run.state
    problem(publisher.get(f"/api/v1/planillas/{run.uuid}"), 404)
    problem(publisher.post(f"/api/v1/planillas/{run.uuid}/publicar"), 404)
    assert PayrollRun.objects.get(pk=run.pk).state == state
    listed = publisher.get("/api/v1/planillas?limite=200").json()["items"]
    assert str(run.uuid) not in {r["id"] for r in listed}
    case = Case.objects.filter(unit__code="150108").exclude(filer=persona("mesa_partes")).first()
    assert case is not None
    Case.objects.filter(pk=case.pk).update(unit=cusco)
    desk = bearer(make_token(persona("mesa_partes"), ["mesa:gestionar"]))
    problem(desk.get(f"/api/v1/expedientes/{case.uuid}"), 404)
    problem(desk.post(f"/api/v1/expedientes/{case.uuid}/derivar", {"area": "rrhh"}, JSON), 404)
    listed = desk.get("/api/v1/expedientes?limite=200").json()["items"]
    assert str(case.uuid) not in {c["id"] for c in listed}


def test_an_officer_cannot_act_on_their_own_file_through_the_api(persona, servant_of):
    officer = persona("escalafon")
    own = ChangeRequest.objects.filter(servant__user=officer).first()
    client = bearer(make_token(officer, ["solicitudes:revisar"]))
    if own is not None:
        for act, body in (
            ("observar", {"nota": "x"}),
            ("aprobar", {}),
            ("rechazar", {"motivo": "x"}),
        ):
            problem(client.post(f"/api/v1/solicitudes/{own.uuid}/{act}", body, JSON), 404)
        problem(client.get(f"/api/v1/solicitudes/{own.uuid}"), 404)
        listed = client.get("/api/v1/solicitudes?limite=200").json()["items"]
        assert str(own.uuid) not in {r["id"] for r in listed}
    desk = persona("mesa_partes")
    own_cases = Case.objects.filter(filer=desk)
    desk_client = bearer(make_token(desk, ["mesa:gestionar"]))
    for case in own_cases[:3]:
        problem(desk_client.get(f"/api/v1/expedientes/{case.uuid}"), 404)


def test_an_annulled_report_changes_its_etag_and_a_stale_one_gets_the_document(persona, servant_of):
    teacher = bearer(make_token(persona("servant"), ["propio"]))
    items = teacher.get("/api/v1/yo/informes").json()["items"]
    issued = next(r for r in items if r["informe_id"] and not r["anulado"])
    address = f"/api/v1/yo/informes/{issued['informe_id']}/pdf"
    first = teacher.get(address)
    assert first.status_code == 200
    assert teacher.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    report = ServiceReport.objects.get(uuid=issued["informe_id"])
    informe_annul(officer=persona("escalafon"), report=report, reason="Datos errados")
    stale = teacher.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert stale.status_code == 200 and stale.content.startswith(b"%PDF")
    assert stale["ETag"] != first["ETag"]
    assert stale["Ayni-Estado-Documento"] == "anulado"
    listed = teacher.get("/api/v1/yo/informes").json()["items"]
    assert next(r for r in listed if r["informe_id"] == issued["informe_id"])["anulado"]
    # someone else's annulled report is as absent as any other
    other = bearer(make_token(persona("other_servant"), ["propio"]))
    problem(other.get(address), 404)


# --- cursors --------------------------------------------------------------------------------


def test_forged_modified_and_borrowed_cursors_are_refused_with_400(persona):
    client = bearer(make_token(persona("escalafon"), ["servidores:leer", "solicitudes:revisar"]))
    units = Client().get("/api/v1/unidades?limite=1").json()
    assert units["siguiente"]
    good = units["siguiente"]
    assert Client().get(f"/api/v1/unidades?limite=1&cursor={good}").status_code == 200
    forged = signing.Signer(salt="otra-sal").sign("999999")
    last, signature = good.split(":", 1)
    modified = f"{int(last) + 1}:{signature}"
    unsigned_salt = signing.Signer(salt=SALT).sign("1")  # the old, model-less salt
    for cursor in (forged, modified, "' OR 1=1 --", "x" * 199, "%00", unsigned_salt):
        body = problem(Client().get("/api/v1/unidades", {"cursor": cursor}), 400)
        assert body["errors"][0]["campo"] == "cursor"
    # a cursor of one list is not a key to another
    problem(client.get("/api/v1/solicitudes", {"cursor": good}), 400)
    problem(client.get("/api/v1/unidades", {"cursor": "x" * 201}), 422)


def test_a_nul_character_is_refused_before_it_reaches_the_database(persona):
    """PostgreSQL stores no NUL in text: it would be a 500 there, not a refusal."""
    client = bearer(make_token(persona("escalafon"), ["servidores:leer"]))
    problem(Client().get("/api/v1/unidades", {"padre": "15\x00"}), 400)
    problem(client.post("/api/v1/servidores/busqueda", '{"q": "a\\u0000b"}', JSON), 400)
    problem(Client().post("/api/v1/verificacion", '{"codigo": "\\u0000"}', JSON), 400)


# --- bodies, methods, content types ----------------------------------------------------------


def test_huge_deep_and_odd_bodies_are_refused_as_problems(persona):
    client = bearer(make_token(persona("escalafon"), ["servidores:leer", "solicitudes:revisar"]))
    big = json.dumps({"q": "a" * (6 * 1024 * 1024)})
    problem(client.post("/api/v1/servidores/busqueda", big, JSON), 413)
    deep = "[" * 100_000 + "]" * 100_000
    problem(client.post("/api/v1/servidores/busqueda", deep, JSON), 400)
    deep_object = '{"q": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}"
    problem(client.post("/api/v1/servidores/busqueda", deep_object, JSON), 400)
    problem(client.post("/api/v1/servidores/busqueda", {"q": "x" * 100_000}, JSON), 422)
    for not_an_object in ('"solo texto"', "[]", "null", "1"):
        problem(client.post("/api/v1/servidores/busqueda", not_an_object, JSON), 400)
    problem(client.post("/api/v1/servidores/busqueda", b"\xff\xfe", JSON), 400)
    assert Client().get("/api/v1/unidades", {"limite": "9" * 40}).status_code == 422


def test_json_operations_refuse_other_content_types(persona):
    client = bearer(make_token(persona("escalafon"), ["servidores:leer"]))
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        answer = client.post("/api/v1/servidores/busqueda", '{"q": ""}', content_type)
        assert problem(answer, 415)["detail"]
    assert client.post("/api/v1/servidores/busqueda", '{"q": ""}', JSON).status_code == 200
    charset = "application/json; charset=utf-8"
    assert client.post("/api/v1/servidores/busqueda", '{"q": ""}', charset).status_code == 200


def test_upload_of_huge_claimed_length_archive_or_wrong_type(persona):
    client = bearer(make_token(persona("planillas"), ["planillas:cargar"]))
    answer = client.generic(
        "POST",
        "/api/v1/planillas",
        b"--x--\r\n",
        "multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(250 * 1024 * 1024),
    )
    problem(answer, 413)
    # a zip (or a zip bomb) as the master: it is not a CSV, refused with the fields at fault
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("maestro.csv", b"0" * (20 * 1024 * 1024))
    data = {
        "ugel": "150108",
        "anio": "2030",
        "mes": "1",
        "tipo": "activos",
        "fecha_pago": "2030-01-20",
        "rem": SimpleUploadedFile(REM_NAME, GOOD_REM.encode()),
        "maestro": SimpleUploadedFile("maestro.zip", buffer.getvalue(), "application/zip"),
    }
    zipped = client.post("/api/v1/planillas", data)
    assert zipped.status_code in (202, 422), zipped.content
    problem(client.post("/api/v1/planillas", '{"ugel": "150108"}', JSON), 422)
    anonymous = Client().generic(
        "POST",
        "/api/v1/planillas",
        b"--x--\r\n",
        "multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(250 * 1024 * 1024),
    )
    problem(anonymous, 401)


def test_head_options_and_unknown_methods(persona):
    client = bearer(make_token(persona("escalafon"), ["servidores:leer", "solicitudes:revisar"]))
    options = client.options("/api/v1/solicitudes")
    assert problem(options, 405) and "GET" in options["Allow"]
    for method in ("put", "patch", "delete"):
        problem(getattr(client, method)("/api/v1/solicitudes"), 405)
    head = client.head("/api/v1/solicitudes")
    assert head.status_code in (200, 405) and head.content == b""
    problem(Client().generic("PROPFIND", "/api/v1/unidades"), 405)


def test_no_cors_grant_to_any_origin(persona):
    secret = make_token(persona("escalafon"), ["servidores:leer"])
    evil = {"HTTP_ORIGIN": "https://malo.example"}
    answers = [
        Client().get("/api/v1/unidades", **evil),
        bearer(secret).post("/api/v1/servidores/busqueda", {"q": ""}, JSON, **evil),
        Client().options(
            "/api/v1/servidores/busqueda",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
            **evil,
        ),
    ]
    for answer in answers:
        assert "Access-Control-Allow-Origin" not in answer
        assert "Access-Control-Allow-Credentials" not in answer


def test_an_anonymous_write_is_told_to_authenticate_not_about_csrf(demo_data):
    for path in ("/api/v1/servidores/busqueda", f"/api/v1/planillas/{NOBODY}/publicar"):
        body = problem(Client(enforce_csrf_checks=True).post(path, '{"q": ""}', JSON), 401)
        assert "CSRF" not in body["detail"] and "Authorization: Bearer" in body["detail"]


def test_session_writes_need_csrf_on_every_writing_operation(persona):
    ops = {
        "escalafon": [(f"/api/v1/solicitudes/{NOBODY}/aprobar", "{}")],
        "mesa_partes": [(f"/api/v1/expedientes/{NOBODY}/derivar", '{"area": "rrhh"}')],
        "planillas": [
            (f"/api/v1/planillas/{NOBODY}/publicar", ""),
            ("/api/v1/servidores/busqueda", '{"q": ""}'),
        ],
    }
    for who, posts in ops.items():
        client = Client(enforce_csrf_checks=True)
        sign_in_verified(client, persona(who))
        for path, body in posts:
            answer = client.post(path, body, JSON)
            assert answer.status_code in (403,), (who, path, answer.status_code)
            assert answer["Content-Type"] == PROBLEM


# --- a token revoked mid-upload; owners that changed --------------------------------------------


def test_a_token_revoked_while_its_upload_is_read_creates_no_run(persona, monkeypatch):
    officer = persona("planillas")
    secret = make_token(officer, ["planillas:cargar"])
    from ayni.api.endpoints import payroll

    real_form = payroll.UploadForm

    class RevokedWhileReading(real_form):  # type: ignore[misc, valid-type]
        def is_valid(self) -> bool:
            AccessToken.objects.filter(user=officer).update(revoked_at=timezone.now())
            return super().is_valid()

    monkeypatch.setattr(payroll, "UploadForm", RevokedWhileReading)
    data = {
        "ugel": "150108",
        "anio": "2030",
        "mes": "1",
        "tipo": "activos",
        "fecha_pago": "2030-01-20",
        "rem": SimpleUploadedFile(REM_NAME, GOOD_REM.encode()),
        "maestro": SimpleUploadedFile("maestro.csv", MASTER),
    }
    problem(bearer(secret).post("/api/v1/planillas", data), 401)
    assert not PayrollRun.objects.filter(year=2030, month=1).exists()


def test_expired_deactivated_and_demoted_owners_tokens(persona):
    officer = persona("escalafon")
    secret = make_token(officer, ["servidores:leer"])
    client = bearer(secret)
    assert client.post("/api/v1/servidores/busqueda", {"q": ""}, JSON).status_code == 200
    grant = officer.role_grants.get()
    grant.active = False
    grant.save(update_fields=["active"])
    problem(client.post("/api/v1/servidores/busqueda", {"q": ""}, JSON), 403)
    grant.active = True
    grant.save(update_fields=["active"])
    assert client.post("/api/v1/servidores/busqueda", {"q": ""}, JSON).status_code == 200
    AccessToken.objects.filter(user=officer).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    problem(client.post("/api/v1/servidores/busqueda", {"q": ""}, JSON), 401)
    other = persona("mesa_partes")
    desk = bearer(make_token(other, ["mesa:gestionar"]))
    other.is_active = False
    other.save(update_fields=["is_active"])
    problem(desk.get("/api/v1/expedientes"), 401)


# --- staff reads reach the servant ---------------------------------------------------------------


def test_staff_reads_through_the_api_are_seen_by_the_servant(persona, servant_of):
    officer = persona("escalafon")
    client = bearer(make_token(officer, ["servidores:leer", "solicitudes:revisar"], name="SIGA"))
    teacher = servant_of("servant")
    before = reads_of_subject("servant", teacher.pk).count()
    found = client.post("/api/v1/servidores/busqueda", {"q": teacher.doc_number}, JSON).json()
    assert [s["id"] for s in found["items"]] == [str(teacher.uuid)]
    client.get(f"/api/v1/servidores/{teacher.uuid}/legajo")
    pending = ChangeRequest.objects.filter(servant=teacher, state="en_solicitud").first()
    if pending is not None:
        client.get(f"/api/v1/solicitudes/{pending.uuid}")
    reads = reads_of_subject("servant", teacher.pk)
    assert reads.count() >= before + (3 if pending else 2)
    assert reads.filter(actor=officer, detail__contains="SIGA").exists()
    # a desk case read through the API reaches the person who filed it
    desk = persona("mesa_partes")
    desk_client = bearer(make_token(desk, ["mesa:gestionar"], name="Mesa virtual"))
    listed = desk_client.get("/api/v1/expedientes?limite=200").json()["items"]
    cases = Case.objects.filter(uuid__in=[c["id"] for c in listed])
    case = next(c for c in cases if filer_servant_id(c))
    assert desk_client.get(f"/api/v1/expedientes/{case.uuid}").status_code == 200
    seen = reads_of_subject("servant", filer_servant_id(case))
    assert seen.filter(actor=desk, action="desk.case_viewed").exists()
    # and the servant sees them on «¿Quién vio mi legajo?»
    page = Client()
    sign_in_verified(page, persona("servant"))
    html = page.get("/mi-legajo/quien-vio/").content.decode()
    assert "SIGA" in html
