"""Background tasks of the data-protection app (django-tasks)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ayni.dataprotection.models import DataExport
from ayni.dataprotection.services import EXPORT_GATE, export_expiry

State = DataExport.State


@task()
def build_export_task(export_id: int) -> bool:
    """Build one «Mis datos» ZIP, with progress. A task delivered twice builds it once."""
    from ayni.dataprotection.export import build_zip

    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        return False
    user = export.user
    if not EXPORT_GATE.try_move(export, State.RUNNING, actor=user, expected=State.QUEUED):
        return False

    def progress(done: int, total: int) -> None:
        DataExport.objects.filter(pk=export_id).update(done=done, total=total)

    try:
        name, size, digest = build_zip(user, export, progress)
    except Exception as exc:
        with transaction.atomic():
            EXPORT_GATE.try_move(
                export,
                State.FAILED,
                actor=user,
                expected=State.RUNNING,
                fields={"error": str(exc)[:300]},
                detail=str(exc)[:200],
            )
        raise
    now = timezone.now()
    return EXPORT_GATE.try_move(
        export,
        State.DONE,
        actor=user,
        expected=State.RUNNING,
        fields={
            "file_name": name,
            "size": size,
            "sha256": digest,
            "finished_at": now,
            "expires_at": export_expiry(now),
        },
    )


@task()
def retention_task() -> int:
    """Daily: remove what is past its retention term (ayni.dataprotection.retention) and
    archive the audit events older than their minimum (ayni.dataprotection.archive)."""
    from ayni.dataprotection.archive import archive_audit
    from ayni.dataprotection.retention import apply_retention

    removed = sum(item.count for item in apply_retention(dry_run=False))
    return removed + archive_audit(dry_run=False).count
