"""Audit archiving: events older than `DATAPROTECTION_AUDIT_ARCHIVE_DAYS` are exported
(JSON lines, gzip, in storage under `audit-archive/`) and then detached from the live table,
in the same transaction as the archive's row and an audit event naming the file and its
SHA-256. A dry run counts and changes nothing. 0 days: archiving is off."""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ayni.core.audit import audit_log
from ayni.core.models import AuditEvent
from ayni.dataprotection.models import AuditArchive

FIELDS = [f.attname for f in AuditEvent._meta.concrete_fields]
BATCH = 2000


@dataclass
class ArchiveResult:
    days: int
    count: int
    archive: AuditArchive | None = None


def _row(event: dict[str, object]) -> str:
    return json.dumps(event, ensure_ascii=False, default=str, sort_keys=True)


def archive_audit(*, dry_run: bool, now: datetime | None = None) -> ArchiveResult:
    days: int = settings.DATAPROTECTION_AUDIT_ARCHIVE_DAYS
    if days <= 0:
        return ArchiveResult(days, 0)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = AuditEvent.objects.filter(occurred_at__lt=cutoff)
    count = old.count()
    if dry_run or not count:
        return ArchiveResult(days, count)
    ids: list[int] = []
    first = last = cutoff
    with tempfile.TemporaryFile() as tmp:
        with gzip.GzipFile(fileobj=tmp, mode="wb", mtime=0) as archive:
            for event in old.order_by("id").values(*FIELDS).iterator(chunk_size=BATCH):
                archive.write((_row(event) + "\n").encode())
                ids.append(int(event["id"]))  # type: ignore[call-overload]
                moment: datetime = event["occurred_at"]  # type: ignore[assignment]
                first = moment if len(ids) == 1 else first
                last = moment
        tmp.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: tmp.read(1 << 20), b""):
            digest.update(chunk)
        tmp.seek(0)
        stamp = timezone.localtime(cutoff).strftime("%Y%m%d")
        name = default_storage.save(f"audit-archive/hasta-{stamp}.jsonl.gz", File(tmp))
    with transaction.atomic():
        row = AuditArchive.objects.create(
            file_name=name,
            sha256=digest.hexdigest(),
            count=len(ids),
            first_at=first,
            last_at=last,
            cutoff=cutoff,
        )
        for start in range(0, len(ids), BATCH):
            AuditEvent.objects.filter(pk__in=ids[start : start + BATCH]).delete()
        audit_log(
            action="dataprotection.audit_archived",
            obj=row,
            detail=f"{len(ids)} eventos en {name}",
            after={"file": name, "sha256": row.sha256, "count": len(ids), "days": days},
        )
    return ArchiveResult(days, len(ids), row)
