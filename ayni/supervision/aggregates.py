"""Recompute every unit's figures (UnitFigures) from the sector's rows.

A fixed number of grouped queries over the whole sector, each row attached to the unit
it belongs to: a servant to the unit that employs them, a change request or an informe
to the unit that handles it (`unit_path`), a filing and an access request to the unit
it was filed at, a payroll run to its UGEL. The dashboard of a unit then sums the rows
of its subtree; nothing is counted twice and nothing falls between the rows.

Working days follow the calendar of ayni.core.workdays (weekends and the holidays
table). A change request's legal term (settings.SUPERVISION_TERM_DAYS, by default 30
working days, TUO of Ley 27444, art. 39) runs from its filing and is paused while the
request is «Observado»: the paused days come from the request's history rows.
"""

from __future__ import annotations

import bisect
import logging
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from ayni.core.workdays import _holidays_between, lima_date
from ayni.desk.models import AccessRequest, Case
from ayni.org.models import OrgUnit
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest, ChangeRequestEvent, Servant
from ayni.reports.models import ServiceReport, ServiceReportRequest
from ayni.supervision.models import Refresh, UnitFigures

logger = logging.getLogger(__name__)
OLDEST_KEPT = 5  # the oldest open requests each unit keeps; a dashboard shows the top ones
AGE_BANDS = ("0-10", "11-20", "21-30", "31+")
MONTHS = 12
WEEKS = 12


