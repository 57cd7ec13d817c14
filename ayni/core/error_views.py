"""Error answers in Spanish, in the site's layout (the 4xx/500 templates live in
ayni/templates/; Django's default handlers render them)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form left open too long (or a stale tab): say so, and what to do."""
    response = render(request, "csrf_failure.html", status=403)
    response["Cache-Control"] = "no-store"
    return response
