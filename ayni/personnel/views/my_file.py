"""«Mi legajo»: the servant reads their file and asks for changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ayni.core.formtoken import one_time_form
from ayni.personnel.change_requests import ChangeRequestError, change_request_submit
from ayni.personnel.file_selectors import (
    compute_service_time,
    file_history,
    get_entry,
    open_requests_by_entry,
    section_entries,
)
from ayni.personnel.file_services import EntryValidationError
from ayni.personnel.models import ChangeRequest, Servant
from ayni.personnel.presenters import (
    entry_detail,
    history_rows,
    kind_table,
    request_diff,
    with_row_html,
)
from ayni.personnel.sections import KINDS, SECTIONS, cleaned_values, section_for
from ayni.personnel.selectors import own_servant

Operation = ChangeRequest.Operation
HISTORY_PAGE_SIZE = 50
OPERATION_TITLES = {
    Operation.ADD: "Agregar",
    Operation.CORRECT: "Corregir",
    Operation.REMOVE: "Eliminar",
}


def own_or_404(request: HttpRequest) -> Servant:
    servant = own_servant(request.user)
    if servant is None:
        raise Http404
    return servant


@require_GET
def my_file(request: HttpRequest) -> HttpResponse:
    """«Ver mi legajo»: header with tiempo de servicios and the menu of sections."""
    servant = own_or_404(request)
    return render(
        request,
        "personnel/file_home.html",
        {
            "servant": servant,
            "service": compute_service_time(servant),
            "sections": SECTIONS,
            "own": True,
        },
    )


@require_GET
def my_section(request: HttpRequest, slug: str) -> HttpResponse:
    servant = own_or_404(request)
    section = section_for(slug)
    if section is None:
        raise Http404
    open_requests = open_requests_by_entry(servant)
    tables = [
        with_row_html(kind_table(kind, entries, open_requests), actions="own", section_slug=slug)
        for kind, entries in section_entries(servant, section)
    ]
    return render(
        request,
        "personnel/section.html",
        {
            "servant": servant,
            "section": section,
            "tables": tables,
            "sections": SECTIONS,
            "own": True,
        },
    )


@require_GET
def my_history(request: HttpRequest) -> HttpResponse:
    return history_page(request, own_or_404(request), own=True)


def history_page(request: HttpRequest, servant: Servant, *, own: bool) -> HttpResponse:
    """A file's history, newest first, HISTORY_PAGE_SIZE changes a page («?pagina=»)."""
    page = Paginator(file_history(servant), HISTORY_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "personnel/file_history.html",
        {
            "servant": servant,
            "own": own,
            "page": page,
            "versions": history_rows(page.object_list),
        },
    )


@require_http_methods(["GET", "POST"])
@one_time_form
def request_change(
    request: HttpRequest, slug: str, kind_key: str, operation: str, ref: Any = None
) -> HttpResponse:
    """«Solicitar modificación»: form → confirmation dialog → «Enviar solicitud»."""
    servant = own_or_404(request)
    section = section_for(slug)
    kind = KINDS.get(kind_key)
    if section is None or kind is None or kind not in section.kinds:
        raise Http404
    if operation not in Operation.values or (operation == Operation.ADD) != (ref is None):
        raise Http404
    entry = get_entry(servant, kind, ref) if ref is not None else None
    if ref is not None and entry is None:
        raise Http404
    form_class = kind.form_class()
    if operation == Operation.REMOVE:
        form = None
    elif request.method == "POST":
        form = form_class(data=request.POST, prefix="p")
    else:
        form = form_class(instance=entry, prefix="p")
    comment = request.POST.get("comment", "")[:500]
    context: dict[str, Any] = {
        "servant": servant,
        "section": section,
        "kind": kind,
        "operation": operation,
        "operation_title": OPERATION_TITLES[Operation(operation)],
        "entry": entry,
        "entry_detail": entry_detail(kind, entry) if entry else None,
        "form": form,
        "comment": comment,
    }
    if request.method == "POST" and (form is None or form.is_valid()):
        values = {k[2:]: v for k, v in request.POST.items() if k.startswith("p-")}
        if request.POST.get("confirmed") != "1":
            preview = ChangeRequest(
                kind=kind.key,
                operation=operation,
                proposed=_preview_values(kind, form),
                current=None,
            )
            context.update(confirming=True, diff=request_diff(preview, entry), values=values)
            return render(request, "personnel/request_form.html", context)
        try:
            cr = change_request_submit(
                user=request.user,
                servant=servant,
                kind=kind,
                operation=operation,
                entry=entry,
                values=values,
                comment=comment,
                request=request,
            )
        except (ChangeRequestError, EntryValidationError) as exc:
            messages.error(request, str(exc))
            return render(request, "personnel/request_form.html", context, status=400)
        return redirect("personnel:request_sent", ref=cr.uuid)
    return render(
        request,
        "personnel/request_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _preview_values(kind: Any, form: Any) -> dict[str, Any] | None:
    return None if form is None else cleaned_values(kind, form.cleaned_data)
