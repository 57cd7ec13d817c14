"""Pages of «Mis datos personales (Ley 29733)» and the data-protection officer's desk."""

from __future__ import annotations

import csv
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from ayni.accounts.models import Role
from ayni.accounts.permissions import DATAPROTECTION_MANAGE, require_perm
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.dataprotection import selectors, services
from ayni.dataprotection.export import iter_range
from ayni.dataprotection.forms import AnswerForm, ArcoForm, IncidentForm
from ayni.dataprotection.models import ProcessingActivity, Right
from ayni.dataprotection.ranges import Unsatisfiable, parse_range
from ayni.dataprotection.terms import SOURCE, TERMS
from ayni.personnel.selectors import own_servant


class ExportGone(UserError):
    status = 410


def _officer_contact() -> list[Any]:
    from ayni.accounts.models import RoleGrant

    return list(
        RoleGrant.objects.filter(active=True, role=Role.PROTECCION_DATOS, user__is_active=True)
        .select_related("user", "unit")
        .order_by("unit__path")
    )


# --- the person's pages ---------------------------------------------------------------------


def _my_data_context(request: HttpRequest, form: ArcoForm | None = None) -> dict[str, Any]:
    user = request.user
    return {
        "servant": own_servant(user),
        "exports": selectors.exports_of(user)[:5],
        "arco_requests": selectors.arco_of(user),
        "form": form or ArcoForm(),
        "terms": [(Right(key).label, term) for key, term in TERMS.items()],
        "source": SOURCE,
        "acceptances": selectors.privacy_acceptances(user),
        "current_version": services.current_privacy_version(),
        "officer_path": services.officer_path_for(services.home_unit_path(user), user.pk),
    }


@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """«Mis datos personales (Ley 29733)»: download, ARCO requests, privacy notice."""
    return render(request, "dataprotection/my_data.html", _my_data_context(request))


@require_POST
@one_time_form
def export_request(request: HttpRequest) -> HttpResponse:
    services.request_export(request.user, request)
    messages.success(
        request,
        _("Estamos preparando sus datos. Puede quedarse en esta página o volver más tarde."),
    )
    return redirect("dataprotection:my_data")


@require_GET
def export_status(request: HttpRequest, ref: UUID) -> HttpResponse:
    export = selectors.own_export(request.user, ref)
    return render(request, "dataprotection/_export.html", {"export": export})


@require_safe
def export_download(request: HttpRequest, ref: UUID) -> HttpResponse | StreamingHttpResponse:
    """The owner's ZIP, for a day, resumable (HTTP Range, one range)."""
    export = selectors.own_export(request.user, ref)
    if not export.is_available:
        raise ExportGone(
            _(
                "Este enlace de descarga ya venció o aún no está listo. Pida una descarga "
                "nueva en «Mis datos personales»."
            )
        )
    size = export.size
    etag = f'"{export.sha256}"'
    span: tuple[int, int] | None = None
    if_range = request.headers.get("If-Range")
    if "Range" in request.headers and (not if_range or if_range == etag):
        try:
            span = parse_range(request.headers["Range"], size)
        except Unsatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
    start, end = span if span else (0, size - 1)
    length = end - start + 1 if size else 0
    streamed: HttpResponse | StreamingHttpResponse
    if request.method == "HEAD":  # a download manager asking for the size: nothing served
        streamed = HttpResponse(status=206 if span else 200, content_type="application/zip")
    else:
        services.record_download(request.user, export, request, f"bytes {start}-{end}/{size}")
        streamed = StreamingHttpResponse(
            iter_range(export.file_name, start, length),
            status=206 if span else 200,
            content_type="application/zip",
        )
    streamed["Content-Length"] = str(length)
    streamed["Accept-Ranges"] = "bytes"
    streamed["ETag"] = etag
    streamed["Cache-Control"] = "private, no-store"
    streamed["Content-Disposition"] = f'attachment; filename="{export.download_name}"'
    if span:
        streamed["Content-Range"] = f"bytes {start}-{end}/{size}"
    return streamed


