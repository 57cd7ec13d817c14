"""Login, lockout, password reset and privacy acceptance: the writes of the accounts app."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from ayni.accounts.links import code_of, link_create, link_use
from ayni.accounts.models import AccountLink, User, login_id_for
from ayni.core import throttle
from ayni.core.audit import audit_log
from ayni.core.net import client_ip
from ayni.core.notifications import mail_after_commit, notify
from ayni.core.rowread import get_by_key


class LoginResult(Enum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"
    # The account is under distributed guessing: whatever the password, the page
    # says the same; a right one only gets a sign-in link e-mailed to the owner.
    GUARDED = "guarded"


SIGN_IN_LINK_MINUTES = 15


@dataclass(frozen=True)
class _Keys:
    pair: throttle.Limit
    address: throttle.Limit
    account: throttle.Limit


def _limits(login_id: str, ip: str) -> _Keys:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    block = settings.LOGIN_LOCKOUT_SECONDS
    return _Keys(
        pair=throttle.Limit(
            key=throttle.hashed("login-pair", login_id, ip),
            group=account_group(login_id),
            max_count=settings.LOGIN_MAX_FAILURES,
            window_seconds=window,
            block_seconds=block,
        ),
        address=throttle.Limit(
            key=throttle.hashed("login-address", ip),
            max_count=settings.LOGIN_MAX_FAILURES_PER_ADDRESS,
            window_seconds=window,
            block_seconds=block,
        ),
        # The per-account ceiling across every address (distributed guessing). It
        # never locks the owner out: it turns on the guard, where a right password
        # only brings a sign-in link to the address on file.
        account=throttle.Limit(
            key=throttle.hashed("login-account-ceiling", login_id),
            group=account_group(login_id),
            max_count=settings.LOGIN_ACCOUNT_CEILING,
            window_seconds=settings.LOGIN_ACCOUNT_WINDOW_SECONDS,
            block_seconds=settings.LOGIN_ACCOUNT_GUARD_SECONDS,
        ),
    )


def account_group(login_id: str) -> str:
    return throttle.hashed("login-account", login_id)


def login_attempt(
    request: HttpRequest, *, doc_type: str, doc_number: str, password: str
) -> LoginResult:
    """Check the credentials, honouring the lockouts; log the user in on success.

    Lockout is keyed on the account *and* the client address together, so a
    stranger elsewhere cannot lock a teacher out; each address also has a
    ceiling of failures across all accounts. Each account has a ceiling of
    failures across all addresses: past it the account is guarded (the owner is
    told once) and a right password no longer opens a session by itself; it
    e-mails a single-use sign-in link to the address on file, and the page says
    the same whatever the password was. Unknown accounts are treated exactly
    like known ones.
    """
    login_id = login_id_for(doc_type, doc_number)
    ip = client_ip(request) or "unknown"
    limits = _limits(login_id, ip)
    existing = get_by_key(User, login_id, column="login_id")  # unique: one row or none
    blocked, counted = throttle.blocked_and_counted(limits.pair, limits.address, limits.account)
    if limits.pair.key in blocked or limits.address.key in blocked:
        audit_log(action="auth.login_refused_locked", actor=existing, request=request)
        return LoginResult.LOCKED
    guarded = limits.account.key in blocked
    user = _authenticate(existing, password)
    if user is None:
        with transaction.atomic():
            pair_blocked = throttle.register_hit(limits.pair)
            address_blocked = throttle.register_hit(limits.address)
            newly_guarded = not guarded and throttle.register_hit(limits.account)
            audit_log(
                action="auth.login_failed",
                actor=existing,
                request=request,
                detail="" if existing else "cuenta inexistente",
            )
            if newly_guarded:
                _guard_started(request, existing)
            if pair_blocked or address_blocked:
                audit_log(
                    action="auth.lockout",
                    actor=existing,
                    request=request,
                    detail="dirección"
                    if address_blocked and not pair_blocked
                    else "cuenta y dirección",
                )
                return LoginResult.LOCKED
        return LoginResult.GUARDED if guarded or newly_guarded else LoginResult.INVALID
    if guarded:
        _send_sign_in_link(request, user)
        return LoginResult.GUARDED
    with transaction.atomic():  # one commit for the sign-in's writes
        if limits.pair.key in counted:
            throttle.clear(limits.pair.key)
        _login(request, user, detail="")
    return LoginResult.OK


def _authenticate(existing: User | None, password: str) -> Any:
    """The password backend's check on the account already read (one lookup, not two).
    An unknown account costs the same hash as a known one, as in Django's ModelBackend."""
    backend = ModelBackend()
    if existing is None:
        User().set_password(password)
        return None
    if existing.check_password(password) and backend.user_can_authenticate(existing):
        return existing
    return None


