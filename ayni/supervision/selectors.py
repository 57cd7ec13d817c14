"""Reads for the dashboards: which units a supervisor may open, and a unit's figures.

Scoping is the one rule of ayni.accounts.permissions: a dashboard of unit U opens when
the user holds `supervision.view` on U (a grant on U or an ancestor); every figure of it
is a sum over U's subtree. A dashboard reads a constant number of queries: the unit,
its children, the precomputed rows of its subtree (ayni.supervision.aggregates), and
the UGELs below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ayni.accounts.permissions import SUPERVISION_VIEW, has_perm, perm_paths
from ayni.core.workdays import lima_date
from ayni.desk.models import Case
from ayni.org.models import OrgUnit
from ayni.org.selectors import display_name
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest
from ayni.reports.models import ServiceReportRequest
from ayni.supervision.aggregates import OLDEST_KEPT, last_months, last_weeks, term_days
from ayni.supervision.models import Refresh, UnitFigures


def unit_title(name: str) -> str:
    """A DRE's or UGEL's name as the chooser writes it («UGEL 03 Breña»); other units'
    names (the ministry) as stored."""
    return display_name(name) if name.startswith(("DRE ", "GRE ", "UGEL ")) else name


def supervised_units(user: Any) -> list[OrgUnit]:
    """The outermost units where the user may supervise (their dashboards' tops)."""
    return list(OrgUnit.objects.filter(path__in=perm_paths(user, SUPERVISION_VIEW)))


def get_unit_for_supervisor(user: Any, code: str) -> OrgUnit:
    """The unit if the user may supervise it; 404 otherwise (missing or out of scope)."""
    unit = OrgUnit.objects.filter(code=code).exclude(kind=OrgUnit.Kind.SCHOOL).first()
    if unit is None or not has_perm(user, SUPERVISION_VIEW, unit):
        raise Http404
    return unit


def breadcrumbs(user: Any, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors the user may open (from their top down), then the unit."""
    parts = [p for p in unit.path.split("/") if p]
    paths = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]
    allowed = [p for p in paths if has_perm(user, SUPERVISION_VIEW, p)]
    by_path = {u.path: u for u in OrgUnit.objects.filter(path__in=allowed)}
    return [by_path[p] for p in allowed if p in by_path]


# --- merging the precomputed rows -------------------------------------------------------


def merge(into: dict[str, Any], data: dict[str, Any]) -> None:
    """Add `data` to `into`: numbers add up, lists of oldest items are merged, dates keep
    the oldest (`oldest`) or the latest (`paid`)."""
    for key, value in data.items():
        if isinstance(value, dict):
            merge(into.setdefault(key, {}), value)
        elif isinstance(value, list):
            items = into.setdefault(key, []) + value
            items.sort(key=lambda item: (-item[0], item[1]))
            into[key] = items[:OLDEST_KEPT]
        elif isinstance(value, str):
            known = into.get(key)
            if known is None:
                into[key] = value
            elif key == "paid":
                into[key] = max(known, value)
            else:
                into[key] = min(known, value)
        else:
            into[key] = into.get(key, 0) + value


@dataclass
class Row:
    """One row of a dashboard table: a child unit (or the unit itself, for what is
    attached to it directly), with the figures of its subtree."""

    unit: OrgUnit
    own: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    ugels: list[OrgUnit] = field(default_factory=list)


@dataclass
class Dashboard:
    unit: OrgUnit
    total: dict[str, Any]
    rows: list[Row]
    ugels: list[OrgUnit]
    computed_at: datetime | None
    months: list[str]
    weeks: list[str]
    term: int
    today: date
    by_path: dict[str, dict[str, Any]] = field(default_factory=dict)  # the rows as stored

    @property
    def children(self) -> list[Row]:
        """The rows of the units below (drill-down), without the unit's own row."""
        return [row for row in self.rows if not row.own]


def _child_path(unit: OrgUnit, path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[: unit.depth + 1]) + "/"


def dashboard(unit: OrgUnit) -> Dashboard:
    """The figures of `unit`'s subtree, and one row per child unit plus, when anything is
    attached to the unit itself (its own staff, the requests its office handles), a row
    for it: the rows always add up to the total."""
    figures = list(
        UnitFigures.objects.filter(unit_path__startswith=unit.path).values_list(
            "unit_path", "data", "computed_at"
        )
    )
    children = {
        child.path: child
        for child in OrgUnit.objects.filter(parent=unit).exclude(kind=OrgUnit.Kind.SCHOOL)
    }
    buckets: dict[str, dict[str, Any]] = {}
    total: dict[str, Any] = {}
    computed_at = None
    for path, data, at in figures:
        computed_at = at if computed_at is None else min(computed_at, at)
        merge(total, data)
        bucket = unit.path if path == unit.path else _child_path(unit, path)
        merge(buckets.setdefault(bucket, {}), data)
    missing = [p for p in buckets if p != unit.path and p not in children]
    if missing:  # data below a unit that is not a direct child (e.g. a school): its own row
        children.update({u.path: u for u in OrgUnit.objects.filter(path__in=missing)})
    ugels = list(
        OrgUnit.objects.filter(path__startswith=unit.path, kind=OrgUnit.Kind.UGEL).order_by("name")
    )
    rows = [Row(unit=unit, own=True, data=buckets[unit.path])] if unit.path in buckets else []
    for path, child in sorted(children.items(), key=lambda item: item[1].name):
        rows.append(
            Row(
                unit=child,
                data=buckets.get(path, {}),
                ugels=[u for u in ugels if u.path.startswith(path)],
            )
        )
    if computed_at is None:
        computed_at = Refresh.objects.values_list("finished_at", flat=True).first()
    today = lima_date(timezone.now())
    return Dashboard(
        unit=unit,
        total=total,
        rows=rows,
        ugels=ugels,
        computed_at=computed_at,
        months=last_months(today),
        weeks=last_weeks(today),
        term=term_days(),
        today=today,
        by_path={path: data for path, data, _at in figures},
    )


def is_fresh(computed_at: datetime | None, minutes: int = 10) -> bool:
    return computed_at is not None and (timezone.now() - computed_at).total_seconds() < minutes * 60


# --- the read-only lists behind the figures (the unit already checked) ------------------


def requests_under(unit: OrgUnit) -> QuerySet[ChangeRequest]:
    return (
        ChangeRequest.objects.filter(unit_path__startswith=unit.path)
        .select_related("servant__employing_unit")
        .order_by("created_at", "id")
    )


def runs_under(unit: OrgUnit) -> QuerySet[PayrollRun]:
    return PayrollRun.objects.filter(ugel__path__startswith=unit.path).select_related("ugel")


def cases_under(unit: OrgUnit) -> QuerySet[Case]:
    return (
        Case.objects.filter(unit__path__startswith=unit.path)
        .exclude(state=Case.State.NOT_FILED)
        .select_related("unit")
        .order_by("received_at", "id")
    )


def informes_under(unit: OrgUnit) -> QuerySet[ServiceReportRequest]:
    return (
        ServiceReportRequest.objects.filter(unit_path__startswith=unit.path)
        .select_related("servant__employing_unit", "report")
        .order_by("created_at", "id")
    )
