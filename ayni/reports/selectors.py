"""Reads of reports, scoped: the servant's own, or those an officer may issue."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from ayni.accounts.permissions import REPORTS_ISSUE, perm_paths
from ayni.org.selectors import under_any
from ayni.personnel.selectors import own_servant
from ayni.reports.models import Resume, ResumeBatch, ServiceReport, ServiceReportRequest


def latest_resume(user: Any) -> Resume | None:
    servant = own_servant(user)
    if servant is None:
        return None
    return Resume.objects.filter(servant=servant).select_related("unit").first()


def my_report_requests(user: Any) -> QuerySet[ServiceReportRequest]:
    servant = own_servant(user)
    if servant is None:
        return ServiceReportRequest.objects.none()
    return ServiceReportRequest.objects.filter(servant=servant).select_related("report__unit")


def get_my_report(user: Any, ref: UUID | str) -> ServiceReport:
    servant = own_servant(user)
    report = ServiceReport.objects.filter(servant=servant, uuid=ref).first() if servant else None
    if report is None:
        raise Http404
    return report


def requests_to_issue(user: Any) -> QuerySet[ServiceReportRequest]:
    """Requests the officer may issue: in scope, never their own (STYLE.md rule 16)."""
    return (
        ServiceReportRequest.objects.filter(under_any(perm_paths(user, REPORTS_ISSUE), "unit_path"))
        .exclude(servant__user=user)
        .select_related("servant")
    )


def own_informe_requests_pending(user: Any) -> int:
    """For an officer: their own pending requests (another officer or the DRE issues them)."""
    if not perm_paths(user, REPORTS_ISSUE):
        return 0
    return my_report_requests(user).filter(state=ServiceReportRequest.State.PENDING).count()


def get_request_to_issue(user: Any, ref: UUID | str) -> ServiceReportRequest:
    req = (
        requests_to_issue(user)
        .select_related(
            "servant__employing_unit", "servant__school", "servant__labor_regime", "servant__escala"
        )
        .filter(uuid=ref)
        .first()
    )
    if req is None:
        raise Http404
    return req


def reports_in_scope(user: Any) -> QuerySet[ServiceReport]:
    return (
        ServiceReport.objects.filter(under_any(perm_paths(user, REPORTS_ISSUE), "unit__path"))
        .exclude(servant__user=user)
        .select_related("servant", "unit")
    )


def get_report_for_officer(user: Any, ref: UUID | str) -> ServiceReport:
    report = reports_in_scope(user).filter(uuid=ref).first()
    if report is None:
        raise Http404
    return report


def batches_in_scope(user: Any) -> QuerySet[ResumeBatch]:
    return ResumeBatch.objects.filter(
        under_any(perm_paths(user, REPORTS_ISSUE), "unit__path")
    ).select_related("unit")