def _login(request: HttpRequest, user: Any, *, detail: str) -> None:
    login(request, user, backend="ayni.accounts.backends.AccountBackend")
    request.session["last_activity"] = timezone.now().timestamp()
    audit_log(action="auth.login", actor=user, request=request, detail=detail)


@transaction.atomic
def _guard_started(request: HttpRequest, user: Any) -> None:
    """Once per guard period: the audit event and the owner's notice (no values)."""
    audit_log(action="auth.account_guarded", actor=user, request=request)
    if user is not None:
        notify(
            recipient=user,
            title=gettext(
                "Hubo muchos intentos fallidos de ingresar a su cuenta desde varias "
                "conexiones. Por un tiempo, su ingreso se completa con un enlace en su correo. "
                "Cambie su contraseña"
            ),
            subject=gettext("intentos fallidos de ingreso a su cuenta"),
            link=reverse("accounts:password_change"),
        )


@transaction.atomic
def _send_sign_in_link(request: HttpRequest, user: Any) -> None:
    if not user.email:
        audit_log(action="auth.login_link_unavailable", actor=user, request=request)
        return
    link = link_create(user=user, purpose=AccountLink.Purpose.SIGN_IN, minutes=SIGN_IN_LINK_MINUTES)
    mail_after_commit(
        user.email,
        gettext("Ayni: complete su ingreso"),
        gettext(
            "Alguien ingresó la contraseña correcta de su cuenta de Ayni mientras la cuenta "
            "está protegida por muchos intentos fallidos. Si fue usted, complete el ingreso "
            "con este enlace (vale %(minutes)s minutos y una sola vez):\n%(link)s\n\n"
            "Si la página le pide el código, es este:\n%(code)s\n\n"
            "Si no fue usted, su contraseña es conocida por otra persona: cámbiela cuanto antes "
            "(«Olvidé mi contraseña»).\n\nEste es un mensaje automático de Ayni; no lo responda."
        )
        % {"minutes": SIGN_IN_LINK_MINUTES, "link": link, "code": code_of(link)},
    )
    audit_log(action="auth.login_link_sent", actor=user, request=request)


def login_with_link(request: HttpRequest, *, code: str) -> bool:
    """The owner opened the sign-in link: log in and lift the account's guard."""
    with transaction.atomic():
        link = link_use(code=code, purpose=AccountLink.Purpose.SIGN_IN)
        if link is None or not link.user.is_active:
            return False
        throttle.clear_group(account_group(link.user.login_id))
        _login(request, link.user, detail="con el enlace de ingreso enviado al correo")
    return True


def logout_record(request: HttpRequest, *, reason: str = "") -> None:
    if request.user.is_authenticated:
        audit_log(action="auth.logout", actor=request.user, request=request, detail=reason)


def privacy_accept(request: HttpRequest, user: Any) -> None:
    with transaction.atomic():
        user.privacy_accepted_at = timezone.now()
        user.save(update_fields=["privacy_accepted_at"])
        audit_log(
            action="auth.privacy_accepted",
            actor=user,
            request=request,
            detail="Aviso de privacidad, Ley 29733",
        )


def password_reset_completed(request: HttpRequest, user: Any) -> None:
    """After a reset: lift every lockout and the guard of the account, record it and
    tell the owner (the other sessions ended with the old password)."""
    with transaction.atomic():
        throttle.clear_group(account_group(user.login_id))
        audit_log(action="auth.password_reset", actor=user, request=request)
        notify(
            recipient=user,
            title=gettext(
                "La contraseña de su cuenta fue restablecida. Si no fue usted, avise a la "
                "mesa de partes de su UGEL"
            ),
            subject=gettext("su contraseña fue restablecida"),
            link=reverse("accounts:profile"),
        )


def password_changed(request: HttpRequest, user: Any) -> None:
    with transaction.atomic():
        audit_log(action="auth.password_changed", actor=user, request=request)
        notify(
            recipient=user,
            title=gettext(
                "La contraseña de su cuenta fue cambiada. Si no fue usted, avise a la mesa "
                "de partes de su UGEL"
            ),
            subject=gettext("su contraseña fue cambiada"),
            link=reverse("accounts:profile"),
        )


def password_reset_throttled(request: HttpRequest) -> bool:
    """At most 10 reset requests per client address per hour."""
    limit = throttle.hourly_for_address(request, "reset-address", 10)
    if throttle.is_blocked(limit):
        return True
    throttle.register_hit(limit)
    return False
