"""Reads of the personal file: entries per section, the header, tiempo de servicios."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import CharField, DecimalField, F, Field, QuerySet, Value, Window
from django.db.models.functions import Cast, JSONObject, RowNumber
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


def _from_json(field: Field[Any, Any], raw: Any) -> Any:
    """A value as the ORM would load it, from its JSON form (see `whole_file`)."""
    if raw is None:
        return None
    if isinstance(field, DecimalField):
        return Decimal(str(raw)).quantize(Decimal(1).scaleb(-field.decimal_places))
    value = field.to_python(raw)
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)  # SQLite keeps UTC, naive
    return value


def _kind_rows(index: int, kind: EntryKind, servant: Servant) -> QuerySet[Any]:
    model = kind.model
    columns = {
        f.attname: Cast(f.attname, CharField()) if isinstance(f, DecimalField) else F(f.attname)
        for f in model._meta.concrete_fields
    }
    return (
        model.objects.filter(servant=servant)  # type: ignore[attr-defined]
        .order_by()
        .annotate(
            _kind=Value(index),
            _place=Window(RowNumber(), order_by=[str(o) for o in model._meta.ordering or ()]),
            _row=JSONObject(**columns),
        )
        .values_list("_kind", "_place", "_row")
    )


_ANY_SERVANT = -1  # stands for the servant in the compiled statement (no real id is < 1)
_WHOLE_FILE_SQL: dict[str, tuple[str, list[Any]]] = {}


def _whole_file_sql(vendor: str) -> tuple[str, list[Any]]:
    """The UNION ALL statement and its parameters, compiled once per process and engine
    (compiling fifteen annotated querysets costs more than running them)."""
    if vendor not in _WHOLE_FILE_SQL:
        anyone = Servant(pk=_ANY_SERVANT)
        first, *rest = (_kind_rows(i, k, anyone) for i, k in enumerate(KINDS.values()))
        sql, params = first.union(*rest, all=True).query.sql_with_params()
        _WHOLE_FILE_SQL[vendor] = (sql, list(params))
    return _WHOLE_FILE_SQL[vendor]


def whole_file(servant: Servant) -> dict[str, list[Any]]:
    """Every entry of the file by kind key, each kind in its model's order, in one query
    (a UNION ALL of the fifteen kinds' tables, each row as JSON with its place in its
    kind) where `section_entries` for every section takes fifteen."""
    kinds = list(KINDS.values())
    alias = router.db_for_read(Servant)  # a read replica when the page may use one
    db = connections[alias]
    sql, params = _whole_file_sql(db.vendor)
    found: dict[str, list[tuple[int, Any]]] = {kind.key: [] for kind in kinds}
    with db.cursor() as cursor:
        cursor.execute(sql, [servant.pk if p == _ANY_SERVANT else p for p in params])
        rows = cursor.fetchall()
    for index, place, row in rows:
        kind = kinds[index]
        data = json.loads(row) if isinstance(row, str) else row
        fields = kind.model._meta.concrete_fields
        values = [_from_json(f, data.get(f.attname)) for f in fields]
        entry = kind.model.from_db(alias, [f.attname for f in fields], values)
        found[kind.key].append((place, entry))
    return {
        key: [entry for _, entry in sorted(rows, key=lambda r: r[0])] for key, rows in found.items()
    }


def get_entry(servant: Servant, kind: EntryKind, ref: Any) -> FileEntry | None:
    return entries_of(servant, kind).filter(uuid=ref).first()


def _discount_end(start: date, end: date | None, days: int | None, today: date) -> date:
    if end:
        return end
    if days:
        return start + timedelta(days=days - 1)
    return today


def _of_model(entries: dict[str, list[Any]], model: type[FileEntry]) -> list[Any]:
    return next(rows for key, rows in entries.items() if KINDS[key].model is model)


def compute_service_time(
    servant: Servant, today: date | None = None, entries: dict[str, list[Any]] | None = None
) -> ServiceComputation:
    """Tiempo de servicios from sections III, VI, VIII and IX (four queries; none when
    `entries`, the whole file from `whole_file`, is given)."""
    today = today or timezone.localdate()
    config: dict[str, Any] = settings.SERVICE_TIME
    if entries is not None:
        return _service_time(
            today,
            sorted(c.date_from for c in _of_model(entries, Cessation)),
            [(e.date_from, e.date_to) for e in _of_model(entries, Entry)],
            [
                (x.date_from, x.date_to)
                for x in _of_model(entries, Leave)
                if x.action in config["unpaid_leave"]
            ],
            [
                (x.date_from, x.date_to, x.days)
                for x in _of_model(entries, Sanction)
                if x.action in config["discounted_sanctions"]
            ],
        )
    return _service_time(
        today,
        sorted(Cessation.objects.filter(servant=servant).values_list("date_from", flat=True)),
        list(Entry.objects.filter(servant=servant).values_list("date_from", "date_to")),
        list(
            Leave.objects.filter(servant=servant, action__in=config["unpaid_leave"]).values_list(
                "date_from", "date_to"
            )
        ),
        list(
            Sanction.objects.filter(
                servant=servant, action__in=config["discounted_sanctions"]
            ).values_list("date_from", "date_to", "days")
        ),
    )


def _service_time(
    today: date,
    cessations: list[date],
    entries: list[tuple[date, date | None]],
    leaves: list[tuple[date, date | None]],
    sanctions: list[tuple[date, date | None, int | None]],
) -> ServiceComputation:
    config: dict[str, Any] = settings.SERVICE_TIME
    periods: list[Period] = []
    for start, end in entries:
        stop = end
        later_cessations = [c for c in cessations if c >= start]
        if later_cessations and (stop is None or later_cessations[0] < stop):
            stop = later_cessations[0]
        stop = min(stop or today, today)
        if stop >= start:
            periods.append(Period(start, stop))
    discounts = [
        Period(start, max(start, _discount_end(start, end, None, today))) for start, end in leaves
    ] + [
        Period(start, max(start, _discount_end(start, end, days, today)))
        for start, end, days in sanctions
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
