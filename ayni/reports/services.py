"""Writes of the reports app: generate a hoja de vida, request/issue/annul an informe.

Each stateful model has its gate (STYLE.md rule 14): `REQUEST_GATE` (pedido →
emitido), `REPORT_GATE` (emitido → anulado), `BATCH_GATE` (the hoja de vida batch).
Rows, numbers and verification records are written in the transaction; the PDF is
rendered from the stored snapshot after commit (a task), so a rollback leaves no
file; a download that finds it missing renders it then (`resume_pdf`, `report_pdf`).
Nobody issues a report on their own record (rule 16).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ayni.accounts.permissions import REPORTS_ISSUE, handling_path, require_perm_on_servant
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.models import VerificationRecord
from ayni.core.notifications import notify
from ayni.core.numbering import next_number
from ayni.core.pdf import render_pdf
from ayni.core.signing import Level, sign_document
from ayni.core.states import Gate
from ayni.core.stored import read_stored
from ayni.core.verification import (
    format_code,
    mask_name,
    new_code,
    verification_annul,
    verification_supersede,
)
from ayni.core.workdays import lima_date, lima_dmy
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.org.models import OrgUnit
from ayni.personnel.models import Servant
from ayni.personnel.service_time import add_months
from ayni.reports.models import Purpose, Resume, ResumeBatch, ServiceReport, ServiceReportRequest
from ayni.reports.snapshot import file_fingerprint, file_snapshot

PDF_DIR = Path(__file__).resolve().parent / "pdf"
VALIDITY_MONTHS = 6
RESUME_WORK = "reports.resume_request"
INFORME_WORK = "reports.informe_request"


class ReportError(UserError):
    """A refusal for the user, in Spanish."""


def issuing_unit(servant: Servant) -> OrgUnit:
    return servant.employing_unit


def _mask(servant: Servant) -> str:
    surnames = " ".join(p for p in (servant.paternal_surname, servant.maternal_surname) if p)
    return mask_name(surnames, servant.given_names)


def _store(folder: str, ref: str, pdf: bytes) -> tuple[str, str]:
    name = default_storage.save(f"{folder}/{ref}.pdf", ContentFile(pdf))
    return name, hashlib.sha256(pdf).hexdigest()


def _common(unit: OrgUnit, code: str, now: Any) -> dict[str, Any]:
    return {
        "issuer": unit.name,
        "code": format_code(code),
        "issued_on": lima_dmy(now),
        "verify_url": f"{settings.SITE_URL}/verificar/",
    }


def _qr(code: str) -> str:
    return f"{settings.SITE_URL}/verificar/?c={code}"


# --- gates ----------------------------------------------------------------------------

REQUEST_GATE = Gate(
    action_prefix="reports.informe_request",
    allowed={ServiceReportRequest.State.PENDING: frozenset({ServiceReportRequest.State.ISSUED})},
    what=gettext_lazy("El pedido de informe"),
    labels=dict(ServiceReportRequest.State.choices),  # type: ignore[arg-type]
)
REPORT_GATE = Gate(
    action_prefix="reports.informe",
    allowed={ServiceReport.State.ISSUED: frozenset({ServiceReport.State.ANNULLED})},
    what=gettext_lazy("El informe"),
    labels=dict(ServiceReport.State.choices),  # type: ignore[arg-type]
)
_B = ResumeBatch.State
BATCH_GATE = Gate(
    action_prefix="reports.batch",
    allowed={
        _B.QUEUED: frozenset({_B.RUNNING, _B.FAILED}),
        _B.RUNNING: frozenset({_B.DONE, _B.FAILED}),
    },
    what=gettext_lazy("La generación en lote"),
    labels=dict(_B.choices),  # type: ignore[arg-type]
)

# Purposes that belong only to active service: not offered to retired servants.
ACTIVE_ONLY_PURPOSES = frozenset({Purpose.ASCENSO, Purpose.ACCESO, Purpose.CONCURSO})


def purposes_for(servant: Servant) -> list[tuple[str, Any]]:
    """The informe purposes the servant may ask for (a cesante: none of active service)."""
    return [
        (value, label)
        for value, label in Purpose.choices
        if not (servant.is_retired and value in ACTIVE_ONLY_PURPOSES)
    ]


# --- PDFs, after commit -------------------------------------------------------------------


def _render_resume(resume: Resume) -> bytes:
    pdf = render_pdf(
        PDF_DIR / "hoja_de_vida.typ",
        {
            **_common(resume.unit, resume.verification_code, resume.created_at),
            "snapshot": resume.snapshot,
        },
        timestamp=resume.created_at.replace(microsecond=0),
        qr_payload=_qr(resume.verification_code),
    )
    return _sign(pdf, resume.unit, resume.verification_code, resume.created_at)


def _sign(pdf: bytes, unit: OrgUnit, code: str, at: Any) -> bytes:
    """Reports at B-T when a timestamp authority is configured (docs/firma.md)."""
    return sign_document(
        pdf, unit, level=Level.B_T, code=format_code(code), signing_time=at.replace(microsecond=0)
    )


def _render_report(report: ServiceReport) -> bytes:
    req = report.request
    data = {
        **_common(report.unit, report.verification_code, report.issued_at),
        "snapshot": report.snapshot,
        "number": f"{report.number:05d}-{report.year}-{report.unit.code}",
        "purpose": req.get_purpose_display()
        + (f" ({req.purpose_detail})" if req.purpose_detail else ""),
        "valid_until": report.valid_until.strftime("%d/%m/%Y"),
        "officer_name": report.issued_by.full_name,
        "officer_post": report.officer_post or gettext("Especialista de Escalafón"),
    }
    pdf = render_pdf(
        PDF_DIR / "informe.typ",
        data,
        timestamp=report.issued_at,
        qr_payload=_qr(report.verification_code),
    )
    return _sign(pdf, report.unit, report.verification_code, report.issued_at)


def _ensure_pdf(model: Any, pk: int, folder: str, render: Any) -> bytes:
    """The stored PDF of a resume or report; rendered and stored on first need, under a
    row lock so that two first downloads store one file."""
    obj = model.objects.get(pk=pk)
    stored = read_stored(obj.pdf_file)
    if stored is not None:
        return stored
    with transaction.atomic():
        locked = model.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)
        stored = read_stored(locked.pdf_file)
        if stored is not None:
            return stored
        pdf: bytes = render(locked)
        name, digest = _store(folder, str(locked.uuid), pdf)
        model.objects.filter(pk=pk).update(pdf_file=name, pdf_sha256=digest)
        VerificationRecord.objects.filter(code=locked.verification_code).update(pdf_sha256=digest)
        return pdf


def resume_pdf(resume: Resume) -> bytes:
    return _ensure_pdf(Resume, resume.pk, "resumes", _render_resume)


def report_pdf(report: ServiceReport) -> bytes:
    return _ensure_pdf(ServiceReport, report.pk, "informes", _render_report)


def _render_after_commit(kind: str, pk: int) -> None:
    from ayni.reports.tasks import render_report_pdf_task  # tasks import this module

    transaction.on_commit(lambda: render_report_pdf_task.enqueue(kind, pk))


# --- hoja de vida -------------------------------------------------------------------


def _issue_resume(
    *,
    servant: Servant,
    generated_by: Any,
    actor: Any,
    action: str,
    request: HttpRequest | None,
    reuse_unchanged: bool,
) -> tuple[Resume, bool]:
    """Snapshot the file and make it verifiable; the PDF follows after commit.

    With `reuse_unchanged`, the latest issue is returned when the file has not changed
    since (same fingerprint): (resume, False). Otherwise a new issue supersedes it.
    """
    now = timezone.now().replace(microsecond=0)
    unit = issuing_unit(servant)
    snapshot = file_snapshot(servant, lima_date(now))
    fingerprint = file_fingerprint(snapshot)
    with transaction.atomic():
        # One issue at a time per servant, so the previous one is superseded exactly once
        # and two first visits at once issue one.
        Servant.objects.select_for_update().filter(pk=servant.pk).first()
        previous = Resume.objects.filter(servant=servant).order_by("-created_at", "-id").first()
        if reuse_unchanged and previous is not None and previous.fingerprint == fingerprint:
            return previous, False
        code = new_code()
        resume = Resume(
            servant=servant,
            unit=unit,
            generated_by=generated_by,
            snapshot=snapshot,
            verification_code=code,
            fingerprint=fingerprint,
        )
        resume.save()
        VerificationRecord.objects.create(
            code=code,
            kind="hoja_de_vida",
            issuer=unit.name,
            issued_at=now,
            summary={
                "Documento": "Hoja de vida",
                "Titular": _mask(servant),
                "Tiempo de servicios": snapshot["header"]["tiempo_servicios"],
            },
        )
        if previous is not None:  # stays genuine for its date and names the newer one
            verification_supersede(previous.verification_code, newer_code=code, at=now)
        audit_log(
            action=action,
            actor=actor,
            request=request,
            subject_type="servant",
            subject_id=servant.pk,
            obj=resume,
            unit_path=unit.path,
        )
        work_item_close(source_type="servant", source_id=str(servant.pk), kind=RESUME_WORK)
        _render_after_commit("resume", resume.pk)
    return resume, True


def resume_generate(
    *, servant: Servant, actor: Any = None, request: HttpRequest | None = None
) -> Resume:
    """Staff (or the system, `actor` None: the demo load, a batch) issue a hoja de vida
    now, even if the file did not change. Nobody generates their own as staff."""
    if actor is not None:
        require_perm_on_servant(actor, REPORTS_ISSUE, servant)
    resume, _ = _issue_resume(
        servant=servant,
        generated_by=actor,
        actor=actor,
        action="reports.resume_generated",
        request=request,
        reuse_unchanged=False,
    )
    return resume


def resume_current(
    *, user: Any, servant: Servant, request: HttpRequest | None = None
) -> tuple[Resume, bool]:
    """The servant's own hoja de vida, self-service: the latest one while the file has
    not changed since it was issued; otherwise a new one, issued at once from the file
    as it stands (active or retired). Returns (resume, issued_now)."""
    if servant.user_id is None or servant.user_id != getattr(user, "pk", None):
        raise ReportError(gettext("Solo puede obtener su propia hoja de vida."))
    return _issue_resume(
        servant=servant,
        generated_by=None,  # the system, from the validated file: not a staff act
        actor=user,
        action="reports.resume_self_issued",
        request=request,
        reuse_unchanged=True,
    )


def resume_batch_start(*, officer: Any, unit: OrgUnit) -> ResumeBatch:
    """Queue the hojas de vida of a UGEL (the task skips the officer's own record)."""
    with transaction.atomic():
        batch = ResumeBatch.objects.create(unit=unit, requested_by=officer)
        batch_id = batch.pk
        from ayni.reports.tasks import resume_batch_task

        transaction.on_commit(lambda: resume_batch_task.enqueue(batch_id))
    return batch


# --- informe escalafonario ----------------------------------------------------------


def informe_check(*, servant: Servant, purpose: str) -> None:
    """Refuse a request that cannot be made (before anything is written)."""
    if purpose not in Purpose.values:
        raise ReportError(gettext("Elija la finalidad del informe."))
    if servant.is_retired and purpose in ACTIVE_ONLY_PURPOSES:
        raise ReportError(
            gettext(
                "Esa finalidad corresponde al servicio activo. Como cesante puede pedir el "
                "informe para su pensión, CTS, subsidios u otro trámite."
            )
        )
    if ServiceReportRequest.objects.filter(
        servant=servant, purpose=purpose, state=ServiceReportRequest.State.PENDING
    ).exists():
        raise ReportError(
            gettext(
                "Ya tiene un pedido de informe pendiente con esa finalidad. Espere a que su UGEL "
                "lo emita; puede seguirlo en «Informes escalafonarios»."
            )
        )


@transaction.atomic
def informe_request(
    *,
    user: Any,
    servant: Servant,
    purpose: str,
    detail: str = "",
    request: HttpRequest | None = None,
) -> ServiceReportRequest:
    if servant.user_id != getattr(user, "pk", None):
        raise ReportError(gettext("Solo puede pedir informes de su propio legajo."))
    informe_check(servant=servant, purpose=purpose)
    req = ServiceReportRequest.objects.create(
        servant=servant,
        purpose=purpose,
        purpose_detail=detail[:200],
        requested_by=user,
        unit_path=servant.employing_unit.path,
    )
    work_item_post(
        kind=INFORME_WORK,
        title=gettext("Emitir informe escalafonario (%(purpose)s) de %(name)s")
        % {"purpose": req.get_purpose_display(), "name": servant.full_name},
        link=reverse("reports:informe_review", args=[req.uuid]),
        unit_path=handling_path(req.unit_path, REPORTS_ISSUE, servant.user_id),
        permission=REPORTS_ISSUE,
        source_type="informe_request",
        source_id=str(req.pk),
        not_for=servant.user,
    )
    audit_log(
        action="reports.informe_requested",
        actor=user,
        request=request,
        subject_type="servant",
        subject_id=servant.pk,
        obj=req,
        unit_path=req.unit_path,
        after={"purpose": purpose},
    )
    return req


def informe_issue(
    *, officer: Any, req: ServiceReportRequest, request: HttpRequest | None = None
) -> ServiceReport:
    """Number, snapshot and make verifiable in one transaction; the PDF after commit."""
    with transaction.atomic():
        req = (
            ServiceReportRequest.objects.select_for_update(of=("self",))
            .select_related("servant__employing_unit", "servant__user")
            .get(pk=req.pk)
        )
        servant = req.servant
        require_perm_on_servant(officer, REPORTS_ISSUE, servant)
        if req.state != ServiceReportRequest.State.PENDING:
            raise ReportError(gettext("Ese pedido ya fue atendido."))
        unit = issuing_unit(servant)
        now = timezone.now().replace(microsecond=0)
        today = lima_date(now)
        number = next_number(f"informe:{unit.code}", today.year)
        code = new_code()
        snapshot = file_snapshot(servant, today)
        officer_servant = Servant.objects.filter(user=officer).first()
        valid_until = add_months(today, VALIDITY_MONTHS)
        report = ServiceReport.objects.create(
            request=req,
            servant=servant,
            unit=unit,
            year=today.year,
            number=number,
            issued_at=now,
            issued_by=officer,
            officer_post=officer_servant.position if officer_servant else "",
            valid_until=valid_until,
            snapshot=snapshot,
            verification_code=code,
        )
        REQUEST_GATE.move(
            req,
            ServiceReportRequest.State.ISSUED,
            actor=officer,
            request=request,
            unit_path=unit.path,
            subject_type="servant",
            subject_id=servant.pk,
            after={"number": number, "year": today.year, "report": str(report.uuid)},
            detail=report.label,
        )
        VerificationRecord.objects.create(
            code=code,
            kind="informe_escalafonario",
            issuer=unit.name,
            issued_at=now,
            valid_until=valid_until,
            summary={
                "Documento": f"Informe escalafonario N.° {number:05d}-{today.year}-{unit.code}",
                "Titular": _mask(servant),
                "Finalidad": req.get_purpose_display(),
                "Tiempo de servicios": snapshot["service"]["total"],
            },
        )
        work_item_close(source_type="informe_request", source_id=str(req.pk))
        if servant.user is not None:
            notify(
                recipient=servant.user,
                title=gettext("Su informe escalafonario está listo"),
                link=reverse("reports:my_reports"),
            )
        _render_after_commit("report", report.pk)
    return report


@transaction.atomic
def informe_annul(
    *, officer: Any, report: ServiceReport, reason: str, request: HttpRequest | None = None
) -> ServiceReport:
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(gettext("Escriba el motivo de la anulación."))
    report = (
        ServiceReport.objects.select_for_update(of=("self",))
        .select_related("unit", "servant__employing_unit")
        .get(pk=report.pk)
    )
    require_perm_on_servant(officer, REPORTS_ISSUE, report.servant)
    if report.state == ServiceReport.State.ANNULLED:
        raise ReportError(gettext("El informe ya está anulado."))
    REPORT_GATE.move(
        report,
        ServiceReport.State.ANNULLED,
        actor=officer,
        request=request,
        comment=reason,
        fields={
            "annulled_reason": reason[:300],
            "annulled_at": timezone.now(),
            "annulled_by": officer,
        },
        unit_path=report.unit.path,
        subject_type="servant",
        subject_id=report.servant_id,
    )
    record = VerificationRecord.objects.get(code=report.verification_code)
    verification_annul(record, reason[:300])
    return report
