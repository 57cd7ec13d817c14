"""Writes of the reports app: generate a hoja de vida, request/issue/annul an informe."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ayni.accounts.permissions import REPORTS_ISSUE
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.models import VerificationRecord
from ayni.core.notifications import notify
from ayni.core.numbering import next_number
from ayni.core.pdf import render_pdf
from ayni.core.verification import format_code, mask_name, new_code, verification_annul
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.org.models import OrgUnit
from ayni.personnel.models import Servant
from ayni.personnel.service_time import add_months
from ayni.reports.models import Purpose, Resume, ServiceReport, ServiceReportRequest
from ayni.reports.snapshot import file_snapshot

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
        "issued_on": timezone.localtime(now).strftime("%d/%m/%Y"),
        "verify_url": f"{settings.SITE_URL}/verificar/",
    }


def _qr(code: str) -> str:
    return f"{settings.SITE_URL}/verificar/?c={code}"


# --- hoja de vida -------------------------------------------------------------------


def resume_generate(*, servant: Servant, actor: Any = None) -> Resume:
    """Snapshot the validated file, render and store the PDF, make it verifiable."""
    now = timezone.now().replace(microsecond=0)
    unit = issuing_unit(servant)
    code = new_code()
    snapshot = file_snapshot(servant, timezone.localdate())
    pdf = render_pdf(
        PDF_DIR / "hoja_de_vida.typ",
        {**_common(unit, code, now), "snapshot": snapshot},
        timestamp=now,
        qr_payload=_qr(code),
    )
    with transaction.atomic():
        resume = Resume(
            servant=servant,
            unit=unit,
            generated_by=actor,
            snapshot=snapshot,
            verification_code=code,
        )
        resume.pdf_file, resume.pdf_sha256 = _store("resumes", str(resume.uuid), pdf)
        resume.save()
        VerificationRecord.objects.create(
            code=code,
            kind="hoja_de_vida",
            issuer=unit.name,
            issued_at=now,
            pdf_sha256=resume.pdf_sha256,
            summary={
                "Documento": "Hoja de vida",
                "Titular": _mask(servant),
                "Tiempo de servicios": snapshot["header"]["tiempo_servicios"],
            },
        )
        audit_log(
            action="reports.resume_generated",
            actor=actor,
            subject_type="servant",
            subject_id=servant.pk,
            obj=resume,
            unit_path=unit.path,
        )
        work_item_close(source_type="servant", source_id=str(servant.pk), kind=RESUME_WORK)
    return resume


def resume_request(*, user: Any, servant: Servant) -> bool:
    """The servant asks the UGEL for a hoja de vida; False when one is already asked."""
    if servant.user_id != user.pk:
        raise ReportError("Solo puede pedir su propia hoja de vida.")
    item = work_item_post(
        kind=RESUME_WORK,
        title=f"Generar la hoja de vida de {servant.full_name}",
        link=reverse("personnel:servant_detail", args=[servant.uuid]),
        unit_path=servant.employing_unit.path,
        permission=REPORTS_ISSUE,
        source_type="servant",
        source_id=str(servant.pk),
    )
    audit_log(
        action="reports.resume_requested",
        actor=user,
        subject_type="servant",
        subject_id=servant.pk,
        unit_path=servant.employing_unit.path,
    )
    return bool(item)


# --- informe escalafonario ----------------------------------------------------------


@transaction.atomic
def informe_request(
    *, user: Any, servant: Servant, purpose: str, detail: str = ""
) -> ServiceReportRequest:
    if servant.user_id != getattr(user, "pk", None):
        raise ReportError("Solo puede pedir informes de su propio legajo.")
    if purpose not in Purpose.values:
        raise ReportError("Elija la finalidad del informe.")
    if ServiceReportRequest.objects.filter(
        servant=servant, purpose=purpose, state=ServiceReportRequest.State.PENDING
    ).exists():
        raise ReportError("Ya tiene un pedido pendiente con esa finalidad.")
    req = ServiceReportRequest.objects.create(
        servant=servant,
        purpose=purpose,
        purpose_detail=detail[:200],
        requested_by=user,
        unit_path=servant.employing_unit.path,
    )
    work_item_post(
        kind=INFORME_WORK,
        title=f"Emitir informe escalafonario ({req.get_purpose_display()}) de {servant.full_name}",
        link=reverse("reports:informe_review", args=[req.uuid]),
        unit_path=req.unit_path,
        permission=REPORTS_ISSUE,
        source_type="informe_request",
        source_id=str(req.pk),
    )
    audit_log(
        action="reports.informe_requested",
        actor=user,
        subject_type="servant",
        subject_id=servant.pk,
        obj=req,
        unit_path=req.unit_path,
        after={"purpose": purpose},
    )
    return req


def informe_issue(*, officer: Any, req: ServiceReportRequest) -> ServiceReport:
    """Number, snapshot, render and store the informe in one transaction."""
    with transaction.atomic():
        req = (
            ServiceReportRequest.objects.select_for_update(of=("self",))
            .select_related("servant__employing_unit", "servant__user")
            .get(pk=req.pk)
        )
        if req.state != ServiceReportRequest.State.PENDING:
            raise ReportError("Ese pedido ya fue atendido.")
        servant = req.servant
        unit = issuing_unit(servant)
        now = timezone.now().replace(microsecond=0)
        today = timezone.localdate()
        number = next_number(f"informe:{unit.code}", today.year)
        code = new_code()
        snapshot = file_snapshot(servant, today)
        officer_servant = getattr(officer, "servant", None)
        valid_until = add_months(today, VALIDITY_MONTHS)
        report = ServiceReport(
            request=req,
            servant=servant,
            unit=unit,
            year=today.year,
            number=number,
            issued_at=now,
            issued_by=officer,
            valid_until=valid_until,
            snapshot=snapshot,
            verification_code=code,
        )
        data = {
            **_common(unit, code, now),
            "snapshot": snapshot,
            "number": f"{number:05d}-{today.year}-{unit.code}",
            "purpose": req.get_purpose_display()
            + (f" ({req.purpose_detail})" if req.purpose_detail else ""),
            "valid_until": valid_until.strftime("%d/%m/%Y"),
            "officer_name": officer.full_name,
            "officer_post": (
                officer_servant.position if officer_servant else "Especialista de Escalafón"
            ),
        }
        pdf = render_pdf(PDF_DIR / "informe.typ", data, timestamp=now, qr_payload=_qr(code))
        report.pdf_file, report.pdf_sha256 = _store("informes", str(report.uuid), pdf)
        report.save()
        req.state = ServiceReportRequest.State.ISSUED
        req.save(update_fields=["state", "updated_at"])
        VerificationRecord.objects.create(
            code=code,
            kind="informe_escalafonario",
            issuer=unit.name,
            issued_at=now,
            valid_until=valid_until,
            pdf_sha256=report.pdf_sha256,
            summary={
                "Documento": f"Informe escalafonario N.° {number:05d}-{today.year}-{unit.code}",
                "Titular": _mask(servant),
                "Finalidad": req.get_purpose_display(),
                "Tiempo de servicios": snapshot["service"]["total"],
            },
        )
        audit_log(
            action="reports.informe_issued",
            actor=officer,
            subject_type="servant",
            subject_id=servant.pk,
            obj=report,
            unit_path=unit.path,
            after={"number": number, "year": today.year},
        )
        work_item_close(source_type="informe_request", source_id=str(req.pk))
        if servant.user is not None:
            notify(
                recipient=servant.user,
                title="Su informe escalafonario está listo",
                link=reverse("reports:my_reports"),
            )
    return report


@transaction.atomic
def informe_annul(*, officer: Any, report: ServiceReport, reason: str) -> ServiceReport:
    reason = (reason or "").strip()
    if not reason:
        raise ReportError("Escriba el motivo de la anulación.")
    report = (
        ServiceReport.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=report.pk)
    )
    if report.state == ServiceReport.State.ANNULLED:
        raise ReportError("El informe ya está anulado.")
    report.state = ServiceReport.State.ANNULLED
    report.annulled_reason = reason[:300]
    report.annulled_at = timezone.now()
    report.annulled_by = officer
    report.save()
    record = VerificationRecord.objects.get(code=report.verification_code)
    verification_annul(record, reason[:300])
    audit_log(
        action="reports.informe_annulled",
        actor=officer,
        subject_type="servant",
        subject_id=report.servant_id,
        obj=report,
        unit_path=report.unit.path,
        before={"state": "emitido"},
        after={"state": "anulado"},
        detail=reason[:200],
    )
    return report
