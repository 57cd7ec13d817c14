"""Background tasks of the accounts app (django-tasks)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django_tasks import task

from ayni.accounts.activation import set_password_link
from ayni.accounts.models import User

logger = logging.getLogger(__name__)


@task()
def send_password_reset_email(user_id: int | None) -> bool:
    """E-mail a reset link to the account's address on record.

    The form looks the account up before enqueueing and always enqueues one task:
    `user_id` is None when there is no such account, so the task table never keeps
    a document number typed by a stranger, and the answer takes the same time. The
    e-mail carries the link only; failures are logged without the address.
    """
    if user_id is None:
        return False
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    body = render_to_string("accounts/email/password_reset.txt", {"link": set_password_link(user)})
    try:
        send_mail(
            gettext("Ayni: restablecer su contraseña"),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except OSError:
        logger.exception("Password reset e-mail failed for user id %s", user.pk)
        return False
    return True
