"""«Tokens de acceso»: the user creates (with step-up), sees and revokes their tokens."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ayni.api.forms import LIFETIMES, TokenForm
from ayni.api.scopes import SCOPES, available_scopes, paths_for
from ayni.api.tokens import (
    TokenError,
    get_own_token,
    token_create,
    token_revoke,
    tokens_for_list,
)
from ayni.core.formtoken import one_time_form
from ayni.identity.stepup import step_up
from ayni.org.models import OrgUnit
from ayni.org.selectors import under_any


def _units_in_reach(user: Any) -> list[OrgUnit]:
    """Units a token may be given: the user's reach, down to the UGELs (not schools)."""
    paths = paths_for(user, [s.code for s in available_scopes(user)])
    if not paths:
        return []
    return list(
        OrgUnit.objects.filter(under_any(paths))
        .exclude(kind=OrgUnit.Kind.SCHOOL)
        .order_by("path")[:400]
    )


@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = list(tokens_for_list(request.user))
    paths = {p for t in tokens for p in t.unit_paths}
    names = {u.path: u.name for u in OrgUnit.objects.filter(path__in=paths)}
    rows = [
        {
            "token": t,
            "scopes": [str(SCOPES[c].label) if c in SCOPES else c for c in t.scopes],
            "units": [names.get(p, p) for p in t.unit_paths],
        }
        for t in tokens
    ]
    return render(
        request,
        "api/tokens.html",
        {"rows": rows, "now": timezone.now(), "can_create": bool(available_scopes(request.user))},
    )


@step_up  # a new credential: the second factor again when the last check is stale
@require_http_methods(["GET", "POST"])
@one_time_form
def token_new(request: HttpRequest) -> HttpResponse:
    scopes = available_scopes(request.user)
    if not scopes:
        raise Http404
    form = TokenForm(request.POST or None, scopes=scopes, units=_units_in_reach(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = token_create(
                user=request.user,
                name=data["name"],
                scopes=data["scopes"],
                unit_paths=data.get("units") or [],
                expires_at=timezone.now() + LIFETIMES[data["lifetime"]],
                request=request,
            )
        except TokenError as exc:
            form.add_error(None, exc.message)
        else:
            # Shown once, in this answer only (no-store); never stored, never again.
            return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(
        request,
        "api/token_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@one_time_form
def token_revoke_view(request: HttpRequest, ref: UUID) -> HttpResponse:
    token = get_own_token(request.user, ref)
    if token is None:
        raise Http404
    if token_revoke(user=request.user, token=token, request=request):
        messages.success(
            request, gettext("Token «%(name)s» revocado: ya no sirve.") % {"name": token.name}
        )
    else:
        messages.info(request, gettext("Ese token ya estaba revocado."))
    return redirect("tokens:list")
