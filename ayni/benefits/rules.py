"""The benefit rules as pure functions over the facts of a file (no database).

Service time is the file's own computation (ayni.personnel.service_time), evaluated at
any day: the date a threshold is (or will be) reached is the first day on which the
service counted up to and including that day reaches it (a binary search over days:
service never decreases as the day moves on). Future dates assume the service that is
open today goes on without unpaid leave.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ayni.personnel.service_time import Period, ServiceTime, add_months, service_time

CENT = Decimal("0.01")
HORIZON_YEARS = 60


@dataclass(frozen=True)
class ServicePeriod:
    start: date
    end: date | None  # None: open (still serving)
    action: str = "nombramiento"  # nombramiento, contrato, reingreso


@dataclass(frozen=True)
class Facts:
    """What the rules read from a file (built by ayni.benefits.facts)."""

    entries: tuple[ServicePeriod, ...] = ()
    cessations: tuple[date, ...] = ()
    discounts: tuple[tuple[date, date | None], ...] = ()  # None end: open (to the day)
    birth_date: date | None = None
    regime_code: str = ""
    active: bool = True
    rim: Decimal | None = None  # the remuneration concept (2001) of the latest payslip
    total_pay: Decimal | None = None  # the latest payslip's gross
    pay_period: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def service_at(facts: Facts, day: date, *, counts_contract: bool = True) -> ServiceTime:
    """Tiempo de servicios counted up to and including `day`, as the file computes it
    (ayni.personnel.file_selectors.compute_service_time with today=day)."""
    cessations = sorted(facts.cessations)
    periods: list[Period] = []
    for entry in facts.entries:
        if not counts_contract and entry.action == "contrato":
            continue
        stop = entry.end
        later = [c for c in cessations if c >= entry.start]
        if later and (stop is None or later[0] < stop):
            stop = later[0]
        stop = min(stop or day, day)
        if stop >= entry.start:
            periods.append(Period(entry.start, stop))
    discounts = [
        Period(start, max(start, end if end is not None else day))
        for start, end in facts.discounts
        if start <= day
    ]
    return service_time(periods, discounts)


def _first_day(facts: Facts, years: int, low: date, high: date, counts_contract: bool) -> date:
    """The first day in (low, high] with `years` reached; reached at `high`, not at `low`."""
    while (high - low).days > 1:
        mid = low + timedelta(days=(high - low).days // 2)
        if service_at(facts, mid, counts_contract=counts_contract).years >= years:
            high = mid
        else:
            low = mid
    return high


def years_reached_on(
    facts: Facts, years: int, today: date, *, counts_contract: bool = True
) -> date | None:
    """The day the service reaches `years` (past or future), or None if it never will
    on the file as it stands (no open service, or not enough of it)."""
    starts = [e.start for e in facts.entries]
    if not starts:
        return None
    first = min(starts) - timedelta(days=1)
    if service_at(facts, today, counts_contract=counts_contract).years >= years:
        return _first_day(facts, years, first, today, counts_contract)
    horizon = add_months(today, 12 * HORIZON_YEARS)
    if service_at(facts, horizon, counts_contract=counts_contract).years < years:
        return None
    return _first_day(facts, years, today, horizon, counts_contract)


def cessation_by_age(birth: date, params: dict[str, Any]) -> date:
    """The last day of service by age: the birthday itself, or 31 December of that year."""
    age = int(params["age"])
    if params.get("on") == "dec31":
        return date(birth.year + age, 12, 31)
    return add_months(birth, 12 * age)


def cts_years(total: ServiceTime, params: dict[str, Any]) -> int:
    """Years counted for CTS: whole years, plus one for a fraction over `fraction_months`
    months (six months and one day counts; six months exactly does not), capped."""
    fraction = int(params.get("fraction_months", 6))
    years = total.years
    if total.months > fraction or (total.months == fraction and total.days > 0):
        years += 1
    cap = params.get("max_years")
    return min(years, int(cap)) if cap else years


def cts_amount(years: int, base: Decimal, params: dict[str, Any]) -> Decimal:
    percent = Decimal(str(params["percent"]))
    return (base * percent / 100 * years).quantize(CENT, rounding=ROUND_HALF_UP)


def ats_amount(base: Decimal, params: dict[str, Any]) -> Decimal:
    return (base * Decimal(str(params["multiplier"]))).quantize(CENT, rounding=ROUND_HALF_UP)


class RuleLike:
    """What the engine needs of a rule row (BenefitRule or a test double)."""

    valid_from: date
    valid_to: date | None
    params: dict[str, Any]
    source: str


def in_force(rule: Any, day: date) -> bool:
    return bool(rule.valid_from <= day and (rule.valid_to is None or day <= rule.valid_to))


def rule_on(rules: Iterable[Any], day: date) -> Any | None:
    """The row in force on `day` (the latest start if rows overlap)."""
    found = [r for r in rules if in_force(r, day)]
    return max(found, key=lambda r: r.valid_from) if found else None


def cessation_rule(rules: Sequence[Any], birth: date) -> tuple[Any, date] | None:
    """The cessation rule that governs this servant: the one in force on the day it
    sets (a teacher who turned 65 before Ley 31451 ceased on the birthday; after it,
    on 31 December). Falls back to the newest row."""
    ordered = sorted(rules, key=lambda r: r.valid_from)
    for rule in ordered:
        day = cessation_by_age(birth, rule.params)
        if in_force(rule, day):
            return rule, day
    if not ordered:
        return None
    return ordered[-1], cessation_by_age(birth, ordered[-1].params)
