"""The supervision app's writes: the audit of its reads and downloads, and the refresh."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ayni.core.audit import audit_log
from ayni.core.states import Gate
from ayni.org.models import OrgUnit
from ayni.supervision.models import ListExport

logger = logging.getLogger(__name__)

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


# --- large list downloads, written by the task worker ----------------------------------------

EXPORT_GATE = Gate(
    action_prefix="supervision.export",
    allowed={
        ListExport.State.QUEUED: frozenset({ListExport.State.RUNNING, ListExport.State.FAILED}),
        ListExport.State.RUNNING: frozenset({ListExport.State.DONE, ListExport.State.FAILED}),
    },
    what=gettext_lazy("La descarga"),
    audit=False,  # the download itself is audited (export_record)
    labels={value: str(label) for value, label in ListExport.State.choices},
)
PROGRESS_EVERY = 2000


def export_start(
    request: HttpRequest, *, unit: OrgUnit, kind: str, state_filter: str, fmt: str
) -> ListExport:
    """Queue a list download; the worker writes it (build_list_export)."""
    from ayni.supervision.tasks import build_list_export_task

    user: Any = request.user  # a signed-in supervisor (the view requires it)
    export = ListExport.objects.create(
        requested_by=user, unit=unit, kind=kind, state_filter=state_filter, fmt=fmt
    )
    audit_log(
        action="supervision.export_requested",
        request=request,
        obj=export,
        unit_path=unit.path,
        detail=f"{kind} ({fmt.upper()})",
    )
    transaction.on_commit(lambda: build_list_export_task.enqueue(export.pk))
    return export


def build_list_export(export_id: int) -> int:
    """Write the export's rows to a file, saving the progress as it goes. Only a queued
    export is built (a second worker, or a retry, does nothing). Returns the rows."""
    from ayni.supervision import exports, lists

    export = ListExport.objects.select_related("unit").filter(pk=export_id).first()
    if export is None or not EXPORT_GATE.try_move(
        export, ListExport.State.RUNNING, actor=None, expected=ListExport.State.QUEUED
    ):
        return 0
    try:
        spec = lists.list_spec(export.kind)
        items = lists.filtered(spec, export.unit, export.state_filter)
        total = items.count()
        ListExport.objects.filter(pk=export.pk).update(total=total)
        rows = []
        people: list[int] = []
        for index, item in enumerate(items.iterator(chunk_size=PROGRESS_EVERY), start=1):
            rows.append(spec["row"](item))
            if spec["people"]:
                people.extend(spec["people"]([item]))
            if index % PROGRESS_EVERY == 0:
                ListExport.objects.filter(pk=export.pk).update(done=index)
        title = str(spec["title"]())
        data = exports.download(export.fmt, "x", title, spec["columns"](), rows).content
        name = default_storage.save(
            f"supervision/exports/{export.uuid}.{export.fmt}", ContentFile(data)
        )
    except Exception:
        logger.exception("supervision export %s failed", export_id)
        EXPORT_GATE.try_move(
            export, ListExport.State.FAILED, actor=None, expected=ListExport.State.RUNNING
        )
        return 0
    EXPORT_GATE.try_move(
        export,
        ListExport.State.DONE,
        actor=None,
        expected=ListExport.State.RUNNING,
        fields={
            "file_name": name,
            "total": len(rows),
            "done": len(rows),
            "subject_ids": sorted(set(people)) or None,
            "finished_at": timezone.now(),
        },
    )
    return len(rows)
