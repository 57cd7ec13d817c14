"""The times of a filing on its pages (ayni.desk.cases.case_times / case_timeline)."""

from __future__ import annotations

from typing import Any

from django import template

from ayni.core.workdays import lima_dmy, lima_hm
from ayni.desk.cases import answered_at, case_timeline, case_times
from ayni.desk.models import Case

register = template.Library()


@register.simple_tag
def filing_times(case: Case) -> dict[str, Any]:
    return case_times(case)


@register.simple_tag
def filing_timeline(case: Case) -> list[dict[str, Any]]:
    return case_timeline(case)


@register.simple_tag
def filing_answered(case: Case) -> str:
    """«02/12/2026 a las 08:00», or "" while the case is open."""
    at = answered_at(case)
    return f"{lima_dmy(at)} a las {lima_hm(at)}" if at else ""
