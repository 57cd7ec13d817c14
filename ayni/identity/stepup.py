"""Step-up: a sensitive act (publishing a payroll, approving or editing a personal file,
issuing an informe, accepting an access request, granting a role) needs a second-factor
check younger than STEP_UP_SECONDS.

`step_up` decorates a view: a stale GET is sent to the verification page, which
returns to it; a stale POST is refused with a message, nothing done, and sent there
too. `step_up_refusal(request)` is the same check for a view that only guards some of
its actions: it returns the response to give, or None when the check is fresh.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext

from ayni.core.audit import audit_log
from ayni.identity.twofactor import is_fresh

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def step_up_url(return_to: str) -> str:
    return reverse("identity:verify") + "?" + urlencode({"next": return_to, "paso": "1"})


def _return_to(request: HttpRequest, fallback: str | None) -> str:
    if request.method == "GET":
        return request.get_full_path()
    if fallback:
        return fallback
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.path


def step_up_refusal(request: HttpRequest, *, return_to: str | None = None) -> HttpResponse | None:
    """None when the second factor was checked recently; else the redirect to give (a
    refused POST also gets a message and an audit row)."""
    if is_fresh(request):
        return None
    if request.method == "POST":
        audit_log(action="auth.step_up_refused", request=request, detail=request.path[:255])
        messages.error(
            request,
            gettext(
                "Por seguridad, confirme su identidad con el segundo factor antes de este "
                "acto: no se hizo ningún cambio. Después vuelva a intentarlo."
            ),
        )
    return redirect(step_up_url(_return_to(request, return_to)))


def step_up(view: ViewFunc) -> ViewFunc:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = step_up_refusal(request, return_to=request.path)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
