"""«¿Cumplo los requisitos?»: each rule of the servant's regime answered from the file.

Each answer says whether it is reached (or the date it will be), the facts it used, the
rule and its source, what is missing in the file to be sure, and where to ask for the
correction (the change-request flow of ayni.personnel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ayni.benefits.models import Benefit, BenefitRule
from ayni.benefits.rules import (
    Facts,
    ats_amount,
    cessation_rule,
    cts_amount,
    cts_years,
    rule_on,
    service_at,
    years_reached_on,
)
from ayni.core.formats import soles
from ayni.personnel.models import Allowance, Servant
from ayni.personnel.service_time import add_months


class Status:
    REACHED = "reached"
    PENDING = "pending"
    NEVER = "never"
    UNKNOWN = "unknown"
    AVAILABLE = "available"


@dataclass
class Answer:
    benefit: str
    title: str
    status: str
    headline: str
    rule_text: str
    source: str
    day: date | None = None
    amount: Decimal | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)
    missing: list[tuple[str, ...]] = field(default_factory=list)  # (what, link[, label])
    can_request: bool = False


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def base_label(base: str) -> str:
    return {
        "rim": _("remuneración íntegra mensual (RIM)"),
        "remuneracion": _("remuneración mensual"),
        "remuneracion_total": _("remuneración total"),
    }.get(base, base)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def base_value(facts: Facts, base: str) -> Decimal | None:
    return facts.total_pay if base == "remuneracion_total" else facts.rim


def rules_for(regime_code: str) -> dict[str, list[BenefitRule]]:
    found: dict[str, list[BenefitRule]] = {}
    for rule in BenefitRule.objects.filter(regime_code=regime_code).order_by("valid_from"):
        found.setdefault(rule.benefit, []).append(rule)
    return found


def _link_entry() -> str:
    return reverse("personnel:request_add", args=["ingreso", "entry", "add"])


def _common_missing(facts: Facts, servant: Servant) -> list[tuple[str, ...]]:
    missing: list[tuple[str, ...]] = []
    if not facts.entries:
        missing.append(
            (
                _("Su legajo no registra periodos de servicio (sección III, Ingreso)."),
                _link_entry(),
            )
        )
    if any(end is None for _s, end in facts.discounts):
        missing.append(
            (
                _(
                    "Una licencia sin goce o sanción figura sin fecha de fin: se descuenta "
                    "hasta hoy."
                ),
                reverse("personnel:my_section", args=["licencias"]),
            )
        )
    if servant.is_retired and not facts.cessations:
        missing.append(
            (
                _("Figura como cesante, pero su legajo no registra la resolución de cese."),
                reverse("personnel:request_add", args=["retiro", "cessation", "add"]),
            )
        )
    open_requests = int(facts.extra.get("open_requests", 0))
    if open_requests:
        missing.append(
            (
                _(
                    "Tiene solicitudes de modificación en trámite; al atenderse, este "
                    "resultado puede cambiar."
                ),
                reverse("personnel:my_requests"),
                _("Ver sus solicitudes"),
            )
        )
    return missing


def _pay_missing(facts: Facts, base: str) -> list[tuple[str, ...]]:
    if base_value(facts, base) is None:
        return [
            (
                _(
                    "No hay boletas publicadas de las que tomar la %(base)s: el monto lo "
                    "calculará la UGEL."
                )
                % {"base": base_label(base)},
                reverse("payroll:my_payslips"),
                _("Ver sus boletas"),
            )
        ]
    return []


def _ats(
    benefit: str, rules: list[BenefitRule], facts: Facts, servant: Servant, today: date
) -> Answer:
    rule = rule_on(rules, today) or rules[-1]
    p = rule.params
    years = int(p["years"])
    counts_contract = bool(p.get("counts_contract", True))
    total = service_at(facts, today, counts_contract=counts_contract)
    day = years_reached_on(facts, years, today, counts_contract=counts_contract)
    if day is not None and day <= today:
        status = Status.REACHED
        headline = _("Cumplió %(years)d años de servicios el %(day)s.") % {
            "years": years,
            "day": dmy(day),
        }
    elif day is not None:
        status = Status.PENDING
        headline = _(
            "Cumplirá %(years)d años de servicios el %(day)s, si sigue en servicio sin "
            "licencias sin goce."
        ) % {"years": years, "day": dmy(day)}
    elif facts.entries:
        status = Status.NEVER
        headline = _("Su tiempo de servicios no alcanza %(years)d años.") % {"years": years}
    else:
        status = Status.UNKNOWN
        headline = _("No se puede calcular: su legajo no registra periodos de servicio.")
    base = str(p.get("base", "rim"))
    value = base_value(facts, base)
    amount = ats_amount(value, p) if value is not None else None
    facts_shown = [
        (_("Tiempo de servicios a hoy"), str(total)),
        (
            _("Servicios que se cuentan"),
            _("como nombrado y como contratado") if counts_contract else _("solo como nombrado"),
        ),
    ]
    if value is not None:
        facts_shown.append(
            (
                _upper_first(base_label(base)),
                _("%(amount)s (boleta de %(period)s)")
                % {"amount": soles(value), "period": facts.pay_period},
            )
        )
    if amount is not None:
        facts_shown.append((_("Monto preliminar"), soles(amount)))
    granted = Allowance.objects.filter(servant=servant, action=benefit).first()
    if granted is not None:
        facts_shown.append(
            (_("Registrada en su legajo"), f"{granted.resolution_label} ({dmy(granted.date_from)})")
        )
    return Answer(
        benefit=benefit,
        title=str(Benefit(benefit).label),
        status=status,
        headline=headline,
        rule_text=_(
            "Al cumplir %(years)d años de servicios: %(multiplier)s veces la %(base)s, por "
            "única vez."
        )
        % {"years": years, "multiplier": p["multiplier"], "base": base_label(base)},
        source=rule.source,
        day=day,
        amount=amount,
        facts=facts_shown,
        missing=_common_missing(facts, servant) + _pay_missing(facts, base),
        can_request=status == Status.REACHED and granted is None,
    )


def _cts(rules: list[BenefitRule], facts: Facts, servant: Servant, today: date) -> Answer:
    end = max(facts.cessations) if facts.cessations and servant.is_retired else today
    rule = rule_on(rules, end) or rules[-1]
    p = rule.params
    total = service_at(facts, end)
    years = cts_years(total, p)
    base = str(p.get("base", "rim"))
    value = base_value(facts, base)
    amount = cts_amount(years, value, p) if value is not None else None
    if servant.is_retired:
        status = Status.REACHED
        headline = _("Al cese: %(n)d años computables.") % {"n": years}
    else:
        status = Status.PENDING
        headline = _("Si cesara hoy: %(n)d años computables.") % {"n": years}
    cap = p.get("max_years")
    rule_text = _(
        "Al cese: %(percent)s %% de la %(base)s por año o fracción mayor de %(months)d meses "
        "de servicios oficiales."
    ) % {"percent": p["percent"], "base": base_label(base), "months": p.get("fraction_months", 6)}
    if cap:
        rule_text += " " + _("Como máximo %(n)d años.") % {"n": cap}
    facts_shown = [(_("Tiempo de servicios"), str(total)), (_("Años computables"), str(years))]
    if value is not None:
        facts_shown.append(
            (
                _upper_first(base_label(base)),
                _("%(amount)s (boleta de %(period)s)")
                % {"amount": soles(value), "period": facts.pay_period},
            )
        )
    if amount is not None:
        facts_shown.append((_("Monto preliminar"), soles(amount)))
    return Answer(
        benefit=Benefit.CTS,
        title=str(Benefit.CTS.label),
        status=status,
        headline=headline,
        rule_text=rule_text,
        source=rule.source,
        amount=amount,
        facts=facts_shown,
        missing=_common_missing(facts, servant) + _pay_missing(facts, base),
        can_request=servant.is_retired,
    )


def _cessation(rules: list[BenefitRule], facts: Facts, servant: Servant, today: date) -> Answer:
    title = str(Benefit.CESE_EDAD.label)
    if facts.birth_date is None:
        rule = rules[-1]
        return Answer(
            benefit=Benefit.CESE_EDAD,
            title=title,
            status=Status.UNKNOWN,
            headline=_("No se puede calcular: su legajo no registra su fecha de nacimiento."),
            rule_text=_cessation_text(rule.params),
            source=rule.source,
            missing=[
                (
                    _("Falta su fecha de nacimiento."),
                    reverse("personnel:request_add", args=["otros", "other", "add"]),
                )
            ],
        )
    found = cessation_rule(rules, facts.birth_date)
    assert found is not None
    rule, day = found
    if day < today:
        headline = _("La fecha de cese por límite de edad fue el %(day)s.") % {"day": dmy(day)}
        status = Status.REACHED
    else:
        headline = _("Cesará por límite de edad el %(day)s.") % {"day": dmy(day)}
        status = Status.PENDING
    return Answer(
        benefit=Benefit.CESE_EDAD,
        title=title,
        status=status,
        headline=headline,
        rule_text=_cessation_text(rule.params),
        source=rule.source,
        day=day,
        facts=[(_("Fecha de nacimiento"), dmy(facts.birth_date))],
        missing=[],
    )


def _cessation_text(params: dict[str, Any]) -> str:
    if params.get("on") == "dec31":
        return _(
            "Cese por límite de edad el 31 de diciembre del año en que cumple %(age)d años."
        ) % {"age": params["age"]}
    return _("Cese por límite de edad al cumplir %(age)d años.") % {"age": params["age"]}


def luto_text(amount: str) -> str:
    return _(
        "Subsidio de %(amount)s por el fallecimiento del cónyuge o conviviente reconocido "
        "judicialmente, de los padres o de los hijos. Si fallece el servidor, lo reciben su "
        "cónyuge, hijos, padres o hermanos, en ese orden."
    ) % {"amount": soles(amount)}


def _luto(rules: list[BenefitRule], today: date) -> Answer:
    rule = rule_on(rules, today) or rules[-1]
    amount = Decimal(str(rule.params["amount"]))
    return Answer(
        benefit=Benefit.LUTO,
        title=str(Benefit.LUTO.label),
        status=Status.AVAILABLE,
        headline=_("Puede pedirlo cuando ocurra el fallecimiento: %(amount)s.")
        % {"amount": soles(amount)},
        rule_text=luto_text(str(amount)),
        source=rule.source,
        amount=amount,
        facts=[(_("Documentos"), _("Acta de defunción y documento que acredite el parentesco"))],
        can_request=True,
    )


def evaluate(servant: Servant, facts: Facts, today: date) -> list[Answer]:
    rules = rules_for(facts.regime_code)
    answers: list[Answer] = []
    for benefit in (Benefit.ATS25, Benefit.ATS30):
        if rules.get(benefit):
            answers.append(_ats(benefit, rules[benefit], facts, servant, today))
    if rules.get(Benefit.CTS):
        answers.append(_cts(rules[Benefit.CTS], facts, servant, today))
    if rules.get(Benefit.CESE_EDAD):
        answers.append(_cessation(rules[Benefit.CESE_EDAD], facts, servant, today))
    if rules.get(Benefit.LUTO):
        answers.append(_luto(rules[Benefit.LUTO], today))
    return answers


def cessation_alert_day(day: date) -> date:
    """A year before the cessation date: when the alert goes."""
    return add_months(day, -12)
