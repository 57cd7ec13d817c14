"""Dashboards MINEDU → DRE/GRE → UGEL, the read-only lists behind them, and downloads.

Every view needs `supervision.view` somewhere (403 otherwise) and the unit in the
user's scope (404 otherwise, as for a unit that does not exist). Nothing here acts:
there is no POST.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from ayni.accounts.permissions import SUPERVISION_VIEW, require_perm
from ayni.core.formtoken import one_time_form
from ayni.core.workdays import lima_date
from ayni.org.models import OrgUnit
from ayni.supervision import boards, exports, lists, selectors, services
from ayni.supervision.aggregates import refresh
from ayni.supervision.models import ListExport, OpenDataFile, Refresh, UnitFigures
from ayni.supervision.selectors import unit_title
from ayni.supervision.tables import all_tables

FRESH_MINUTES = 10
PAGE_SIZE = 50


def _latest_refresh() -> Refresh:
    """The latest computation of the figures; the very first visit computes them, and a
    page older than FRESH_MINUTES queues a new one for the worker."""
    latest = Refresh.objects.first()
    if latest is None or not UnitFigures.objects.exists():
        latest = refresh()
    if not selectors.is_fresh(latest.finished_at, FRESH_MINUTES):
        services.request_refresh()
    return latest


def _dashboard(unit: OrgUnit) -> selectors.Dashboard:
    _latest_refresh()
    return selectors.dashboard(unit)


@require_perm(SUPERVISION_VIEW)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    units = selectors.supervised_units(request.user)
    if len(units) == 1:
        return redirect("supervision:unit", code=units[0].code)
    return render(request, "supervision/index.html", {"units": units})


@require_perm(SUPERVISION_VIEW)
@require_GET
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The figures change only when they are recomputed: the board's HTML is cached per
    unit, computation and language, and a warm page costs a handful of queries."""
    unit = selectors.get_unit_for_supervisor(request.user, code)
    latest = _latest_refresh()
    body = boards.board_html(unit, latest.pk)
    return render(
        request,
        "supervision/dashboard.html",
        {
            "unit": unit,
            "unit_name": unit_title(unit.name),
            "computed_at": latest.finished_at,
            "crumbs": selectors.breadcrumbs(request.user, unit),
            "body": mark_safe(body),  # noqa: S308 - rendered by our own template above
            "fresh_minutes": FRESH_MINUTES,
        },
    )


@require_perm(SUPERVISION_VIEW)
@require_GET
def export_table(request: HttpRequest, code: str, key: str, fmt: str) -> HttpResponse:
    unit = selectors.get_unit_for_supervisor(request.user, code)
    if fmt not in exports.FORMATS:
        raise Http404
    board = _dashboard(unit)
    tables = {t.key: t for section in all_tables(board).values() for t in section}
    table = tables.get(key)
    if table is None:
        raise Http404
    header, rows = exports.table_rows(table)
    services.export_record(request, unit, table.title, fmt)
    filename = f"ayni-{unit.code}-{key}-{lima_date(timezone.now()).isoformat()}"
    return exports.download(fmt, filename, table.title, header, rows)


# --- read-only lists ---------------------------------------------------------------------


