"""/api/v1/: the ninja API, public at Django's level (each operation authenticates).

Every answer under /api/v1/ is a problem document when it is an error, including an
address that does not exist (404) and a method an address does not take (405).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, include, path, re_path
from django.utils.translation import gettext

from ayni.api.api import api
from ayni.api.problems import CONTENT_TYPE, not_found, problem_response


def _problems(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any("\x00" in value for value in request.GET.values()):  # PostgreSQL stores no NUL
            return problem_response(
                request, 400, gettext("La dirección lleva un carácter no válido (NUL).")
            )
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != CONTENT_TYPE:
            allowed = response.get("Allow", "")
            return problem_response(
                request,
                405,
                gettext("Esta dirección no acepta ese método."),
                headers={"Allow": allowed} if allowed else None,
            )
        return response

    return login_not_required(wrapper)


@login_not_required
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response(request, 404, not_found())


def _patterns() -> list[Any]:
    patterns, _app, _namespace = api.urls
    out: list[Any] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _problems(pattern.callback)  # type: ignore[misc]
        out.append(pattern)
    return out


# Included at the root (ayni/urls.py): the API under /api/v1/ (namespace «api», which
# ninja's docs page reverses) and the token pages under /cuenta/tokens/.
urlpatterns = [
    path("api/v1/", include((_patterns(), "api"), namespace="api")),
    re_path(r"^api/(?P<rest>.*)$", unknown, name="api_unknown"),
    path("cuenta/tokens/", include("ayni.api.token_urls")),
]
