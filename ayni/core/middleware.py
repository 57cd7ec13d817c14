from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: everything from our own origin, nothing inline."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response that may carry personal data.

    That is every response to a signed-in person, every file download and every answer
    to a POST (search results, verification results), whatever Cache-Control the view
    set: a payslip once went out as `private, max-age=3600` and stayed on a shared
    computer. A view that truly serves a public, cacheable page to a signed-in person
    says so with `response.public_cache = True`. Static assets are answered by
    WhiteNoise before this middleware and keep their long caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "public_cache", False):
            return response
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or request.method not in ("GET", "HEAD")
            or response.has_header("Content-Disposition")
        ):
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
