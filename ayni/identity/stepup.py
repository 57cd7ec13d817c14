"""Step-up: a sensitive act (publishing a payroll, approving or editing a personal file,
deciding a change request, issuing an informe, accepting an access request, granting a
role, creating an API token) needs a second-factor check younger than STEP_UP_SECONDS.

`step_up` decorates a view: a stale GET is sent to the verification page, which
returns to it; a stale POST is refused with a message, nothing done, and sent there
too. `step_up_refusal(request)` is the same check for a view that only guards some of
its actions: it returns the response to give, or None when the check is fresh.

A refused POST's fields are kept in the session (stepup_stash): after the check the
user lands on «Identidad confirmada», whose «Continuar» sends them again, once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from ayni.core.audit import audit_log
from ayni.identity import stepup_stash
from ayni.identity.twofactor import is_fresh

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def step_up_url(return_to: str) -> str:
    return reverse("identity:verify") + "?" + urlencode({"next": return_to, "paso": "1"})


def continue_url(stash_id: str) -> str:
    return reverse("identity:step_up_continue", args=[stash_id])


def _return_to(request: HttpRequest, fallback: str | None) -> str:
    if request.method == "GET":
        return request.get_full_path()
    for candidate in (fallback, request.META.get("HTTP_REFERER", "")):
        if candidate and (path := stepup_stash.local_path(request, candidate)):
            return path
    return request.path


def _refused(request: HttpRequest) -> str:
    return gettext(
        "Por seguridad, confirme su identidad con el segundo factor antes de este "
        "acto: no se hizo ningún cambio."
    )


def _refuse_post(request: HttpRequest, back: str) -> HttpResponse:
    """Nothing done; keep what was typed when possible, and say what happens next."""
    audit_log(action="auth.step_up_refused", request=request, detail=request.path[:255])
    try:
        stash_id = stepup_stash.keep(request, back=back)
    except stepup_stash.TooLarge:
        messages.error(
            request,
            _refused(request)
            + " "
            + gettext(
                "Lo que escribió es demasiado extenso para guardarlo mientras tanto (más de "
                "%(kb)s KB): después de confirmar, vuelva a escribirlo en el formulario."
            )
            % {"kb": stepup_stash.MAX_BYTES // 1024},
        )
        return redirect(step_up_url(back))
    if stash_id is None:
        messages.error(request, _refused(request) + " " + gettext("Después vuelva a intentarlo."))
        return redirect(step_up_url(back))
    if request.FILES:
        more = gettext(
            "Los archivos adjuntos no se pueden guardar: después de confirmar, adjúntelos de "
            "nuevo y envíe el formulario otra vez."
        )
    else:
        more = gettext(
            "Lo que escribió quedó guardado por %(minutes)s minutos: después de confirmar, "
            "envíelo con «Continuar»."
        ) % {"minutes": settings.STEP_UP_SECONDS // 60}
    messages.error(request, _refused(request) + " " + more)
    return redirect(step_up_url(continue_url(stash_id)))


def step_up_refusal(request: HttpRequest, *, return_to: str | None = None) -> HttpResponse | None:
    """None when the second factor was checked recently; else the redirect to give (a
    refused POST also gets a message and an audit row, and its fields are kept).

    A fresh POST from «Continuar» spends its kept fields: a second one (a double click
    that got past the form token, an old tab) is refused, nothing done."""
    if is_fresh(request):
        if request.method == "POST" and stepup_stash.spend(request) is False:
            messages.error(
                request,
                gettext(
                    "Ese envío ya se hizo o ya no está disponible: no se repitió. Revise el "
                    "resultado en esta página."
                ),
            )
            return redirect(_return_to(request, return_to))
        return None
    back = _return_to(request, return_to)
    if request.method == "POST":
        return _refuse_post(request, back)
    return redirect(step_up_url(back))


def step_up(view: ViewFunc) -> ViewFunc:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = step_up_refusal(request, return_to=request.path)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
