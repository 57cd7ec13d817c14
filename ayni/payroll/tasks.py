"""Background tasks of the payroll app (django-tasks)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django_tasks import task

from ayni.payroll.importer import PayrollError, payroll_import
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.pdf import payslip_pdf

RENDER_CHUNK = 200


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


@task()
def render_run_pdfs_task(run_id: int) -> int:
    """Render and store the PDF of every payslip of a published run that has none yet,
    so that payment day serves stored files. Safe to run twice or beside first
    downloads: `payslip_pdf` locks each payslip and renders it once."""
    payslips = (
        Payslip.objects.filter(run_id=run_id, published=True, pdf_file="")
        .select_related("run")
        .order_by("pk")
    )
    rendered = 0
    for payslip in payslips.iterator(chunk_size=RENDER_CHUNK):
        payslip_pdf(payslip)
        rendered += 1
    return rendered
