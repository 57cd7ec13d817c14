from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ayni.accounts.permissions import REPORTS_ISSUE, perm_paths, require_perm
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.core.responses import pdf_response
from ayni.core.verification import format_code
from ayni.core.workdays import lima_date, lima_dmy
from ayni.identity.stepup import step_up_refusal
from ayni.org.models import OrgUnit
from ayni.org.selectors import under_any
from ayni.personnel.models import ChangeRequest
from ayni.personnel.selectors import get_servant_for_staff, own_servant
from ayni.personnel.services import servant_read_record
from ayni.reports.models import Resume, ServiceReportRequest
from ayni.reports.selectors import (
    batches_in_scope,
    get_my_report,
    get_report_for_officer,
    get_request_to_issue,
    latest_resume,
    my_report_requests,
    own_informe_requests_pending,
    reports_in_scope,
    requests_to_issue,
)
from ayni.reports.services import (
    informe_annul,
    informe_issue,
    informe_request,
    purposes_for,
    report_pdf,
    resume_batch_start,
    resume_current,
    resume_generate,
    resume_pdf,
)
from ayni.reports.snapshot import file_snapshot

# --- the servant -------------------------------------------------------------------


PDF_WAIT_SECONDS = 20  # after this, the page renders the PDF itself instead of waiting


@require_GET
def my_resume(request: HttpRequest) -> HttpResponse:
    """«Reporte de hoja de vida», self-service: the servant's hoja de vida from the file as
    it stands, at once. The same one while the file does not change; a new one, verifiable
    and superseding the previous, after any change (ayni.reports.services.resume_current)."""
    servant = own_servant(request.user)
    if servant is None:
        raise Http404
    resume, issued_now = resume_current(user=request.user, servant=servant, request=request)
    return render(
        request,
        "reports/my_resume.html",
        {
            **_resume_context(resume),
            "servant": servant,
            "issued_now": issued_now,
            "superseded": Resume.objects.filter(servant=servant).count() > 1,
            # the task may already have run (an immediate backend): ask the row
            "ready": Resume.objects.filter(pk=resume.pk).exclude(pdf_file="").exists(),
        },
    )


def _resume_context(resume: Resume) -> dict[str, Any]:
    return {
        "resume": resume,
        "issued_on": lima_dmy(resume.created_at),
        "code": format_code(resume.verification_code),
    }


@require_GET
def my_resume_status(request: HttpRequest) -> HttpResponse:
    """The download box of the page (polled while the PDF is «en preparación»). When the
    worker is slow, it renders the PDF itself after PDF_WAIT_SECONDS."""
    resume = latest_resume(request.user)
    if resume is None:
        raise Http404
    ready = bool(resume.pdf_file)
    if not ready and (timezone.now() - resume.created_at).total_seconds() >= PDF_WAIT_SECONDS:
        resume_pdf(resume)
        ready = True
    return render(
        request, "reports/_resume_download.html", {**_resume_context(resume), "ready": ready}
    )


@require_GET
def my_resume_pdf(request: HttpRequest) -> HttpResponse:
    resume = latest_resume(request.user)
    if resume is None:
        raise Http404
    return pdf_response(
        resume_pdf(resume),
        f"hoja-de-vida-{lima_date(resume.created_at):%Y-%m-%d}.pdf",
        inline=bool(request.GET.get("ver")),
    )


class InformeRequestForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Finalidad del informe"))
    purpose_detail = forms.CharField(label=_("Detalle (opcional)"), max_length=200, required=False)

    def __init__(self, *args: Any, purposes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = purposes  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
@one_time_form
def my_reports(request: HttpRequest) -> HttpResponse:
    servant = own_servant(request.user)
    if servant is None:
        raise Http404
    form = InformeRequestForm(request.POST or None, purposes=purposes_for(servant))
    if request.method == "POST" and form.is_valid():
        try:
            informe_request(
                user=request.user,
                servant=servant,
                purpose=form.cleaned_data["purpose"],
                detail=form.cleaned_data["purpose_detail"],
                request=request,
            )
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext(
                    "Su pedido de informe escalafonario fue enviado a su "
                    "UGEL. Le avisaremos cuando esté listo."
                ),
            )
            return redirect("reports:my_reports")
    return render(
        request,
        "reports/my_reports.html",
        {"form": form, "requests": my_report_requests(request.user), "servant": servant},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def my_report_pdf(request: HttpRequest, ref: UUID) -> HttpResponse:
    report = get_my_report(request.user, ref)
    return pdf_response(
        report_pdf(report), f"informe-escalafonario-{report.number:05d}-{report.year}.pdf"
    )


# --- escalafón ----------------------------------------------------------------------


@require_perm(REPORTS_ISSUE)
@require_GET
def informe_inbox(request: HttpRequest) -> HttpResponse:
    pending = (
        requests_to_issue(request.user)
        .filter(state=ServiceReportRequest.State.PENDING)
        .order_by("created_at")
    )
    issued = reports_in_scope(request.user)[:50]
    return render(
        request,
        "reports/informe_inbox.html",
        {
            "pending": pending,
            "issued": issued,
            "own_pending": own_informe_requests_pending(request.user),
        },
    )


@require_perm(REPORTS_ISSUE)
@require_http_methods(["GET", "POST"])
@one_time_form
def informe_review(request: HttpRequest, ref: UUID) -> HttpResponse:
    req = get_request_to_issue(request.user, ref)
    if request.method == "POST":
        if refusal := step_up_refusal(request, return_to=request.path):
            return refusal  # issuing an informe: second factor again when stale
        try:
            report = informe_issue(officer=request.user, req=req, request=request)
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, gettext("Se emitió el %(report)s.") % {"report": report.label}
            )
        return redirect("reports:informe_review", ref=req.uuid)
    servant_read_record(request, req.servant, what="Revisión para informe escalafonario")
    pending_changes = ChangeRequest.objects.filter(
        servant=req.servant, state__in=ChangeRequest.OPEN_STATES
    ).count()
    return render(
        request,
        "reports/informe_review.html",
        {
            "req": req,
            "snapshot": file_snapshot(req.servant, lima_date(timezone.now())),
            "pending_changes": pending_changes,
            "report": getattr(req, "report", None) if req.state == "emitido" else None,
        },
    )


@require_perm(REPORTS_ISSUE)
@require_POST
@one_time_form
def informe_annul_view(request: HttpRequest, ref: UUID) -> HttpResponse:
    report = get_report_for_officer(request.user, ref)
    try:
        informe_annul(
            officer=request.user,
            report=report,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, gettext("El informe fue anulado; la verificación lo mostrará así.")
        )
    return redirect("reports:informe_review", ref=report.request.uuid)


@require_perm(REPORTS_ISSUE)
@require_POST
@one_time_form
def resume_generate_view(request: HttpRequest, ref: UUID) -> HttpResponse:
    servant = get_servant_for_staff(request.user, ref, REPORTS_ISSUE)
    resume_generate(servant=servant, actor=request.user, request=request)
    messages.success(request, gettext("Se generó la hoja de vida."))
    return redirect("personnel:servant_detail", ref=servant.uuid)


@require_perm(REPORTS_ISSUE)
@require_http_methods(["GET", "POST"])
@one_time_form
def resume_batches(request: HttpRequest) -> HttpResponse:
    ugels = OrgUnit.objects.filter(
        under_any(perm_paths(request.user, REPORTS_ISSUE)), kind=OrgUnit.Kind.UGEL
    )
    if request.method == "POST":
        unit = ugels.filter(pk=request.POST.get("unit") or 0).first()
        if unit is None:
            raise Http404
        resume_batch_start(officer=request.user, unit=unit)
        messages.success(
            request,
            gettext(
                "La generación continúa en segundo plano. Su propia hoja de vida no se incluye: "
                "la genera otro especialista."
            ),
        )
        return redirect("reports:resume_batches")
    batches = batches_in_scope(request.user)[:20]
    template = (
        "reports/_batches.html"
        if request.headers.get("HX-Request")
        else "reports/resume_batches.html"
    )
    return render(request, template, {"ugels": ugels, "batches": batches})
