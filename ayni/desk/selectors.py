"""Reads of cases, scoped: the filer's own; the unit's for the desk and its areas."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from ayni.accounts.permissions import DESK_MANAGE, REQUESTS_REVIEW, perm_paths
from ayni.desk.cases import AREA_PERMISSION
from ayni.desk.models import Case
from ayni.org.selectors import under_any


def my_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(filer=user).select_related("unit")


def get_my_case(user: Any, ref: UUID | str) -> Case:
    case = my_cases(user).filter(uuid=ref).first()
    if case is None:
        raise Http404
    return case


def cases_in_scope(user: Any) -> QuerySet[Case]:
    """The desk sees its units' cases; an area sees those routed to it; never one's own."""
    query = under_any(perm_paths(user, DESK_MANAGE), "unit__path")
    for area, perm in AREA_PERMISSION.items():
        if area == Case.Area.DESK:
            continue
        paths = perm_paths(user, perm)
        if paths:
            query |= Q(area=area) & under_any(paths, "unit__path")
    review_paths = perm_paths(user, REQUESTS_REVIEW)
    if review_paths:  # a filing supporting a change request is seen by its reviewers
        query |= Q(change_request__isnull=False) & under_any(review_paths, "unit__path")
    # Nobody handles their own filing as staff (rule 16): another officer or the DRE does.
    return Case.objects.filter(query).exclude(filer=user).select_related("unit")


def get_case_for_staff(user: Any, ref: UUID | str) -> Case:
    case = cases_in_scope(user).filter(uuid=ref).first()
    if case is None:
        raise Http404
    return case


def is_desk_staff(user: Any) -> bool:
    return bool(perm_paths(user, DESK_MANAGE)) or any(
        perm_paths(user, p) for a, p in AREA_PERMISSION.items() if a != Case.Area.DESK
    )
