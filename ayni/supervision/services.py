"""The supervision app's writes: the audit of its reads and downloads, and the refresh."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from ayni.core.audit import audit_log
from ayni.org.models import OrgUnit

REFRESH_QUEUED_KEY = "supervision:refresh-queued"
REFRESH_QUEUED_SECONDS = 300


def list_read_record(
    request: HttpRequest, unit: OrgUnit, what: str, servant_ids: list[int]
) -> None:
    """A page of a read-only list that named people: one event naming them all."""
    if not servant_ids:
        return
    audit_log(
        action="supervision.list_viewed",
        request=request,
        subject_type="servant",
        subject_ids=servant_ids,
        unit_path=unit.path,
        detail=what,
    )


def export_record(
    request: HttpRequest, unit: OrgUnit, what: str, fmt: str, servant_ids: list[int] | None = None
) -> None:
    audit_log(
        action="supervision.export_downloaded",
        request=request,
        subject_type="servant" if servant_ids else "",
        subject_ids=servant_ids or None,
        unit_path=unit.path,
        detail=f"{what} ({fmt.upper()})",
    )


def request_refresh() -> Any:
    """Queue a recomputation of the figures, at most once every five minutes (a busy
    dashboard does not flood the worker)."""
    from ayni.supervision.tasks import refresh_figures_task

    if not cache.add(REFRESH_QUEUED_KEY, 1, REFRESH_QUEUED_SECONDS):
        return None
    return refresh_figures_task.enqueue()
