"""Synthetic published payslips for every servant, month after month, at sector scale
(benchmarks). One published run per UGEL and month; lines come from a few
precomputed templates (ONP, AFP, other), so only the header differs per payslip.
PostgreSQL: COPY; elsewhere bulk_create."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from ayni.core.verification import new_code
from ayni.org.models import OrgUnit
from ayni.payroll.compute import CentTotals, PayslipBuilder
from ayni.payroll.importer import load_concepts, rates_for
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.rem import cents
from ayni.payroll.writer import payslip_row, write_payslips
from ayni.personnel.models import Servant

AMOUNTS = {
    "ONP": [("2001", "2950.00"), ("2005", "120.00"), ("0702", "29.50")],
    "AFP": [
        ("2001", "3400.00"),
        ("2005", "150.00"),
        ("0608", "355.00"),
        ("0606", "48.63"),
    ],
    "OTRO": [("2001", "2700.00"), ("0702", "27.00")],
}


def _templates(year: int, month: int) -> dict[str, tuple[str, CentTotals]]:
    builder = PayslipBuilder(load_concepts(), rates_for(year, month))
    return {
        system: builder.build(system, {code: cents(amount) for code, amount in amounts})
        for system, amounts in AMOUNTS.items()
    }


def generate_payslips(months: int, *, progress: Callable[[int, int], None] | None = None) -> int:
    """`months` published months (ending last month) for every servant; returns payslips."""
    today = timezone.localdate()
    ugels = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.UGEL).order_by("code"))
    written = 0
    for back in range(months, 0, -1):
        index = today.year * 12 + today.month - 1 - back
        year, month = index // 12, index % 12 + 1
        templates = _templates(year, month)
        payment = date(year, month, 20)
        for ugel in ugels:
            servants = list(
                Servant.objects.filter(employing_unit=ugel)
                .order_by()
                .values_list(
                    "pk",
                    "doc_number",
                    "paternal_surname",
                    "maternal_surname",
                    "given_names",
                    "position",
                    "pension_regime__system",
                )
            )
            if not servants:
                continue
            with transaction.atomic():
                live = list(
                    PayrollRun.objects.filter(
                        ugel=ugel, year=year, month=month, kind=PayrollRun.Kind.ACTIVOS
                    ).exclude(state=PayrollRun.State.SUPERSEDED)
                )
                run = next((r for r in live if not r.rem_name), None)  # the generator's own
                if run is not None and run.payslip_count:
                    continue
                if live:
                    # a UGEL whose month was loaded from files (the demo's): its servants
                    # keep those payslips; the others get theirs in the generator's run
                    paid = set(
                        Payslip.objects.filter(run__in=live).values_list("servant_id", flat=True)
                    )
                    servants = [s for s in servants if s[0] not in paid]
                    if not servants:
                        continue
                if run is None:
                    run = PayrollRun.objects.create(
                        ugel=ugel,
                        year=year,
                        month=month,
                        kind=PayrollRun.Kind.ACTIVOS,
                        sequence=max((r.sequence for r in live), default=0) + 1,
                        payment_date=payment,
                        state=PayrollRun.State.PUBLISHED,
                        published_at=timezone.now(),
                        ruc="20131370998",
                    )
                rows = []
                for pk, doc, paternal, maternal, names, position, system in servants:
                    lines_json, t = templates.get(system or "OTRO", templates["OTRO"])
                    header = json.dumps(
                        {
                            "ugel": ugel.name,
                            "ruc": run.ruc,
                            "planilla": f"Activos {run.period_label}",
                            "tipo_planilla": "Activos",
                            "apellidos": f"{paternal} {maternal}",
                            "nombres": names,
                            "documento": f"DNI {doc}",
                            "cargo": position,
                            "sistema_pensiones": system or "",
                        },
                        ensure_ascii=False,
                    )
                    rows.append((pk, payslip_row(header, lines_json, t, new_code())))
                write_payslips(run, rows, published=True)
                run.payslip_count = len(rows)
                run.save(update_fields=["payslip_count"])
            written += len(rows)
            if progress:
                progress(written, 0)
    return written
