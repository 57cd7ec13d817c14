"""Staff: desk cases (mesa de partes) in scope: list, read, route to an area."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema

from ayni.api.auth import scoped
from ayni.api.pagination import Page, page_of
from ayni.api.schemas import responses
from ayni.api.scopes import DESK
from ayni.desk.cases import case_read_record, case_route
from ayni.desk.models import Case
from ayni.desk.selectors import cases_in_scope, get_case_for_staff

router = Router(tags=[N_("Mesa de partes (personal)")], auth=scoped(DESK))


class CaseOut(Schema):
    id: str
    numero: str
    unidad: str
    tipo: str
    asunto: str
    estado: str
    estado_texto: str
    area: str
    recibido: str
    plazo_subsanar: str | None


class CasePage(Page):
    items: list[CaseOut]


def case_out(case: Case) -> dict[str, Any]:
    return {
        "id": str(case.uuid),
        "numero": case.label,
        "unidad": case.unit.code,
        "tipo": case.kind,
        "asunto": case.subject,
        "estado": case.state,
        "estado_texto": case.get_state_display(),
        "area": case.area,
        "recibido": case.received_at.isoformat(),
        "plazo_subsanar": case.observed_until.isoformat() if case.observed_until else None,
    }


class CaseFilter(Schema):
    estado: Case.State | None = Field(None, description=N_("Por omisión: los abiertos"))
    cursor: str | None = Field(None, max_length=200)
    limite: int | None = Field(None, ge=1, le=200)


@router.get("", response=responses(CasePage), summary=N_("Expedientes"))
def case_list(request: HttpRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    """Los expedientes de su unidad (nunca los propios), como la bandeja de la mesa."""
    cases = cases_in_scope(request.user)
    if filters.estado:
        cases = cases.filter(state=filters.estado)
    else:
        cases = cases.filter(state__in=Case.OPEN_STATES)
    rows, following = page_of(cases, filters.cursor, filters.limite, ascending=True)
    return {"items": [case_out(c) for c in rows], "siguiente": following}


@router.get("/{ref}", response=responses(CaseOut), summary=N_("Un expediente"))
def case_detail(request: HttpRequest, ref: UUID) -> dict[str, Any]:
    case = get_case_for_staff(request.user, ref)
    case_read_record(request, case)
    return case_out(case)


class RouteIn(Schema):
    area: Case.Area = Field(..., description=N_("escalafon, planillas o rrhh"))
    comentario: str = Field("", max_length=500)


@router.post("/{ref}/derivar", response=responses(CaseOut), summary=N_("Derivar a un área"))
def case_route_to(request: HttpRequest, ref: UUID, payload: RouteIn) -> dict[str, Any]:
    """Solo la mesa de partes deriva, y solo un expediente recibido o ya derivado."""
    case = get_case_for_staff(request.user, ref)
    case = case_route(
        officer=request.user,
        case=case,
        area=payload.area,
        comment=payload.comentario,
        request=request,
    )
    return case_out(case)
