"""Writes on payroll runs: a new run for each upload, publication, annulment.

Every state change goes through `ayni.payroll.states.run_move` (the one gate).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.core.audit import audit_log
from ayni.core.formats import soles
from ayni.core.models import VerificationRecord
from ayni.core.verification import mask_document, mask_name
from ayni.org.models import OrgUnit
from ayni.payroll.importer import PayrollError
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.states import CLOSED_STATES, OPEN_STATES, run_move
from ayni.payroll.tasks import render_run_pdfs_task
from ayni.payroll.writer import analyze, analyze_payslips

State = PayrollRun.State
SUPERSEDED_NOTE = _("Se cargó un archivo más nuevo para el mismo periodo.")
MIN_REASON = 10
# What the public verification page says of an annulled payslip (the officer's own
# words stay inside Ayni: they may name people). Both are stored: str() when writing.
ANNULLED_PUBLIC = _(
    "La planilla de esta boleta fue anulada por la UGEL; la reemplaza una planilla "
    "adicional del mismo periodo."
)


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


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
    request: HttpRequest | None = None,
    rem_name: str = "",
    rem_file: str = "",
    master_file: str = "",
) -> PayrollRun:
    """A new run, queued, for a new file: the newest upload of a period wins.

    The period's open upload (queued, importing, failed or draft) is superseded
    and keeps its number; its task, if still to come, then does nothing. A
    published or annulled run never changes: a correction is an adicional run
    (the next number), which the uploader must ask for.
    """
    # One upload of a UGEL at a time (FOR NO KEY UPDATE: rows that merely point at
    # the UGEL, like the servants an import creates, do not wait for it).
    list(OrgUnit.objects.select_for_update(no_key=True).filter(pk=ugel.pk).values_list("pk"))
    runs = list(
        PayrollRun.objects.select_for_update(of=("self",))
        .select_related("ugel")
        .filter(ugel=ugel, year=year, month=month, kind=kind)
        .exclude(state=State.SUPERSEDED)
    )
    open_runs = [r for r in runs if r.state in OPEN_STATES]
    closed = [r for r in runs if r.state in CLOSED_STATES]
    if closed and not additional:
        raise PayrollError(
            gettext(
                "La planilla de ese periodo ya está publicada (o anulada) y no cambia. Si "
                "necesita corregirla, marque «planilla adicional»."
            )
        )
    if open_runs:
        sequence = max(r.sequence for r in open_runs)
    elif closed:
        sequence = max(r.sequence for r in closed) + 1
    else:
        sequence = 1
    for old in open_runs:
        run_move(
            old,
            State.SUPERSEDED,
            expected=old.state,
            actor=actor,
            request=request,
            comment=str(SUPERSEDED_NOTE),
        )
    run = PayrollRun.objects.create(
        ugel=ugel,
        year=year,
        month=month,
        kind=kind,
        sequence=sequence,
        payment_date=payment_date,
        rem_name=rem_name[:120],
        rem_file=rem_file,
        master_file=master_file,
        created_by=_actor(actor),
    )
    if open_runs:
        PayrollRun.objects.filter(pk__in=[r.pk for r in open_runs]).update(superseded_by=run)
    audit_log(
        action="payroll.run_created",
        actor=actor,
        request=request,
        obj=run,
        unit_path=ugel.path,
        after={
            "sequence": sequence,
            "rem_name": run.rem_name,
            "replaces": [str(r.uuid) for r in open_runs],
        },
        detail=str(run),
    )
    return run


def queue_upload(
    data: dict[str, Any],
    *,
    actor: Any,
    request: HttpRequest,
    still_allowed: Callable[[], None] | None = None,
) -> PayrollRun:
    """Store an upload's two files and queue their import as a new run (the upload page's
    and the API's one path). `data` is UploadForm's cleaned data. `still_allowed`, when
    given, runs inside the transaction and raises to refuse (the API re-checks its token
    there). Refused or failed, the stored files are removed and the error goes on."""
    from ayni.payroll.tasks import import_payroll_task

    token = uuid.uuid4().hex
    rem_file = default_storage.save(f"payroll/uploads/{token}.rem", data["rem"])
    master_file = default_storage.save(f"payroll/uploads/{token}.csv", data["master"])
    try:
        with transaction.atomic():
            if still_allowed is not None:
                still_allowed()
            run = run_for_upload(
                ugel=data["ugel"],
                year=data["year"],
                month=data["month"],
                kind=data["kind"],
                payment_date=data["payment_date"],
                additional=data["additional"],
                actor=actor,
                request=request,
                rem_name=data["rem"].name,
                rem_file=rem_file,
                master_file=master_file,
            )
            run_id, actor_id = run.pk, actor.pk
            transaction.on_commit(lambda: import_payroll_task.enqueue(run_id, actor_id))
    except Exception:
        default_storage.delete(rem_file)
        default_storage.delete(master_file)
        raise
    return run


@transaction.atomic
def payroll_publish(
    *, run: PayrollRun, actor: Any, request: HttpRequest | None = None
) -> PayrollRun:
    """Freeze the run: payslips become visible from their payment date, verifiable."""
    run = PayrollRun.objects.select_related("ugel").get(pk=run.pk)
    now = timezone.now()
    # the conditional move first: it takes the row, so nothing else moves it meanwhile
    run_move(
        run,
        State.PUBLISHED,
        expected=State.DRAFT,
        actor=actor,
        request=request,
        fields={"published_at": now, "published_by": _actor(actor)},
        after={"payslips": run.payslip_count, "payment_date": run.payment_date.isoformat()},
        comment=f"{run.payslip_count} boletas, pago {run.payment_date:%d/%m/%Y}",
    )
    records = []
    for code, header, net in (
        Payslip.objects.of_run(run)
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
                    "Neto a pagar": soles(net),
                },
            )
        )
        if len(records) >= 2000:
            VerificationRecord.objects.bulk_create(records)
            records = []
    VerificationRecord.objects.bulk_create(records)
    Payslip.objects.of_run(run).update(published=True)
    # statistics of the rewritten payslips and the new records, once they are committed
    year = run.year

    def statistics() -> None:
        # the heap only: a full VACUUM would scan every index of the year's partition
        # (the whole sector's) inside the officer's request; the render task, in the
        # background, ends with one
        analyze_payslips(year, vacuum="heap")
        analyze(VerificationRecord._meta.db_table)

    transaction.on_commit(statistics)
    if settings.PAYROLL_PRERENDER_PDF:
        run_id = run.pk
        transaction.on_commit(lambda: render_run_pdfs_task.enqueue(run_id))
    return run


@transaction.atomic
def payroll_annul(
    *, run: PayrollRun, actor: Any, reason: str, request: HttpRequest | None = None
) -> PayrollRun:
    """Annul a published run: its payslips stay, marked annulled, and verify as
    annulled; an adicional run of the same period replaces it."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise PayrollError(
            gettext(
                "Escriba el motivo de la anulación (al menos %(n)s caracteres): queda en el "
                "historial de la planilla."
            )
            % {"n": MIN_REASON}
        )
    run = PayrollRun.objects.select_related("ugel").get(pk=run.pk)
    if run.state not in (State.PUBLISHED, State.ANNULLED):
        raise PayrollError(
            gettext(
                "Solo se anula una planilla publicada; esta está «%(state)s». Un borrador se "
                "reemplaza cargando otro archivo."
            )
            % {"state": run.get_state_display()}
        )
    now = timezone.now()
    run_move(
        run,
        State.ANNULLED,
        expected=State.PUBLISHED,
        actor=actor,
        request=request,
        comment=reason,
        fields={"annulled_at": now, "annulled_by": _actor(actor), "annulled_reason": reason[:300]},
        after={"reason": reason[:300]},
    )
    VerificationRecord.objects.filter(
        code__in=Payslip.objects.of_run(run).values("verification_code")
    ).update(
        status=VerificationRecord.Status.ANNULLED,
        annulled_reason=str(ANNULLED_PUBLIC),
        updated_at=now,
    )
    return run
