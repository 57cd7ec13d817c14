"""Reads of change requests, scoped: the servant's own, or those a reviewer may see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from ayni.accounts.models import RoleGrant
from ayni.accounts.permissions import REQUESTS_REVIEW, ROLE_PERMISSIONS, perm_paths
from ayni.org.selectors import under_any
from ayni.personnel.models import ChangeRequest
from ayni.personnel.selectors import own_servant


def my_requests(user: Any) -> QuerySet[ChangeRequest]:
    servant = own_servant(user)
    if servant is None:
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(servant=servant)


def get_my_request(user: Any, ref: UUID | str) -> ChangeRequest:
    cr = (
        my_requests(user)
        .select_related("servant__employing_unit", "servant__user")
        .prefetch_related("events__actor")
        .filter(uuid=ref)
        .first()
    )
    if cr is None:
        raise Http404
    return cr


def requests_in_review_scope(user: Any) -> QuerySet[ChangeRequest]:
    """Requests a reviewer may act on: in their scope, never on their own file (rule 16).

    A request of another officer of the unit is there for them; the DRE's office
    (whose scope is the DRE's subtree) sees the UGEL officers' own requests.
    """
    return ChangeRequest.objects.filter(
        under_any(perm_paths(user, REQUESTS_REVIEW), "unit_path")
    ).exclude(servant__user=user)


def with_officer_flag(requests: QuerySet[ChangeRequest]) -> QuerySet[ChangeRequest]:
    """Annotate `by_reviewer`: the servant is a reviewer themselves (their request came
    to another officer or up to the DRE)."""
    roles = [r for r, perms in ROLE_PERMISSIONS.items() if REQUESTS_REVIEW in perms]
    return requests.annotate(
        by_reviewer=Exists(
            RoleGrant.objects.filter(
                user_id=OuterRef("servant__user_id"), role__in=roles, active=True
            )
        )
    )


def own_requests_pending_elsewhere(user: Any) -> int:
    """For a reviewer: how many of their own requests are open (someone else reviews them)."""
    if not perm_paths(user, REQUESTS_REVIEW):
        return 0
    return my_requests(user).filter(state__in=ChangeRequest.OPEN_STATES).count()


def get_request_for_reviewer(user: Any, ref: UUID | str) -> ChangeRequest:
    cr = (
        requests_in_review_scope(user)
        .select_related("servant__employing_unit", "servant__school", "servant__user")
        .prefetch_related("events__actor")
        .filter(uuid=ref)
        .first()
    )
    if cr is None:
        raise Http404
    return cr


def open_request_count(user: Any) -> int:
    return my_requests(user).filter(state__in=ChangeRequest.OPEN_STATES).count()


def open_requests_by_age(path: str) -> dict[str, int]:
    """Open requests of a unit's subtree: all, and those older than 15 days."""
    qs = ChangeRequest.objects.filter(
        unit_path__startswith=path, state__in=ChangeRequest.OPEN_STATES
    )
    limit = timezone.now() - timedelta(days=15)
    return {"open": qs.count(), "older_15": qs.filter(created_at__lt=limit).count()}
