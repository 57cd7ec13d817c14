from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ayni.accounts.permissions import PAYROLL_MANAGE, require_perm
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.core.responses import pdf_response
from ayni.identity.stepup import step_up
from ayni.payroll import samples
from ayni.payroll.forms import AnnulForm, UploadForm
from ayni.payroll.models import MONTHS, PayrollRun
from ayni.payroll.pdf import payslip_pdf
from ayni.payroll.selectors import (
    get_payslip_file_for_user,
    get_payslip_for_user,
    get_run_for_user,
    guide_concepts,
    guide_rates,
    guide_regimes,
    period_runs,
    run_sample,
    run_totals,
    runs_in_scope,
    stored_pdf_count,
    ugels_for_upload,
    visible_payslip_list,
    visible_years,
)
from ayni.payroll.services import payroll_annul, payroll_publish, queue_upload

RECENT_MONTHS = 12  # «Últimos 12 meses»: every payslip of those months
ANY_PAYSLIP = uuid.UUID(int=0)


# --- the servant: Mi boleta ---------------------------------------------------------


@require_GET
def my_payslips(request: HttpRequest) -> HttpResponse:
    """Newest first: the last 12 months on the first screen, older ones by year."""
    years = visible_years(request.user)
    year = request.GET.get("anio", "")
    if not year.isdigit():
        shown = visible_payslip_list(request.user, months=RECENT_MONTHS)
    elif len(year) <= 4:
        shown = visible_payslip_list(request.user, year=int(year))
    else:
        shown = []  # no payslip has a five-digit year
    # each payslip's two addresses: reversed once with a stand-in, filled in per row
    detail = reverse("payroll:payslip_detail", args=(ANY_PAYSLIP,))
    pdf = reverse("payroll:payslip_pdf", args=(ANY_PAYSLIP,))
    rows = [
        (
            p,
            detail.replace(str(ANY_PAYSLIP), str(p.uuid)),
            pdf.replace(str(ANY_PAYSLIP), str(p.uuid)),
        )
        for p in shown
    ]
    return render(
        request,
        "payroll/my_payslips.html",
        {"payslips": shown, "rows": rows, "years": years, "year": year},
    )


@require_GET
def payslip_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    payslip = get_payslip_for_user(request.user, ref)
    titles = {
        "INGRESO": gettext("Ingresos"),
        "DESCUENTO": gettext("Descuentos"),
        "APORTE_EMPLEADOR": gettext("Aportes del empleador"),
    }
    groups: OrderedDict[str, list[dict[str, object]]] = OrderedDict(
        (title, []) for title in titles.values()
    )
    for line in payslip.lines:
        groups[titles.get(line["kind"], titles["DESCUENTO"])].append(line)
    return render(
        request,
        "payroll/payslip_detail.html",
        {"p": payslip, "h": payslip.header, "groups": groups},
    )


@require_GET
def payslip_download(request: HttpRequest, ref: UUID) -> HttpResponse:
    payslip = get_payslip_file_for_user(request.user, ref)
    pdf = payslip_pdf(payslip)
    return pdf_response(pdf, payslip.filename, inline=bool(request.GET.get("ver")))


# --- the payroll officer -------------------------------------------------------------

UPLOAD_FIELDS = ("ugel", "year", "month", "kind", "payment_date", "additional")


def upload_initial(query: QueryDict) -> dict[str, str]:
    return {name: str(query.get(name)) for name in UPLOAD_FIELDS if query.get(name)}


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    """The payroll officer's guide: the two files, each field, the rules, common errors."""
    return render(
        request,
        "payroll/guide.html",
        {
            "concepts": guide_concepts(),
            "regimes": guide_regimes(),
            "rates": guide_rates(),
            "rem_name": samples.REM_NAME,
            "master_name": samples.MASTER_NAME,
            "minimal_master_name": samples.MINIMAL_MASTER_NAME,
        },
    )


SAMPLES: dict[str, tuple[Callable[[], bytes], str]] = {
    samples.REM_NAME: (samples.sample_rem, "text/plain; charset=windows-1252"),
    samples.MASTER_NAME: (samples.sample_master, "text/csv; charset=utf-8"),
    samples.MINIMAL_MASTER_NAME: (samples.sample_minimal_master, "text/csv; charset=utf-8"),
}


