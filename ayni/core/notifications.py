"""In-app notifications, with an e-mail that carries a link and never personal values."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from ayni.core.models import Notification
from ayni.core.rowread import fixed_rows, with_tables
from ayni.core.rowwrite import insert

SUBJECT_MAX = 78  # RFC 5322's line length: a subject a phone's inbox shows whole


def mail_subject(title: str, subject: str | None = None) -> str:
    """«Ayni: » and a short subject: the one given, or the title's first sentence."""
    text = subject or title.split(". ")[0].rstrip(".")
    return gettext("Ayni: %(subject)s") % {"subject": text}


def notify(
    *,
    recipient: Any,
    title: str,
    link: str = "",
    email: bool = True,
    subject: str | None = None,
) -> Notification:
    """Record a notification; after commit, e-mail the recipient a pointer to it.

    `title` must not hold personal data (it is e-mailed): say «Su solicitud fue
    atendida», not the values that changed. A long title (a notice with advice) gives a
    short `subject` for the e-mail.
    """
    note = insert(Notification(recipient=recipient, title=title, link=link))
    if email and recipient.email:
        address = recipient.email
        url = f"{settings.SITE_URL}{link}" if link else settings.SITE_URL
        body = gettext(
            "%(title)s\n\nIngrese a Ayni para ver el detalle:\n%(url)s\n\n"
            "Este es un mensaje automático; no lo responda."
        ) % {"title": title, "url": url}
        line = mail_subject(title, subject)
        transaction.on_commit(
            lambda: send_mail(
                subject=line,
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[address],
                fail_silently=True,
            )
        )
    return note


def mail_after_commit(to: str, subject: str, body: str) -> None:
    """Send an e-mail after the transaction commits (a rollback sends nothing)."""
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=True)
    )


def notifications_for(user: Any) -> models.QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    """On every signed-in page (the bell): fixed SQL, not a query built each time."""
    ((count,),) = fixed_rows(Notification, _unread_sql(), [user.pk])
    return int(count)


@functools.cache
def _unread_sql() -> str:
    return with_tables(
        "SELECT COUNT(*) FROM {notification} WHERE recipient_id = %s AND read_at IS NULL",
        notification=Notification,
    )


def mark_all_read(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
