"""The read-only lists behind the dashboard's figures: what each shows, one row per item
(raw values: the page formats them, CSV and XLSX write them), and whose data it reads."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from ayni.core.workdays import lima_date
from ayni.desk.models import Case
from ayni.org.models import OrgUnit
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest
from ayni.reports.models import ServiceReportRequest
from ayni.supervision import selectors
from ayni.supervision.selectors import unit_title


def _request_row(cr: ChangeRequest) -> list[Any]:
    return [
        lima_date(cr.created_at),
        cr.servant.full_name,
        unit_title(cr.servant.employing_unit.name),
        cr.kind_label,
        cr.get_operation_display(),
        cr.get_state_display(),
    ]


def _run_row(run: PayrollRun) -> list[Any]:
    return [
        unit_title(run.ugel.name),
        run.period_label,
        run.get_kind_display(),
        run.sequence,
        run.get_state_display(),
        run.payment_date,
        run.payslip_count,
        run.total_net,
    ]


def _case_row(case: Case) -> list[Any]:
    return [
        case.label,
        unit_title(case.unit.name),
        case.get_kind_display(),
        case.get_area_display(),
        case.get_state_display(),
        lima_date(case.received_at),
    ]


def _informe_row(req: ServiceReportRequest) -> list[Any]:
    report = getattr(req, "report", None)
    return [
        lima_date(req.created_at),
        req.servant.full_name,
        unit_title(req.servant.employing_unit.name),
        req.get_purpose_display(),
        req.get_state_display(),
        lima_date(report.issued_at) if report else "",
    ]


LISTS: dict[str, dict[str, Any]] = {
    "solicitudes": {
        "title": lambda: _("Solicitudes de modificación"),
        "columns": lambda: [
            _("Presentada"),
            _("Servidor"),
            _("Unidad empleadora"),
            _("Registro"),
            _("Operación"),
            _("Estado"),
        ],
        "query": selectors.requests_under,
        "row": _request_row,
        "states": ChangeRequest.State.choices,
        "people": lambda items: [cr.servant_id for cr in items],
    },
    "planillas": {
        "title": lambda: _("Planillas"),
        "columns": lambda: [
            _("UGEL"),
            _("Periodo"),
            _("Tipo"),
            _("Número"),
            _("Estado"),
            _("Fecha de pago"),
            _("Boletas"),
            _("Neto total"),
        ],
        "query": selectors.runs_under,
        "row": _run_row,
        "states": PayrollRun.State.choices,
        "people": None,
    },
    "mesa": {
        "title": lambda: _("Trámites de mesa de partes"),
        "columns": lambda: [
            _("Expediente"),
            _("Unidad"),
            _("Trámite"),
            _("Área"),
            _("Estado"),
            _("Recibido"),
        ],
        "query": selectors.cases_under,
        "row": _case_row,
        "states": [c for c in Case.State.choices if c[0] != Case.State.NOT_FILED],
        "people": None,
    },
    "informes": {
        "title": lambda: _("Informes escalafonarios"),
        "columns": lambda: [
            _("Pedido"),
            _("Servidor"),
            _("Unidad empleadora"),
            _("Finalidad"),
            _("Estado"),
            _("Emitido"),
        ],
        "query": selectors.informes_under,
        "row": _informe_row,
        "states": ServiceReportRequest.State.choices,
        "people": lambda items: [req.servant_id for req in items],
    },
}


def list_spec(kind: str) -> dict[str, Any]:
    spec = LISTS.get(kind)
    if spec is None:
        raise Http404
    return spec


def filtered(spec: dict[str, Any], unit: OrgUnit, state: str) -> Any:
    items = spec["query"](unit)
    if state and state in dict(spec["states"]):
        items = items.filter(state=state)
    return items
