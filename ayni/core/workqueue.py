"""The staff work queue: any app posts items; the staff home lists those in scope."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from ayni.core.models import WorkItem


def work_item_post(
    *,
    kind: str,
    title: str,
    link: str,
    unit_path: str,
    permission: str,
    source_type: str = "",
    source_id: str = "",
    not_for: Any = None,
) -> WorkItem:
    """Post an item; posting again for the same open source returns the existing one.

    `not_for`: the user the item concerns, or who recorded its first step (rule 16): it
    is never listed to them, whatever their roles.
    """
    if source_type and source_id:
        existing = WorkItem.objects.filter(
            source_type=source_type, source_id=source_id, kind=kind, state=WorkItem.State.OPEN
        ).first()
        if existing:
            return existing
    return WorkItem.objects.create(
        kind=kind,
        title=title,
        link=link,
        unit_path=unit_path,
        permission=permission,
        source_type=source_type,
        source_id=source_id,
        not_for=not_for if getattr(not_for, "pk", None) else None,
    )


def work_item_close(*, source_type: str, source_id: str, kind: str | None = None) -> int:
    items = WorkItem.objects.filter(
        source_type=source_type, source_id=source_id, state=WorkItem.State.OPEN
    )
    if kind:
        items = items.filter(kind=kind)
    return items.update(state=WorkItem.State.DONE, closed_at=timezone.now())


def open_items_for_scopes(
    scopes: dict[str, list[str]], *, user_id: int | None = None
) -> models.QuerySet[WorkItem]:
    """Open items whose permission the user holds on an ancestor of the item's unit,
    leaving out those that concern the user (`not_for`).

    `scopes` maps a permission to the unit paths where the user holds it.
    """
    query = models.Q()
    for permission, paths in scopes.items():
        for path in paths:
            query |= models.Q(permission=permission, unit_path__startswith=path)
    if not query:
        return WorkItem.objects.none()
    items = WorkItem.objects.filter(query, state=WorkItem.State.OPEN)
    return items.exclude(not_for_id=user_id) if user_id is not None else items