def term_days() -> int:
    return int(getattr(settings, "SUPERVISION_TERM_DAYS", 30))


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def last_months(today: date, n: int = MONTHS) -> list[str]:
    """The last `n` months up to today's, oldest first («2026-01» … «2026-12»)."""
    keys = []
    year, month = today.year, today.month
    for _ in range(n):
        keys.append(month_key(year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return keys[::-1]


def week_key(day: date) -> str:
    """The Monday of the week, ISO («2026-11-30»)."""
    return (day - timedelta(days=day.weekday())).isoformat()


def last_weeks(today: date, n: int = WEEKS) -> list[str]:
    monday = today - timedelta(days=today.weekday())
    return [(monday - timedelta(weeks=k)).isoformat() for k in range(n - 1, -1, -1)]


class Calendar:
    """Working days between two dates in O(log n): a sorted list of the working days."""

    def __init__(self, start: date, end: date) -> None:
        holidays = _holidays_between(start, end)
        self.days: list[date] = []
        day = start
        while day <= end:
            if day.weekday() < 5 and day not in holidays:
                self.days.append(day)
            day += timedelta(days=1)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (start not counted, as in
        add_working_days): filed on Monday, Tuesday is day 1."""
        if end <= start:
            return 0
        return bisect.bisect_right(self.days, end) - bisect.bisect_right(self.days, start)


def age_band(days: int) -> str:
    if days <= 10:
        return AGE_BANDS[0]
    if days <= 20:
        return AGE_BANDS[1]
    if days <= 30:
        return AGE_BANDS[2]
    return AGE_BANDS[3]


def request_working_days(
    created: datetime, events: list[tuple[str, datetime]], now: datetime, cal: Calendar
) -> tuple[int, int]:
    """(working days counted towards the term, working days paused while observed).

    `events`: the request's (to_state, at) history rows in order.
    """
    today = lima_date(now)
    elapsed = cal.between(lima_date(created), today)
    paused = 0
    observed_since: date | None = None
    for to_state, at in events:
        if to_state == ChangeRequest.State.OBSERVADO and observed_since is None:
            observed_since = lima_date(at)
        elif to_state != ChangeRequest.State.OBSERVADO and observed_since is not None:
            paused += cal.between(observed_since, lima_date(at))
            observed_since = None
    if observed_since is not None:
        paused += cal.between(observed_since, today)
    return max(0, elapsed - paused), paused


def _blank() -> dict[str, Any]:
    return {}


def _bump(tree: dict[str, Any], *keys: str, by: int = 1) -> None:
    node = tree
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = node.get(keys[-1], 0) + by


def compute(now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """The figures of every unit that holds data, keyed by unit path (no writes)."""
    now = now or timezone.now()
    today = lima_date(now)
    months = last_months(today)
    first_month = date.fromisoformat(months[0] + "-01")
    weeks = last_weeks(today)
    first_week = date.fromisoformat(weeks[0])
    term = term_days()
    paths = dict(OrgUnit.objects.exclude(kind=OrgUnit.Kind.SCHOOL).values_list("pk", "path"))
    out: dict[str, dict[str, Any]] = defaultdict(_blank)

    # --- personnel: one grouped query per dimension ----------------------------------
    dims = {
        "kind": "kind",
        "regime": "labor_regime__code",
        "pension": "pension_regime__code",
        "escala": "escala__code",
        "file": "needs_completion",
    }
    for name, column in dims.items():
        rows = (
            Servant.objects.order_by().values("employing_unit_id", column).annotate(n=Count("pk"))
        )
        for row in rows:
            path = paths.get(row["employing_unit_id"])
            if path is None:
                continue
            value = row[column]
            if name == "file":
                value = "incomplete" if value else "complete"
            _bump(out[path], "personnel", name, str(value or "-"), by=row["n"])
    rows = (
        Servant.objects.order_by()
        .values("employing_unit_id", "condition", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        path = paths.get(row["employing_unit_id"])
        if path is None:
            continue
        condition = row["condition"] if row["status"] == Servant.Status.ACTIVO else row["status"]
        _bump(out[path], "personnel", "condition", condition or "-", by=row["n"])
        _bump(out[path], "personnel", "total", by=row["n"])

    # --- change requests ---------------------------------------------------------------
    for row in (
        ChangeRequest.objects.order_by().values("unit_path", "state").annotate(n=Count("pk"))
    ):
        _bump(out[row["unit_path"]], "requests", "state", row["state"], by=row["n"])
    for row in (
        ChangeRequest.objects.filter(created_at__date__gte=first_month - timedelta(days=1))
        .annotate(m=TruncMonth("created_at"))
        .order_by()
        .values("unit_path", "m")
        .annotate(n=Count("pk"))
    ):
        key = _month_of(row["m"])
        if key in months:
            _bump(out[row["unit_path"]], "trend", key, "requests", by=row["n"])
    open_requests = list(
        ChangeRequest.objects.filter(state__in=ChangeRequest.OPEN_STATES)
        .order_by()
        .values_list("pk", "uuid", "unit_path", "created_at", "state")
    )
    history: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for request_id, to_state, at in (
        ChangeRequestEvent.objects.filter(request__state__in=ChangeRequest.OPEN_STATES)
        .order_by("request_id", "at", "id")
        .values_list("request_id", "to_state", "at")
    ):
        history[request_id].append((to_state, at))
    oldest_filing = min((r[3] for r in open_requests), default=now)
    cal = Calendar(lima_date(oldest_filing) - timedelta(days=1), today + timedelta(days=1))
    oldest: dict[str, list[list[Any]]] = defaultdict(list)
    for pk, uuid, unit_path, created, state in open_requests:
        days, paused = request_working_days(created, history.get(pk, []), now, cal)
        _bump(out[unit_path], "requests", "age", age_band(days))
        if days > term:
            _bump(out[unit_path], "requests", "overdue")
        oldest[unit_path].append(
            [days, lima_date(created).isoformat(), str(uuid), state, paused, unit_path]
        )
    for unit_path, items in oldest.items():
        items.sort(key=lambda item: (-item[0], item[1]))
        out[unit_path].setdefault("requests", {})["oldest"] = items[:OLDEST_KEPT]

    # --- desk: filings by area and state, per week; overdue open filings ---------------
    for row in (
        Case.objects.exclude(state=Case.State.NOT_FILED)
        .filter(received_at__date__gte=first_month)
        .order_by()
        .values("unit_id", "area")
        .annotate(n=Count("pk"))
    ):
        path = paths.get(row["unit_id"])
        if path:
            _bump(out[path], "desk", "received", row["area"], by=row["n"])
    for row in (
        Case.objects.exclude(state=Case.State.NOT_FILED)
        .filter(received_at__date__gte=first_week - timedelta(days=1))
        .annotate(w=TruncWeek("received_at"))
        .order_by()
        .values("unit_id", "w")
        .annotate(n=Count("pk"))
    ):
        path = paths.get(row["unit_id"])
        key = week_key(_day_of(row["w"]))
        if path and key in weeks:
            _bump(out[path], "desk", "weeks", key, by=row["n"])
    for row in (
        Case.objects.exclude(state=Case.State.NOT_FILED)
        .filter(received_at__date__gte=first_month - timedelta(days=1))
        .annotate(m=TruncMonth("received_at"))
        .order_by()
        .values("unit_id", "m")
        .annotate(n=Count("pk"))
    ):
        path, key = paths.get(row["unit_id"]), _month_of(row["m"])
        if path and key in months:
            _bump(out[path], "trend", key, "cases", by=row["n"])
    open_cases = list(
        Case.objects.filter(state__in=Case.OPEN_STATES)
        .order_by()
        .values_list("unit_id", "area", "received_at")
    )
    first_case = min((c[2] for c in open_cases), default=now)
    case_cal = Calendar(lima_date(first_case) - timedelta(days=1), today + timedelta(days=1))
    for unit_id, area, received in open_cases:
        path = paths.get(unit_id)
        if path is None:
            continue
        _bump(out[path], "desk", "open", area)
        if case_cal.between(lima_date(received), today) > term:
            _bump(out[path], "desk", "overdue", area)

    # --- payroll: each UGEL's runs of the last 12 months -------------------------------
    for row in (
        PayrollRun.objects.filter(
            Q(year__gt=first_month.year) | Q(year=first_month.year, month__gte=first_month.month)
        )
        .exclude(state__in=[PayrollRun.State.SUPERSEDED, PayrollRun.State.ANNULLED])
        .order_by()
        .values_list(
            "ugel_id", "year", "month", "state", "payment_date", "payslip_count", "total_net"
        )
    ):
        ugel_id, year, month, state, paid, slips, net = row
        path = paths.get(ugel_id)
        key = month_key(year, month)
        if path is None or key not in months:
            continue
        cell = out[path].setdefault("payroll", {}).setdefault(key, {})
        if state == PayrollRun.State.PUBLISHED:
            cell["published"] = cell.get("published", 0) + 1
            cell["servants"] = cell.get("servants", 0) + slips
            cell["net_cents"] = cell.get("net_cents", 0) + int(net * 100)
            cell["paid"] = max(cell.get("paid", ""), paid.isoformat())
        else:
            cell["loaded"] = cell.get("loaded", 0) + 1

    # --- informes escalafonarios -------------------------------------------------------
    for row in (
        ServiceReportRequest.objects.order_by().values("unit_path", "state").annotate(n=Count("pk"))
    ):
        _bump(out[row["unit_path"]], "informes", row["state"], by=row["n"])
    for row in (
        ServiceReportRequest.objects.filter(state=ServiceReportRequest.State.PENDING)
        .order_by()
        .values("unit_path")
        .annotate(oldest=Min("created_at"))
    ):
        out[row["unit_path"]].setdefault("informes", {})["oldest"] = lima_date(
            row["oldest"]
        ).isoformat()
    for unit_path, requested, issued in (
        ServiceReport.objects.filter(issued_at__date__gte=first_month)
        .order_by()
        .values_list("request__unit_path", "request__created_at", "issued_at")
    ):
        hours = max(0, int((issued - requested).total_seconds() // 3600))
        _bump(out[unit_path], "informes", "hours_sum", by=hours)
        _bump(out[unit_path], "informes", "timed")
        key = month_key(lima_date(issued).year, lima_date(issued).month)
        if key in months:
            _bump(out[unit_path], "trend", key, "informes")

    # --- access requests waiting at the desk --------------------------------------------
    for row in (
        AccessRequest.objects.filter(state=AccessRequest.State.RECEIVED)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"), oldest=Min("confirmed_at"))
    ):
        path = paths.get(row["unit_id"])
        if path:
            access = out[path].setdefault("access", {})
            access["pending"] = row["n"]
            if row["oldest"]:
                access["oldest"] = lima_date(row["oldest"]).isoformat()
    return dict(out)


def _month_of(value: Any) -> str:
    day = lima_date(value) if isinstance(value, datetime) else value
    return month_key(day.year, day.month)


def _day_of(value: Any) -> date:
    return lima_date(value) if isinstance(value, datetime) else value


def refresh(now: datetime | None = None) -> Refresh:
    """Recompute and replace every unit's figures in one transaction."""
    started = timezone.now()
    clock = time.monotonic()
    figures = compute(now)
    finished = timezone.now()
    try:
        with transaction.atomic():
            UnitFigures.objects.all().delete()
            UnitFigures.objects.bulk_create(
                [
                    UnitFigures(unit_path=p, data=d, computed_at=finished)
                    for p, d in figures.items()
                ],
                batch_size=500,
            )
            done = Refresh.objects.create(
                started_at=started,
                finished_at=finished,
                units=len(figures),
                duration_ms=int((time.monotonic() - clock) * 1000),
            )
            Refresh.objects.filter(finished_at__lt=finished - timedelta(days=2)).delete()
    except IntegrityError:
        # Two workers refreshed at once: the other one's rows were committed first and
        # are as fresh as these; keep them.
        logger.info("supervision refresh: another refresh committed first")
        latest = Refresh.objects.first()
        if latest is None:
            raise
        return latest
    return done
