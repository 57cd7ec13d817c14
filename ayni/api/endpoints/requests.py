"""Staff: change requests in review scope: list, read, observe, approve, reject.

Through the same state gate and services as the review page: nobody reviews their
own request (403), a request that moved on answers 409.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema

from ayni.api.auth import scoped
from ayni.api.endpoints.servants import read_label
from ayni.api.pagination import Page, page_of
from ayni.api.presenters import RequestOut, request_out
from ayni.api.schemas import responses
from ayni.api.scopes import REQUESTS
from ayni.personnel.change_requests import (
    change_request_approve,
    change_request_observe,
    change_request_reject,
)
from ayni.personnel.models import ChangeRequest
from ayni.personnel.request_selectors import get_request_for_reviewer, requests_in_review_scope
from ayni.personnel.services import servant_read_record

router = Router(tags=[N_("Solicitudes de modificación (escalafón)")], auth=scoped(REQUESTS))


class RequestPage(Page):
    items: list[RequestOut]


class RequestFilter(Schema):
    estado: ChangeRequest.State | None = Field(None, description=N_("Por omisión: en_solicitud"))
    seccion: int | None = Field(None, ge=1, le=10)
    cursor: str | None = Field(None, max_length=200)
    limite: int | None = Field(None, ge=1, le=200)


@router.get("", response=responses(RequestPage), summary=N_("Solicitudes por revisar"))
def request_list(request: HttpRequest, filters: Query[RequestFilter]) -> dict[str, Any]:
    """Las solicitudes de su ámbito (nunca las propias), como la bandeja de revisión."""
    requests = requests_in_review_scope(request.user).select_related("servant")
    requests = requests.filter(state=filters.estado or ChangeRequest.State.EN_SOLICITUD)
    if filters.seccion:
        requests = requests.filter(section=filters.seccion)
    rows, following = page_of(requests, filters.cursor, filters.limite, ascending=True)
    return {"items": [request_out(cr) for cr in rows], "siguiente": following}


@router.get("/{ref}", response=responses(RequestOut), summary=N_("Una solicitud"))
def request_detail(request: HttpRequest, ref: UUID) -> dict[str, Any]:
    cr = get_request_for_reviewer(request.user, ref)
    servant_read_record(
        request, cr.servant, what=read_label(request, gettext("Solicitud de modificación"))
    )
    return request_out(cr)


class NoteIn(Schema):
    nota: str = Field("", max_length=500, description=N_("Para el servidor"))


class ReasonIn(Schema):
    motivo: str = Field(..., max_length=500, description=N_("El motivo, para el servidor"))


@router.post("/{ref}/observar", response=responses(RequestOut), summary=N_("Observar"))
def request_observe(request: HttpRequest, ref: UUID, payload: NoteIn) -> dict[str, Any]:
    """Pide al servidor una corrección o un documento (la nota es obligatoria)."""
    cr = get_request_for_reviewer(request.user, ref)
    cr = change_request_observe(officer=request.user, cr=cr, note=payload.nota, request=request)
    return request_out(cr)


@router.post("/{ref}/aprobar", response=responses(RequestOut), summary=N_("Aprobar y aplicar"))
def request_approve(request: HttpRequest, ref: UUID, payload: NoteIn) -> dict[str, Any]:
    """Aplica el cambio al legajo (con su versión) y cierra la solicitud como atendida.
    409 si la solicitud ya no está en solicitud o el registro cambió."""
    cr = get_request_for_reviewer(request.user, ref)
    cr = change_request_approve(officer=request.user, cr=cr, note=payload.nota, request=request)
    return request_out(cr)


@router.post("/{ref}/rechazar", response=responses(RequestOut), summary=N_("Rechazar"))
def request_reject(request: HttpRequest, ref: UUID, payload: ReasonIn) -> dict[str, Any]:
    cr = get_request_for_reviewer(request.user, ref)
    cr = change_request_reject(officer=request.user, cr=cr, reason=payload.motivo, request=request)
    return request_out(cr)
