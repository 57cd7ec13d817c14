"""Staff: payroll runs: list, upload a .rem with its master, status with errors by
line, publish. The same form, services and background task as «Cargar planilla».

A token that may publish (scope planillas:publicar) does only the payroll's acts and
lives a few hours (ayni.api.scopes).
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema, Status

from ayni.api import tokens
from ayni.api.auth import scoped
from ayni.api.pagination import Page, page_of
from ayni.api.problems import ApiProblem, not_authenticated
from ayni.api.schemas import responses
from ayni.api.scopes import PAYROLL, PUBLISH
from ayni.payroll.forms import MAX_UPLOAD, UploadForm
from ayni.payroll.models import PayrollRun
from ayni.payroll.selectors import get_run_for_user, run_totals, runs_in_scope, ugels_for_upload
from ayni.payroll.services import payroll_publish, queue_upload

router = Router(tags=[N_("Planillas (personal)")])

#: The largest request body accepted: both files at their limit, and the form.
MAX_BODY = 2 * MAX_UPLOAD + 1024 * 1024
TRUE = ("1", "true", "on", "si", "sí")
LINE_ERROR = re.compile(r"^(?P<file>[^,:]{1,20}), línea (?P<line>\d+): (?P<message>.*)$", re.S)


class RunError(Schema):
    archivo: str | None
    linea: int | None
    mensaje: str


class RunOut(Schema):
    id: str
    ugel: str
    anio: int
    mes: int
    tipo: str
    numero: int
    fecha_pago: str
    estado: str
    estado_texto: str
    progreso: int
    lineas: int
    boletas: int
    total_bruto: str
    total_neto: str
    errores: list[RunError]
    publicada: str | None


class RunPage(Page):
    items: list[RunOut]


def run_errors(run: PayrollRun) -> list[dict[str, Any]]:
    out = []
    for text in run.errors or []:
        match = LINE_ERROR.match(str(text))
        if match:
            out.append(
                {
                    "archivo": match["file"],
                    "linea": int(match["line"]),
                    "mensaje": match["message"],
                }
            )
        else:
            out.append({"archivo": None, "linea": None, "mensaje": str(text)})
    return out


def run_out(run: PayrollRun) -> dict[str, Any]:
    return {
        "id": str(run.uuid),
        "ugel": run.ugel.code,
        "anio": run.year,
        "mes": run.month,
        "tipo": run.kind,
        "numero": run.sequence,
        "fecha_pago": run.payment_date.isoformat(),
        "estado": run.state,
        "estado_texto": run.get_state_display(),
        "progreso": run.progress,
        "lineas": run.line_count,
        "boletas": run.payslip_count,
        "total_bruto": str(run.total_gross),
        "total_neto": str(run.total_net),
        "errores": run_errors(run),
        "publicada": run.published_at.isoformat() if run.published_at else None,
    }


class RunFilter(Schema):
    estado: PayrollRun.State | None = None
    anio: int | None = Field(None, ge=2000, le=2100)
    mes: int | None = Field(None, ge=1, le=12)
    cursor: str | None = Field(None, max_length=200)
    limite: int | None = Field(None, ge=1, le=200)


@router.get("", response=responses(RunPage), auth=scoped(PAYROLL, PUBLISH), summary=N_("Planillas"))
def run_list(request: HttpRequest, filters: Query[RunFilter]) -> dict[str, Any]:
    """Las planillas de las UGEL de su ámbito, la más reciente primero."""
    runs = runs_in_scope(request.user)
    if filters.estado:
        runs = runs.filter(state=filters.estado)
    if filters.anio:
        runs = runs.filter(year=filters.anio)
    if filters.mes:
        runs = runs.filter(month=filters.mes)
    rows, following = page_of(runs, filters.cursor, filters.limite)
    return {"items": [run_out(r) for r in rows], "siguiente": following}


UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["ugel", "anio", "mes", "tipo", "fecha_pago", "rem", "maestro"],
                "properties": {
                    "ugel": {
                        "type": "string",
                        "description": N_("Código de la UGEL (p. ej. 150108)"),
                    },
                    "anio": {"type": "integer"},
                    "mes": {"type": "integer", "minimum": 1, "maximum": 12},
                    "tipo": {"type": "string", "enum": list(PayrollRun.Kind.values)},
                    "fecha_pago": {"type": "string", "format": "date"},
                    "adicional": {"type": "boolean"},
                    "rem": {
                        "type": "string",
                        "format": "binary",
                        "description": N_("Archivo PLAME 0601AAAAMM<RUC>.rem"),
                    },
                    "maestro": {
                        "type": "string",
                        "format": "binary",
                        "description": N_("Maestro de servidores (CSV con cabecera)"),
                    },
                },
            }
        }
    },
}


def _form_errors(form: UploadForm) -> list[dict[str, str]]:
    names = {"year": "anio", "month": "mes", "kind": "tipo", "payment_date": "fecha_pago"}
    names.update({"additional": "adicional", "master": "maestro", "__all__": ""})
    return [
        {"campo": names.get(field, field), "mensaje": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


@router.post(
    "",
    response=responses(RunOut, status=202),
    auth=scoped(PAYROLL, PUBLISH),
    summary=N_("Cargar una planilla (.rem y maestro)"),
    openapi_extra={"requestBody": UPLOAD_BODY},
)
def run_upload(request: HttpRequest) -> Status[dict[str, Any]]:
    """Recibe los dos archivos y pone la importación en cola (202). Consulte el estado
    con GET /planillas/{id}: «draft» (borrador) cuando cargó bien; «failed» con cada
    línea errada y su número si no (entonces no se cargó nada)."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        raise ApiProblem(413, gettext("Los archivos superan los 100 MB cada uno."))
    if not (request.content_type or "").startswith("multipart/form-data"):
        raise ApiProblem(
            422, gettext("Envíe los archivos como multipart/form-data (campos rem y maestro).")
        )
    data = request.POST.copy()
    ugel = ugels_for_upload(request.user).filter(code=data.get("ugel", "")[:10]).first()
    fields = {
        "ugel": str(ugel.pk) if ugel else "",
        "year": data.get("anio", ""),
        "month": data.get("mes", ""),
        "kind": data.get("tipo", ""),
        "payment_date": data.get("fecha_pago", ""),
        "additional": "on" if data.get("adicional", "").lower() in TRUE else "",
    }
    files = {"rem": request.FILES.get("rem"), "master": request.FILES.get("maestro")}
    present = {name: f for name, f in files.items() if f is not None}
    form = UploadForm(fields, present, ugels=ugels_for_upload(request.user))
    if ugel is None:
        raise ApiProblem(
            422,
            gettext("Indique el código de una UGEL de su ámbito."),
            errors=[{"campo": "ugel", "mensaje": gettext("UGEL fuera de su ámbito")}],
        )
    if not form.is_valid():
        raise ApiProblem(
            422,
            gettext("Revise la planilla: hay datos que faltan o no son válidos."),
            errors=_form_errors(form),
        )

    def token_still_in_force() -> None:  # revoked while the files came in
        if not tokens.still_in_force(request):
            raise ApiProblem(401, not_authenticated())

    run = queue_upload(
        form.cleaned_data, actor=request.user, request=request, still_allowed=token_still_in_force
    )
    run.refresh_from_db()
    return Status(202, run_out(run))


