"""The documents a servant may share, one adapter per kind.

Each adapter finds the servant's OWN document through the owning app's scoped selector
(another's, a missing one or one not yet issued: None, the same 404), and gives the
bytes of the PDF through the very function the servant's own download uses, so that
the holder of a link gets the stored, signed file and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.files.storage import default_storage
from django.http import Http404
from django.utils.translation import gettext

from ayni.benefits.models import PaymentCertificate
from ayni.benefits.selectors import my_certificates
from ayni.core.workdays import lima_date
from ayni.payroll.models import Payslip
from ayni.payroll.pdf import payslip_pdf
from ayni.payroll.selectors import get_payslip_for_user
from ayni.personnel.selectors import own_servant
from ayni.reports.models import Resume, ServiceReport
from ayni.reports.selectors import get_my_report
from ayni.reports.services import report_pdf, resume_pdf
from ayni.sharing.models import DocumentKind


@dataclass(frozen=True)
class SharedDocument:
    kind: str
    obj: Any
    servant_id: int
    title: str
    verification_code: str
    filename: str
    read_pdf: Callable[[], bytes]

    @property
    def uuid(self) -> UUID:
        return self.obj.uuid  # type: ignore[no-any-return]

    def pdf(self) -> bytes:
        return self.read_pdf()


def _payslip(slip: Payslip) -> SharedDocument:
    return SharedDocument(
        kind=DocumentKind.PAYSLIP,
        obj=slip,
        servant_id=slip.servant_id,
        title=gettext("Boleta de pago %(period)s") % {"period": slip.period_label},
        verification_code=slip.verification_code,
        filename=slip.filename,
        read_pdf=lambda: payslip_pdf(slip),
    )


def _informe(report: ServiceReport) -> SharedDocument:
    return SharedDocument(
        kind=DocumentKind.INFORME,
        obj=report,
        servant_id=report.servant_id,
        title=gettext("Informe escalafonario N.° %(number)s-%(year)s")
        % {"number": f"{report.number:05d}", "year": report.year},
        verification_code=report.verification_code,
        filename=f"informe-escalafonario-{report.number:05d}-{report.year}.pdf",
        read_pdf=lambda: report_pdf(report),
    )


def _resume(resume: Resume) -> SharedDocument:
    day = lima_date(resume.created_at)
    return SharedDocument(
        kind=DocumentKind.RESUME,
        obj=resume,
        servant_id=resume.servant_id,
        title=gettext("Hoja de vida del %(day)s") % {"day": day.strftime("%d/%m/%Y")},
        verification_code=resume.verification_code,
        filename=f"hoja-de-vida-{day:%Y-%m-%d}.pdf",
        read_pdf=lambda: resume_pdf(resume),
    )


def _stored_constancia(cert: PaymentCertificate) -> bytes:
    # What benefits' own download serves: the stored file of a finished constancia.
    with default_storage.open(cert.pdf_file, "rb") as handle:
        return handle.read()  # type: ignore[no-any-return]


def _constancia(cert: PaymentCertificate) -> SharedDocument:
    return SharedDocument(
        kind=DocumentKind.CONSTANCIA,
        obj=cert,
        servant_id=cert.servant_id,
        title=gettext("Constancia de pagos %(first)s – %(last)s")
        % {"first": f"{cert.first_month:%m/%Y}", "last": f"{cert.last_month:%m/%Y}"},
        verification_code=cert.verification_code,
        filename=f"constancia-pagos-{cert.first_month:%Y-%m}-a-{cert.last_month:%Y-%m}.pdf",
        read_pdf=lambda: _stored_constancia(cert),
    )


def own_document(user: Any, kind: str, ref: UUID | str) -> SharedDocument:
    """The user's own issued document of that kind; Http404 for anything else."""
    if kind == DocumentKind.PAYSLIP:
        return _payslip(get_payslip_for_user(user, ref))
    if kind == DocumentKind.INFORME:
        report = get_my_report(user, ref)
        if report.state != ServiceReport.State.ISSUED:
            raise Http404
        return _informe(report)
    servant = own_servant(user)
    if servant is not None and kind == DocumentKind.RESUME:
        resume = Resume.objects.filter(servant=servant, uuid=ref).first()
        if resume is not None:
            return _resume(resume)
    if servant is not None and kind == DocumentKind.CONSTANCIA:
        cert = (
            my_certificates(user)
            .filter(uuid=ref, state=PaymentCertificate.State.DONE)
            .exclude(pdf_file="")
            .first()
        )
        if cert is not None:
            return _constancia(cert)
    raise Http404


def shared_document(kind: str, ref: UUID, servant_id: int) -> SharedDocument | None:
    """The document a link points at, for its holder (no user): found by its reference
    AND its owner, so a link can never reach another servant's document."""
    if kind == DocumentKind.PAYSLIP:
        slip = (
            Payslip.objects.filter(uuid=ref, servant_id=servant_id, published=True)
            .select_related("run")
            .first()
        )
        return _payslip(slip) if slip else None
    if kind == DocumentKind.INFORME:
        report = (
            ServiceReport.objects.filter(
                uuid=ref, servant_id=servant_id, state=ServiceReport.State.ISSUED
            )
            .select_related("unit")
            .first()
        )
        return _informe(report) if report else None
    if kind == DocumentKind.RESUME:
        resume = Resume.objects.filter(uuid=ref, servant_id=servant_id).first()
        return _resume(resume) if resume else None
    if kind == DocumentKind.CONSTANCIA:
        cert = (
            PaymentCertificate.objects.filter(
                uuid=ref, servant_id=servant_id, state=PaymentCertificate.State.DONE
            )
            .exclude(pdf_file="")
            .first()
        )
        return _constancia(cert) if cert else None
    return None
