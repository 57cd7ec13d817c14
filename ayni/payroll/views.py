from __future__ import annotations

import uuid
from collections import OrderedDict
from uuid import UUID

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ayni.accounts.permissions import PAYROLL_MANAGE, require_perm
from ayni.core.audit import audit_log
from ayni.core.responses import pdf_response
from ayni.payroll.forms import UploadForm
from ayni.payroll.importer import PayrollError
from ayni.payroll.pdf import payslip_pdf
from ayni.payroll.selectors import (
    get_payslip_for_user,
    get_run_for_user,
    runs_in_scope,
    stored_pdf_count,
    ugels_for_upload,
    visible_payslips,
)
from ayni.payroll.services import payroll_publish, run_for_upload
from ayni.payroll.tasks import import_payroll_task

RECENT = 12


# --- the servant: Mi boleta ---------------------------------------------------------


@require_GET
def my_payslips(request: HttpRequest) -> HttpResponse:
    """Newest first: the last 12 on the first screen, older ones by year."""
    payslips = visible_payslips(request.user).defer("lines", "header")
    years = sorted({y for y in payslips.values_list("year", flat=True)}, reverse=True)
    year = request.GET.get("anio", "")
    shown = list(payslips.filter(year=int(year))) if year.isdigit() else list(payslips[:RECENT])
    return render(
        request, "payroll/my_payslips.html", {"payslips": shown, "years": years, "year": year}
    )


@require_GET
def payslip_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    payslip = get_payslip_for_user(request.user, ref)
    groups: OrderedDict[str, list[dict[str, object]]] = OrderedDict(
        (("Ingresos", []), ("Descuentos", []), ("Aportes del empleador", []))
    )
    for line in payslip.lines:
        key = (
            "Ingresos"
            if line["kind"] == "INGRESO"
            else "Aportes del empleador"
            if line["kind"] == "APORTE_EMPLEADOR"
            else "Descuentos"
        )
        groups[key].append(line)
    return render(
        request,
        "payroll/payslip_detail.html",
        {"p": payslip, "h": payslip.header, "groups": groups},
    )


@require_GET
def payslip_download(request: HttpRequest, ref: UUID) -> HttpResponse:
    payslip = get_payslip_for_user(request.user, ref)
    pdf = payslip_pdf(payslip)
    response = pdf_response(pdf, payslip.filename, inline=bool(request.GET.get("ver")))
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- the payroll officer -------------------------------------------------------------


@require_perm(PAYROLL_MANAGE)
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    runs = runs_in_scope(request.user)[:200]
    return render(request, "payroll/run_list.html", {"runs": runs})


@require_perm(PAYROLL_MANAGE)
@require_http_methods(["GET", "POST"])
def run_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None, request.FILES or None, ugels=ugels_for_upload(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                run = run_for_upload(
                    ugel=data["ugel"],
                    year=data["year"],
                    month=data["month"],
                    kind=data["kind"],
                    payment_date=data["payment_date"],
                    additional=data["additional"],
                    actor=request.user,
                )
                token = uuid.uuid4().hex
                run.rem_name = data["rem"].name
                run.rem_file = default_storage.save(f"payroll/uploads/{token}.rem", data["rem"])
                run.master_file = default_storage.save(
                    f"payroll/uploads/{token}.csv", data["master"]
                )
                run.save()
                run_id, actor_id = run.pk, request.user.pk
                transaction.on_commit(lambda: import_payroll_task.enqueue(run_id, actor_id))
        except PayrollError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Archivo recibido: la carga continúa en segundo plano.")
            return redirect("payroll:run_detail", ref=run.uuid)
    return render(
        request,
        "payroll/run_upload.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_perm(PAYROLL_MANAGE)
@require_GET
def run_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    run = get_run_for_user(request.user, ref)
    sample = list(
        run.payslips.select_related("servant").order_by(
            "servant__paternal_surname", "servant__given_names"
        )[:50]
    )
    if sample:
        audit_log(
            action="payroll.run_viewed",
            request=request,
            obj=run,
            unit_path=run.ugel.path,
            detail=f"{run}: primeras {len(sample)} boletas",
        )
    template = (
        "payroll/_run_status.html"
        if request.headers.get("HX-Request")
        else "payroll/run_detail.html"
    )
    context = {
        "run": run,
        "sample": sample,
        "today": timezone.localdate(),
        "pdfs": stored_pdf_count(run),
    }
    return render(request, template, context)


@require_perm(PAYROLL_MANAGE)
@require_POST
def run_publish(request: HttpRequest, ref: UUID) -> HttpResponse:
    run = get_run_for_user(request.user, ref)
    try:
        payroll_publish(run=run, actor=request.user)
    except PayrollError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Planilla publicada: las boletas se verán desde el {run.payment_date:%d/%m/%Y}.",
        )
    return redirect("payroll:run_detail", ref=run.uuid)
