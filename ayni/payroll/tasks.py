"""Background tasks of the payroll app (django-tasks)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django_tasks import task

from ayni.payroll.importer import PayrollError, payroll_import
from ayni.payroll.models import PayrollRun


@task()
def import_payroll_task(run_id: int, actor_id: int | None = None) -> int:
    """Import the files stored for the run; progress is saved on the run as it goes."""
    run = PayrollRun.objects.select_related("ugel").get(pk=run_id)
    with default_storage.open(run.rem_file, "rb") as handle:
        rem_bytes = handle.read()
    with default_storage.open(run.master_file, "rb") as handle:
        master_bytes = handle.read()

    def progress(done: int, total: int) -> None:
        pct = 100 if not total or done >= total else min(99, 5 + int(done * 94 / total))
        PayrollRun.objects.filter(pk=run.pk).update(progress=pct)

    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        outcome = payroll_import(
            run=run,
            rem_name=run.rem_name,
            rem_bytes=rem_bytes,
            master_bytes=master_bytes,
            actor=actor,
            progress=progress,
        )
    except PayrollError as exc:
        PayrollRun.objects.filter(pk=run.pk).update(
            state=PayrollRun.State.FAILED, errors=[str(exc)], progress=100
        )
        return 0
    return outcome.payslips