@require_POST
@one_time_form
def arco_file(request: HttpRequest) -> HttpResponse:
    form = ArcoForm(request.POST)
    if form.is_valid():
        try:
            arco = services.file_arco(
                request.user,
                right=form.cleaned_data["right"],
                detail=form.cleaned_data["detail"],
                request=request,
            )
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Su solicitud fue recibida. El plazo para responderle vence el %(date)s.")
                % {"date": arco.due_date.strftime("%d/%m/%Y")},
            )
            return redirect("dataprotection:my_data")
    return render(
        request, "dataprotection/my_data.html", _my_data_context(request, form), status=400
    )


@login_not_required
@require_GET
def uses(request: HttpRequest) -> HttpResponse:
    """What each kind of data is used for, its legal basis, recipients and retention."""
    return render(
        request,
        "dataprotection/uses.html",
        {"activities": ProcessingActivity.objects.all(), "officers": _officer_contact()},
    )


# --- the officer's desk -----------------------------------------------------------------------


@require_perm(DATAPROTECTION_MANAGE)
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.arco_desk(request.user), 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "dataprotection/desk.html",
        {
            "page": page,
            "incidents": selectors.incidents_for(request.user)[:20],
            "today": timezone.localdate(),
        },
    )


@require_perm(DATAPROTECTION_MANAGE)
@require_http_methods(["GET", "POST"])
@one_time_form
def arco_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    arco = selectors.arco_for_officer(request.user, ref)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_arco(
                request.user,
                arco,
                decision=form.cleaned_data["decision"],
                answer=form.cleaned_data["answer"],
                request=request,
            )
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("La respuesta fue registrada y se avisó a la persona."))
            return redirect("dataprotection:desk")
    elif request.method == "GET" and arco.servant_id:
        audit_log(
            action="dataprotection.arco_viewed",
            actor=request.user,
            request=request,
            obj=arco,
            unit_path=arco.unit_path,
            subject_type="servant",
            subject_id=arco.servant_id,
        )
    return render(
        request,
        "dataprotection/arco_detail.html",
        {"arco": arco, "form": form, "term": TERMS[arco.right]},
        status=400 if request.method == "POST" else 200,
    )


def _units(user: Any) -> list[tuple[str, str]]:
    return [
        (g.unit.path, g.unit.name)
        for g in user.role_grants.filter(active=True, role=Role.PROTECCION_DATOS).select_related(
            "unit"
        )
    ]


@require_perm(DATAPROTECTION_MANAGE)
@require_http_methods(["GET", "POST"])
@one_time_form
def incident_new(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(
        request.POST or None,
        units=_units(request.user),
        initial={"detected_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.register_incident(
                request.user, **form.cleaned_data, request=request
            )
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("El incidente quedó registrado."))
            return redirect("dataprotection:incident", incident.uuid)
    return render(
        request,
        "dataprotection/incident_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_perm(DATAPROTECTION_MANAGE)
@require_http_methods(["GET", "POST"])
@one_time_form
def incident_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    incident = selectors.incident_for_officer(request.user, ref)
    if request.method == "POST":
        try:
            services.incident_step(
                request.user,
                incident,
                step=request.POST.get("step", ""),
                measures=request.POST.get("measures", ""),
                request=request,
            )
        except UserError as exc:
            messages.error(request, exc.message)
        return redirect("dataprotection:incident", incident.uuid)
    return render(request, "dataprotection/incident.html", {"incident": incident})


INVENTORY_COLUMNS = [
    ("name", "tratamiento"),
    ("purpose", "finalidad"),
    ("legal_basis", "base_legal"),
    ("data_categories", "datos_tratados"),
    ("sensitive", "datos_sensibles"),
    ("recipients", "destinatarios"),
    ("retention", "plazo_conservacion"),
    ("bank_code", "codigo_banco_de_datos"),
]


@require_perm(DATAPROTECTION_MANAGE)
@require_GET
def inventory(request: HttpRequest) -> HttpResponse:
    activities = ProcessingActivity.objects.all()
    if request.GET.get("formato") == "csv":
        audit_log(action="dataprotection.inventory_exported", actor=request.user, request=request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="inventario-tratamientos.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([header for _f, header in INVENTORY_COLUMNS])
        for activity in activities:
            writer.writerow(
                [
                    ("sí" if getattr(activity, f) else "no")
                    if f == "sensitive"
                    else getattr(activity, f)
                    for f, _h in INVENTORY_COLUMNS
                ]
            )
        return response
    return render(request, "dataprotection/inventory.html", {"activities": activities})
