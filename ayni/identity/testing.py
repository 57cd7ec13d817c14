"""For the test suite: a signed-in client whose session passed the second factor the
same way a real verification marks it (`twofactor.mark_verified`)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ayni.accounts.permissions import is_staff_user
from ayni.identity.twofactor import app_device, mark_verified


def sign_in_verified(client: Client, user: Any) -> None:
    client.force_login(user)
    device = app_device(user)
    if device is None and not is_staff_user(user):
        return
    if device is None:  # staff not enrolled (20000004 in the demo): enrol for the test
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    mark_verified(session, device)
    session.save()
