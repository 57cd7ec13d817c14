"""«Seguimiento de atención de solicitud»: the servant follows, corrects and withdraws."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.personnel.change_requests import change_request_resubmit, change_request_withdraw
from ayni.personnel.models import ChangeRequest
from ayni.personnel.presenters import request_diff
from ayni.personnel.request_selectors import get_my_request, my_requests
from ayni.personnel.sections import KINDS, SECTION_OF_KIND, SECTIONS

State = ChangeRequest.State


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    requests = my_requests(request.user)
    state = request.GET.get("estado", "")
    section = request.GET.get("seccion", "")
    if state in State.values:
        requests = requests.filter(state=state)
    if section.isdigit():
        requests = requests.filter(section=int(section))
    page = Paginator(requests, 30).get_page(request.GET.get("pagina"))
    return render(
        request,
        "personnel/my_requests.html",
        {
            "page": page,
            "states": State.choices,
            "state": state,
            "sections": SECTIONS,
            "section": section,
            "kinds": KINDS,
            "section_of": SECTION_OF_KIND,
        },
    )


@require_GET
def request_sent(request: HttpRequest, ref: UUID) -> HttpResponse:
    cr = get_my_request(request.user, ref)
    return render(
        request,
        "personnel/request_sent.html",
        {"cr": cr, "kind": KINDS[cr.kind], "section": SECTION_OF_KIND[cr.kind]},
    )


@require_http_methods(["GET", "POST"])
@one_time_form
def request_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    """The (i): state, history, values; an observed request is corrected here."""
    cr = get_my_request(request.user, ref)
    kind = KINDS[cr.kind]
    form = None
    if cr.state == State.OBSERVADO and cr.operation != ChangeRequest.Operation.REMOVE:
        initial = cr.proposed or {}
        form = kind.form_class()(
            data=request.POST if request.method == "POST" else None, initial=initial, prefix="p"
        )
    if request.method == "POST":
        if form is not None and not form.is_valid():
            messages.error(request, gettext("Revise los datos marcados."))
        else:
            values = {k[2:]: v for k, v in request.POST.items() if k.startswith("p-")}
            try:
                change_request_resubmit(
                    user=request.user,
                    cr=cr,
                    values=values if form is not None else None,
                    comment=request.POST.get("comment", "")[:500],
                    request=request,
                )
            except UserError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    gettext("Envió la corrección. Su solicitud vuelve a estar «En solicitud»."),
                )
                return redirect("personnel:my_request_detail", ref=cr.uuid)
    return render(
        request,
        "personnel/my_request_detail.html",
        {
            "cr": cr,
            "kind": kind,
            "section": SECTION_OF_KIND[cr.kind],
            "form": form,
            "diff": request_diff(cr),
            "events": cr.events.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@one_time_form
def request_withdraw(request: HttpRequest, ref: UUID) -> HttpResponse:
    """The trash icon: a confirmation («Aceptar»), then the request is Anulado."""
    cr = get_my_request(request.user, ref)
    if request.method == "POST":
        try:
            change_request_withdraw(user=request.user, cr=cr, request=request)
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Anuló la solicitud."))
        return redirect("personnel:my_requests")
    return render(
        request,
        "personnel/request_withdraw.html",
        {"cr": cr, "kind": KINDS[cr.kind], "section": SECTION_OF_KIND[cr.kind]},
    )
