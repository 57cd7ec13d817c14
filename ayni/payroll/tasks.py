"""Background tasks of the payroll app (django-tasks).

Each task acts only while its run is in the state it was queued for: an import
only on a queued run (a newer upload supersedes it meanwhile: nothing happens),
the PDF rendering only on a published run.
"""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django_tasks import task

from ayni.payroll.importer import INTERNAL_ERROR, payroll_import
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.pdf import payslip_pdf
from ayni.payroll.states import run_try_move
from ayni.payroll.writer import analyze_payslips

logger = logging.getLogger(__name__)
RENDER_CHUNK = 200
State = PayrollRun.State


@task()
def import_payroll_task(run_id: int, actor_id: int | None = None) -> int:
    """Import the files stored for the run; progress is saved on the run as it goes.
    Returns the payslips loaded (0 when the upload failed or was superseded)."""
    run = PayrollRun.objects.select_related("ugel").filter(pk=run_id).first()
    if run is None or run.state != State.QUEUED:
        logger.info("payroll run %s is not queued: the import task does nothing", run_id)
        return 0
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        with default_storage.open(run.rem_file, "rb") as handle:
            rem_bytes = handle.read()
        with default_storage.open(run.master_file, "rb") as handle:
            master_bytes = handle.read()
    except Exception:
        logger.exception("payroll run %s: the uploaded files cannot be read", run_id)
        run_try_move(
            run,
            State.FAILED,
            expected=State.QUEUED,
            actor=actor,
            fields={"errors": [str(INTERNAL_ERROR)], "progress": 100},
        )
        return 0

    def progress(done: int, total: int) -> None:
        pct = 100 if not total or done >= total else min(99, 5 + int(done * 94 / total))
        PayrollRun.objects.filter(pk=run.pk, state=State.IMPORTING).update(progress=pct)

    outcome = payroll_import(
        run=run,
        rem_name=run.rem_name,
        rem_bytes=rem_bytes,
        master_bytes=master_bytes,
        actor=actor,
        progress=progress,
    )
    return outcome.payslips


@task()
def render_run_pdfs_task(run_id: int) -> int:
    """Render and store the PDF of every payslip of a published run that has none yet,
    so that payment day serves stored files. Safe to run twice or beside first
    downloads: `payslip_pdf` locks each payslip and renders it once. Stops when the
    run is no longer published (annulled meanwhile)."""

    def still_published() -> bool:
        return PayrollRun.objects.filter(pk=run_id, state=State.PUBLISHED).exists()

    run = PayrollRun.objects.filter(pk=run_id, state=State.PUBLISHED).first()
    if run is None:
        return 0
    payslips = (
        Payslip.objects.of_run(run)
        .filter(published=True, pdf_file="")
        .select_related("run")
        .order_by("pk")
    )
    rendered = 0
    for payslip in payslips.iterator(chunk_size=RENDER_CHUNK):
        if rendered and rendered % RENDER_CHUNK == 0 and not still_published():
            break
        payslip_pdf(payslip)
        rendered += 1
    if rendered:
        # the old row versions and the pending-PDF index entries go (run page's count)
        analyze_payslips(PayrollRun.objects.get(pk=run_id).year, vacuum="full")
    return rendered
