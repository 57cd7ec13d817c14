from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from ayni.core import throttle
from ayni.core.errors import UserError
from ayni.core.forms import CHOOSE
from ayni.core.formtoken import one_time_form
from ayni.core.responses import pdf_response, stored_upload_response
from ayni.desk.access import (
    access_request_accept,
    access_request_close_existing,
    access_request_confirm,
    access_request_reject,
    access_request_submit,
    existing_account,
    follow_by_number,
    follow_by_token,
    matching_servant,
)
from ayni.desk.cases import (
    DeskError,
    case_answer,
    case_complete,
    case_file,
    case_read_record,
    case_route,
)
from ayni.desk.challenge import with_new_challenge
from ayni.desk.forms import AccessRequestForm, FilingForm
from ayni.desk.models import AccessRequest, Case
from ayni.desk.receipts import receipt_pdf
from ayni.desk.selectors import (
    cases_in_scope,
    get_case_for_staff,
    get_my_case,
    is_desk_staff,
    my_cases,
)
from ayni.desk.uploads import check_pdf, check_pdfs
from ayni.identity.stepup import step_up_refusal
from ayni.personnel.models import ChangeRequest
from ayni.personnel.selectors import own_servant
from ayni.reports.services import purposes_for

# --- public: access requests --------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
@one_time_form
def access_request(request: HttpRequest) -> HttpResponse:
    """The same answer for every applicant: whether the document has an account is
    never looked at here (docs/security.md)."""
    form = AccessRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if throttle.hit_hourly(request, "access-request", settings.DESK_ACCESS_REQUESTS_PER_HOUR):
            form.add_error(
                None,
                gettext(
                    "Hizo demasiadas solicitudes desde esta conexión. Inténtelo dentro de una hora."
                ),
            )
        elif form.is_valid():
            try:
                pdf = check_pdf(form.cleaned_data["document"])
            except ValidationError as exc:
                form.add_error("document", exc)
            else:
                access_request_submit(data=form.cleaned_data, pdf=pdf)
                return redirect("desk:access_sent")
    question = with_new_challenge(form)
    return render(
        request,
        "desk/access_request.html",
        {"form": form, "question": question},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_GET
def access_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/access_sent.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def access_confirm(request: HttpRequest) -> HttpResponse:
    """The link carries the code after `#` (never sent to the server, never logged): the
    page puts it in the form; GET only shows the button (mail scanners follow links)."""
    if request.method == "GET":
        return render(request, "desk/access_confirm.html")
    if throttle.hit_hourly(request, "access-confirm", 30):
        error = gettext("Demasiados intentos desde esta conexión. Espere una hora.")
        return render(request, "desk/access_confirm.html", {"error": error}, status=429)
    try:
        ar, follow = access_request_confirm(request.POST.get("code", "")[:100])
    except DeskError as exc:
        return render(request, "desk/access_confirm.html", {"error": str(exc)}, status=404)
    return render(
        request, "desk/access_follow.html", {"ar": ar, "confirmed": True, "follow": follow}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def access_follow(request: HttpRequest) -> HttpResponse:
    """Follow a request with the link's code (after `#`, POSTed by the page), or with
    its case number and the document number, POSTed."""
    context: dict[str, Any] = {}
    if request.method == "POST":
        if throttle.hit_hourly(request, "access-follow", 30):
            context["error"] = gettext("Demasiadas consultas desde esta conexión. Espere una hora.")
        else:
            token = request.POST.get("token", "")[:100]
            ar = (
                follow_by_token(token)
                if token
                else follow_by_number(
                    number=request.POST.get("number", ""),
                    doc_number=request.POST.get("doc_number", ""),
                )
            )
            if ar is None:
                context["error"] = gettext(
                    "No encontramos una solicitud con ese número de expediente y ese documento."
                )
            else:
                context["ar"] = ar
    return render(request, "desk/access_follow.html", context)


# --- servants: filings ---------------------------------------------------------------


@require_GET
def my_cases_view(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/my_cases.html", {"cases": my_cases(request.user)[:100]})


@require_http_methods(["GET", "POST"])
@one_time_form
def new_case(request: HttpRequest) -> HttpResponse:
    servant = own_servant(request.user)
    if servant is None:
        raise Http404
    open_requests = list(
        ChangeRequest.objects.filter(servant=servant, state__in=ChangeRequest.OPEN_STATES)
    )
    initial: dict[str, Any] = {
        "unit": servant.employing_unit_id if servant.employing_unit.kind == "UGEL" else None
    }
    if request.GET.get("solicitud"):
        initial.update(
            kind=Case.Kind.SUPPORT,
            change_request=request.GET["solicitud"],
            subject=gettext("Sustento de mi solicitud de modificación"),
        )
    form = FilingForm(
        request.POST or None, request.FILES or None, requests=open_requests, initial=initial
    )
    form.fields["informe_purpose"].choices = [("", CHOOSE), *purposes_for(servant)]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            files = check_pdfs(request.FILES.getlist("documents"))
        except ValidationError as exc:
            form.add_error("documents", exc)
        else:
            chosen = data.get("change_request", "")
            cr = next((c for c in open_requests if str(c.uuid) == chosen), None)
            try:
                case = case_file(
                    user=request.user,
                    servant=servant,
                    unit=data["unit"],
                    kind=data["kind"],
                    subject=data["subject"],
                    files=files,
                    change_request=cr,
                    informe_purpose=data.get("informe_purpose", ""),
                    request=request,
                )
            except UserError as exc:  # DeskError, ReportError (a second informe): re-shown
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, gettext("Su trámite fue recibido: %(case)s.") % {"case": case.label}
                )
                return redirect("desk:my_case", ref=case.uuid)
    return render(
        request,
        "desk/new_case.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@one_time_form
def my_case(request: HttpRequest, ref: UUID) -> HttpResponse:
    case = get_my_case(request.user, ref)
    if request.method == "POST":
        try:
            files = check_pdfs(request.FILES.getlist("files"))
            case_complete(
                user=request.user,
                case=case,
                files=files,
                comment=request.POST.get("comment", "")[:500],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Completó su trámite; vuelve a la mesa de partes."))
        return redirect("desk:my_case", ref=case.uuid)
    return render(request, "desk/case_detail.html", {"case": case, "own": True})


@require_GET
def my_case_receipt(request: HttpRequest, ref: UUID) -> HttpResponse:
    case = get_my_case(request.user, ref)
    return pdf_response(receipt_pdf(case), f"cargo-{case.number:06d}-{case.year}.pdf")


# --- the desk and the areas -------------------------------------------------------------


def _staff_or_403(request: HttpRequest) -> None:
    if not is_desk_staff(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    """Cases of the unit; search by number or document is POSTed (no DNI in URLs)."""
    _staff_or_403(request)
    cases = cases_in_scope(request.user)
    state = request.GET.get("estado", "")
    if state in Case.State.values:
        cases = cases.filter(state=state)
    elif not state:
        cases = cases.filter(state__in=Case.OPEN_STATES)
    query = request.POST.get("q", "").strip()[:20] if request.method == "POST" else ""
    if query:
        digits = query.split("-")[0]
        cases = cases.filter(filer_doc_number=query.upper()) | cases.filter(
            number=int(digits) if digits.isdigit() else -1
        )
    page = Paginator(cases.order_by("received_at", "id"), 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "desk/inbox.html",
        {"page": page, "state": state, "query": query, "states": Case.State.choices},
    )


CASE_DONE_MESSAGES = {
    "route": _("Trámite derivado: el área lo verá en su bandeja y se avisó a quien lo presentó."),
    Case.State.DONE: _("Trámite atendido; se avisó a quien lo presentó."),
    Case.State.OBSERVED: _(
        "Trámite observado: quien lo presentó tiene dos días hábiles para completarlo."
    ),
    Case.State.ARCHIVED: _("Trámite archivado; se avisó a quien lo presentó."),
    "accept": _(
        "Solicitud aceptada: se creó la cuenta y se envió al solicitante el enlace para "
        "crear su contraseña."
    ),
    "reject": _("Solicitud rechazada; se avisó al solicitante con el motivo."),
    "close_existing": _(
        "Solicitud cerrada: el documento ya tiene cuenta y no se creó ni cambió "
        "ninguna. Se avisó al solicitante."
    ),
}


@require_http_methods(["GET", "POST"])
@one_time_form
def case_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    _staff_or_403(request)
    case = get_case_for_staff(request.user, ref)
    if request.method == "POST":
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")[:500]
        if action == "accept" and (refusal := step_up_refusal(request, return_to=request.path)):
            return refusal  # accepting an access request: second factor again when stale
        try:
            if action == "route":
                case_route(
                    officer=request.user,
                    case=case,
                    area=request.POST.get("area", ""),
                    comment=comment,
                    request=request,
                )
            elif action in (Case.State.DONE, Case.State.OBSERVED, Case.State.ARCHIVED):
                case_answer(
                    officer=request.user,
                    case=case,
                    state=action,
                    comment=comment,
                    request=request,
                )
            elif action == "accept" and hasattr(case, "access_request"):
                access_request_accept(officer=request.user, ar=case.access_request, request=request)
            elif action == "reject" and hasattr(case, "access_request"):
                access_request_reject(
                    officer=request.user, ar=case.access_request, reason=comment, request=request
                )
            elif action == "close_existing" and hasattr(case, "access_request"):
                access_request_close_existing(
                    officer=request.user, ar=case.access_request, request=request
                )
            else:
                raise DeskError(gettext("Acción no válida."))
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, str(CASE_DONE_MESSAGES.get(action, _("Trámite actualizado.")))
            )
        return redirect("desk:case_detail", ref=case.uuid)
    case_read_record(request, case)
    ar: AccessRequest | None = getattr(case, "access_request", None)
    servant, mismatches = matching_servant(ar) if ar else (None, [])
    account = existing_account(ar) if ar else None
    return render(
        request,
        "desk/case_detail.html",
        {
            "case": case,
            "own": False,
            "ar": ar,
            "servant": servant,
            "mismatches": mismatches,
            "account": account,
            "areas": [a for a in Case.Area.choices if a[0] != Case.Area.DESK],
        },
    )


@require_GET
def case_file_download(request: HttpRequest, ref: UUID, file_id: int) -> HttpResponse:
    _staff_or_403(request)
    case = get_case_for_staff(request.user, ref)
    attachment = case.files.filter(pk=file_id).first()
    if attachment is None:
        raise Http404
    case_read_record(request, case, file=attachment)
    return stored_upload_response(attachment.stored_name, attachment.original_name)
