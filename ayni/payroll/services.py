"""Writes on payroll runs: create (or reuse) a run, publish it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ayni.core.audit import audit_log
from ayni.core.models import VerificationRecord
from ayni.core.verification import mask_document, mask_name
from ayni.org.models import OrgUnit
from ayni.payroll.importer import PayrollError
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.tasks import render_run_pdfs_task


@transaction.atomic
def run_for_upload(
    *,
    ugel: OrgUnit,
    year: int,
    month: int,
    kind: str,
    payment_date: date,
    additional: bool,
    actor: Any,
) -> PayrollRun:
    """The run a new file goes into: the draft of the period (replaced), or a new one.

    A published run never changes: a correction comes as an additional run.
    """
    runs = PayrollRun.objects.select_for_update().filter(
        ugel=ugel, year=year, month=month, kind=kind
    )
    draft = runs.exclude(state=PayrollRun.State.PUBLISHED).order_by("-sequence").first()
    published = runs.filter(state=PayrollRun.State.PUBLISHED).exists()
    if draft is not None:
        draft.payment_date = payment_date
        draft.state = PayrollRun.State.QUEUED
        draft.errors = []
        draft.progress = 0
        draft.save()
        return draft
    if published and not additional:
        raise PayrollError(
            "La planilla de ese periodo ya está publicada y no cambia. Si "
            "necesita corregirla, marque «planilla adicional»."
        )
    sequence = (runs.aggregate(m=Max("sequence"))["m"] or 0) + 1 if published else 1
    run = PayrollRun.objects.create(
        ugel=ugel,
        year=year,
        month=month,
        kind=kind,
        sequence=sequence,
        payment_date=payment_date,
        created_by=actor,
    )
    audit_log(
        action="payroll.run_created", actor=actor, obj=run, unit_path=ugel.path, detail=str(run)
    )
    return run


@transaction.atomic
def payroll_publish(*, run: PayrollRun, actor: Any) -> PayrollRun:
    """Freeze the run: payslips become visible from their payment date, verifiable."""
    run = PayrollRun.objects.select_for_update(of=("self",)).select_related("ugel").get(pk=run.pk)
    if run.state != PayrollRun.State.DRAFT:
        raise PayrollError(
            f"Solo se publica una planilla en borrador; esta está «{run.get_state_display()}»."
        )
    now = timezone.now()
    records = []
    for code, header, net in (
        Payslip.objects.filter(run=run)
        .values_list("verification_code", "header", "net")
        .iterator(chunk_size=2000)
    ):
        records.append(
            VerificationRecord(
                code=code,
                kind="boleta",
                issuer=f"{run.ugel.name} (RUC {run.ruc})",
                issued_at=now,
                summary={
                    "Documento": "Boleta de pago",
                    "Periodo": run.period_label,
                    "Titular": mask_name(header["apellidos"], header["nombres"]),
                    "Documento de identidad": mask_document(header["documento"]),
                    "Neto a pagar": f"S/ {net:,.2f}",
                },
            )
        )
        if len(records) >= 2000:
            VerificationRecord.objects.bulk_create(records)
            records = []
    VerificationRecord.objects.bulk_create(records)
    Payslip.objects.filter(run=run).update(published=True)
    run.state = PayrollRun.State.PUBLISHED
    run.published_at = now
    run.published_by = actor
    run.save()
    audit_log(
        action="payroll.published",
        actor=actor,
        obj=run,
        unit_path=run.ugel.path,
        detail=f"{run}: {run.payslip_count} boletas, pago {run.payment_date:%d/%m/%Y}",
    )
    if settings.PAYROLL_PRERENDER_PDF:
        run_id = run.pk
        transaction.on_commit(lambda: render_run_pdfs_task.enqueue(run_id))
    return run
