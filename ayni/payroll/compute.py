"""Build one payslip from its .rem lines and master row: computed amounts and totals.

What a .rem never carries is computed here, at the rates of the period (catalogue
data, `ContributionRate`):

- a servant's payslip: the ONP withholding (0607) for ONP affiliates, on the income
  subject to ONP, and the employer's EsSalud (0804) on the income subject to EsSalud.
  MImponible is the income subject to the servant's pension regime.
- a pensioner's payslip (a «cesantes» run): the pensioner's own EsSalud (0610, Ley
  26790 art. 6), withheld from the pension lines subject to EsSalud; no employer
  EsSalud, no ONP (a pensioner no longer contributes to a pension system).
  MImponible is that base.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ayni.core.formats import document
from ayni.payroll.rem import Concept, MasterRow

ONE = Decimal(1)
ONP = "0607"
ESSALUD = "0804"
ESSALUD_PENSIONER = "0610"
WORKER_KINDS = {"APORTE_TRABAJADOR", "DESCUENTO"}
KIND_ORDER = {"INGRESO": 0, "APORTE_TRABAJADOR": 1, "DESCUENTO": 2, "APORTE_EMPLEADOR": 3}


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


LARGE = 10**15  # cents below which a float division formats exactly


def money(cents: int) -> str:
    """123450 → "1234.50"; -5 → "-0.05" (a net can be negative)."""
    if -LARGE < cents < LARGE:
        # the nearest float to cents / 100 is off by far less than half a cent
        return f"{cents / 100:.2f}"
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

    def __init__(
        self, concepts: dict[str, Concept], rates: dict[str, Decimal], *, pensioners: bool = False
    ) -> None:
        self._lines = {code: self._line(c, computed=False) for code, c in concepts.items()}
        self._order = {code: line.order for code, line in self._lines.items()}.__getitem__
        self._pensioners = pensioners
        # the computed lines, each with its rate; None when the period has no rate
        self._onp: tuple[_Line, Decimal] | None
        self._essalud: tuple[_Line, Decimal] | None
        self._pensioner: tuple[_Line, Decimal] | None
        if pensioners:
            self._onp = None
            self._essalud = None
            self._pensioner = self._computed(
                concepts, rates, ESSALUD_PENSIONER, "APORTE_TRABAJADOR"
            )
        else:
            self._onp = self._computed(concepts, rates, ONP, "APORTE_TRABAJADOR")
            self._essalud = self._computed(concepts, rates, ESSALUD, "APORTE_EMPLEADOR")
            self._pensioner = None

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
        if self._pensioner is not None:
            pensioner_line, rate = self._pensioner
            withheld = _round_cents(essalud, rate)
            entries.append((pensioner_line, withheld))
            deductions += withheld
        text = "[" + ", ".join(f'{line.prefix}{money(value)}"}}' for line, value in entries) + "]"
        # MImponible: a pensioner's EsSalud base, else the pension regime's base
        taxable = essalud if self._pensioners else afp if pension_system == "AFP" else onp
        return text, CentTotals(gross, deductions, gross - deductions, taxable, employer)


def build_payslip(
    master: MasterRow,
    amounts: list[tuple[str, Decimal]],
    concepts: dict[str, Concept],
    rates: dict[str, Decimal],
    *,
    pensioners: bool = False,
) -> tuple[list[dict[str, Any]], Totals]:
    """One payslip as data (demo generators, benchmarks); the importer uses the builder."""
    in_cents = {
        code: int((amount * 100).to_integral_value(ROUND_HALF_UP)) for code, amount in amounts
    }
    builder = PayslipBuilder(concepts, rates, pensioners=pensioners)
    text, totals = builder.build(master.pension_system, in_cents)
    return json.loads(text), totals.as_decimal()


def header_snapshot(
    master: MasterRow,
    *,
    ugel_name: str,
    ruc: str,
    run_label: str,
    kind_label: str,
    service_time: str = "",
    document_label: str | None = None,
) -> dict[str, Any]:
    """Everything the MINEDU payslip prints beyond the amounts (never written to the file).
    `service_time`: the one computed from the servant's file, printed when the master
    leaves «tiempo_servicio» empty (and then marked as coming from the file).
    `document_label`: «DNI» for the row's document type, when the caller knows it
    (the importer looks each type's name up once per run, not once per payslip)."""
    from_file = not master.service_time and bool(service_time)
    return {
        "ugel": ugel_name,
        "ruc": ruc,
        "planilla": run_label,
        "tipo_planilla": kind_label,
        "apellidos": " ".join(p for p in (master.paternal_surname, master.maternal_surname) if p),
        "nombres": master.given_names,
        "fecha_nacimiento": master.birth_date,
        "documento": (
            document(master.doc_type, master.doc_number)
            if document_label is None
            else f"{document_label} {master.doc_number}".lstrip()
        ),
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
        "tiempo_servicio": master.service_time or service_time,
        "tiempo_servicio_legajo": from_file,
    }
