"""Login, lockout, password reset and privacy acceptance: the writes of the accounts app."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ayni.accounts.models import User, login_id_for
from ayni.core import throttle
from ayni.core.audit import audit_log
from ayni.core.net import client_ip


class LoginResult(Enum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"


@dataclass(frozen=True)
class _Keys:
    pair: throttle.Limit
    address: throttle.Limit


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
    )


def account_group(login_id: str) -> str:
    return throttle.hashed("login-account", login_id)


def login_attempt(
    request: HttpRequest, *, doc_type: str, doc_number: str, password: str
) -> LoginResult:
    """Check the credentials, honouring the lockouts; log the user in on success.

    Lockout is keyed on the account *and* the client address together, so a
    stranger elsewhere cannot lock a teacher out; each address also has a
    ceiling of failures across all accounts. Unknown accounts are treated
    exactly like known ones.
    """
    login_id = login_id_for(doc_type, doc_number)
    ip = client_ip(request) or "unknown"
    limits = _limits(login_id, ip)
    existing = User.objects.filter(login_id=login_id).first()
    if throttle.is_blocked(limits.pair) or throttle.is_blocked(limits.address):
        audit_log(action="auth.login_refused_locked", actor=existing, request=request)
        return LoginResult.LOCKED
    user = authenticate(request, login_id=login_id, password=password)
    if user is None:
        with transaction.atomic():
            pair_blocked = throttle.register_hit(limits.pair)
            address_blocked = throttle.register_hit(limits.address)
            audit_log(
                action="auth.login_failed",
                actor=existing,
                request=request,
                detail="" if existing else "cuenta inexistente",
            )
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
        return LoginResult.INVALID
    throttle.clear(limits.pair.key)
    login(request, user)
    request.session["last_activity"] = timezone.now().timestamp()
    audit_log(action="auth.login", actor=user, request=request)
    return LoginResult.OK


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
    """After a reset: lift every lockout of the account and record it."""
    throttle.clear_group(account_group(user.login_id))
    audit_log(action="auth.password_reset", actor=user, request=request)


def password_reset_throttled(request: HttpRequest) -> bool:
    """At most 10 reset requests per client address per hour."""
    limit = throttle.hourly_for_address(request, "reset-address", 10)
    if throttle.is_blocked(limit):
        return True
    throttle.register_hit(limit)
    return False
