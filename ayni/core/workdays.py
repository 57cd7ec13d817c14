"""The working-day calendar: weekends, Peru's public holidays (data), office hours."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ayni.core.models import Holiday, OfficeHours

LIMA = ZoneInfo("America/Lima")


def in_lima(moment: datetime) -> datetime:
    """The moment on Lima's clock: every date printed or shown is Lima's, whatever the
    server's or the request's time zone (a filing at 19:47 Lima is 00:47 UTC next day)."""
    return timezone.localtime(moment, LIMA)


def lima_date(moment: datetime) -> date:
    return in_lima(moment).date()


def lima_dmy(moment: datetime) -> str:
    return in_lima(moment).strftime("%d/%m/%Y")


def lima_hm(moment: datetime) -> str:
    return in_lima(moment).strftime("%H:%M")


def _holidays_between(start: date, end: date) -> set[date]:
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not Holiday.objects.filter(date=day).exists()


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    holidays = _holidays_between(start, start + timedelta(days=days * 3 + 30))
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def office_hours(unit_path: str) -> tuple[time, time]:
    """Hours of the deepest unit on the path that has its own, else the default."""
    candidates = []
    parts = [p for p in unit_path.split("/") if p]
    for i in range(len(parts), 0, -1):
        candidates.append("/" + "/".join(parts[:i]) + "/")
    rows = {o.unit_path: o for o in OfficeHours.objects.filter(unit_path__in=candidates)}
    for path in candidates:
        if path in rows:
            return rows[path].opens, rows[path].closes
    opens, closes = settings.OFFICE_HOURS_DEFAULT
    return time.fromisoformat(opens), time.fromisoformat(closes)


def received_at(moment: datetime, unit_path: str) -> datetime:
    """When a filing made at `moment` counts as received by the unit.

    Inside office hours on a working day: the moment itself. Otherwise: the
    opening time of the next working day (or of the same day, if before opening).
    """
    local = in_lima(moment)
    opens, closes = office_hours(unit_path)
    day = local.date()
    if is_working_day(day) and opens <= local.time() < closes:
        return local
    if not (is_working_day(day) and local.time() < opens):
        day = add_working_days(day, 1)
    return datetime.combine(day, opens, tzinfo=LIMA)
