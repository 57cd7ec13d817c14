from __future__ import annotations

from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from ayni.accounts.permissions import PERSONNEL_VIEW, require_perm
from ayni.core.audit import events_for_subject
from ayni.personnel.selectors import get_servant_for_user, own_servant, search_servants
from ayni.personnel.services import SUBJECT, servant_read_record

PAGE_SIZE = 50


@require_perm(PERSONNEL_VIEW)
@require_http_methods(["GET", "POST"])
def servant_list(request: HttpRequest) -> HttpResponse:
    """Staff: servants in scope. Search by name or document is POSTed (no DNI in URLs)."""
    query = request.POST.get("q", "")[:60] if request.method == "POST" else ""
    servants = search_servants(request.user, query)
    page = Paginator(servants, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "personnel/servant_list.html", {"page": page, "query": query})


@require_GET
def servant_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    servant, staff_read = get_servant_for_user(request.user, ref)
    if staff_read:
        servant_read_record(request, servant, what="Datos del servidor")
    return render(
        request, "personnel/servant_detail.html", {"servant": servant, "staff_read": staff_read}
    )


def _own_or_404(request: HttpRequest):  # type: ignore[no-untyped-def]
    servant = own_servant(request.user)
    if servant is None:
        raise Http404
    return servant


@require_GET
def my_file(request: HttpRequest) -> HttpResponse:
    """«Mi legajo»: the servant's own record."""
    servant = _own_or_404(request)
    return render(
        request,
        "personnel/servant_detail.html",
        {"servant": servant, "staff_read": False, "own": True},
    )


@require_GET
def who_viewed(request: HttpRequest) -> HttpResponse:
    """«¿Quién vio mi legajo?»: staff reads of the servant's own data."""
    servant = _own_or_404(request)
    events = (
        events_for_subject(SUBJECT, servant.pk)
        .filter(action__endswith="_viewed")
        .select_related("actor")
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "personnel/who_viewed.html", {"servant": servant, "page": page})
