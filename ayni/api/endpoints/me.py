"""A servant's own data: their file by section, requests, payslips and reports."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema

from ayni.api.auth import scoped
from ayni.api.pagination import Page, page_of
from ayni.api.presenters import (
    FileHomeOut,
    RequestOut,
    SectionOut,
    request_out,
    section_out,
    section_ref,
    servant_out,
    service_time_out,
)
from ayni.api.schemas import responses
from ayni.api.scopes import OWN
from ayni.core.responses import pdf_response
from ayni.payroll.models import Payslip
from ayni.payroll.pdf import payslip_pdf
from ayni.payroll.selectors import get_payslip_for_user, visible_payslips
from ayni.personnel.models import ChangeRequest, Servant
from ayni.personnel.request_selectors import my_requests
from ayni.personnel.sections import SECTIONS, section_for
from ayni.personnel.selectors import own_servant
from ayni.reports.models import ServiceReport, ServiceReportRequest
from ayni.reports.selectors import get_my_report, my_report_requests
from ayni.reports.services import report_pdf

router = Router(tags=[N_("Mis datos (servidor)")], auth=scoped(OWN))


def _own(request: HttpRequest) -> Servant:
    servant = own_servant(request.user)
    if servant is None:
        raise Http404
    return servant


@router.get(
    "/legajo", response=responses(FileHomeOut), summary=N_("Mi legajo: cabecera y secciones")
)
def my_file(request: HttpRequest) -> dict[str, Any]:
    """Los datos de cabecera, el tiempo de servicios y la lista de las diez secciones."""
    servant = _own(request)
    return {
        "servidor": servant_out(servant),
        "tiempo_servicios": service_time_out(servant),
        "secciones": [section_ref(s) for s in SECTIONS],
    }


@router.get(
    "/legajo/{seccion}", response=responses(SectionOut), summary=N_("Una sección de mi legajo")
)
def my_section(request: HttpRequest, seccion: str) -> dict[str, Any]:
    """`seccion`: el nombre corto de la sección (filiacion, academica, ingreso, …)."""
    servant = _own(request)
    section = section_for(seccion)
    if section is None:
        raise Http404
    return section_out(servant, section)


class RequestPage(Page):
    items: list[RequestOut]


class RequestFilter(Schema):
    estado: ChangeRequest.State | None = None
    cursor: str | None = Field(None, max_length=200)
    limite: int | None = Field(None, ge=1, le=200)


@router.get(
    "/solicitudes",
    response=responses(RequestPage),
    summary=N_("Mis solicitudes de modificación"),
)
def my_change_requests(request: HttpRequest, filters: Query[RequestFilter]) -> dict[str, Any]:
    requests = my_requests(request.user).select_related("servant")
    if filters.estado:
        requests = requests.filter(state=filters.estado)
    rows, following = page_of(requests, filters.cursor, filters.limite)
    return {"items": [request_out(cr) for cr in rows], "siguiente": following}


class PayslipOut(Schema):
    id: str
    periodo: str
    anio: int
    mes: int
    fecha_pago: str
    bruto: str
    descuentos: str
    neto: str
    codigo_verificacion: str


class PayslipDetailOut(PayslipOut):
    cabecera: dict[str, Any]
    lineas: list[dict[str, Any]]


class PayslipPage(Page):
    items: list[PayslipOut]


class PayslipFilter(Schema):
    anio: int | None = Field(None, ge=2000, le=2100)
    cursor: str | None = Field(None, max_length=200)
    limite: int | None = Field(None, ge=1, le=200)


def payslip_out(p: Payslip) -> dict[str, Any]:
    return {
        "id": str(p.uuid),
        "periodo": p.period_label,
        "anio": p.year,
        "mes": p.month,
        "fecha_pago": p.payment_date.isoformat(),
        "bruto": str(p.gross),
        "descuentos": str(p.deductions),
        "neto": str(p.net),
        "codigo_verificacion": p.verification_code,
    }


@router.get("/boletas", response=responses(PayslipPage), summary=N_("Mis boletas de pago"))
def my_payslips(request: HttpRequest, filters: Query[PayslipFilter]) -> dict[str, Any]:
    """Las boletas publicadas cuya fecha de pago ya llegó (hora de Lima), como en
    «Mi boleta»."""
    payslips = visible_payslips(request.user)
    if filters.anio:
        payslips = payslips.filter(year=filters.anio)
    rows, following = page_of(payslips, filters.cursor, filters.limite)
    return {"items": [payslip_out(p) for p in rows], "siguiente": following}


@router.get("/boletas/{ref}", response=responses(PayslipDetailOut), summary=N_("Una boleta"))
def my_payslip(request: HttpRequest, ref: UUID) -> dict[str, Any]:
    p = get_payslip_for_user(request.user, ref)
    return {**payslip_out(p), "cabecera": p.header, "lineas": p.lines}


# A PDF with its ETag: what the schema says of both PDF operations' answers.
PDF_RESPONSES: dict[str, Any] = {
    "responses": {
        200: {
            "description": N_("El PDF"),
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        304: {"description": N_("No cambió desde el ETag enviado en If-None-Match")},
    }
}


@router.get(
    "/boletas/{ref}/pdf",
    response={200: None, 304: None, **responses(None)},
    summary=N_("El PDF de una boleta (con ETag)"),
    openapi_extra=PDF_RESPONSES,
)
def my_payslip_pdf(request: HttpRequest, ref: UUID) -> HttpResponse:
    """El mismo PDF que «Descargar» en «Mi boleta». Envíe `If-None-Match` con el
    `ETag` recibido: si el documento no cambió, la respuesta es 304 sin cuerpo."""
    payslip = get_payslip_for_user(request.user, ref)
    return document_response(request, lambda: payslip_pdf(payslip), payslip.filename)


#: The header that says a document's state, with the PDF or the 304.
STATE_HEADER = "Ayni-Estado-Documento"


def document_response(
    request: HttpRequest, render: Any, filename: str, state: str = "vigente"
) -> HttpResponse:
    """A PDF with its ETag; 304 when If-None-Match has it. The ETag is the SHA-256 of
    the bytes and of the document's state: an annulled report keeps its issued bytes
    (they are what was signed), but its ETag changes, so a client holding the old one
    gets the document again (200) with `Ayni-Estado-Documento: anulado`."""
    data: bytes = render()
    digest = hashlib.sha256(data)
    if state != "vigente":
        digest.update(f"|{state}".encode())
    etag = f'"{digest.hexdigest()}"'
    wanted = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or f"W/{etag}" in wanted or "*" in wanted:
        response = HttpResponse(status=304)
    else:
        response = pdf_response(data, filename)
    response["ETag"] = etag
    response[STATE_HEADER] = state
    return response


class ReportOut(Schema):
    id: str
    informe_id: str | None
    finalidad: str
    estado: str
    pedido: str
    informe_numero: str | None
    emitido: str | None
    vigente_hasta: str | None
    codigo_verificacion: str | None
    anulado: bool


class ReportPage(Page):
    items: list[ReportOut]


class PageFilter(Schema):
    cursor: str | None = Field(None, max_length=200)
    limite: int | None = Field(None, ge=1, le=200)


def report_out(req: ServiceReportRequest) -> dict[str, Any]:
    report = getattr(req, "report", None)
    return {
        "id": str(req.uuid),
        "informe_id": str(report.uuid) if report else None,
        "finalidad": req.get_purpose_display(),
        "estado": req.state,
        "pedido": req.created_at.isoformat(),
        "informe_numero": f"{report.number:05d}-{report.year}" if report else None,
        "emitido": report.issued_at.isoformat() if report else None,
        "vigente_hasta": report.valid_until.isoformat() if report else None,
        "codigo_verificacion": report.verification_code if report else None,
        "anulado": bool(report and report.state == report.State.ANNULLED),
    }


@router.get("/informes", response=responses(ReportPage), summary=N_("Mis informes escalafonarios"))
def my_reports(request: HttpRequest, filters: Query[PageFilter]) -> dict[str, Any]:
    """Los pedidos de informe escalafonario y, si ya se emitió, su informe."""
    rows, following = page_of(my_report_requests(request.user), filters.cursor, filters.limite)
    return {"items": [report_out(r) for r in rows], "siguiente": following}


@router.get(
    "/informes/{ref}/pdf",
    response={200: None, 304: None, **responses(None)},
    summary=N_("El PDF de un informe escalafonario (con ETag)"),
    openapi_extra=PDF_RESPONSES,
)
def my_report_pdf(request: HttpRequest, ref: UUID) -> HttpResponse:
    """`ref`: el `informe_id` de la lista de mis informes. El mismo PDF que en el portal.
    La cabecera `Ayni-Estado-Documento` dice `vigente` o `anulado`; al anularse el
    informe cambia su `ETag`, así que un `If-None-Match` anterior recibe el PDF (200)."""
    report = get_my_report(request.user, ref)
    return document_response(
        request,
        lambda: report_pdf(report),
        f"informe-escalafonario-{report.number:05d}-{report.year}.pdf",
        state="anulado" if report.state == ServiceReport.State.ANNULLED else "vigente",
    )