@require_GET
def guide_sample(request: HttpRequest, name: str) -> HttpResponse:
    """A sample file of the guide, downloaded under the name the upload expects."""
    if name not in SAMPLES:
        raise Http404
    make, content_type = SAMPLES[name]
    response = HttpResponse(make(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_perm(PAYROLL_MANAGE)
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    runs = runs_in_scope(request.user)[:200]
    return render(request, "payroll/run_list.html", {"runs": runs})


@require_perm(PAYROLL_MANAGE)
@require_http_methods(["GET", "POST"])
@one_time_form
def run_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        ugels=ugels_for_upload(request.user),
        # «Volver a cargar» from a failed upload: the same period, the files again
        initial=upload_initial(request.GET) if request.method == "GET" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = queue_upload(form.cleaned_data, actor=request.user, request=request)
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, gettext("Archivo recibido: la carga continúa en segundo plano.")
            )
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
    context = {
        "run": run,
        "today": timezone.localdate(),
        "pdfs": stored_pdf_count(run),
        "annul_form": AnnulForm(),
    }
    polled = bool(request.headers.get("HX-Request"))
    sample = run_sample(run)
    if sample:
        # one event each time names are shown, naming every servant shown (item 10):
        # a page view, or the one poll that swaps in the finished import; the progress
        # polls before it show no names and write nothing
        audit_log(
            action="payroll.run_viewed",
            request=request,
            obj=run,
            unit_path=run.ugel.path,
            subject_ids=[p.servant_id for p in sample],
            # what each servant listed reads in «¿Quién vio mi legajo?»: about the run, not
            # about the others on the page
            detail=f"Planilla de {run.get_kind_display().lower()} de "
            f"{MONTHS[run.month - 1].lower()} de {run.year}",
        )
    context["sample"] = sample
    # each payslip's PDF address: reversed once with a stand-in, filled in per row
    pdf_url = reverse("payroll:run_payslip_pdf", args=(run.uuid, ANY_PAYSLIP))
    context["sample_rows"] = [(p, pdf_url.replace(str(ANY_PAYSLIP), str(p.uuid))) for p in sample]
    if polled:
        return render(request, "payroll/_run_status.html", context)
    context["period_runs"] = period_runs(run)
    return render(request, "payroll/run_detail.html", context)


@require_perm(PAYROLL_MANAGE)
@require_GET
def run_payslip_pdf(request: HttpRequest, ref: UUID, payslip_ref: UUID) -> HttpResponse:
    """A published (or annulled) run's payslip, for the payroll officer: an audit event
    naming its servant, who sees it in «¿Quién vio mi legajo?»."""
    run = get_run_for_user(request.user, ref)
    payslip = (
        run.payslips.select_related("run")
        .filter(uuid=payslip_ref, published=True, run__published_at__isnull=False)
        .first()
    )
    if payslip is None:
        raise Http404
    audit_log(
        action="payroll.payslip_viewed",
        request=request,
        obj=payslip,
        unit_path=run.ugel.path,
        subject_type="servant",
        subject_id=payslip.servant_id,
        detail=f"{run}",
    )
    return pdf_response(payslip_pdf(payslip), payslip.filename)


CONFIRM = "confirmar"


@require_perm(PAYROLL_MANAGE)
@step_up  # second factor again when the last check is older than STEP_UP_MINUTES
@require_http_methods(["GET", "POST"])
@one_time_form
def run_publish(request: HttpRequest, ref: UUID) -> HttpResponse:
    """«Publicar planilla» is irreversible: GET shows what will happen (servants, totals,
    payment date); only the POST of that confirmation (`confirmar=1`) publishes."""
    run = get_run_for_user(request.user, ref)
    if run.state != PayrollRun.State.DRAFT:
        messages.info(
            request,
            gettext("La planilla está «%(state)s»: no hay nada que publicar.")
            % {"state": run.get_state_display()},
        )
        return redirect("payroll:run_detail", ref=run.uuid)
    if request.method == "GET" or request.POST.get(CONFIRM) != "1":
        if request.method == "POST":
            return redirect("payroll:run_publish", ref=run.uuid)
        return render(
            request,
            "payroll/run_publish.html",
            {"run": run, "totals": run_totals(run)},
        )
    try:
        payroll_publish(run=run, actor=request.user, request=request)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("Planilla publicada: las boletas se verán desde el %(day)s.")
            % {"day": f"{run.payment_date:%d/%m/%Y}"},
        )
    return redirect("payroll:run_detail", ref=run.uuid)


@require_perm(PAYROLL_MANAGE)
@require_POST
@one_time_form
def run_annul(request: HttpRequest, ref: UUID) -> HttpResponse:
    run = get_run_for_user(request.user, ref)
    form = AnnulForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reason", [])))
        return redirect("payroll:run_detail", ref=run.uuid)
    try:
        payroll_annul(
            run=run, actor=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext(
                "Planilla anulada: sus boletas quedan marcadas como anuladas y su código de "
                "verificación lo dice. Cargue la planilla adicional que la reemplaza."
            ),
        )
    return redirect("payroll:run_detail", ref=run.uuid)
