"""The reads of the data-protection app, scoped: a person sees their own; an officer, the
requests and incidents of the units where they hold the role, never their own requests."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from ayni.accounts.permissions import DATAPROTECTION_MANAGE, perm_paths
from ayni.core.models import AuditEvent
from ayni.dataprotection.models import (
    ArcoRequest,
    DataExport,
    PrivacyNoticeVersion,
    SecurityIncident,
)


def _under(paths: list[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(unit_path__startswith=path)
    return query


def exports_of(user: Any) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user)


def own_export(user: Any, ref: Any) -> DataExport:
    """The user's own export; anyone else's is the same 404 as a missing one."""
    export = exports_of(user).filter(uuid=ref).first()
    if export is None:
        raise Http404
    return export


def arco_of(user: Any) -> QuerySet[ArcoRequest]:
    return ArcoRequest.objects.filter(requester=user).order_by("-created_at")


def arco_desk(user: Any) -> QuerySet[ArcoRequest]:
    """The officer's ARCO requests: open and overdue first, then open by due date, then
    the answered ones. Their own requests are answered by someone else."""
    today = timezone.localdate()
    return (
        ArcoRequest.objects.filter(_under(perm_paths(user, DATAPROTECTION_MANAGE)))
        .exclude(requester=user)
        .select_related("requester", "servant__employing_unit")
        .annotate(
            rank=Case(
                When(state=ArcoRequest.State.RECEIVED, due_date__lt=today, then=Value(0)),
                When(state=ArcoRequest.State.RECEIVED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "due_date", "id")
    )


def arco_for_officer(user: Any, ref: Any) -> ArcoRequest:
    arco = arco_desk(user).filter(uuid=ref).first()
    if arco is None:
        raise Http404
    return arco


def incidents_for(user: Any) -> QuerySet[SecurityIncident]:
    return SecurityIncident.objects.filter(_under(perm_paths(user, DATAPROTECTION_MANAGE)))


def incident_for_officer(user: Any, ref: Any) -> SecurityIncident:
    incident = incidents_for(user).filter(uuid=ref).first()
    if incident is None:
        raise Http404
    return incident


def privacy_acceptances(user: Any) -> list[tuple[Any, PrivacyNoticeVersion | None]]:
    """Each acceptance of the privacy notice (when) with the version then in force."""
    versions = list(PrivacyNoticeVersion.objects.order_by("published_at", "id"))
    out = []
    for at in (
        AuditEvent.objects.filter(actor=user, action="auth.privacy_accepted")
        .values_list("occurred_at", flat=True)
        .order_by("-occurred_at")
    ):
        in_force = None
        for version in versions:
            if version.published_at <= at:
                in_force = version
        out.append((at, in_force))
    if not out and user.privacy_accepted_at is not None:  # accepted before events were kept
        at = user.privacy_accepted_at
        out.append((at, next((v for v in reversed(versions) if v.published_at <= at), None)))
    return out
