"""Thin views: «¿Cumplo los requisitos?», the constancia de pagos, benefit requests."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from ayni.accounts.permissions import (
    PAYROLL_MANAGE,
    SELF_ACTION_MESSAGE,
    SelfActionError,
    require_perm,
)
from ayni.benefits.constancia import first_paid_month, last_paid_month, month_range
from ayni.benefits.documents import REQUESTABLE, REQUIRED_DOCUMENTS
from ayni.benefits.facts import facts_of
from ayni.benefits.models import Benefit, BenefitRequest, PaymentCertificate
from ayni.benefits.requirements import evaluate
from ayni.benefits.selectors import (
    get_certificate_for_user,
    get_request_for_user,
    my_benefit_requests,
    my_certificates,
    officer_benefit_requests,
    officer_certificates,
)
from ayni.benefits.services import (
    benefit_request_decide,
    benefit_request_file,
    constancia_read_record,
    constancia_request,
    preliminary,
    today_lima,
)
from ayni.benefits.survivors import (
    SurvivorClaimForm,
    follow_claim,
    survivor_claim_confirm,
    survivor_claim_submit,
)
from ayni.core import throttle
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.core.responses import pdf_response
from ayni.core.verification import format_code
from ayni.desk.cases import case_timeline
from ayni.desk.challenge import with_new_challenge
from ayni.desk.uploads import CheckedPdf, check_pdf
from ayni.identity.stepup import step_up_refusal
from ayni.personnel.file_selectors import compute_service_time
from ayni.personnel.selectors import own_servant, servants_in_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_or_404(request: HttpRequest) -> Any:
    servant = own_servant(request.user)
    if servant is None:
        raise Http404
    return servant


@require_GET
def requirements(request: HttpRequest) -> HttpResponse:
    servant = _own_or_404(request)
    today = today_lima()
    facts = facts_of(servant, today)
    return render(
        request,
        "benefits/requirements.html",
        {
            "servant": servant,
            "answers": evaluate(servant, facts, today),
            "service": compute_service_time(servant, today).total,
            "today": today,
        },
    )


# --- constancia de pagos --------------------------------------------------------------


def _range_defaults(servant: Any, today: Any) -> dict[str, str]:
    """The 24 months ending with the latest month paid (or the current month)."""
    first = first_paid_month(servant, today)
    latest = last_paid_month(servant, today) or today.replace(day=1)
    start = latest.year * 12 + latest.month - 1 - 23
    return {
        "first": f"{start // 12:04d}-{start % 12 + 1:02d}",
        "last": f"{latest.year:04d}-{latest.month:02d}",
        "history_first": f"{first.year:04d}-{first.month:02d}" if first else "",
    }


@require_http_methods(["GET", "POST"])
@one_time_form
def constancias(request: HttpRequest) -> HttpResponse:
    servant = _own_or_404(request)
    today = today_lima()
    error = ""
    values = _range_defaults(servant, today)
    if request.method == "POST":
        values.update(
            first=request.POST.get("first", "")[:7], last=request.POST.get("last", "")[:7]
        )
        try:
            span = month_range(values["first"], values["last"], today)
            cert = constancia_request(
                user=request.user, servant=servant, span=span, request=request
            )
        except UserError as exc:
            error = exc.message
        else:
            return redirect("benefits:constancia", ref=cert.uuid)
    return render(
        request,
        "benefits/constancias.html",
        {
            "servant": servant,
            "values": values,
            "error": error,
            "certificates": my_certificates(request.user)[:20],
        },
        status=400 if error else 200,
    )


@require_GET
def constancia(request: HttpRequest, ref: UUID) -> HttpResponse:
    cert, staff = get_certificate_for_user(request.user, ref)
    template = (
        "benefits/_constancia_status.html"
        if request.headers.get("HX-Request")
        else "benefits/constancia.html"
    )
    return render(
        request,
        template,
        {"cert": cert, "staff": staff, "code": format_code(cert.verification_code)},
    )


def _stored(cert: PaymentCertificate, name: str) -> bytes:
    if cert.state != PaymentCertificate.State.DONE or not name:
        raise Http404
    with default_storage.open(name, "rb") as handle:
        return handle.read()  # type: ignore[no-any-return]


def _filename(cert: PaymentCertificate, ext: str) -> str:
    return f"constancia-pagos-{cert.first_month:%Y-%m}-a-{cert.last_month:%Y-%m}.{ext}"


@require_GET
def constancia_pdf(request: HttpRequest, ref: UUID) -> HttpResponse:
    cert, staff = get_certificate_for_user(request.user, ref)
    data = _stored(cert, cert.pdf_file)
    if staff:
        constancia_read_record(request, cert, "PDF")
    return pdf_response(data, _filename(cert, "pdf"))


@require_GET
def constancia_xlsx(request: HttpRequest, ref: UUID) -> HttpResponse:
    cert, staff = get_certificate_for_user(request.user, ref)
    data = _stored(cert, cert.xlsx_file)
    if staff:
        constancia_read_record(request, cert, "XLSX")
    response = HttpResponse(data, content_type=XLSX)
    # our own ASCII name (dates only): core.responses.content_disposition is for PDFs
    response["Content-Disposition"] = f'attachment; filename="{_filename(cert, "xlsx")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_perm(PAYROLL_MANAGE)
@require_http_methods(["GET", "POST"])
@one_time_form
def officer_constancias(request: HttpRequest) -> HttpResponse:
    """A payroll officer issues a constancia for a servant in scope (by document)."""
    today = today_lima()
    error = ""
    values = {
        "doc": "",
        "first": f"{today.year - 2:04d}-{today.month:02d}",
        "last": f"{today.year:04d}-{today.month:02d}",
    }
    if request.method == "POST":
        if refusal := step_up_refusal(request, return_to=request.path):
            return refusal  # issuing a document for someone else: as for an informe
        values = {k: request.POST.get(k, "").strip()[:15] for k in values}
        servant = (
            servants_in_scope(request.user, PAYROLL_MANAGE)
            .select_related("employing_unit")
            .filter(doc_number=values["doc"].upper())
            .exclude(user_id=request.user.pk or 0)
            .first()
        )
        own = own_servant(request.user)
        try:
            if own is not None and own.doc_number == values["doc"].upper():
                raise SelfActionError(SELF_ACTION_MESSAGE)
            if servant is None:
                raise UserError(
                    gettext("No hay un servidor con ese documento en las UGEL a su cargo.")
                )
            span = month_range(values["first"], values["last"], today)
            cert = constancia_request(
                user=request.user, servant=servant, span=span, request=request
            )
        except UserError as exc:
            error = exc.message
        else:
            messages.success(request, gettext("Se emitió la constancia de pagos."))
            return redirect("benefits:constancia", ref=cert.uuid)
    return render(
        request,
        "benefits/officer_constancias.html",
        {"values": values, "error": error, "certificates": officer_certificates(request.user)[:30]},
        status=400 if error else 200,
    )


# --- benefit requests ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@one_time_form
def request_new(request: HttpRequest, benefit: str) -> HttpResponse:
    servant = _own_or_404(request)
    if benefit not in REQUESTABLE:
        raise Http404
    today = today_lima()
    try:
        answer = preliminary(servant, benefit, today)
    except UserError:
        raise Http404 from None
    documents = REQUIRED_DOCUMENTS[Benefit(benefit)]
    error = ""
    values = {
        "relationship": request.POST.get("relationship", ""),
        "deceased_name": request.POST.get("deceased_name", "")[:160],
    }
    if request.method == "POST":
        try:
            files: dict[str, CheckedPdf] = {}
            for name, _label in documents:
                upload = request.FILES.get(name)
                if upload is not None:
                    files[name] = check_pdf(upload)
            extra = request.FILES.get("otros")
            if extra is not None:
                files["otros"] = check_pdf(extra)
            req = benefit_request_file(
                user=request.user,
                servant=servant,
                benefit=benefit,
                files=files,
                relationship=values["relationship"],
                deceased_name=values["deceased_name"],
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except UserError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                gettext("Su pedido fue presentado como %(case)s y derivado a su UGEL.")
                % {"case": req.case.label},
            )
            return redirect("benefits:request_detail", ref=req.uuid)
    return render(
        request,
        "benefits/request_new.html",
        {
            "servant": servant,
            "benefit": benefit,
            "answer": answer,
            "documents": documents,
            "relationships": BenefitRequest.Relationship.choices,
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    _own_or_404(request)
    return render(
        request, "benefits/my_requests.html", {"requests": my_benefit_requests(request.user)}
    )


@require_http_methods(["GET", "POST"])
@one_time_form
def request_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    req, staff = get_request_for_user(request.user, ref)
    error = ""
    if request.method == "POST":
        if not staff:
            raise Http404
        if refusal := step_up_refusal(request, return_to=request.path):
            return refusal  # an amount to be paid: second factor again when stale
        try:
            amount = Decimal(request.POST.get("amount", "").replace(",", "").strip())
        except InvalidOperation:
            error = gettext("Escriba el monto con números, por ejemplo 7225.20.")
        else:
            try:
                benefit_request_decide(
                    officer=request.user,
                    req=req,
                    amount=amount,
                    note=request.POST.get("note", ""),
                    request=request,
                )
            except UserError as exc:
                error = exc.message
            else:
                messages.success(request, gettext("Se registró la revisión del cálculo."))
                return redirect("benefits:request_detail", ref=req.uuid)
    return render(
        request,
        "benefits/request_detail.html",
        {"req": req, "staff": staff, "error": error, "timeline": case_timeline(req.case)},
        status=400 if error else 200,
    )


@require_perm(PAYROLL_MANAGE)
@require_GET
def officer_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "benefits/officer_requests.html",
        {"requests": officer_benefit_requests(request.user)[:100]},
    )


# --- the survivors' public path ----------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
@one_time_form
def survivor_claim(request: HttpRequest) -> HttpResponse:
    form = SurvivorClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if throttle.hit_hourly(request, "survivor-claim", settings.DESK_ACCESS_REQUESTS_PER_HOUR):
            form.add_error(
                None,
                gettext(
                    "Hizo demasiadas solicitudes desde esta conexión. Inténtelo dentro de una hora."
                ),
            )
        elif form.is_valid():
            files: dict[str, CheckedPdf] = {}
            for name in SurvivorClaimForm.file_fields:
                try:
                    files[name] = check_pdf(form.cleaned_data[name])
                except ValidationError as exc:
                    form.add_error(name, exc)
            if len(files) == len(SurvivorClaimForm.file_fields):
                survivor_claim_submit(data=form.cleaned_data, files=files)
                return redirect("benefits:survivor_sent")
    question = with_new_challenge(form)
    return render(
        request,
        "benefits/survivor_claim.html",
        {"form": form, "question": question},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_GET
def survivor_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "benefits/survivor_sent.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def survivor_confirm(request: HttpRequest) -> HttpResponse:
    """GET shows the button only (mail scanners follow links); the code is POSTed."""
    if request.method == "GET":
        return render(request, "benefits/survivor_confirm.html")
    if throttle.hit_hourly(request, "survivor-confirm", 30):
        error = gettext("Demasiados intentos desde esta conexión. Espere una hora.")
        return render(request, "benefits/survivor_confirm.html", {"error": error}, status=429)
    try:
        claim, _follow = survivor_claim_confirm(request.POST.get("code", "")[:100])
    except UserError as exc:
        return render(request, "benefits/survivor_confirm.html", {"error": exc.message}, status=404)
    return render(request, "benefits/survivor_follow.html", _claim_context(claim, confirmed=True))


def _claim_context(claim: Any, **extra: Any) -> dict[str, Any]:
    return {"claim": claim, "timeline": case_timeline(claim.case) if claim.case else [], **extra}


@login_not_required
@require_http_methods(["GET", "POST"])
def survivor_follow(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.method == "POST":
        if throttle.hit_hourly(request, "survivor-follow", 30):
            context["error"] = gettext("Demasiadas consultas desde esta conexión. Espere una hora.")
        else:
            claim = follow_claim(
                token=request.POST.get("token", "")[:100],
                number=request.POST.get("number", "")[:20],
                doc_number=request.POST.get("doc_number", "")[:15],
            )
            if claim is None:
                context["error"] = gettext(
                    "No encontramos un pedido con esos datos. Revise el número de expediente "
                    "y su número de documento."
                )
            else:
                context.update(_claim_context(claim))
    return render(
        request,
        "benefits/survivor_follow.html",
        context,
        status=404 if context.get("error") else 200,
    )
