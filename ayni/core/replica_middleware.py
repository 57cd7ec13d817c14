"""Opens each request's database routing state (ayni.core.dbrouter) and keeps
read-your-writes: after a POST or any write, the browser carries a signed cookie for
DATABASE_REPLICA_PIN_SECONDS and its pages read from the primary until it expires.

Installed by settings only when replicas are configured.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from ayni.core import dbrouter

COOKIE = "ayni_rw"
SALT = "ayni.core.replica_middleware"
SAFE_METHODS = ("GET", "HEAD")


def pin_seconds() -> int:
    return int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 15))


class ReplicaRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = dbrouter.RequestRouting()
        state.pinned = request.method not in SAFE_METHODS or bool(
            request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=pin_seconds())
        )
        token = dbrouter.begin(state)
        try:
            response = self.get_response(request)
            if state.replica_failed and not state.wrote:
                # A database error in a page that read from a replica: if the replica no
                # longer answers (it stopped since its last health check), it is marked
                # down and the page is served again, once, from the primary.
                dead = [alias for alias in state.used if not dbrouter.check_now(alias)]
                for alias in dead:
                    dbrouter.mark_down(alias)
                if dead:
                    state.pinned, state.replica_failed = True, False
                    response = self.get_response(request)
        finally:
            dbrouter.end(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=SALT,
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        state = dbrouter.current()
        if state is None or request.method not in SAFE_METHODS:
            return
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        state.eligible = name in dbrouter.READ_ONLY_VIEWS or getattr(view_func, "replica_ok", False)


def _note_replica_failure(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """got_request_exception: remember that a database error hit a request that read from
    a replica (the middleware then serves the page again from the primary)."""
    state = dbrouter.current()
    error = sys.exc_info()[1]
    if state is not None and state.used and isinstance(error, OperationalError | InterfaceError):
        state.replica_failed = True


got_request_exception.connect(_note_replica_failure, dispatch_uid="ayni_replica_failure")
