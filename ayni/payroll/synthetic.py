"""Synthetic published payslips for every servant, month after month, at sector scale
(benchmarks). One published run per UGEL and month; lines come from a few
precomputed templates (ONP, AFP, other), so only the header differs per payslip.
PostgreSQL: COPY; elsewhere bulk_create."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ayni.core.verification import new_code
from ayni.org.models import OrgUnit
from ayni.payroll.compute import build_payslip
from ayni.payroll.importer import COLUMNS, load_concepts, rates_for
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.rem import MasterRow
from ayni.personnel.models import Servant

AMOUNTS = {
    "ONP": [("2001", Decimal("2950.00")), ("2005", Decimal("120.00")), ("0702", Decimal("29.50"))],
    "AFP": [
        ("2001", Decimal("3400.00")),
        ("2005", Decimal("150.00")),
        ("0608", Decimal("355.00")),
        ("0606", Decimal("48.63")),
    ],
    "OTRO": [("2001", Decimal("2700.00")), ("0702", Decimal("27.00"))],
}


def _templates(year: int, month: int) -> dict[str, tuple[str, Any]]:
    concepts, rates = load_concepts(), rates_for(year, month)
    result = {}
    for system, amounts in AMOUNTS.items():
        row = MasterRow(*([""] * 24))
        row.pension_system = system
        lines, totals = build_payslip(row, amounts, concepts, rates)
        result[system] = (json.dumps(lines, ensure_ascii=False), totals)
    return result


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
                run, _ = PayrollRun.objects.get_or_create(
                    ugel=ugel,
                    year=year,
                    month=month,
                    kind=PayrollRun.Kind.ACTIVOS,
                    sequence=1,
                    defaults={
                        "payment_date": payment,
                        "state": PayrollRun.State.PUBLISHED,
                        "published_at": timezone.now(),
                        "ruc": "20131370998",
                    },
                )
                if run.payslip_count:
                    continue
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
                    rows.append(
                        (
                            uuid.uuid4(),
                            run.pk,
                            pk,
                            year,
                            month,
                            payment,
                            True,
                            header,
                            lines_json,
                            t.gross,
                            t.deductions,
                            t.net,
                            t.taxable_base,
                            t.employer_contributions,
                            new_code(),
                            "",
                            "",
                        )
                    )
                _write(rows)
                run.payslip_count = len(rows)
                run.save(update_fields=["payslip_count"])
            written += len(rows)
            if progress:
                progress(written, 0)
    return written


def _write(rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {Payslip._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    fields = [c.removesuffix("_id") for c in COLUMNS]
    objects = []
    for row in rows:
        data = dict(zip(fields, row, strict=True))
        data["header"], data["lines"] = json.loads(data["header"]), json.loads(data["lines"])
        data["run_id"], data["servant_id"] = data.pop("run"), data.pop("servant")
        objects.append(Payslip(**data))
    Payslip.objects.bulk_create(objects, batch_size=2000)
