"""Build one payslip from its .rem lines and master row: computed amounts and totals.

What a .rem never carries is computed here: the ONP withholding (0607) for ONP
affiliates, on the income subject to ONP, and the employer's EsSalud (0804) on
the income subject to EsSalud, at the rates of the period (catalogue data).
MImponible is the income subject to the servant's pension regime.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ayni.payroll.rem import Concept, MasterRow

ONE = Decimal(1)
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


@dataclass(frozen=True)
class CentTotals:
    """The payslip's totals in cents: integers add exactly and fast."""

    gross: int
    deductions: int
    net: int
    taxable_base: int
    employer_contributions: int

    def values(self) -> tuple[int, int, int, int, int]:
        return (
            self.gross,
            self.deductions,
            self.net,
            self.taxable_base,
            self.employer_contributions,
        )

    def as_decimal(self) -> Totals:
        return Totals(*(Decimal(v).scaleb(-2) for v in self.values()))


def money(cents: int) -> str:
    """123450 → "1234.50"; -5 → "-0.05" (a net can be negative)."""
    if cents < 0:
        return "-" + money(-cents)
    return f"{cents // 100}.{cents % 100:02d}"


def _round_cents(cents: int, rate: Decimal) -> int:
    return int((cents * rate).quantize(ONE, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class _Line:
    order: tuple[int, str]
    kind: str
    prefix: str  # the line's JSON up to its amount
    subject_onp: bool
    subject_afp: bool
    subject_essalud: bool


class PayslipBuilder:
    """Lines (as JSON text) and totals of one run's payslips, from amounts in cents.

    Built once per run: each concept's JSON is serialised here once, so a payslip costs
    a sort, a few integer sums and a string join.
    """

    def __init__(self, concepts: dict[str, Concept], rates: dict[str, Decimal]) -> None:
        self._lines = {code: self._line(c, computed=False) for code, c in concepts.items()}
        self._order = {code: line.order for code, line in self._lines.items()}.__getitem__
        # the computed lines, each with its rate; None when the period has no rate
        self._onp = self._computed(concepts, rates, ONP, "APORTE_TRABAJADOR")
        self._essalud = self._computed(concepts, rates, ESSALUD, "APORTE_EMPLEADOR")

    @classmethod
    def _computed(
        cls, concepts: dict[str, Concept], rates: dict[str, Decimal], code: str, kind: str
    ) -> tuple[_Line, Decimal] | None:
        if code not in concepts or code not in rates:
            return None
        return cls._line(concepts[code], computed=True, kind=kind), rates[code]

    @staticmethod
    def _line(concept: Concept, *, computed: bool, kind: str = "") -> _Line:
        kind = kind or concept.kind
        head = json.dumps(
            {"code": concept.code, "name": concept.name, "kind": kind}, ensure_ascii=False
        )
        return _Line(
            order=(KIND_ORDER.get(kind, len(KIND_ORDER)), concept.code),
            kind=kind,
            prefix=head[:-1]
            + ', "computed": '
            + ("true" if computed else "false")
            + ', "amount": "',
            subject_onp=concept.subject_onp,
            subject_afp=concept.subject_afp,
            subject_essalud=concept.subject_essalud,
        )

    def build(self, pension_system: str, amounts: dict[str, int]) -> tuple[str, CentTotals]:
        """`amounts`: concept code → cents, as the .rem declares them."""
        spec = self._lines
        entries = [(spec[code], amounts[code]) for code in sorted(amounts, key=self._order)]
        gross = deductions = employer = onp = afp = essalud = 0
        for line, value in entries:
            if line.kind == "INGRESO":
                gross += value
                if line.subject_onp:
                    onp += value
                if line.subject_afp:
                    afp += value
                if line.subject_essalud:
                    essalud += value
            elif line.kind in WORKER_KINDS:
                deductions += value
            elif line.kind == "APORTE_EMPLEADOR":
                employer += value
        if pension_system == "ONP" and self._onp is not None:
            onp_line, rate = self._onp
            withheld = _round_cents(onp, rate)
            entries.append((onp_line, withheld))
            deductions += withheld
        if self._essalud is not None:
            essalud_line, rate = self._essalud
            contribution = _round_cents(essalud, rate)
            entries.append((essalud_line, contribution))
            employer += contribution
        text = "[" + ", ".join(f'{line.prefix}{money(value)}"}}' for line, value in entries) + "]"
        taxable = afp if pension_system == "AFP" else onp
        return text, CentTotals(gross, deductions, gross - deductions, taxable, employer)


def build_payslip(
    master: MasterRow,
    amounts: list[tuple[str, Decimal]],
    concepts: dict[str, Concept],
    rates: dict[str, Decimal],
) -> tuple[list[dict[str, Any]], Totals]:
    """One payslip as data (demo generators, benchmarks); the importer uses the builder."""
    in_cents = {
        code: int((amount * 100).to_integral_value(ROUND_HALF_UP)) for code, amount in amounts
    }
    text, totals = PayslipBuilder(concepts, rates).build(master.pension_system, in_cents)
    return json.loads(text), totals.as_decimal()


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
