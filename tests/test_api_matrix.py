"""The persona x operation matrix of the API, as tests/test_scoping_actions.py does for
the pages: every operation tried by every persona through a real HTTP request with
that persona's token (all the scopes they may give one), and what it must answer.

401: no token (anonymous); 403: the persona's permissions give no scope for this
operation (or the act is their own record); 404: out of scope, the same answer as a
missing object; 409: the state moved on; 200: done, and a staff read or act leaves an
audit event by that persona.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ayni.api.scopes import available_scopes
from ayni.core.models import AuditEvent
from ayni.desk.models import Case
from ayni.payroll.models import PayrollRun, Payslip
from ayni.personnel.models import ChangeRequest
from tests.api_helpers import bearer, make_token

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "servant",
    "other_servant",
    "cesante",
    "escalafon",
    "planillas",
    "mesa_partes",
    "other_ugel_officer",
    "dre_supervisor",
    "dre_escalafon",
    "admin",
    "dp_officer",
    "minedu_supervisor",
]


@dataclass
class Op:
    method: str
    path: Callable[[Any], str]
    body: dict[str, Any] | None = None
    audited: bool = False  # a 200 leaves an audit event (a staff read or act) by the caller
    publishing: bool = False  # the persona's token is a publishing one, when they may have it


def teacher_slip(ctx: Any) -> Payslip:
    return (
        Payslip.objects.filter(
            servant=ctx.servant_of("servant"), published=True, run__state="published"
        )
        .filter(payment_date__lte=timezone.localdate())
        .first()
    )


def teacher_request(ctx: Any) -> ChangeRequest:
    return ChangeRequest.objects.filter(
        servant=ctx.servant_of("servant"), state="en_solicitud"
    ).first()


def officer_own_request(ctx: Any) -> ChangeRequest:
    return ChangeRequest.objects.get(servant=ctx.servant_of("escalafon"), state="en_solicitud")


def ugel07_run(ctx: Any) -> PayrollRun:
    return PayrollRun.objects.filter(ugel__code="150108", state="published").first()


def ugel07_case(ctx: Any) -> Case:
    return (
        Case.objects.filter(unit__code="150108", state="recibido")
        .exclude(filer__login_id="01-20000003")
        .first()
    )


OPS: dict[str, Op] = {
    "org tree": Op("get", lambda c: "/api/v1/unidades?tipo=UGEL&limite=3"),
    "my file": Op("get", lambda c: "/api/v1/yo/legajo"),
    "my payslips": Op("get", lambda c: "/api/v1/yo/boletas"),
    "teacher's payslip": Op("get", lambda c: f"/api/v1/yo/boletas/{teacher_slip(c).uuid}"),
    "teacher's payslip pdf": Op("get", lambda c: f"/api/v1/yo/boletas/{teacher_slip(c).uuid}/pdf"),
    "teacher's file": Op(
        "get", lambda c: f"/api/v1/servidores/{c.servant_of('servant').uuid}/legajo", audited=True
    ),
    "search teacher": Op(
        "post", lambda c: "/api/v1/servidores/busqueda", {"q": "10000001"}, audited=True
    ),
    "review list": Op("get", lambda c: "/api/v1/solicitudes"),
    "teacher's request": Op(
        "get", lambda c: f"/api/v1/solicitudes/{teacher_request(c).uuid}", audited=True
    ),
    "observe teacher's request": Op(
        "post",
        lambda c: f"/api/v1/solicitudes/{teacher_request(c).uuid}/observar",
        {"nota": "Adjunte la resolución."},
        audited=True,
    ),
    "reject officer's own request": Op(
        "post",
        lambda c: f"/api/v1/solicitudes/{officer_own_request(c).uuid}/rechazar",
        {"motivo": "Sin sustento."},
        audited=True,
    ),
    "payroll runs": Op("get", lambda c: "/api/v1/planillas"),
    "UGEL 07 run": Op("get", lambda c: f"/api/v1/planillas/{ugel07_run(c).uuid}"),
    "publish UGEL 07 run": Op("post", lambda c: f"/api/v1/planillas/{ugel07_run(c).uuid}/publicar"),
    "publish it with a publishing token": Op(
        "post", lambda c: f"/api/v1/planillas/{ugel07_run(c).uuid}/publicar", publishing=True
    ),
    "desk cases": Op("get", lambda c: "/api/v1/expedientes"),
    "UGEL 07 case": Op("get", lambda c: f"/api/v1/expedientes/{ugel07_case(c).uuid}", audited=True),
    "route UGEL 07 case": Op(
        "post",
        lambda c: f"/api/v1/expedientes/{ugel07_case(c).uuid}/derivar",
        {"area": "escalafon"},
        audited=True,
    ),
}

# Expected status per operation and persona. Every persona of the demo has a servant
# record of their own (staff are servants too), so each may read their own data.
EVERYONE = set(PERSONAS) - {"anonymous"}
READERS = {"escalafon", "other_ugel_officer", "dre_supervisor", "dre_escalafon", "admin"}
READERS |= {"minedu_supervisor"}
REVIEWERS = {"escalafon", "other_ugel_officer", "dre_escalafon"}


def expected(ops: dict[str, int], default: int = 403) -> dict[str, int]:
    return {"anonymous": 401, **dict.fromkeys(EVERYONE, default), **ops}


EXPECTED: dict[str, dict[str, int]] = {
    "org tree": {**expected({}, 200), "anonymous": 200},
    "my file": expected({}, 200),
    "my payslips": expected({}, 200),
    "teacher's payslip": expected({"servant": 200}, 404),
    "teacher's payslip pdf": expected({"servant": 200}, 404),
    "teacher's file": expected(
        {**dict.fromkeys(READERS, 200), "other_ugel_officer": 404, "admin": 200}
    ),
    "search teacher": expected(dict.fromkeys(READERS, 200)),
    "review list": expected(dict.fromkeys(REVIEWERS, 200)),
    "teacher's request": expected(
        {"escalafon": 200, "dre_escalafon": 200, "other_ugel_officer": 404}
    ),
    "observe teacher's request": expected(
        {"escalafon": 200, "dre_escalafon": 200, "other_ugel_officer": 404}
    ),
    # nobody is staff for themselves: the officer's own request is not in their scope;
    # the DRE's escalafón office takes it
    "reject officer's own request": expected(
        {"escalafon": 404, "other_ugel_officer": 404, "dre_escalafon": 200}
    ),
    "payroll runs": expected({"planillas": 200}),
    "UGEL 07 run": expected({"planillas": 200}),
    # an upload token may not publish; a publishing token finds the run already published
    "publish UGEL 07 run": expected({}),
    "publish it with a publishing token": expected({"planillas": 409}),
    "desk cases": expected({"mesa_partes": 200}),
    "UGEL 07 case": expected({"mesa_partes": 200}),
    "route UGEL 07 case": expected({"mesa_partes": 200}),
}

MATRIX = [(op, who) for op in OPS for who in PERSONAS]


def _client(persona: Any, who: str, op: Op) -> Client:
    if who == "anonymous":
        return Client()
    user = persona(who)
    codes = [s.code for s in available_scopes(user)]
    if op.publishing and "planillas:publicar" in codes:
        return bearer(make_token(user, ["planillas:publicar"]))
    return bearer(make_token(user))


@pytest.mark.parametrize(("name", "who"), MATRIX, ids=[f"{o}-{w}" for o, w in MATRIX])
def test_api_matrix(name, who, persona, servant_of):
    ctx = SimpleNamespace(servant_of=servant_of)
    op = OPS[name]
    path = op.path(ctx)
    client = _client(persona, who, op)
    since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if op.method == "post":
        response = client.post(path, op.body or {}, content_type="application/json")
    else:
        response = client.get(path)
    want = EXPECTED[name][who]
    assert response.status_code == want, (name, who, response.content[:300])
    if want != 200:
        assert response["Content-Type"] == "application/problem+json"
        return
    if op.audited:
        acts = AuditEvent.objects.filter(id__gt=since, actor=persona(who))
        assert acts.exclude(action="api.token_used").exists(), f"{name}: no audit by {who}"
    if name == "search teacher":
        found = [s["documento"] for s in response.json()["items"]]
        in_scope = who != "other_ugel_officer"
        assert found == (["DNI 10000001"] if in_scope else []), (who, found)


#: Operations the matrix leaves to tests/test_api.py (they need files or a fresh state).
ELSEWHERE = {
    ("POST", "/api/v1/planillas"),
    ("POST", "/api/v1/verificacion"),
    ("GET", "/api/v1/yo/legajo/{seccion}"),
    ("GET", "/api/v1/yo/solicitudes"),
    ("GET", "/api/v1/yo/informes"),
    ("GET", "/api/v1/yo/informes/{ref}/pdf"),
    ("POST", "/api/v1/solicitudes/{ref}/aprobar"),
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_the_matrix_covers_every_operation_of_the_schema(servant_of):
    from ayni.api.api import api

    schema = api.get_openapi_schema()
    operations = {(m.upper(), p) for p, ms in schema["paths"].items() for m in ms}
    ctx = SimpleNamespace(servant_of=servant_of)
    tried = {
        (op.method.upper(), UUID.sub("{ref}", op.path(ctx).split("?")[0])) for op in OPS.values()
    }
    assert tried | ELSEWHERE == operations
