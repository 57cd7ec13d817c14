"""Build one payslip from its .rem lines and master row: computed amounts and totals.

What a .rem never carries is computed here: the ONP withholding (0607) for ONP
affiliates, on the income subject to ONP, and the employer's EsSalud (0804) on
the income subject to EsSalud, at the rates of the period (catalogue data).
MImponible is the income subject to the servant's pension regime.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ayni.payroll.rem import Concept, MasterRow

CENT = Decimal("0.01")
ONP = "0607"
ESSALUD = "0804"
WORKER_KINDS = {"APORTE_TRABAJADOR", "DESCUENTO"}
KIND_ORDER = {"INGRESO": 0, "APORTE_TRABAJADOR": 1, "DESCUENTO": 2, "APORTE_EMPLEADOR": 3}
DOC_LABELS = {"01": "DNI", "04": "C.E.", "07": "PASAPORTE"}


@dataclass(frozen=True)
class Totals:
    gross: Decimal
    deductions: Decimal
    net: Decimal
    taxable_base: Decimal
    employer_contributions: Decimal


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def build_payslip(
    master: MasterRow,
    amounts: list[tuple[str, Decimal]],
    concepts: dict[str, Concept],
    rates: dict[str, Decimal],
) -> tuple[list[dict[str, Any]], Totals]:
    lines: list[dict[str, Any]] = []
    for code, amount in sorted(amounts, key=lambda x: (KIND_ORDER[concepts[x[0]].kind], x[0])):
        concept = concepts[code]
        lines.append(
            {
                "code": code,
                "name": concept.name,
                "kind": concept.kind,
                "amount": str(_money(amount)),
                "computed": False,
            }
        )
    incomes = [(concepts[c], a) for c, a in amounts if concepts[c].kind == "INGRESO"]
    subject_onp = sum((a for c, a in incomes if c.subject_onp), Decimal(0))
    subject_afp = sum((a for c, a in incomes if c.subject_afp), Decimal(0))
    subject_essalud = sum((a for c, a in incomes if c.subject_essalud), Decimal(0))
    if master.pension_system == "ONP" and ONP in rates and ONP in concepts:
        lines.append(
            {
                "code": ONP,
                "name": concepts[ONP].name,
                "kind": "APORTE_TRABAJADOR",
                "amount": str(_money(subject_onp * rates[ONP])),
                "computed": True,
            }
        )
    if ESSALUD in rates and ESSALUD in concepts:
        lines.append(
            {
                "code": ESSALUD,
                "name": concepts[ESSALUD].name,
                "kind": "APORTE_EMPLEADOR",
                "amount": str(_money(subject_essalud * rates[ESSALUD])),
                "computed": True,
            }
        )
    gross = sum((Decimal(x["amount"]) for x in lines if x["kind"] == "INGRESO"), Decimal(0))
    deductions = sum((Decimal(x["amount"]) for x in lines if x["kind"] in WORKER_KINDS), Decimal(0))
    employer = sum(
        (Decimal(x["amount"]) for x in lines if x["kind"] == "APORTE_EMPLEADOR"), Decimal(0)
    )
    taxable = subject_afp if master.pension_system == "AFP" else subject_onp
    return lines, Totals(
        gross=_money(gross),
        deductions=_money(deductions),
        net=_money(gross - deductions),
        taxable_base=_money(taxable),
        employer_contributions=_money(employer),
    )


def header_snapshot(
    master: MasterRow, *, ugel_name: str, ruc: str, run_label: str, kind_label: str
) -> dict[str, Any]:
    """Everything the MINEDU payslip prints beyond the amounts (never written to the file)."""
    return {
        "ugel": ugel_name,
        "ruc": ruc,
        "planilla": run_label,
        "tipo_planilla": kind_label,
        "apellidos": " ".join(p for p in (master.paternal_surname, master.maternal_surname) if p),
        "nombres": master.given_names,
        "fecha_nacimiento": master.birth_date,
        "documento": f"{DOC_LABELS.get(master.doc_type, '')} {master.doc_number}",
        "establecimiento": master.school_name,
        "codigo_modular": master.school_code,
        "cargo": master.position,
        "tipo_servidor": master.servant_kind,
        "nivel_escala": master.level,
        "jornada_horas": master.weekly_hours,
        "regimen_laboral": master.labor_regime,
        "regimen_pensionario": master.pension_name,
        "sistema_pensiones": master.pension_system,
        "cuspp": master.cuspp,
        "fecha_afiliacion": master.affiliation_date,
        "cuenta_bancaria": master.bank_account,
        "leyenda_permanente": master.legend_permanent,
        "leyenda_mensual": master.legend_monthly,
        "fecha_ingreso": master.entry_date,
        "fecha_termino": master.end_date,
        "tiempo_servicio": master.service_time,
    }
