"""Personal access tokens: create (shown once), revoke, and check at each use.

The secret is `ayni_` + `secrets.token_urlsafe(32)`; only its SHA-256 is stored, so
a leaked database gives no usable token. Each use re-checks the owner (active, with
the permission behind each scope today) and writes an audit event with the token's
name; each token has its own rate limit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from ayni.accounts.permissions import perm_paths
from ayni.api.models import AccessToken
from ayni.api.problems import safe_path
from ayni.api.scopes import (
    MAX_DAYS,
    PUBLISH,
    PUBLISH_COMPANIONS,
    PUBLISH_MAX,
    SCOPES,
    available_scopes,
    paths_for,
)
from ayni.core import throttle
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.net import client_ip

PREFIX = "ayni_"


class TokenError(UserError):
    """A token that cannot be made as asked; the message says why, in Spanish."""


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user: Any) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user)


def tokens_for_list(user: Any) -> QuerySet[AccessToken]:
    """The user's tokens as «Mis tokens» lists them: those still usable first (a token
    just revoked no longer sits above them), each group newest first."""
    usable = Q(revoked_at__isnull=True, expires_at__gt=timezone.now())
    return tokens_of(user).order_by(
        Case(When(usable, then=Value(0)), default=Value(1)), "-created_at", "-id"
    )


def get_own_token(user: Any, ref: Any) -> AccessToken | None:
    return tokens_of(user).filter(uuid=ref).first()


def max_expiry(scopes: list[str], now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    if PUBLISH in scopes:
        return now + PUBLISH_MAX
    return now + timedelta(days=MAX_DAYS)


def _check_units(user: Any, scopes: list[str], unit_paths: list[str]) -> list[str]:
    reach = paths_for(user, scopes)
    if not reach:
        return []
    if not unit_paths:
        raise TokenError(gettext("Elija al menos una unidad para el token."))
    for path in unit_paths:
        if not any(path.startswith(top) for top in reach):
            raise TokenError(gettext("Solo puede elegir unidades dentro de su propio ámbito."))
    return sorted(set(unit_paths))


@transaction.atomic
def token_create(
    *,
    user: Any,
    name: str,
    scopes: list[str],
    unit_paths: list[str],
    expires_at: datetime,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> tuple[AccessToken, str]:
    """A new token and its secret (shown to the user once, never stored)."""
    now = now or timezone.now()
    name = " ".join((name or "").split())[:60]
    if not name:
        raise TokenError(gettext("Escriba un nombre para el token (para qué integración es)."))
    scopes = sorted(set(scopes))
    allowed = {s.code for s in available_scopes(user)}
    if not scopes:
        raise TokenError(gettext("Elija al menos un permiso para el token."))
    if any(code not in SCOPES or code not in allowed for code in scopes):
        raise TokenError(gettext("Solo puede dar al token permisos que usted tiene."))
    if PUBLISH in scopes and not set(scopes) <= PUBLISH_COMPANIONS:
        raise TokenError(
            gettext(
                "Un token que publica planillas solo sirve para cargarlas y publicarlas: "
                "no puede llevar otros permisos."
            )
        )
    if expires_at <= now:
        raise TokenError(gettext("La fecha de vencimiento debe ser futura."))
    if expires_at > max_expiry(scopes, now):
        raise TokenError(
            gettext("Un token que publica planillas vence en 8 horas como máximo.")
            if PUBLISH in scopes
            else gettext("Un token vence en 90 días como máximo.")
        )
    paths = _check_units(user, scopes, unit_paths)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(PREFIX) + 4],
        digest=digest_of(secret),
        scopes=scopes,
        unit_paths=paths,
        expires_at=expires_at,
    )
    audit_log(
        action="api.token_created",
        actor=user,
        request=request,
        obj=token,
        after={"name": name, "scopes": scopes, "units": paths, "expires": expires_at.isoformat()},
        detail=name,
    )
    return token, secret


@transaction.atomic
def token_revoke(*, user: Any, token: AccessToken, request: HttpRequest | None = None) -> bool:
    """Revoke the user's own token; False when it was already revoked."""
    done = AccessToken.objects.filter(pk=token.pk, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    if done:
        audit_log(
            action="api.token_revoked", actor=user, request=request, obj=token, detail=token.name
        )
    return bool(done)


# --- each use -------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenUse:
    token: AccessToken
    user: Any


def find_active(secret: str) -> AccessToken | None:
    """The token with this secret if it is in force and its owner may still sign in."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token


def still_in_force(request: HttpRequest) -> bool:
    """Is the token of this request (if any) still in force? Called again, inside the
    transaction, by an act that reads a long body (an upload of up to 200 MB) between
    the token's check and its effect: the row is locked, so a revocation either lands
    before (the act is refused) or waits until the act is done."""
    token = getattr(request, "api_token", None)
    if token is None:
        return True
    return (
        AccessToken.objects.select_for_update()
        .filter(
            pk=token.pk,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .exists()
    )


def narrowed_grants(user: Any, token: AccessToken) -> list[tuple[str, str]]:
    """The user's grants today, narrowed to the token's units: (role, path) pairs."""
    grants = list(user.role_grants.filter(active=True).values_list("role", "unit__path"))
    out: list[tuple[str, str]] = []
    for role, path in grants:
        for unit in token.unit_paths:
            if unit.startswith(path):
                out.append((role, unit))
            elif path.startswith(unit):
                out.append((role, path))
    return sorted(set(out))


def scope_allowed(token: AccessToken, user: Any, scope: str) -> bool:
    """Does the token carry `scope`, and does its owner still hold what it stands for?"""
    if scope not in token.scopes:
        return False
    permission = SCOPES[scope].permission
    return not permission or bool(perm_paths(user, permission))


def rate_limited(token: AccessToken) -> bool:
    """Count one use on the token's own budget; True when it is over."""
    limit = throttle.Limit(
        key=throttle.hashed("api-token", str(token.uuid)),
        max_count=settings.API_TOKEN_RATE_PER_MINUTE,
        window_seconds=60,
        block_seconds=60,
    )
    return throttle.register_hit(limit)


def record_use(token: AccessToken, request: HttpRequest) -> None:
    """Last use on the token, and an audit event naming it (no query string: no data)."""
    AccessToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now(), last_used_ip=client_ip(request), use_count=F("use_count") + 1
    )
    audit_log(
        action="api.token_used",
        actor=token.user,
        request=request,
        obj=token,
        unit_path=common_unit(token.unit_paths),
        detail=f"{token.name} · {request.method} {safe_path(request)}",
    )


def common_unit(paths: list[str]) -> str:
    """The deepest unit containing all the token's units: its uses are audited there, so
    that unit's auditors see them (a token for one's own data belongs to no unit)."""
    if not paths:
        return ""
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for segment in zip(*parts, strict=False):
        if len(set(segment)) != 1:
            break
        common.append(segment[0])
    return "/" + "/".join(common) + "/" if common else ""
