"""Failure counters kept in the database, so every web process and worker shares them."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ayni.core.models import Throttle
from ayni.core.net import client_ip
from ayni.core.rowread import db_param, fixed_rows, read_alias, with_tables


def hashed(*parts: str) -> str:
    raw = "\x1f".join(parts).encode()
    return hashlib.sha256(settings.SECRET_KEY.encode() + b"\x1e" + raw).hexdigest()


@dataclass(frozen=True)
class Limit:
    key: str
    max_count: int
    window_seconds: int
    block_seconds: int
    group: str = ""


def is_blocked(limit: Limit) -> bool:
    now = timezone.now()
    return Throttle.objects.filter(key=limit.key, blocked_until__gt=now).exists()


@functools.cache
def _counted_sql(count: int) -> str:
    return with_tables(
        'SELECT "key", CASE WHEN "blocked_until" > %s THEN 1 ELSE 0 END FROM {throttle} '
        'WHERE "key" IN ({keys})'.replace("{keys}", ", ".join(["%s"] * count)),
        throttle=Throttle,
    )


def blocked_and_counted(*limits: Limit) -> tuple[set[str], set[str]]:
    """One read for several limits: the keys blocked now, and the keys with any count
    (blocked or not), so a caller clears only what exists. Fixed SQL: every sign-in
    reads it (the ORM built the query in more time than it took to run)."""
    alias = read_alias(Throttle)
    now = db_param(Throttle, "blocked_until", timezone.now(), alias)
    rows = fixed_rows(Throttle, _counted_sql(len(limits)), [now, *(limit.key for limit in limits)])
    counted = {key for key, _ in rows}
    blocked = {key for key, is_blocked in rows if is_blocked}
    return blocked, counted


def register_hit(limit: Limit) -> bool:
    """Count one hit; return True when the key is (now) blocked."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = Throttle.objects.select_for_update().get_or_create(
            key=limit.key, defaults={"window_started_at": now, "group": limit.group}
        )
        if row.blocked_until and row.blocked_until > now:
            return True
        if row.window_started_at <= now - timedelta(seconds=limit.window_seconds):
            row.count = 0
            row.window_started_at = now
            row.blocked_until = None
        row.count += 1
        if row.count >= limit.max_count:
            row.blocked_until = now + timedelta(seconds=limit.block_seconds)
        row.save()
        return row.blocked_until is not None and row.blocked_until > now


def clear(key: str) -> None:
    Throttle.objects.filter(key=key).delete()


def clear_group(group: str) -> None:
    Throttle.objects.filter(group=group).delete()


def hourly_for_address(request: HttpRequest, name: str, per_hour: int) -> Limit:
    """A limit of `per_hour` hits an hour from the request's client address."""
    return Limit(
        key=hashed(name, client_ip(request) or "unknown"),
        max_count=per_hour,
        window_seconds=3600,
        block_seconds=3600,
    )


def hit_hourly(request: HttpRequest, name: str, per_hour: int) -> bool:
    """Count one hit on `name` from the request's address; True once over `per_hour`."""
    return register_hit(hourly_for_address(request, name, per_hour))
