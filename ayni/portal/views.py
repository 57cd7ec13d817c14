from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from ayni.accounts.permissions import (
    AUDIT_VIEW,
    PAYROLL_MANAGE,
    PERSONNEL_VIEW,
    REPORTS_ISSUE,
    REQUESTS_REVIEW,
    SUPERVISION_VIEW,
    has_perm,
    is_staff_user,
    perm_paths,
    require_perm,
)
from ayni.core import audit_actions
from ayni.core.audit import events_in_paths
from ayni.core.notifications import mark_all_read, notifications_for
from ayni.desk.selectors import is_desk_staff
from ayni.payroll.models import PayrollRun
from ayni.payroll.selectors import visible_payslips
from ayni.personnel.request_selectors import open_request_count
from ayni.personnel.selectors import own_servant
from ayni.portal.selectors import figures_for, grants_of, name_subjects, work_queue_for

LIMA = ZoneInfo("America/Lima")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    servant = own_servant(request.user)
    if is_staff_user(request.user):
        context = {
            "servant": servant,
            "grants": grants_of(request.user),
            "work_items": work_queue_for(request.user)[:50],
            "figures": _with_own_rows(figures_for(request.user)),
            "can_supervise": has_perm(request.user, SUPERVISION_VIEW),
            "can_view_servants": has_perm(request.user, PERSONNEL_VIEW),
            "can_audit": has_perm(request.user, AUDIT_VIEW),
            "can_review": has_perm(request.user, REQUESTS_REVIEW),
            "can_payroll": has_perm(request.user, PAYROLL_MANAGE),
            "can_desk": is_desk_staff(request.user),
            "can_issue_reports": has_perm(request.user, REPORTS_ISSUE),
        }
        return render(request, "portal/staff_home.html", context)
    return render(
        request,
        "portal/servant_home.html",
        {
            "servant": servant,
            "open_requests": open_request_count(request.user),
            "latest_payslip": visible_payslips(request.user)
            .exclude(run__state=PayrollRun.State.ANNULLED)
            .defer("lines", "header")
            .first(),
        },
    )


def _with_own_rows(figures: list[Any]) -> list[Any]:
    """Each unit's servants attached to the unit itself (a DRE's own staff), so that the
    rows of «Servidores por unidad» add up to the unit's total (issue 12)."""
    for fig in figures:
        own = {
            status: count - sum(row["counts"].get(status, 0) for row in fig.children)
            for status, count in fig.counts.items()
        }
        fig.own = own
        fig.own_total = sum(own.values())
    return figures


AUDIT_AREAS = [
    ("auth", _("Ingresos y cuentas (todas)")),
    ("personnel", _("Legajos (todas)")),
    ("payroll", _("Planillas (todas)")),
    ("reports", _("Reportes (todas)")),
    ("desk", _("Mesa de partes (todas)")),
]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Acción"), required=False, choices=())
    since = forms.DateField(
        label=_("Desde"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@require_perm(AUDIT_VIEW)
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    form.fields["action"].choices = [  # type: ignore[attr-defined]
        ("", _("Todas")),
        *AUDIT_AREAS,
        *audit_actions.choices(),
    ]
    events = events_in_paths(perm_paths(request.user, AUDIT_VIEW))
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            code = data["action"]
            events = (
                events.filter(action=code)
                if "." in code
                else events.filter(action__startswith=f"{code}.")
            )
        if data["since"]:
            events = events.filter(
                occurred_at__gte=datetime.combine(data["since"], time.min, tzinfo=LIMA)
            )
        if data["until"]:
            events = events.filter(
                occurred_at__lte=datetime.combine(data["until"], time.max, tzinfo=LIMA)
            )
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    page.object_list = name_subjects(page.object_list)
    template = (
        "portal/_audit_rows.html" if request.headers.get("HX-Request") else "portal/audit_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("pagina"))
    return render(request, "portal/notifications.html", {"page": page})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    mark_all_read(request.user)
    return redirect("portal:notifications")
