"""Background tasks of the reports app."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from ayni.personnel.models import Servant
from ayni.reports.models import ResumeBatch
from ayni.reports.services import resume_generate

PROGRESS_EVERY = 25


@task()
def resume_batch_task(batch_id: int) -> int:
    """Generate the hoja de vida of every servant employed by the batch's UGEL."""
    batch = ResumeBatch.objects.select_related("unit", "requested_by").get(pk=batch_id)
    servants = (
        Servant.objects.filter(employing_unit=batch.unit)
        .select_related("employing_unit", "school", "labor_regime", "escala")
        .order_by("pk")
    )
    ResumeBatch.objects.filter(pk=batch.pk).update(
        state=ResumeBatch.State.RUNNING, total=servants.count(), done=0
    )
    pending = 0
    try:
        for servant in servants.iterator(chunk_size=200):
            resume_generate(servant=servant, actor=batch.requested_by)
            pending += 1
            if pending == PROGRESS_EVERY:
                ResumeBatch.objects.filter(pk=batch.pk).update(done=F("done") + pending)
                pending = 0
    except Exception as exc:
        ResumeBatch.objects.filter(pk=batch.pk).update(
            state=ResumeBatch.State.FAILED, error=str(exc)[:300], done=F("done") + pending
        )
        raise
    ResumeBatch.objects.filter(pk=batch.pk).update(
        state=ResumeBatch.State.DONE, done=F("done") + pending, finished_at=timezone.now()
    )
    return ResumeBatch.objects.get(pk=batch.pk).done
