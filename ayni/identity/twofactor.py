"""Second factor (django-otp): an authenticator app (TOTP) and single-use recovery codes.

The session is «verified» when django-otp's session key names one of the user's
confirmed devices (OTPMiddleware turns that into `request.user.is_verified()`), and
`VERIFIED_AT` says when the last check was made (the step-up clock). `mark_verified`
is the one place that writes both: a real verification and the tests' signed-in
clients go through it.
"""

from __future__ import annotations

import functools
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ayni.accounts.permissions import ACCOUNTS_MANAGE, has_perm, is_staff_user
from ayni.core import throttle
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.notifications import notify
from ayni.core.rowread import fixed_rows, with_tables

VERIFIED_AT = "ayni_2fa_at"
RECOVERY_NAME = "recuperacion"
RECOVERY_COUNT = 10
APP_NAME = "app"


class TwoFactorError(UserError):
    pass


class ThrottledError(TwoFactorError):
    status = 429


# --- the session ----------------------------------------------------------------------


def mark_verified(session: SessionBase, device: Device) -> None:
    """Record in the session that `device` just verified its owner (now)."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT] = time.time()


def verified_age(session: SessionBase) -> float | None:
    """Seconds since the last second-factor check of this session (None: never)."""
    at = session.get(VERIFIED_AT)
    return None if at is None else time.time() - float(at)


def is_fresh(request: HttpRequest) -> bool:
    """Was the second factor checked in this session within STEP_UP_SECONDS?"""
    from ayni.identity.oidc import strong_acr

    verified = getattr(request.user, "is_verified", lambda: False)()
    if not verified and not strong_acr(request.session):
        return False
    age = verified_age(request.session)
    return age is not None and age <= settings.STEP_UP_SECONDS


# --- devices --------------------------------------------------------------------------


def app_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-pk").first()


# In the session: a servant without a second factor, not asked for one.
SERVANT_NO_FACTOR = "ayni_2fa_none"


def has_second_factor(user: Any) -> bool:
    """A confirmed authenticator app or passkey (one fixed query for both: it runs at
    every sign-in)."""
    ((found,),) = fixed_rows(TOTPDevice, _second_factor_sql(), [user.pk, user.pk])
    return bool(found)


@functools.cache
def _second_factor_sql() -> str:
    return with_tables(
        "SELECT EXISTS (SELECT 1 FROM {totp} WHERE user_id = %s AND confirmed) "
        "OR EXISTS (SELECT 1 FROM {passkey} WHERE user_id = %s AND confirmed)",
        totp=TOTPDevice,
        passkey=WebAuthnCredential,
    )


def note_no_factor(request: HttpRequest, user: Any) -> None:
    """At sign-in: a servant with no second factor is not asked for one this session
    (`SecondFactorMiddleware` would otherwise look it up, and write the session, on the
    first page)."""
    if not is_staff_user(user) and not has_second_factor(user):
        request.session[SERVANT_NO_FACTOR] = True


def passkey_count(user: Any) -> int:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).count()


def needs_second_factor(user: Any) -> bool:
    """Staff must have one; anyone who enrolled is asked for it."""
    return is_staff_user(user) or has_second_factor(user)


def recovery_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (made on first call, kept until
    confirmed, so the QR code does not change on each reload)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode()


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator shows now (demo mode's «solo demostración» hint)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


# --- attempts -------------------------------------------------------------------------


def _limit(user: Any) -> throttle.Limit:
    return throttle.Limit(
        key=throttle.hashed("2fa", str(user.pk)),
        max_count=settings.OTP_MAX_FAILURES,
        window_seconds=settings.OTP_FAILURE_WINDOW_SECONDS,
        block_seconds=settings.OTP_LOCKOUT_SECONDS,
        group=f"2fa:{user.pk}",
    )


def _throttled_message() -> str:
    return gettext(
        "Demasiados códigos incorrectos. Espere %(minutes)s minutos antes de intentarlo de "
        "nuevo, o use un código de recuperación más tarde."
    ) % {"minutes": settings.OTP_LOCKOUT_SECONDS // 60}


def _clean(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())[:12]


def _failed(request: HttpRequest, user: Any) -> None:
    audit_log(action="auth.2fa_failed", actor=user, request=request)
    blocked = throttle.register_hit(_limit(user))
    raise (ThrottledError if blocked else TwoFactorError)(
        _throttled_message() if blocked else gettext("El código no es válido o ya se usó.")
    )


def verify(request: HttpRequest, *, code: str) -> Device:
    """Check a code from the authenticator (6 digits) or a recovery code (8 digits);
    mark the session verified. A used code is refused (TOTP: its time step is spent;
    recovery: the code is deleted). Raises TwoFactorError; ThrottledError when blocked."""
    user: Any = request.user
    if throttle.is_blocked(_limit(user)):
        raise ThrottledError(_throttled_message())
    token = _clean(code)
    device: Device | None = None
    with transaction.atomic():
        if len(token) == 6:
            app = app_device(user)
            if app is not None:
                app = TOTPDevice.objects.select_for_update().get(pk=app.pk)
                if app.verify_token(token):
                    device = app
        elif len(token) == 8:
            for static in StaticDevice.objects.select_for_update().filter(
                user=user, confirmed=True
            ):
                if static.verify_token(token):
                    device = static
    if device is None:
        _failed(request, user)
    assert device is not None
    recovery = isinstance(device, StaticDevice)
    audit_log(
        action="auth.2fa_recovery_used" if recovery else "auth.2fa_verified",
        actor=user,
        request=request,
    )
    throttle.clear(_limit(user).key)
    # A session verified by a recovery code stays bound to the authenticator when there
    # is one, so that renewing the recovery codes does not unverify it.
    bound = app_device(user) if recovery else device
    mark_verified(request.session, bound or device)
    request.user.otp_device = bound or device  # type: ignore[union-attr]
    return device


def confirm_enrolment(request: HttpRequest, *, code: str) -> list[str]:
    """Confirm the pending authenticator with a code it shows; return the new recovery
    codes (shown once). Any earlier authenticator of the user is removed."""
    user: Any = request.user
    if throttle.is_blocked(_limit(user)):
        raise ThrottledError(_throttled_message())
    token = _clean(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        ok = device is not None and len(token) == 6 and device.verify_token(token)
    if not ok:
        _failed(request, user)
    assert device is not None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_log(action="auth.2fa_enrolled", actor=user, request=request)
    throttle.clear(_limit(user).key)
    mark_verified(request.session, device)
    request.user.otp_device = device  # type: ignore[union-attr]
    return codes


def renew_recovery_codes(request: HttpRequest) -> list[str]:
    user: Any = request.user
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_log(action="auth.2fa_recovery_renewed", actor=user, request=request)
    return codes


def admin_reset(request: HttpRequest, *, target: Any) -> None:
    """A system administrator removes someone's second factor (lost phone): audited, the
    owner notified; their sessions then ask for a new enrolment. Never one's own."""
    actor: Any = request.user
    if not has_perm(actor, ACCOUNTS_MANAGE):
        raise TwoFactorError(gettext("Solo un administrador del sistema puede hacer esto."))
    if target.pk == actor.pk:
        raise TwoFactorError(
            gettext("No puede restablecer su propio segundo factor: pídaselo a otro administrador.")
        )
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=target).delete()[0]
        StaticDevice.objects.filter(user=target).delete()
        removed += WebAuthnCredential.objects.filter(user=target).delete()[0]
        if not removed:
            raise TwoFactorError(gettext("Esa cuenta no tiene un segundo factor activo."))
        audit_log(action="auth.2fa_reset_by_admin", request=request, obj=target, detail=str(target))
        notify(
            recipient=target,
            title=gettext(
                "Un administrador restableció el segundo factor de su cuenta. En su próximo "
                "ingreso configure de nuevo su aplicación de autenticación. Si usted no lo "
                "pidió, avise a la mesa de partes de su UGEL."
            ),
            subject=gettext("su segundo factor fue restablecido"),
        )
