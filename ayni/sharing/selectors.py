"""Reads of share links: the servant's own, and the one a token names."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from ayni.core.models import VerificationRecord
from ayni.core.verification import effective_status
from ayni.personnel.selectors import own_servant
from ayni.sharing.models import LinkStatus, ShareLink, ShareOpening

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for_token(token: str) -> ShareLink | None:
    """The link a token opens (None for a malformed or unknown one). Looked up by the
    token's hash: the token itself is stored nowhere."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    links = ShareLink.objects.select_related("created_by")
    return links.filter(token_hash=token_hash(token)).first()


def document_in_force(verification_code: str) -> bool:
    """The shared document is still valid: issued, not annulled, superseded or expired."""
    record = VerificationRecord.objects.filter(code=verification_code).first()
    return record is not None and effective_status(record) == VerificationRecord.Status.VALID


def link_status(link: ShareLink, *, document_valid: bool, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if link.state == ShareLink.State.REVOKED:
        return LinkStatus.REVOKED
    if not document_valid:
        return LinkStatus.DOCUMENT_INVALID
    if link.expires_at <= now:
        return LinkStatus.EXPIRED
    if link.openings_count >= link.max_openings:
        return LinkStatus.USED_UP
    return LinkStatus.ACTIVE


def my_links(user: Any) -> QuerySet[ShareLink]:
    servant = own_servant(user)
    if servant is None:
        return ShareLink.objects.none()
    return ShareLink.objects.filter(servant=servant)


def get_my_link(user: Any, ref: UUID | str) -> ShareLink:
    link = my_links(user).filter(uuid=ref).first()
    if link is None:
        raise Http404
    return link


@dataclass(frozen=True)
class LinkRow:
    link: ShareLink
    status: str
    openings: list[ShareOpening]

    @property
    def status_label(self) -> str:
        return str(LinkStatus(self.status).label)

    @property
    def is_active(self) -> bool:
        return self.status == LinkStatus.ACTIVE


def my_link_rows(user: Any, *, limit: int = 100) -> list[LinkRow]:
    """«Mis enlaces compartidos»: newest first, each with its status and openings (three
    queries whatever the number of links)."""
    links = list(
        my_links(user).prefetch_related(
            Prefetch("openings", queryset=ShareOpening.objects.order_by("-opened_at", "-id"))
        )[:limit]
    )
    records = VerificationRecord.objects.filter(code__in={link.verification_code for link in links})
    valid = {r.code for r in records if effective_status(r) == VerificationRecord.Status.VALID}
    now = timezone.now()
    return [
        LinkRow(
            link=link,
            status=link_status(link, document_valid=link.verification_code in valid, now=now),
            openings=list(link.openings.all()),
        )
        for link in links
    ]
