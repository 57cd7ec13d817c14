"""Writes on share links: create (the token shown once), open (counted, race-safe),
revoke. Each writes its audit event in its transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.personnel.models import Servant
from ayni.personnel.selectors import own_servant
from ayni.sharing.documents import SharedDocument, shared_document
from ayni.sharing.models import MAX_DAYS, MAX_LIVE_LINKS, MAX_OPENINGS, ShareLink, ShareOpening
from ayni.sharing.selectors import document_in_force, link_for_token, token_hash
from ayni.sharing.states import LINK_GATE

State = ShareLink.State
TICKET_SALT = "ayni.sharing.pdf"
TICKET_SECONDS = 30 * 60  # an opening may fetch its PDF for half an hour


class SharingError(UserError):
    pass


def _unit_path(link: ShareLink) -> str:
    unit = link.servant.employing_unit
    return unit.path if unit is not None else ""


@transaction.atomic
def link_create(
    *,
    user: Any,
    document: SharedDocument,
    days: int,
    max_openings: int,
    request: HttpRequest | None = None,
) -> tuple[ShareLink, str]:
    """A new link for one of the user's own documents: (link, token). The token is
    returned once and never stored; only its SHA-256 is."""
    servant = own_servant(user)
    if servant is None or servant.pk != document.servant_id:
        # Only the document's owner shares it; staff never share a servant's document.
        raise SharingError(gettext("Solo puede compartir sus propios documentos."))
    if not 1 <= days <= MAX_DAYS:
        raise SharingError(
            gettext("El enlace puede durar de 1 a %(max)s días.") % {"max": MAX_DAYS}
        )
    if not 1 <= max_openings <= MAX_OPENINGS:
        raise SharingError(
            gettext("El enlace puede abrirse de 1 a %(max)s veces.") % {"max": MAX_OPENINGS}
        )
    if not document_in_force(document.verification_code):
        raise SharingError(
            gettext(
                "Este documento fue anulado, reemplazado por uno más reciente o ya venció: "
                "no se puede compartir."
            )
        )
    # One creation at a time per servant, so the count below holds.
    Servant.objects.select_for_update().filter(pk=servant.pk).first()
    now = timezone.now()
    live = ShareLink.objects.filter(
        servant=servant,
        state=State.ACTIVE,
        expires_at__gt=now,
        openings_count__lt=F("max_openings"),
    ).count()
    if live >= MAX_LIVE_LINKS:
        raise SharingError(
            gettext(
                "Ya tiene %(n)s enlaces que todavía se pueden abrir. Anule los que ya no "
                "necesite en «Mis enlaces compartidos» y vuelva a intentarlo."
            )
            % {"n": live}
        )
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        servant=servant,
        created_by=user,
        kind=document.kind,
        document_uuid=document.uuid,
        verification_code=document.verification_code,
        title=document.title[:200],
        token_hash=token_hash(token),
        expires_at=now + timedelta(days=days),
        max_openings=max_openings,
    )
    audit_log(
        action="sharing.link_created",
        actor=user,
        request=request,
        subject_type="servant",
        subject_id=servant.pk,
        obj=link,
        unit_path=_unit_path(link),
        after={"document": document.kind, "days": days, "max_openings": max_openings},
        detail=link.title,
    )
    return link, token


@transaction.atomic
def link_revoke(*, user: Any, link: ShareLink, request: HttpRequest | None = None) -> None:
    """The owner revokes a link: it stops working at once; its openings stay listed."""
    servant = own_servant(user)
    if servant is None or servant.pk != link.servant_id:
        raise SharingError(gettext("Solo puede anular sus propios enlaces."))
    LINK_GATE.move(
        link,
        State.REVOKED,
        actor=user,
        expected=State.ACTIVE,
        request=request,
        fields={"revoked_at": timezone.now()},
        unit_path=_unit_path(link),
        subject_type="servant",
        subject_id=servant.pk,
        detail=link.title,
    )


@dataclass(frozen=True)
class Opened:
    link: ShareLink
    opening: ShareOpening
    document: SharedDocument
    ticket: str  # lets this opening fetch the PDF for a while without counting again


def _link_works(link: ShareLink) -> bool:
    """Apart from its count: the link may be used (its owner's account still active, the
    document still valid). A deactivated account's links stop with it (docs/decisions.md)."""
    return bool(link.created_by.is_active) and document_in_force(link.verification_code)


