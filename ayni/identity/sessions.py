"""«Mis sesiones»: a record of each signed-in session, kept beside whatever session
store runs (database, cache, Redis), so that the owner can list and close them.

A record is made at sign-in (`signed_in`, from the login views) or, for a session
that began otherwise, on its first request (`SessionRecordMiddleware`). Closing a
session deletes it from the store through the configured SessionStore engine and
ends its record; a request of a session whose record was ended is signed out.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import secrets
from importlib import import_module
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from ayni.core.audit import audit_log
from ayni.core.net import client_ip
from ayni.core.notifications import notify
from ayni.core.rowwrite import insert
from ayni.identity.models import UserSession
from ayni.identity.twofactor import note_no_factor

RECORD_KEY = "ayni_session_record"
DEVICE_COOKIE = "ayni_dispositivo"
DEVICE_COOKIE_AGE = 400 * 24 * 3600
TOUCH_EVERY_SECONDS = 60


def _digest(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}\x1e{value}".encode()).hexdigest()


def _fernet() -> Fernet:
    raw = hashlib.sha256(f"ayni-sessions\x1e{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(raw))


def _seal(key: str) -> str:
    return _fernet().encrypt(key.encode()).decode()


def _unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def ip_prefix(request: HttpRequest) -> str:
    """The client's network, not its address: /24 for IPv4, /48 for IPv6."""
    raw = client_ip(request)
    if not raw:
        return ""
    try:
        addr = ipaddress.ip_address(raw)
    except ValueError:
        return ""
    bits = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{bits}", strict=False))


def agent_summary(request: HttpRequest) -> str:
    """«Chrome en Android»: browser and system, never the whole User-Agent string."""
    ua = request.META.get("HTTP_USER_AGENT", "")
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"),
                ("Safari/", "Safari"),
            )
            if token in ua
        ),
        "",
    )
    system = next(
        (
            name
            for token, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS", "macOS"),
                ("Linux", "Linux"),
            )
            if token in ua
        ),
        "",
    )
    if browser and system:
        return gettext("%(browser)s en %(system)s") % {"browser": browser, "system": system}
    return browser or system or gettext("Navegador desconocido")


def _user_pk(request: HttpRequest) -> int:
    user: Any = request.user
    return int(user.pk)


def _device_id(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt="ayni-dispositivo")


def _make_record(
    request: HttpRequest, device_id: str | None, *, new_key: bool = False
) -> UserSession | None:
    """The session's record; `new_key` when the key was made by this sign-in, so no
    record can have it yet (a plain INSERT instead of a locked lookup first)."""
    key = request.session.session_key
    if key is None:
        request.session.save()
        key = request.session.session_key
    if key is None:
        return None
    fields = {
        "user_id": _user_pk(request),
        "key_sealed": _seal(key),
        "device_hash": _digest(device_id) if device_id else "",
        "user_agent": agent_summary(request)[:120],
        "ip_prefix": ip_prefix(request),
        "ended_at": None,
    }
    if new_key:
        record = insert(UserSession(key_hash=_digest(key), **fields))
    else:
        record, _ = UserSession.objects.update_or_create(key_hash=_digest(key), defaults=fields)
    request.session[RECORD_KEY] = record.pk
    request.session["ayni_session_hash"] = record.key_hash
    request.session["ayni_session_seen"] = timezone.now().timestamp()
    return record


def signed_in(request: HttpRequest, response: HttpResponse) -> None:
    """After a password (or link) sign-in: record the session; a device never seen on
    this account gets a cookie and the owner an e-mail."""
    user: Any = request.user
    device_id = _device_id(request)
    known = bool(
        device_id and UserSession.objects.filter(user=user, device_hash=_digest(device_id)).exists()
    )
    if not device_id:
        device_id = secrets.token_urlsafe(24)
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device_id,
        salt="ayni-dispositivo",
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    with transaction.atomic():
        record = _make_record(request, device_id, new_key=True)
        note_no_factor(request, user)
        if not known and record is not None:
            audit_log(action="auth.new_device", actor=user, request=request)
            when = timezone.localtime(record.created_at)
            notify(
                recipient=user,
                title=gettext(
                    "Se ingresó a su cuenta desde un dispositivo nuevo (%(agent)s) el "
                    "%(day)s a las %(time)s. Si no fue usted, cambie su contraseña y cierre "
                    "esa sesión en «Mis sesiones»."
                )
                % {
                    "agent": record.user_agent,
                    "day": f"{when:%d/%m/%Y}",
                    "time": f"{when:%H:%M}",
                },
                link="/cuenta/sesiones/",
                subject=gettext("ingreso desde un dispositivo nuevo"),
            )


def touch(request: HttpRequest) -> bool:
    """Per request of a signed-in user: make or refresh the record. False when the
    record was ended elsewhere (the session must end)."""
    now = timezone.now()
    record_id = request.session.get(RECORD_KEY)
    if record_id is None:
        _make_record(request, _device_id(request))
        return True
    key = request.session.session_key or ""
    key_hash = _digest(key)
    cycled = bool(key) and request.session.get("ayni_session_hash") != key_hash
    last = request.session.get("ayni_session_seen", 0)
    if not cycled and now.timestamp() - float(last) < TOUCH_EVERY_SECONDS:
        return True
    changes: dict[str, Any] = {"last_seen_at": now}
    if cycled:  # a new key (password change): the record follows it at once
        changes.update(key_hash=key_hash, key_sealed=_seal(key))
        request.session["ayni_session_hash"] = key_hash
    updated = UserSession.objects.filter(
        pk=record_id, user_id=_user_pk(request), ended_at__isnull=True
    ).update(**changes)
    request.session["ayni_session_seen"] = now.timestamp()
    return bool(updated)


def active_sessions(user: Any) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user, ended_at__isnull=True)


def current_record_id(request: HttpRequest) -> int | None:
    return request.session.get(RECORD_KEY)


def _end(records: QuerySet[UserSession]) -> int:
    engine = import_module(settings.SESSION_ENGINE)
    count = 0
    for record in records:
        key = _unseal(record.key_sealed)
        if key:
            engine.SessionStore(session_key=key).delete()
        count += 1
    records.update(ended_at=timezone.now())
    return count


def close_session(request: HttpRequest, *, record_id: int) -> bool:
    """Close one of the user's other sessions (404-like False when not theirs)."""
    records = active_sessions(request.user).filter(pk=record_id)
    if record_id == current_record_id(request) or not records.exists():
        return False
    with transaction.atomic():
        _end(records)
        audit_log(action="auth.session_closed", request=request)
    return True


def close_others(request: HttpRequest) -> int:
    records = active_sessions(request.user).exclude(pk=current_record_id(request) or 0)
    with transaction.atomic():
        count = _end(records)
        audit_log(action="auth.sessions_closed_others", request=request, detail=str(count))
    return count


def end_current(request: HttpRequest) -> None:
    """On sign-out: the record of this session ends too."""
    record_id = current_record_id(request)
    if record_id:
        UserSession.objects.filter(pk=record_id).update(ended_at=timezone.now())
