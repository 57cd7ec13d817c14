"""Reads of read-only pages on streaming replicas; everything else on the primary.

Off unless DATABASE_REPLICA_URLS lists replicas (settings adds the aliases `replica_1`,
`replica_2`, … and installs this router and `ayni.core.replica_middleware`). The rules,
in order (docs/decisions.md, «issue 18: réplicas de lectura»):

- Outside a web request (task workers, management commands, migrations) every query
  goes to the primary: the middleware is what opens a request's routing state.
- A request may read from a replica only when it is a GET/HEAD of a view named in
  READ_ONLY_VIEWS (or decorated with `read_only_view`), and only while it is not pinned.
- It is pinned to the primary when the browser wrote within the last
  DATABASE_REPLICA_PIN_SECONDS (a signed cookie the middleware sets after any POST or
  write), and from its first write onwards: a page that renders a PDF on first download
  and stores it reads the rest of the request on the primary.
- Reads inside a transaction on the primary stay on the primary (select_for_update,
  read-then-write), and some tables are never read from a replica (PRIMARY_ONLY_APPS,
  PRIMARY_ONLY_MODELS: sessions, counters, one-time tokens, the task queue).
- A replica is used only while it answers and lags at most DATABASE_REPLICA_MAX_LAG_SECONDS;
  its health is checked at most every DATABASE_REPLICA_CHECK_SECONDS per process. A
  replica that fails in the middle of a page is marked down and the page is served again
  from the primary (the middleware runs the request once more, pinned).
- Migrations run only on `default` (the replicas receive them by streaming).
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica_"

# Read-only pages: payslip lists and downloads, personal file reads, dashboards.
READ_ONLY_VIEWS = frozenset(
    {
        "home",
        "payroll:my_payslips",
        "payroll:payslip_detail",
        "payroll:payslip_pdf",
        "payroll:run_list",
        "payroll:run_detail",
        "payroll:run_payslip_pdf",
        "personnel:my_file",
        "personnel:my_history",
        "personnel:my_section",
        "personnel:servant_list",
        "personnel:servant_detail",
        "supervision:index",
        "supervision:unit",
        "supervision:list",
        "supervision:open_data",
    }
)

# Never read from a replica: what decides who the visitor is and what may be done next.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "django_tasks_db", "otp_totp", "otp_static", "django_otp_webauthn"}
)
PRIMARY_ONLY_MODELS = frozenset({"core.throttle", "core.formsubmission", "identity.usersession"})
# Writes that do not change what a read-only page shows: they go to the primary as every
# write does, but they do not pin the visitor to it (a list page records one audit event
# per view; the session row is touched on every request).
BOOKKEEPING_MODELS = frozenset(
    {"sessions.session", "core.auditevent", "identity.usersession", "core.throttle"}
)

LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
    " THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
    " END"
)


@dataclass
class RequestRouting:
    """The routing state of one web request (set by the middleware)."""

    pinned: bool = False  # every read on the primary
    eligible: bool = False  # the view may read from a replica
    wrote: bool = False  # the request wrote something that a later page may show
    replica: str = ""  # the replica this request reads from (one per request)
    replica_failed: bool = False  # a database error while a replica was in use
    used: set[str] = field(default_factory=set)


_current: ContextVar[RequestRouting | None] = ContextVar("ayni_db_routing", default=None)


def current() -> RequestRouting | None:
    return _current.get()


def begin(state: RequestRouting) -> Any:
    return _current.set(state)


def end(token: Any) -> None:
    _current.reset(token)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


_F = TypeVar("_F", bound=Callable[..., Any])


def read_only_view(view: _F) -> _F:
    """Marks a view whose GET may be served from a replica (besides READ_ONLY_VIEWS)."""
    view.replica_ok = True  # type: ignore[attr-defined]
    return view


# --- replica health, per process ---------------------------------------------------------

_health: dict[str, tuple[float, bool]] = {}
_health_lock = threading.Lock()


def _check(alias: str) -> bool:
    max_lag = float(getattr(settings, "DATABASE_REPLICA_MAX_LAG_SECONDS", 10))
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except Exception:  # a replica that does not answer is simply not used
        logger.warning("replica %s does not answer; reading from the primary", alias)
        connections[alias].close()
        return False
    if not in_recovery:
        logger.warning("replica %s is not in recovery (promoted?); not used", alias)
        return False
    if float(lag) > max_lag:
        logger.warning("replica %s lags %.1f s; reading from the primary", alias, lag)
        return False
    return True


def is_healthy(alias: str) -> bool:
    every = float(getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 5))
    now = time.monotonic()
    with _health_lock:
        seen = _health.get(alias)
    if seen is not None and now - seen[0] < every:
        return seen[1]
    ok = _check(alias)
    with _health_lock:
        _health[alias] = (time.monotonic(), ok)
    return ok


def check_now(alias: str) -> bool:
    """A fresh health check, bypassing the per-process interval."""
    ok = _check(alias)
    with _health_lock:
        _health[alias] = (time.monotonic(), ok)
    return ok


def mark_down(alias: str) -> None:
    logger.warning("replica %s failed during a request; marked down", alias)
    with _health_lock:
        _health[alias] = (time.monotonic(), False)
    with contextlib.suppress(Exception):  # a dead connection may fail to close
        connections[alias].close()


def forget_health() -> None:
    with _health_lock:
        _health.clear()


def _label(model: Any) -> str:
    return model._meta.label_lower if model is not None else ""


class ReplicaRouter:
    """Django database router; see the module docstring for the rules."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        state = _current.get()
        if state is None or state.pinned or not state.eligible:
            return DEFAULT_DB_ALIAS
        if model is not None and (
            model._meta.app_label in PRIMARY_ONLY_APPS or _label(model) in PRIMARY_ONLY_MODELS
        ):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if state.replica:
            if is_healthy(state.replica):
                state.used.add(state.replica)
                return state.replica
            return DEFAULT_DB_ALIAS
        candidates = replica_aliases()
        random.shuffle(candidates)
        for alias in candidates:
            if is_healthy(alias):
                state.replica = alias
                state.used.add(alias)
                return alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _current.get()
        if state is not None and _label(model) not in BOOKKEEPING_MODELS:
            state.pinned = True
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replicas are copies of the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == DEFAULT_DB_ALIAS
