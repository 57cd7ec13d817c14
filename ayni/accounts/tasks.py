"""Background tasks of the accounts app (django-tasks)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from ayni.accounts.models import User

logger = logging.getLogger(__name__)


@task()
def send_password_reset_email(login_id: str) -> bool:
    """E-mail a reset link to the account's address on record, if there is one.

    The e-mail carries the link only; failures are logged without the address.
    """
    user = User.objects.filter(login_id=login_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )
    body = render_to_string("accounts/email/password_reset.txt", {"link": link})
    try:
        send_mail(
            "Ayni: restablecer su contraseña", body, settings.DEFAULT_FROM_EMAIL, [user.email]
        )
    except OSError:
        logger.exception("Password reset e-mail failed for user id %s", user.pk)
        return False
    return True
