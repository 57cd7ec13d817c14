"""Staff views of servants: the list in scope and one servant's whole file."""

from __future__ import annotations

from uuid import UUID

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ayni.accounts.models import RoleGrant
from ayni.accounts.permissions import (
    PERSONNEL_EDIT,
    PERSONNEL_VIEW,
    REPORTS_ISSUE,
    has_perm,
    require_perm,
)
from ayni.core.audit import reads_of_subject
from ayni.personnel.file_selectors import (
    compute_service_time,
    file_history,
    open_requests_by_entry,
    whole_file,
)
from ayni.personnel.presenters import (
    history_rows,
    kind_table,
    with_row_html,
    with_staff_links,
)
from ayni.personnel.sections import KINDS, SECTIONS
from ayni.personnel.selectors import get_servant_for_user, search_servants
from ayni.personnel.services import SUBJECT, servant_list_read_record, servant_read_record
from ayni.personnel.views.my_file import history_page, own_or_404

PAGE_SIZE = 50
# The file page shows the latest changes; the rest are on the history page.
HISTORY_ON_FILE_PAGE = 10
SEARCH_KEY = "servant_search"
TO_COMPLETE = "por_completar"


@require_perm(PERSONNEL_VIEW)
@require_http_methods(["GET", "POST"])
def servant_list(request: HttpRequest) -> HttpResponse:
    """Staff: servants in scope. Search by name or document is POSTed (no DNI in URLs)."""
    if request.method == "POST":
        query = request.POST.get("q", "")[:60]
        request.session[SEARCH_KEY] = query
    elif request.GET.get("pagina"):
        query = request.session.get(SEARCH_KEY, "")  # paging keeps the search, off the URL
    else:
        request.session.pop(SEARCH_KEY, None)
        query = ""
    servants = search_servants(request.user, query)
    # «Completar la ficha» work items open the list of records still to complete: a flag
    # in the URL, never personal data.
    to_complete = request.GET.get(TO_COMPLETE) == "1"
    if to_complete:
        servants = servants.filter(needs_completion=True)
    page = Paginator(servants, PAGE_SIZE).get_page(request.GET.get("pagina"))
    servant_list_read_record(request, list(page.object_list), query=query)
    return render(
        request,
        "personnel/servant_list.html",
        {"page": page, "query": query, "to_complete": to_complete},
    )


@require_GET
def servant_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    """One servant's whole file: header, every section, history (staff, or oneself)."""
    servant, staff_read = get_servant_for_user(request.user, ref)
    if staff_read:
        servant_read_record(request, servant, what="Legajo completo")
    open_requests = open_requests_by_entry(servant)
    entries = whole_file(servant)  # every section in one query
    can_edit = (
        staff_read
        and servant.user_id != request.user.pk
        and has_perm(request.user, PERSONNEL_EDIT, servant.employing_unit)
    )
    tables = {k.key: kind_table(k, entries[k.key], open_requests) for k in KINDS.values()}
    for table in tables.values():
        if can_edit:
            with_staff_links(table, servant.uuid)
        with_row_html(table, actions="staff" if can_edit else "")
    sections = [(section, [tables[k.key] for k in section.kinds]) for section in SECTIONS]
    # the latest changes, and one more to know whether the full history has others
    versions = history_rows(file_history(servant)[: HISTORY_ON_FILE_PAGE + 1])
    return render(
        request,
        "personnel/servant_detail.html",
        {
            "servant": servant,
            "staff_read": staff_read,
            "service": compute_service_time(servant, entries=entries),
            "sections": sections,
            "can_edit": can_edit,
            "can_issue": can_edit and has_perm(request.user, REPORTS_ISSUE, servant.employing_unit),
            "versions": versions[:HISTORY_ON_FILE_PAGE],
            "more_versions": len(versions) > HISTORY_ON_FILE_PAGE,
            "history_url": reverse("personnel:servant_history", args=(servant.uuid,)),
        },
    )


@require_GET
def servant_history(request: HttpRequest, ref: UUID) -> HttpResponse:
    """Every change of a servant's file, newest first, a page at a time (staff, or
    oneself: then it is «Mi legajo»'s history)."""
    servant, staff_read = get_servant_for_user(request.user, ref)
    if staff_read:
        servant_read_record(request, servant, what="Historial del legajo")
    return history_page(request, servant, own=not staff_read)


@require_GET
def who_viewed(request: HttpRequest) -> HttpResponse:
    """«¿Quién vio mi legajo?»: staff reads of the servant's own data."""
    servant = own_or_404(request)
    events = (
        reads_of_subject(SUBJECT, servant.pk)
        .select_related("actor")
        .prefetch_related(
            Prefetch(
                "actor__role_grants",
                queryset=RoleGrant.objects.filter(active=True).select_related("unit"),
            )
        )
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "personnel/who_viewed.html", {"servant": servant, "page": page})
