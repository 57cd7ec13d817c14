"""Background tasks of the reports app."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from ayni.personnel.models import Servant
from ayni.reports.models import Resume, ResumeBatch, ServiceReport
from ayni.reports.services import BATCH_GATE, report_pdf, resume_generate, resume_pdf

PROGRESS_EVERY = 25
State = ResumeBatch.State


@task()
def render_report_pdf_task(kind: str, pk: int) -> bool:
    """Render a hoja de vida or an informe from its stored snapshot (after commit)."""
    if kind == "resume":
        resume = Resume.objects.filter(pk=pk).first()
        if resume is None:
            return False
        resume_pdf(resume)
    else:
        report = ServiceReport.objects.filter(pk=pk).first()
        if report is None:
            return False
        report_pdf(report)
    return True


@task()
def resume_batch_task(batch_id: int) -> int:
    """Generate the hoja de vida of every servant employed by the batch's UGEL, except
    the requesting officer's own (nobody is staff for themselves)."""
    batch = ResumeBatch.objects.select_related("unit", "requested_by").get(pk=batch_id)
    officer = batch.requested_by
    servants = (
        Servant.objects.filter(employing_unit=batch.unit)
        .exclude(user=officer)
        .select_related("employing_unit", "school", "labor_regime", "escala")
        .order_by("pk")
    )
    if not BATCH_GATE.try_move(
        batch, State.RUNNING, actor=officer, expected=State.QUEUED, unit_path=batch.unit.path
    ):
        return 0  # already running or finished (a task delivered twice)
    ResumeBatch.objects.filter(pk=batch.pk).update(total=servants.count(), done=0)
    pending = 0
    try:
        for servant in servants.iterator(chunk_size=200):
            resume_generate(servant=servant, actor=officer)
            pending += 1
            if pending == PROGRESS_EVERY:
                ResumeBatch.objects.filter(pk=batch.pk).update(done=F("done") + pending)
                pending = 0
    except Exception as exc:
        with transaction.atomic():
            BATCH_GATE.try_move(
                batch,
                State.FAILED,
                actor=officer,
                expected=State.RUNNING,
                unit_path=batch.unit.path,
                fields={"error": str(exc)[:300], "done": F("done") + pending},
                detail=str(exc)[:200],
            )
        raise
    BATCH_GATE.try_move(
        batch,
        State.DONE,
        actor=officer,
        expected=State.RUNNING,
        unit_path=batch.unit.path,
        fields={"done": F("done") + pending, "finished_at": timezone.now()},
    )
    return ResumeBatch.objects.get(pk=batch.pk).done
