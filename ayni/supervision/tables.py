"""The dashboard's tables, built once from a Dashboard: the page shows them (with their
charts) and the exports write the very same cells, so a download never differs from
what the page said.

A cell is (shown text, raw value): the page prints the text (es-PE numbers, «S/»), CSV
and XLSX write the raw value (a number stays a number in a spreadsheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ayni.core import formats
from ayni.desk.models import Case
from ayni.org.models import Escala, LaborRegime, OrgUnit, PensionRegime
from ayni.payroll.models import MONTHS
from ayni.personnel.models import ChangeRequest, Servant
from ayni.supervision import charts
from ayni.supervision.aggregates import AGE_BANDS, month_key
from ayni.supervision.selectors import Dashboard, Row, unit_title

Cell = tuple[str, Any]


def n(value: Any) -> Cell:
    value = int(value or 0)
    return formats.count(value), value


def money(cents: Any) -> Cell:
    value = (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))
    return formats.soles(value), value


def day(iso: str | None) -> Cell:
    if not iso:
        return "—", ""
    value = date.fromisoformat(iso)
    return value.strftime("%d/%m/%Y"), value


def text(value: Any) -> Cell:
    return str(value), str(value)


@dataclass
class Line:
    head: Cell
    cells: list[Cell]
    link: str = ""
    alert: bool = False
    own: bool = False


@dataclass
class Table:
    key: str
    title: str
    head: str  # the first column's header
    columns: list[str]
    lines: list[Line]
    total: list[Cell] | None = None
    chart: SafeString | None = None
    note: str = ""
    empty: str = ""
    collapsed: bool = False  # long lists open on demand (<details>)
    extra: dict[str, Any] = field(default_factory=dict)


MONTH_ABBR = [
    gettext_lazy("ene"),
    gettext_lazy("feb"),
    gettext_lazy("mar"),
    gettext_lazy("abr"),
    gettext_lazy("may"),
    gettext_lazy("jun"),
    gettext_lazy("jul"),
    gettext_lazy("ago"),
    gettext_lazy("set"),
    gettext_lazy("oct"),
    gettext_lazy("nov"),
    gettext_lazy("dic"),
]


def month_label(key: str) -> str:
    """«2026-09» → «set 26» (a chart's axis)."""
    year, month = key.split("-")
    return f"{MONTH_ABBR[int(month) - 1]} {year[2:]}"


def month_long(key: str) -> str:
    year, month = key.split("-")
    return f"{str(MONTHS[int(month) - 1]).capitalize()} {year}"


def unit_label(row: Row) -> str:
    if row.own:
        return _("%(unit)s (la propia unidad)") % {"unit": unit_title(row.unit.name)}
    return unit_title(row.unit.name)


def _link(row: Row) -> str:
    if row.own or row.unit.kind == OrgUnit.Kind.SCHOOL:
        return ""
    return reverse("supervision:unit", args=[row.unit.code])


def _get(data: dict[str, Any], *keys: str) -> Any:
    node: Any = data
    for key in keys:
        if not isinstance(node, dict):
            return 0
        node = node.get(key, 0)
    return node


def _nonzero(lines: list[Line]) -> list[Line]:
    """The lines with some figure: a unit without any is left out (its zeros add nothing
    to the total), and the personnel table still lists every unit to drill down."""
    return [line for line in lines if any(cell[1] for cell in line.cells)]


def _sum(values: Any) -> int:
    return sum(v for v in values.values() if isinstance(v, int)) if isinstance(values, dict) else 0


# --- personnel ---------------------------------------------------------------------------

CONDITIONS = [
    ("nombrado", Servant.Condition.NOMBRADO.label),
    ("contratado", Servant.Condition.CONTRATADO.label),
    ("cesante", Servant.Status.CESANTE.label),
    ("pensionista", Servant.Status.PENSIONISTA.label),
]


def personnel_units(d: Dashboard) -> Table:
    columns = [_("Total"), *[str(label) for _k, label in CONDITIONS], _("Por completar")]
    lines = []
    for row in d.rows:
        p = row.data.get("personnel", {})
        lines.append(
            Line(
                head=text(unit_label(row)),
                cells=[
                    n(p.get("total")),
                    *[n(_get(p, "condition", key)) for key, _l in CONDITIONS],
                    n(_get(p, "file", "incomplete")),
                ],
                link=_link(row),
                own=row.own,
            )
        )
    lines = _nonzero(lines)  # every child is linked above the sections (_board.html)
    p = d.total.get("personnel", {})
    total = [
        n(p.get("total")),
        *[n(_get(p, "condition", key)) for key, _l in CONDITIONS],
        n(_get(p, "file", "incomplete")),
    ]
    return Table(
        "personal-unidades",
        _("Servidores por unidad"),
        _("Unidad"),
        columns,
        lines,
        total,
        chart=charts.bars(
            "ch-personal-unidades",
            _("Servidores por unidad"),
            [(line.head[0], line.cells[0][1]) for line in lines],
        ),
    )


def _breakdown(
    d: Dashboard, key: str, title: str, head: str, labels: dict[str, str], chart_id: str
) -> Table:
    values = d.total.get("personnel", {}).get(key, {})
    order = [k for k in labels if k in values] + sorted(k for k in values if k not in labels)
    lines = [
        Line(head=text(labels.get(k, _("Sin dato") if k == "-" else k)), cells=[n(values[k])])
        for k in order
    ]
    return Table(
        chart_id,
        title,
        head,
        [_("Servidores")],
        lines,
        [n(sum(values.values()))],
        chart=charts.bars(
            f"ch-{chart_id}", title, [(line.head[0], line.cells[0][1]) for line in lines]
        ),
    )


def personnel_breakdowns(d: Dashboard) -> list[Table]:
    kinds = {k: str(label) for k, label in Servant.Kind.choices}
    conditions = {k: str(label) for k, label in CONDITIONS}
    regimes = dict(LaborRegime.objects.values_list("code", "name"))
    pensions = dict(PensionRegime.objects.values_list("code", "name"))
    escalas = {code: code for code in Escala.objects.values_list("code", flat=True)}
    files = {"complete": _("Ficha completa"), "incomplete": _("Por completar")}
    return [
        _breakdown(d, "kind", _("Por tipo de servidor"), _("Tipo"), kinds, "personal-tipo"),
        _breakdown(
            d, "condition", _("Por condición"), _("Condición"), conditions, "personal-condicion"
        ),
        _breakdown(
            d, "regime", _("Por régimen laboral"), _("Régimen laboral"), regimes, "personal-regimen"
        ),
        _breakdown(
            d,
            "pension",
            _("Por régimen pensionario"),
            _("Régimen pensionario"),
            pensions,
            "personal-pension",
        ),
        _breakdown(d, "escala", _("Por escala"), _("Escala"), escalas, "personal-escala"),
        _breakdown(d, "file", _("Legajos"), _("Estado de la ficha"), files, "personal-legajo"),
    ]


# --- change requests -----------------------------------------------------------------------

REQUEST_STATES = [
    ChangeRequest.State.EN_SOLICITUD,
    ChangeRequest.State.OBSERVADO,
    ChangeRequest.State.ATENDIDO,
    ChangeRequest.State.RECHAZADO,
]


def _request_cells(r: dict[str, Any]) -> list[Cell]:
    return [
        *[n(_get(r, "state", state)) for state in REQUEST_STATES],
        n(r.get("overdue", 0)),
    ]


def requests_units(d: Dashboard) -> Table:
    columns = [
        _("En trámite"),
        _("Observadas"),
        _("Atendidas"),
        _("Rechazadas"),
        _("Fuera de plazo"),
    ]
    lines = _nonzero(
        [
            Line(
                head=text(unit_label(row)),
                cells=_request_cells(row.data.get("requests", {})),
                link=_link(row),
                alert=bool(_get(row.data, "requests", "overdue")),
                own=row.own,
            )
            for row in d.rows
        ]
    )
    return Table(
        "solicitudes-unidades",
        _("Solicitudes de modificación por unidad"),
        _("Unidad"),
        columns,
        lines,
        _request_cells(d.total.get("requests", {})),
        chart=charts.bars(
            "ch-solicitudes-unidades",
            _("Solicitudes fuera de plazo por unidad"),
            [(line.head[0], line.cells[4][1]) for line in lines],
            alert=[line.alert for line in lines],
        ),
        note=_(
            "Plazo legal: %(days)d días hábiles desde la presentación (TUO de la Ley 27444, "
            "art. 39), sin contar los días en que la solicitud estuvo «Observada»."
        )
        % {"days": d.term},
    )


def requests_age(d: Dashboard) -> Table:
    labels = {
        "0-10": _("0 a 10 días hábiles"),
        "11-20": _("11 a 20 días hábiles"),
        "21-30": _("21 a 30 días hábiles"),
        "31+": _("Más de 30 días hábiles"),
    }
    ages = d.total.get("requests", {}).get("age", {})
    lines = [
        Line(head=text(labels[band]), cells=[n(ages.get(band, 0))], alert=band == "31+")
        for band in AGE_BANDS
    ]
    return Table(
        "solicitudes-antiguedad",
        _("Solicitudes abiertas por antigüedad"),
        _("Antigüedad"),
        [_("Solicitudes")],
        lines,
        [n(_sum(ages))],
        chart=charts.bars(
            "ch-solicitudes-antiguedad",
            _("Solicitudes abiertas por antigüedad"),
            [(line.head[0], line.cells[0][1]) for line in lines],
            alert=[line.alert for line in lines],
        ),
    )


def requests_oldest(d: Dashboard) -> Table:
    names = {u.path: unit_title(u.name) for u in [d.unit, *d.ugels]}
    names.update({row.unit.path: unit_title(row.unit.name) for row in d.rows})
    states = dict(ChangeRequest.State.choices)
    lines = []
    for days, filed, _uuid, state, paused, path in d.total.get("requests", {}).get("oldest", []):
        lines.append(
            Line(
                head=day(filed),
                cells=[
                    text(names.get(path, path)),
                    text(states.get(state, state)),
                    n(days),
                    n(paused),
                ],
                alert=days > d.term,
            )
        )
    return Table(
        "solicitudes-antiguas",
        _("Las solicitudes abiertas más antiguas"),
        _("Presentada"),
        [_("Unidad"), _("Estado"), _("Días hábiles"), _("Días en pausa (observada)")],
        lines,
        empty=_("No hay solicitudes abiertas."),
    )


# --- desk ----------------------------------------------------------------------------------


def _desk_cells(desk: dict[str, Any]) -> list[Cell]:
    return [
        n(_sum(desk.get("received", {}))),
        n(_sum(desk.get("open", {}))),
        n(_sum(desk.get("overdue", {}))),
    ]


def desk_units(d: Dashboard) -> Table:
    lines = _nonzero(
        [
            Line(
                head=text(unit_label(row)),
                cells=_desk_cells(row.data.get("desk", {})),
                link=_link(row),
                alert=bool(_sum(_get(row.data, "desk", "overdue"))),
                own=row.own,
            )
            for row in d.rows
        ]
    )
    return Table(
        "mesa-unidades",
        _("Mesa de partes por unidad"),
        _("Unidad"),
        [_("Recibidos (12 meses)"), _("En trámite"), _("Vencidos")],
        lines,
        _desk_cells(d.total.get("desk", {})),
        note=_("Vencido: en trámite por más de %(days)d días hábiles desde su recepción.")
        % {"days": d.term},
    )


def desk_areas(d: Dashboard) -> Table:
    desk = d.total.get("desk", {})
    lines = []
    for area, label in Case.Area.choices:
        cells = [
            n(_get(desk, "received", area)),
            n(_get(desk, "open", area)),
            n(_get(desk, "overdue", area)),
        ]
        lines.append(Line(head=text(label), cells=cells, alert=bool(cells[2][1])))
    return Table(
        "mesa-areas",
        _("Mesa de partes por área"),
        _("Área"),
        [_("Recibidos (12 meses)"), _("En trámite"), _("Vencidos")],
        lines,
        _desk_cells(desk),
        chart=charts.bars(
            "ch-mesa-areas",
            _("Trámites en curso por área"),
            [(line.head[0], line.cells[1][1]) for line in lines],
        ),
    )


def desk_weeks(d: Dashboard) -> Table:
    weeks = d.total.get("desk", {}).get("weeks", {})
    lines = [Line(head=day(week), cells=[n(weeks.get(week, 0))]) for week in d.weeks]
    return Table(
        "mesa-semanas",
        _("Trámites recibidos por semana"),
        _("Semana del"),
        [_("Recibidos")],
        lines,
        [n(sum(weeks.get(w, 0) for w in d.weeks))],
        chart=charts.columns(
            "ch-mesa-semanas",
            _("Trámites recibidos por semana"),
            [(line.head[0][:5], line.cells[0][1]) for line in lines],
        ),
    )


# --- payroll -------------------------------------------------------------------------------


def _published_ugels(row_ugels: list[OrgUnit], payroll_by_path: dict[str, Any], key: str) -> int:
    return sum(1 for u in row_ugels if _get(payroll_by_path.get(u.path, {}), key, "published"))


def payroll_status(d: Dashboard, figures_by_path: dict[str, dict[str, Any]]) -> Table:
    """This month, per row: at a UGEL its run; above, how many of its UGELs published."""
    current = month_key(d.today.year, d.today.month)
    lines = []
    pending_total = 0
    for row in d.rows:
        cell = _get(row.data, "payroll", current) or {}
        ugels = [row.unit] if row.unit.kind == OrgUnit.Kind.UGEL else row.ugels
        published = sum(
            1
            for u in ugels
            if _get(figures_by_path.get(u.path, {}), "payroll", current, "published")
        )
        if row.own and row.unit.kind != OrgUnit.Kind.UGEL and not cell:
            continue
        missing = len(ugels) - published
        pending_total += missing
        lines.append(
            Line(
                head=text(unit_label(row)),
                cells=[
                    text(f"{published} / {len(ugels)}"),
                    n(_get(cell, "loaded")),
                    day(cell.get("paid") if isinstance(cell, dict) else None),
                    n(_get(cell, "servants")),
                    money(_get(cell, "net_cents")),
                ],
                link=_link(row),
                alert=missing > 0,
                own=row.own,
            )
        )
    cell = d.total.get("payroll", {}).get(current, {})
    published_all = sum(
        1 for u in d.ugels if _get(figures_by_path.get(u.path, {}), "payroll", current, "published")
    )
    return Table(
        "planillas-mes",
        _("Planillas de %(month)s") % {"month": month_long(current)},
        _("Unidad"),
        [
            _("UGEL publicadas"),
            _("Sin publicar"),
            _("Pago"),
            _("Servidores"),
            _("Neto"),
        ],
        lines,
        [
            text(f"{published_all} / {len(d.ugels)}"),
            n(_get(cell, "loaded")),
            day(cell.get("paid")),
            n(_get(cell, "servants")),
            money(_get(cell, "net_cents")),
        ],
        extra={"pending": len(d.ugels) - published_all},
    )


def payroll_missing(d: Dashboard, figures_by_path: dict[str, dict[str, Any]]) -> Table:
    current = month_key(d.today.year, d.today.month)
    lines = []
    for ugel in d.ugels:
        cell = _get(figures_by_path.get(ugel.path, {}), "payroll", current) or {}
        if _get(cell, "published"):
            continue
        state = _("Cargada, sin publicar") if _get(cell, "loaded") else _("Sin planilla")
        lines.append(
            Line(
                head=text(unit_title(ugel.name)),
                cells=[text(state)],
                link=reverse("supervision:unit", args=[ugel.code]),
                alert=True,
            )
        )
    return Table(
        "planillas-pendientes",
        _("UGEL sin la planilla de %(month)s publicada") % {"month": month_long(current)},
        _("UGEL"),
        [_("Situación")],
        lines,
        empty=_("Todas las UGEL publicaron la planilla del mes."),
        collapsed=len(lines) > 12,
    )


def payroll_months(d: Dashboard, figures_by_path: dict[str, dict[str, Any]]) -> Table:
    payroll = d.total.get("payroll", {})
    lines = []
    for key in d.months:
        cell = payroll.get(key, {})
        published = sum(
            1 for u in d.ugels if _get(figures_by_path.get(u.path, {}), "payroll", key, "published")
        )
        lines.append(
            Line(
                head=text(month_long(key)),
                cells=[
                    text(f"{published} / {len(d.ugels)}"),
                    n(cell.get("loaded")),
                    day(cell.get("paid")),
                    n(cell.get("servants")),
                    money(cell.get("net_cents")),
                ],
                alert=published < len(d.ugels),
            )
        )
    return Table(
        "planillas-meses",
        _("Planillas de los últimos 12 meses"),
        _("Mes"),
        [
            _("UGEL publicadas"),
            _("Sin publicar"),
            _("Último pago"),
            _("Servidores"),
            _("Neto"),
        ],
        lines,
        chart=charts.columns(
            "ch-planillas-meses",
            _("Neto pagado por mes"),
            [
                (month_label(k), float(line.cells[4][1]))
                for k, line in zip(d.months, lines, strict=True)
            ],
            fmt="soles",
        ),
    )


# --- informes and access requests ----------------------------------------------------------


def _informe_cells(i: dict[str, Any]) -> list[Cell]:
    issued = int(i.get("emitido", 0))
    pending = int(i.get("pendiente", 0))
    timed = int(i.get("timed", 0))
    days = (
        f"{Decimal(i.get('hours_sum', 0)) / 24 / timed:.1f}" if timed else "—",
        round(i.get("hours_sum", 0) / 24 / timed, 1) if timed else "",
    )
    return [n(issued + pending), n(issued), n(pending), days, day(i.get("oldest"))]


def informes_units(d: Dashboard) -> Table:
    lines = _nonzero(
        [
            Line(
                head=text(unit_label(row)),
                cells=_informe_cells(row.data.get("informes", {})),
                link=_link(row),
                own=row.own,
            )
            for row in d.rows
        ]
    )
    return Table(
        "informes-unidades",
        _("Informes escalafonarios"),
        _("Unidad"),
        [
            _("Pedidos"),
            _("Emitidos"),
            _("Pendientes"),
            _("Días promedio para emitir"),
            _("Pendiente más antiguo"),
        ],
        lines,
        _informe_cells(d.total.get("informes", {})),
    )


def access_units(d: Dashboard) -> Table:
    def cells(a: dict[str, Any]) -> list[Cell]:
        return [n(a.get("pending", 0)), day(a.get("oldest"))]

    lines = _nonzero(
        [
            Line(
                head=text(unit_label(row)),
                cells=cells(row.data.get("access", {})),
                link=_link(row),
                own=row.own,
            )
            for row in d.rows
        ]
    )
    return Table(
        "accesos-unidades",
        _("Solicitudes de acceso a Ayni por atender"),
        _("Unidad"),
        [_("Pendientes"), _("Desde")],
        lines,
        cells(d.total.get("access", {})),
    )


def trend(d: Dashboard) -> Table:
    t = d.total.get("trend", {})
    lines = [
        Line(
            head=text(month_long(key)),
            cells=[
                n(_get(t, key, "requests")),
                n(_get(t, key, "cases")),
                n(_get(t, key, "informes")),
            ],
        )
        for key in d.months
    ]
    return Table(
        "tendencia",
        _("Tendencia de los últimos 12 meses"),
        _("Mes"),
        [_("Solicitudes presentadas"), _("Trámites recibidos"), _("Informes emitidos")],
        lines,
        [
            n(sum(int(_get(t, k, "requests")) for k in d.months)),
            n(sum(int(_get(t, k, "cases")) for k in d.months)),
            n(sum(int(_get(t, k, "informes")) for k in d.months)),
        ],
        chart=charts.columns(
            "ch-tendencia",
            _("Solicitudes presentadas por mes"),
            [(month_label(k), line.cells[0][1]) for k, line in zip(d.months, lines, strict=True)],
        ),
    )


def all_tables(d: Dashboard) -> dict[str, list[Table]]:
    """Every table of the dashboard, by section, in page order."""
    figures_by_path = d.by_path
    return {
        "personal": [personnel_units(d), *personnel_breakdowns(d)],
        "solicitudes": [requests_units(d), requests_age(d), requests_oldest(d)],
        "mesa": [desk_units(d), desk_areas(d), desk_weeks(d)],
        "planillas": [
            payroll_status(d, figures_by_path),
            payroll_missing(d, figures_by_path),
            payroll_months(d, figures_by_path),
        ],
        "informes": [informes_units(d), access_units(d)],
        "tendencia": [trend(d)],
    }
