"""Reads of the personal file: entries per section, the header, tiempo de servicios."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ayni.personnel.models import (
    Cessation,
    ChangeRequest,
    Entry,
    EntryVersion,
    FileEntry,
    Leave,
    Sanction,
    Servant,
)
from ayni.personnel.sections import KINDS, EntryKind, Section
from ayni.personnel.service_time import Period, ServiceTime, service_time


@dataclass(frozen=True)
class ServiceComputation:
    total: ServiceTime
    service_periods: list[Period]
    ats_reached: list[int]


def entries_of(servant: Servant, kind: EntryKind) -> QuerySet[FileEntry]:
    return kind.model.objects.filter(servant=servant)  # type: ignore[attr-defined]


def section_entries(servant: Servant, section: Section) -> list[tuple[EntryKind, list[Any]]]:
    """Each kind of the section with its entries: one query per kind."""
    return [(kind, list(entries_of(servant, kind))) for kind in section.kinds]


def get_entry(servant: Servant, kind: EntryKind, ref: Any) -> FileEntry | None:
    return entries_of(servant, kind).filter(uuid=ref).first()


def _discount_end(start: date, end: date | None, days: int | None, today: date) -> date:
    if end:
        return end
    if days:
        return start + timedelta(days=days - 1)
    return today


def compute_service_time(servant: Servant, today: date | None = None) -> ServiceComputation:
    """Tiempo de servicios from sections III, VI, VIII and IX (four queries)."""
    today = today or timezone.localdate()
    config: dict[str, Any] = settings.SERVICE_TIME
    cessations = sorted(
        Cessation.objects.filter(servant=servant).values_list("date_from", flat=True)
    )
    periods: list[Period] = []
    for start, end in Entry.objects.filter(servant=servant).values_list("date_from", "date_to"):
        stop = end
        later_cessations = [c for c in cessations if c >= start]
        if later_cessations and (stop is None or later_cessations[0] < stop):
            stop = later_cessations[0]
        stop = min(stop or today, today)
        if stop >= start:
            periods.append(Period(start, stop))
    discounts = [
        Period(start, max(start, _discount_end(start, end, None, today)))
        for start, end in Leave.objects.filter(
            servant=servant, action__in=config["unpaid_leave"]
        ).values_list("date_from", "date_to")
    ] + [
        Period(start, max(start, _discount_end(start, end, days, today)))
        for start, end, days in Sanction.objects.filter(
            servant=servant, action__in=config["discounted_sanctions"]
        ).values_list("date_from", "date_to", "days")
    ]
    total = service_time(periods, discounts)
    reached = [y for y in config["ats_thresholds_years"] if total.reached(y)]
    return ServiceComputation(total=total, service_periods=periods, ats_reached=reached)


def open_requests_by_entry(servant: Servant) -> dict[Any, ChangeRequest]:
    return {
        cr.entry_uuid: cr
        for cr in ChangeRequest.objects.filter(
            servant=servant, state__in=ChangeRequest.OPEN_STATES, entry_uuid__isnull=False
        )
    }


def file_history(servant: Servant) -> QuerySet[EntryVersion]:
    return EntryVersion.objects.filter(servant=servant).select_related("actor")


def kind_of(key: str) -> EntryKind | None:
    return KINDS.get(key)