@router.get(
    "/{ref}",
    response=responses(RunOut),
    auth=scoped(PAYROLL, PUBLISH),
    summary=N_("Estado de una planilla y sus errores"),
)
def run_status(request: HttpRequest, ref: UUID) -> dict[str, Any]:
    """Estado, avance y, si falló, cada error con su archivo y número de línea."""
    return run_out(get_run_for_user(request.user, ref))


class PublishOut(RunOut):
    boletas_publicadas: int
    neto_total: str


@router.post(
    "/{ref}/publicar",
    response=responses(PublishOut),
    auth=scoped(PUBLISH),
    summary=N_("Publicar una planilla en borrador"),
)
def run_publish(request: HttpRequest, ref: UUID) -> dict[str, Any]:
    """Irreversible: las boletas se verán desde su fecha de pago y quedan verificables.
    Solo con un token de alcance «planillas:publicar» (vence en pocas horas). Una
    planilla que no está en borrador responde 409 (por ejemplo, ya publicada)."""
    run = get_run_for_user(request.user, ref)
    if run.state != PayrollRun.State.DRAFT:
        raise ApiProblem(
            409,
            gettext("La planilla está «%(state)s»: no hay nada que publicar.")
            % {"state": run.get_state_display()},
        )
    run = payroll_publish(run=run, actor=request.user, request=request)
    totals = run_totals(run)
    return {
        **run_out(run),
        "boletas_publicadas": totals["servants"],
        "neto_total": str(totals["net"]),
    }
