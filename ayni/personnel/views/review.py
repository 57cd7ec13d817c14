"""The escalafón team's review inbox: side by side, approve, observe, reject."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from ayni.accounts.permissions import (
    REQUESTS_REVIEW,
    SELF_ACTION_MESSAGE,
    has_perm_on_servant,
    is_own,
    require_perm,
)
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.identity.stepup import step_up_refusal
from ayni.personnel.change_requests import (
    change_request_approve,
    change_request_observe,
    change_request_reject,
    conflict_of,
)
from ayni.personnel.file_selectors import get_entry
from ayni.personnel.models import ChangeRequest
from ayni.personnel.presenters import request_diff
from ayni.personnel.request_selectors import (
    get_request_for_reviewer,
    own_requests_pending_elsewhere,
    requests_in_review_scope,
    with_officer_flag,
)
from ayni.personnel.sections import KINDS, SECTION_OF_KIND, SECTIONS
from ayni.personnel.services import servant_read_record

State = ChangeRequest.State
AGES = {"7": 7, "15": 15, "30": 30}
#: «Aprobar y aplicar» changes the file: the first POST shows what will happen, only a
#: POST carrying this field (the confirmation page's button) approves.
CONFIRMED = "confirmado"


@require_perm(REQUESTS_REVIEW)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    requests = with_officer_flag(requests_in_review_scope(request.user).select_related("servant"))
    state = request.GET.get("estado", State.EN_SOLICITUD)
    section = request.GET.get("seccion", "")
    age = request.GET.get("antiguedad", "")
    if state in State.values:
        requests = requests.filter(state=state)
    if section.isdigit():
        requests = requests.filter(section=int(section))
    if age in AGES:
        requests = requests.filter(created_at__lte=timezone.now() - timedelta(days=AGES[age]))
    requests = requests.order_by("created_at", "id")
    page = Paginator(requests, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "personnel/review_inbox.html",
        {
            "page": page,
            "states": State.choices,
            "state": state,
            "sections": SECTIONS,
            "section": section,
            "age": age,
            "kinds": KINDS,
            "section_of": SECTION_OF_KIND,
            "own_pending": own_requests_pending_elsewhere(request.user),
        },
    )


@require_perm(REQUESTS_REVIEW)
@require_http_methods(["GET", "POST"])
@one_time_form
def review_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    cr = get_request_for_reviewer(request.user, ref)
    if request.method == "POST":
        action = request.POST.get("action")
        note = request.POST.get("note", "")[:500]
        if action in {"approve", "observe", "reject"} and (
            refusal := step_up_refusal(request, return_to=request.path)
        ):
            return refusal  # deciding a request (a file, a typed reason): second factor again
        if action == "approve" and request.POST.get(CONFIRMED) != "1":
            return _approve_confirmation(request, cr, note)
        try:
            if action == "approve":
                change_request_approve(officer=request.user, cr=cr, note=note, request=request)
                messages.success(
                    request, gettext("Solicitud atendida: el cambio se aplicó al legajo.")
                )
            elif action == "observe":
                change_request_observe(officer=request.user, cr=cr, note=note, request=request)
                messages.success(request, gettext("Solicitud observada; se avisó al servidor."))
            elif action == "reject":
                change_request_reject(officer=request.user, cr=cr, reason=note, request=request)
                messages.success(request, gettext("Solicitud rechazada; se avisó al servidor."))
            else:
                messages.error(request, gettext("Acción no válida."))
        except UserError as exc:
            messages.error(request, exc.message)
        return redirect("personnel:review_detail", ref=cr.uuid)
    servant_read_record(request, cr.servant, what="Solicitud de modificación")
    return render(request, "personnel/review_detail.html", _context(cr))


def _context(cr: ChangeRequest, **extra: object) -> dict[str, object]:
    kind = KINDS[cr.kind]
    live = get_entry(cr.servant, kind, cr.entry_uuid) if cr.entry_uuid else None
    return {
        "cr": cr,
        "kind": kind,
        "section": SECTION_OF_KIND[cr.kind],
        "servant": cr.servant,
        "diff": request_diff(cr, live if cr.is_open else None),
        "filed_diff": request_diff(cr),
        "conflict": conflict_of(cr) if cr.is_open else "",
        "events": cr.events.all(),
        **extra,
    }


def _approve_confirmation(request: HttpRequest, cr: ChangeRequest, note: str) -> HttpResponse:
    """The step before «Aprobar y aplicar»: the file's values before and after, and what
    will happen. Nothing changes here; what the service would refuse is said at once."""
    refusal = ""
    if is_own(request.user, cr.servant.user_id):
        refusal = SELF_ACTION_MESSAGE
    elif not has_perm_on_servant(request.user, REQUESTS_REVIEW, cr.servant):
        refusal = gettext("No tiene permiso para atender esta solicitud.")
    elif cr.state != State.EN_SOLICITUD:
        refusal = gettext("La solicitud está «%(state)s»: no se puede atender.") % {
            "state": cr.get_state_display()
        }
    elif conflict := conflict_of(cr):
        refusal = conflict
    if refusal:
        messages.error(request, refusal)
        return redirect("personnel:review_detail", ref=cr.uuid)
    return render(
        request,
        "personnel/review_detail.html",
        _context(
            cr,
            confirming=True,
            note=note,
            done_label=State.ATENDIDO.label,
            confirmed_field=CONFIRMED,
        ),
    )