@require_perm(SUPERVISION_VIEW)
@require_GET
def unit_list(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """The items behind a figure, read-only: no link leads to an act."""
    unit = selectors.get_unit_for_supervisor(request.user, code)
    spec = lists.list_spec(kind)
    state = request.GET.get("estado", "")
    items_qs = lists.filtered(spec, unit, state)
    page = Paginator(items_qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    items = list(page.object_list)
    people: Callable[[list[Any]], list[int]] | None = spec["people"]
    if people:
        services.list_read_record(request, unit, str(spec["title"]()), people(items))
    rows = [spec["row"](item) for item in items]
    return render(
        request,
        "supervision/list.html",
        {
            "unit": unit,
            "unit_name": unit_title(unit.name),
            "crumbs": selectors.breadcrumbs(request.user, unit),
            "kind": kind,
            "title": spec["title"](),
            "columns": spec["columns"](),
            "rows": rows,
            "page": page,
            "states": spec["states"],
            "state": state,
        },
    )


@require_perm(SUPERVISION_VIEW)
@require_GET
def export_list(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    """A list as CSV or XLSX, at once; a list longer than `sync_rows()` is offered as a
    background download instead (the worker writes it, a page shows the progress)."""
    unit = selectors.get_unit_for_supervisor(request.user, code)
    spec = lists.list_spec(kind)
    if fmt not in exports.FORMATS:
        raise Http404
    state = request.GET.get("estado", "")
    state = state if state in dict(spec["states"]) else ""
    items_qs = lists.filtered(spec, unit, state)
    count = items_qs.count()
    if count > sync_rows():
        return render(
            request,
            "supervision/export_start.html",
            {
                "unit": unit,
                "unit_name": unit_title(unit.name),
                "title": spec["title"](),
                "kind": kind,
                "fmt": fmt,
                "state": state,
                "count": count,
            },
        )
    items = list(items_qs)
    people = spec["people"](items) if spec["people"] else None
    services.export_record(request, unit, str(spec["title"]()), fmt, people)
    filename = f"ayni-{unit.code}-{kind}-{lima_date(timezone.now()).isoformat()}"
    rows = [spec["row"](item) for item in items]
    return exports.download(fmt, filename, str(spec["title"]()), spec["columns"](), rows)


def sync_rows() -> int:
    return int(getattr(settings, "SUPERVISION_EXPORT_SYNC_ROWS", 5000))


@require_perm(SUPERVISION_VIEW)
@require_POST
@one_time_form
def export_start(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    unit = selectors.get_unit_for_supervisor(request.user, code)
    spec = lists.list_spec(kind)
    if fmt not in exports.FORMATS:
        raise Http404
    state = request.POST.get("estado", "")
    export = services.export_start(
        request,
        unit=unit,
        kind=kind,
        state_filter=state if state in dict(spec["states"]) else "",
        fmt=fmt,
    )
    return redirect("supervision:export_status", ref=export.uuid)


def _own_export(request: HttpRequest, ref: UUID) -> ListExport:
    """The user's own export, of a unit they still supervise; 404 otherwise."""
    export = (
        ListExport.objects.select_related("unit")
        .filter(uuid=ref, requested_by_id=request.user.pk)
        .first()
    )
    if export is None:
        raise Http404
    selectors.get_unit_for_supervisor(request.user, export.unit.code)
    return export


@require_perm(SUPERVISION_VIEW)
@require_GET
def export_status(request: HttpRequest, ref: UUID) -> HttpResponse:
    export = _own_export(request, ref)
    template = (
        "supervision/_export_progress.html"
        if request.headers.get("HX-Request")
        else "supervision/export_status.html"
    )
    spec = lists.list_spec(export.kind)
    return render(
        request,
        template,
        {"export": export, "title": spec["title"](), "unit_name": unit_title(export.unit.name)},
    )


@require_perm(SUPERVISION_VIEW)
@require_GET
def export_file(request: HttpRequest, ref: UUID) -> HttpResponse:
    export = _own_export(request, ref)
    if export.state != ListExport.State.DONE:
        raise Http404
    title = str(lists.list_spec(export.kind)["title"]())
    services.export_record(
        request, export.unit, f"{title}: {export.total} filas", export.fmt, export.subject_ids
    )
    with default_storage.open(export.file_name, "rb") as handle:
        data = handle.read()
    content_type = exports.XLSX_TYPE if export.fmt == "xlsx" else exports.CSV_TYPE
    response = HttpResponse(data, content_type=content_type)
    day = lima_date(export.created_at).isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="ayni-{export.unit.code}-{export.kind}-{day}.{export.fmt}"'
    )
    return response


# --- open data (public) ----------------------------------------------------------------------


@login_not_required
@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    from ayni.supervision.opendata import COLUMNS, THRESHOLD

    return render(
        request,
        "supervision/open_data.html",
        {
            "files": OpenDataFile.objects.all()[:36],
            "columns": COLUMNS,
            "largest_reserved": THRESHOLD - 1,
        },
    )


@login_not_required
@require_GET
def open_data_file(request: HttpRequest, period: str) -> HttpResponse:
    record = OpenDataFile.objects.filter(period=period).first()
    if record is None:
        raise Http404
    with default_storage.open(record.file_name, "rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type=exports.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ayni-ugel-{period}.csv"'
    return response


@login_not_required
@require_GET
def open_data_dictionary(request: HttpRequest) -> HttpResponse:
    from ayni.supervision.opendata import dictionary_text

    response = HttpResponse(
        ("\ufeff" + dictionary_text()).encode("utf-8"), content_type=exports.CSV_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="ayni-ugel-diccionario.csv"'
    return response
