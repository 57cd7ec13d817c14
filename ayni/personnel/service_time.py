"""Tiempo de servicios: a pure function over periods (DOMAIN.md, default rules).

1. Service periods, each from its first to its last day inclusive.
2. Overlapping and back-to-back periods merge: simultaneous posts never count twice.
3. Discounted periods (unpaid leave, suspensions, temporary cessation) are removed
   where they overlap the merged service; elsewhere they change nothing.
4. Each remaining stretch from a to b counts the calendar difference from a to the
   day after b in years, months and days (1 March to 31 December: 10 months).
   Stretches add up; 30 days carry into a month and 12 months into a year.

Which leave and sanctions are discounted is configuration (settings.SERVICE_TIME).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import ngettext

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start} > {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class ServiceTime:
    years: int
    months: int
    days: int
    stretches: tuple[Period, ...]
    discounted: tuple[Period, ...]

    def __str__(self) -> str:
        years = ngettext("%(n)d año", "%(n)d años", self.years) % {"n": self.years}
        months = ngettext("%(n)d mes", "%(n)d meses", self.months) % {"n": self.months}
        days = ngettext("%(n)d día", "%(n)d días", self.days) % {"n": self.days}
        return f"{years} {months} {days}"

    def reached(self, years: int) -> bool:
        return self.years >= years

    @property
    def counted_days(self) -> int:
        return sum(p.days for p in self.stretches)


def merge(periods: Iterable[Period]) -> list[Period]:
    """Merge overlapping and back-to-back periods."""
    merged: list[Period] = []
    for period in sorted(periods):
        if merged and period.start <= merged[-1].end + ONE_DAY:
            if period.end > merged[-1].end:
                merged[-1] = Period(merged[-1].start, period.end)
        else:
            merged.append(period)
    return merged


def subtract(
    service: list[Period], discounts: Iterable[Period]
) -> tuple[list[Period], list[Period]]:
    """Remove the discounted days from merged service; return (stretches, removed)."""
    stretches = list(service)
    removed: list[Period] = []
    for cut in merge(discounts):
        result: list[Period] = []
        for s in stretches:
            if cut.end < s.start or cut.start > s.end:
                result.append(s)
                continue
            removed.append(Period(max(s.start, cut.start), min(s.end, cut.end)))
            if cut.start > s.start:
                result.append(Period(s.start, cut.start - ONE_DAY))
            if cut.end < s.end:
                result.append(Period(cut.end + ONE_DAY, s.end))
        stretches = result
    return sorted(stretches), merge(removed)


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def calendar_span(period: Period) -> tuple[int, int, int]:
    """Years, months, days from the first day to the day after the last."""
    start, stop = period.start, period.end + ONE_DAY
    months = (stop.year - start.year) * 12 + stop.month - start.month
    if add_months(start, months) > stop:
        months -= 1
    days = (stop - add_months(start, months)).days
    return months // 12, months % 12, days


def service_time(service: Iterable[Period], discounts: Iterable[Period] = ()) -> ServiceTime:
    stretches, removed = subtract(merge(service), discounts)
    years = months = days = 0
    for stretch in stretches:
        y, m, d = calendar_span(stretch)
        years, months, days = years + y, months + m, days + d
    months += days // 30
    days %= 30
    years += months // 12
    months %= 12
    return ServiceTime(years, months, days, tuple(stretches), tuple(removed))
