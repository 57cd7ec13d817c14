"""Retention: what is past its term is removed or anonymised, daily, audited.

Each kind's term is configuration (`settings.DATAPROTECTION_RETENTION_DAYS`, days). Only
the kinds listed here are ever touched: access requests never confirmed, the uploads of
rejected access requests, spent sign-in / e-mail links (AccountLink) and expired «Mis
datos» files. Personal files, payslips, issued documents and audit events are not
in the list and are never removed. A dry run lists what would go and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ayni.accounts.models import AccountLink
from ayni.core.audit import audit_log
from ayni.dataprotection.models import DataExport
from ayni.desk.models import AccessRequest


@dataclass
class Item:
    kind: str
    label: Any
    days: int
    count: int = 0
    examples: list[str] = field(default_factory=list)


def _delete_file(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def _unconfirmed(cutoff: datetime) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(
        state=AccessRequest.State.UNCONFIRMED, created_at__lt=cutoff, case__isnull=True
    )


def _remove_unconfirmed(rows: QuerySet[AccessRequest]) -> None:
    for row in rows:
        _delete_file(row.file_name)
        row.delete()


def _rejected_uploads(cutoff: datetime) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(
        state=AccessRequest.State.REJECTED, updated_at__lt=cutoff
    ).exclude(file_name="")


def _remove_rejected_uploads(rows: QuerySet[AccessRequest]) -> None:
    for row in rows:
        _delete_file(row.file_name)
        AccessRequest.objects.filter(pk=row.pk).update(file_name="")


def _spent_links(cutoff: datetime) -> QuerySet[AccountLink]:
    return AccountLink.objects.filter(created_at__lt=cutoff).filter(
        Q(used_at__isnull=False) | Q(expires_at__lt=timezone.now())
    )


def _remove_links(rows: QuerySet[AccountLink]) -> None:
    rows.delete()


def _expired_exports(cutoff: datetime) -> QuerySet[DataExport]:
    return DataExport.objects.filter(expires_at__lt=cutoff).exclude(file_name="")


def _remove_exports(rows: QuerySet[DataExport]) -> None:
    for row in rows:
        _delete_file(row.file_name)
        DataExport.objects.filter(pk=row.pk).update(file_name="")


Finder = Callable[[datetime], QuerySet[Any]]
Remover = Callable[[QuerySet[Any]], None]

KINDS: list[tuple[str, Any, Finder, Remover, Callable[[Any], str]]] = [
    (
        "access_request_unconfirmed",
        _("Solicitudes de acceso nunca confirmadas (con su archivo)"),
        _unconfirmed,
        _remove_unconfirmed,
        lambda r: f"{r.created_at:%Y-%m-%d} {r.uuid}",
    ),
    (
        "access_request_rejected_upload",
        _("Archivos de solicitudes de acceso rechazadas"),
        _rejected_uploads,
        _remove_rejected_uploads,
        lambda r: f"{r.updated_at:%Y-%m-%d} {r.uuid}",
    ),
    (
        "account_link",
        _("Enlaces de ingreso y de cambio de correo ya usados o vencidos"),
        _spent_links,
        _remove_links,
        lambda r: f"{r.created_at:%Y-%m-%d} #{r.pk}",
    ),
    (
        "data_export",
        _("Archivos «Mis datos» vencidos"),
        _expired_exports,
        _remove_exports,
        lambda r: f"{r.expires_at:%Y-%m-%d} {r.uuid}",
    ),
]


def apply_retention(*, dry_run: bool, now: datetime | None = None) -> list[Item]:
    """What is past its term, per kind; removed unless `dry_run`."""
    now = now or timezone.now()
    terms: dict[str, int] = settings.DATAPROTECTION_RETENTION_DAYS
    items = []
    for key, label, find, remove, describe in KINDS:
        days = terms[key]
        rows = find(now - timedelta(days=days))
        item = Item(key, label, days, rows.count())
        item.examples = [describe(r) for r in rows[:20]]
        if not dry_run and item.count:
            with transaction.atomic():
                remove(rows)
                audit_log(
                    action="dataprotection.retention_applied",
                    detail=f"{key}: {item.count} (plazo {days} días)",
                    after={"kind": key, "count": item.count, "days": days},
                )
        items.append(item)
    return items