class _SameVisit(Exception):
    """The page's visit was counted by a concurrent request: undo this one's count."""


def _again(link: ShareLink, visit: str, since: Any) -> ShareOpening | None:
    if not visit:
        return None
    return ShareOpening.objects.filter(link=link, visit=visit, opened_at__gt=since).first()


def link_open(*, token: str, visit: str = "", request: HttpRequest | None = None) -> Opened | None:
    """Count one opening of the link `token` names, if it may still be opened: active,
    not expired, openings left, its owner's account active and its document still valid.
    None otherwise (unknown, revoked, expired, used up, annulled document: the holder is
    told the same).

    `visit` is the random value of the page the holder pressed «Ver el documento» on:
    the same page sent again within half an hour (a double click, a reload of the
    result) is the same opening, not another one, while the link still works.

    The count is one conditional UPDATE (`openings_count < max_openings` in its WHERE):
    the database serialises concurrent openings on the row, so of two openings racing
    for the last count exactly one is granted; of two sends of one page racing, the
    unique (link, visit) lets one count and the other finds it.
    """
    link = link_for_token(token)
    if link is None or not _link_works(link):
        return None
    document = shared_document(link.kind, link.document_uuid, link.servant_id)
    if document is None:
        return None
    now = timezone.now()
    visit_hash = token_hash(visit) if visit else ""
    since = now - timedelta(seconds=TICKET_SECONDS)
    opening = None
    if link.state == State.ACTIVE and link.expires_at > now:
        opening = _again(link, visit_hash, since)
    if opening is None:
        try:
            opening = _count_opening(link, visit_hash, now, request)
        except _SameVisit:
            opening = _again(link, visit_hash, since)
        if opening is None:
            return None
    link.refresh_from_db(fields=["openings_count", "updated_at"])
    ticket = signing.dumps([link.pk, opening.pk], salt=TICKET_SALT, compress=True)
    return Opened(link=link, opening=opening, document=document, ticket=ticket)


def _count_opening(
    link: ShareLink, visit: str, now: Any, request: HttpRequest | None
) -> ShareOpening | None:
    with transaction.atomic():
        granted = ShareLink.objects.filter(
            pk=link.pk,
            state=State.ACTIVE,
            expires_at__gt=now,
            openings_count__lt=F("max_openings"),
        ).update(openings_count=F("openings_count") + 1, updated_at=now)
        if granted != 1:
            return None
        # This transaction holds the row's lock: the count read is the one just written.
        link.refresh_from_db(fields=["openings_count", "updated_at"])
        try:
            with transaction.atomic():
                opening = ShareOpening.objects.create(
                    link=link, number=link.openings_count, visit=visit
                )
        except IntegrityError as exc:  # the same page, counted meanwhile: undo this count
            raise _SameVisit from exc
        audit_log(
            action="sharing.link_opened",
            request=request,
            subject_type="servant",
            subject_id=link.servant_id,
            obj=link,
            unit_path=_unit_path(link),
            after={"opening": opening.number, "of": link.max_openings},
            detail=link.title,
        )
    return opening


def opening_pdf(*, ticket: str) -> tuple[SharedDocument, bytes] | None:
    """The PDF for an opening counted in the last half hour (its signed `ticket`, which
    names the link and the opening), if the link still works apart from its count: not
    revoked, not expired, its owner's account active, document valid. The first fetch is
    noted on the opening; fetching does not count as another opening."""
    try:
        link_pk, opening_pk = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    opening = (
        ShareOpening.objects.filter(pk=opening_pk, link_id=link_pk)
        .select_related("link", "link__created_by")
        .first()
    )
    if opening is None:
        return None
    link = opening.link
    if link.state != State.ACTIVE or link.expires_at <= timezone.now() or not _link_works(link):
        return None
    document = shared_document(link.kind, link.document_uuid, link.servant_id)
    if document is None:
        return None
    ShareOpening.objects.filter(pk=opening.pk, pdf_fetched_at__isnull=True).update(
        pdf_fetched_at=timezone.now()
    )
    return document, document.pdf()
