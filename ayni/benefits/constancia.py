"""The constancia de pagos: months of published payslips as a snapshot, a PDF and an XLSX.

The snapshot is built month by month (progress for the page), from payslips of runs
still published (an annulled run is not a payment) whose payment day has come.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from ayni.core.errors import UserError
from ayni.core.formats import document, soles
from ayni.org.models import PayrollConcept
from ayni.payroll.models import MONTHS, PayrollRun, Payslip
from ayni.personnel.models import Servant

PDF_DIR = Path(__file__).resolve().parent / "pdf"
MAX_MONTHS = 600  # fifty years: more than any career
EARLIEST = date(1950, 1, 1)
DEDUCTION_KINDS = {"APORTE_TRABAJADOR", "DESCUENTO"}
KIND_LABELS = dict(PayrollConcept.Kind.choices)


@dataclass(frozen=True)
class MonthRange:
    first: date  # day 1 of the first month
    last: date  # day 1 of the last month

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def each(self) -> list[date]:
        index = self.first.year * 12 + self.first.month - 1
        return [date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(self.months)]

    @property
    def label(self) -> str:
        return f"{month_label(self.first)} – {month_label(self.last)}"


def month_label(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def parse_month(raw: str) -> date:
    """«2025-03» (the browser's month input) → 1 March 2025; anything else refused."""
    text = (raw or "").strip()
    parts = text.split("-")
    if (
        len(parts) != 2
        or len(parts[0]) != 4
        or len(parts[1]) != 2
        or not (parts[0].isdigit() and parts[1].isdigit())
        or not 1 <= int(parts[1]) <= 12
    ):
        raise UserError(_("Escriba el mes como AAAA-MM, por ejemplo 2025-03."))
    return date(int(parts[0]), int(parts[1]), 1)


def month_range(first_raw: str, last_raw: str, today: date) -> MonthRange:
    first, last = parse_month(first_raw), parse_month(last_raw)
    if first > last:
        raise UserError(_("El mes inicial es posterior al mes final."))
    if last > date(today.year, today.month, 1):
        raise UserError(_("El mes final no puede ser posterior al mes en curso."))
    if first < EARLIEST:
        raise UserError(_("Ayni no tiene pagos anteriores a 1950."))
    span = MonthRange(first, last)
    if span.months > MAX_MONTHS:
        raise UserError(
            _("Elija como máximo %(n)d meses (50 años) por constancia.") % {"n": MAX_MONTHS}
        )
    return span


def paid_payslips(servant: Servant, span: MonthRange, today: date) -> Any:
    return (
        Payslip.objects.filter(
            servant=servant,
            published=True,
            payment_date__lte=today,
            run__state=PayrollRun.State.PUBLISHED,
            year__gte=span.first.year,
            year__lte=span.last.year,
        )
        .select_related("run")
        .order_by("year", "month", "run__sequence", "payment_date", "id")
    )


def _paid_month(servant: Servant, today: date, *, latest: bool) -> date | None:
    order = ("-year", "-month") if latest else ("year", "month")
    row = (
        Payslip.objects.filter(
            servant=servant,
            published=True,
            payment_date__lte=today,
            run__state=PayrollRun.State.PUBLISHED,
        )
        .order_by(*order)
        .values_list("year", "month")
        .first()
    )
    return date(row[0], row[1], 1) if row else None


def first_paid_month(servant: Servant, today: date) -> date | None:
    return _paid_month(servant, today, latest=False)


def last_paid_month(servant: Servant, today: date) -> date | None:
    return _paid_month(servant, today, latest=True)


def _in_span(p: Payslip, span: MonthRange) -> bool:
    return span.first <= date(p.year, p.month, 1) <= span.last


def has_payments(servant: Servant, span: MonthRange, today: date) -> bool:
    months = paid_payslips(servant, span, today).values_list("year", "month")
    return any(span.first <= date(y, m, 1) <= span.last for y, m in months)


def _payroll_label(run: PayrollRun) -> str:
    label = str(run.get_kind_display())
    if run.is_additional:
        label += " · " + _("adicional N.° %(n)d") % {"n": run.sequence}
    return label


def build_snapshot(
    servant: Servant,
    span: MonthRange,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Rows per payslip, totals, per-concept totals and the months without payment.
    `progress(months_done)` is called after each year of the range."""
    rows: list[dict[str, Any]] = []
    raw_rows: list[dict[str, Any]] = []
    concepts: dict[str, dict[str, Any]] = {}
    paid_months: set[date] = set()
    income = deductions = net = Decimal("0")
    done = 0
    for year in range(span.first.year, span.last.year + 1):
        year_span = MonthRange(max(span.first, date(year, 1, 1)), min(span.last, date(year, 12, 1)))
        for p in paid_payslips(servant, year_span, today).filter(year=year):
            if not _in_span(p, year_span):
                continue
            month = date(p.year, p.month, 1)
            paid_months.add(month)
            payroll = _payroll_label(p.run)
            rows.append(
                {
                    "period": month_label(month),
                    "payroll": payroll,
                    "income": soles(p.gross),
                    "deductions": soles(p.deductions),
                    "net": soles(p.net),
                }
            )
            raw_rows.append(
                {
                    "year": p.year,
                    "month": p.month,
                    "payroll": payroll,
                    "income": str(p.gross),
                    "deductions": str(p.deductions),
                    "net": str(p.net),
                }
            )
            income += p.gross
            deductions += p.deductions
            net += p.net
            for line in p.lines or []:
                kind = line.get("kind", "")
                if kind != "INGRESO" and kind not in DEDUCTION_KINDS:
                    continue
                entry = concepts.setdefault(
                    line["code"],
                    {"code": line["code"], "name": line.get("name", ""), "kind": kind, "sum": 0},
                )
                entry["sum"] += Decimal(str(line.get("amount") or "0"))
        done += year_span.months
        if progress is not None:
            progress(done)
    ordered = sorted(concepts.values(), key=lambda c: (c["kind"] != "INGRESO", c["code"]))
    return {
        "holder": servant.full_name,
        "document": document(servant.doc_type, servant.doc_number),
        "regime": servant.labor_regime.name if servant.labor_regime else "",
        "range": span.label,
        "first": span.first.isoformat(),
        "last": span.last.isoformat(),
        "rows": rows,
        "raw_rows": raw_rows,
        "totals": {"income": soles(income), "deductions": soles(deductions), "net": soles(net)},
        "raw_totals": {"income": str(income), "deductions": str(deductions), "net": str(net)},
        "concepts": [
            {
                "code": c["code"],
                "name": c["name"],
                "kind": str(KIND_LABELS.get(c["kind"], c["kind"])),
                "amount": soles(c["sum"]),
                "raw": str(c["sum"]),
            }
            for c in ordered
        ],
        "empty_months": [month_label(m) for m in span.each() if m not in paid_months],
        "paid_months": len(paid_months),
    }


def render_constancia_pdf(
    snapshot: dict[str, Any], *, issuer: str, code: str, issued_on: str, at: datetime
) -> bytes:
    from ayni.core.pdf import render_pdf
    from ayni.core.verification import format_code

    return render_pdf(
        PDF_DIR / "constancia_pagos.typ",
        {
            "issuer": issuer,
            "code": format_code(code),
            "issued_on": issued_on,
            "verify_url": f"{settings.SITE_URL}/verificar/",
            "snapshot": snapshot,
        },
        timestamp=at,
        qr_payload=f"{settings.SITE_URL}/verificar/?c={code}",
    )


def constancia_xlsx(snapshot: dict[str, Any], *, code: str, issuer: str, at: datetime) -> bytes:
    """The same figures as the PDF, as numbers (two sheets: months, concepts)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ayni.core.verification import format_code

    money = "#,##0.00"
    wb = Workbook()
    wb.properties.creator = "Ayni"
    wb.properties.created = at.replace(tzinfo=None)
    wb.properties.modified = at.replace(tzinfo=None)
    ws = wb.active
    assert ws is not None
    ws.title = _("Meses")
    bold = Font(bold=True)
    head = [
        (_("Constancia de pagos"), issuer),
        (_("Apellidos y nombres"), snapshot["holder"]),
        (_("Documento"), snapshot["document"]),
        (_("Periodo"), snapshot["range"]),
        (_("Código de verificación"), format_code(code)),
    ]
    for label, value in head:
        ws.append([label, value])
        ws.cell(row=ws.max_row, column=1).font = bold
    ws.append([])
    ws.append([_("Año"), _("Mes"), _("Planilla"), _("Ingresos"), _("Descuentos"), _("Neto")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for r in snapshot["raw_rows"]:
        ws.append(
            [
                r["year"],
                r["month"],
                r["payroll"],
                Decimal(r["income"]),
                Decimal(r["deductions"]),
                Decimal(r["net"]),
            ]
        )
        for col in (4, 5, 6):
            ws.cell(row=ws.max_row, column=col).number_format = money
    t = snapshot["raw_totals"]
    ws.append(
        [_("Total"), None, None, Decimal(t["income"]), Decimal(t["deductions"]), Decimal(t["net"])]
    )
    for col in (4, 5, 6):
        ws.cell(row=ws.max_row, column=col).number_format = money
        ws.cell(row=ws.max_row, column=col).font = bold
    ws.cell(row=ws.max_row, column=1).font = bold
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["C"].width = 30
    for letter in "DEF":
        ws.column_dimensions[letter].width = 14
    sheet = wb.create_sheet(_("Conceptos"))
    sheet.append([_("Código"), _("Concepto"), _("Tipo"), _("Monto")])
    for cell in sheet[1]:
        cell.font = bold
    for c in snapshot["concepts"]:
        sheet.append([c["code"], c["name"], c["kind"], Decimal(c["raw"])])
        sheet.cell(row=sheet.max_row, column=4).number_format = money
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 22
    sheet.column_dimensions["D"].width = 14
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
