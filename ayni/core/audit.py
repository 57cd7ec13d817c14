"""The one service that writes audit events, and the selectors that read them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from ayni.core import audit_actions
from ayni.core.models import AuditEvent
from ayni.core.net import client_ip
from ayni.core.rowwrite import insert


def audit_log(
    *,
    action: str,
    actor: Any = None,
    request: HttpRequest | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    obj: models.Model | None = None,
    unit_path: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
    subject_ids: list[int] | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the transaction of the change it records.

    `subject_ids`: the servants a list page showed (one event for all of them).
    """
    if not audit_actions.is_registered(action):
        raise LookupError(f"audit action {action!r} is not registered (see core.audit_actions)")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    event = AuditEvent(
        action=action,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        subject_type=subject_type,
        subject_id=subject_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        unit_path=unit_path,
        before=before,
        after=after,
        client_ip=client_ip(request) if request is not None else None,
        detail=detail[:255],
        subject_ids=sorted(set(subject_ids)) if subject_ids else None,
    )
    return insert(event)  # the INSERT built once per process: every page view writes one


def events_for_subject(subject_type: str, subject_id: int) -> models.QuerySet[AuditEvent]:
    """Events about one person: those naming them, and list pages that showed them."""
    query = models.Q(subject_type=subject_type, subject_id=subject_id)
    if subject_type == "servant":
        query |= models.Q(subject_ids__has_id=subject_id)
    return AuditEvent.objects.filter(query)


def reads_of_subject(subject_type: str, subject_id: int) -> models.QuerySet[AuditEvent]:
    """«¿Quién vio mi legajo?»: the registered staff reads about one person."""
    return events_for_subject(subject_type, subject_id).filter(
        action__in=audit_actions.codes(read=True)
    )


def is_root_path(path: str) -> bool:
    """The sector's root unit (MINEDU): a path with one segment."""
    return path.count("/") == 2


def events_in_paths(paths: list[str]) -> models.QuerySet[AuditEvent]:
    """Events whose org unit lies under any of `paths` (empty list: none).

    Sign-in, role and account events belong to no unit; whoever audits from the
    sector's root (MINEDU) sees them too.
    """
    if not paths:
        return AuditEvent.objects.none()
    query = models.Q()
    for path in paths:
        query |= models.Q(unit_path__startswith=path)
    if any(is_root_path(path) for path in paths):
        query |= models.Q(action__in=audit_actions.codes(security=True))
    return AuditEvent.objects.filter(query).select_related("actor")
