"""Passkeys (WebAuthn) as a second factor, with django-otp-webauthn: a credential is one
more django-otp device, so the gate and the step-up need nothing new. Our subclasses
only stamp the time of the check (`mark_verified`), as a TOTP code does; sign-in itself
stays document + password (no passwordless login)."""

from __future__ import annotations

from typing import Any

from django_otp_webauthn.views import (
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from ayni.core.audit import audit_log
from ayni.identity.twofactor import mark_verified


class CompleteAuthentication(CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> Any:
        user = super().complete_auth(device)
        mark_verified(self.request.session, device)
        audit_log(action="auth.2fa_verified", actor=device.user, request=self.request)
        return user


class CompleteRegistration(CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> Any:
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            audit_log(action="auth.passkey_added", request=self.request)
        return response
