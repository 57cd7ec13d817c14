from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext

from ayni.accounts.services import logout_record

TOUCH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """Log out a session idle for SESSION_IDLE_SECONDS; touch it at most once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get("last_activity")
            if last is not None and now - float(last) > settings.SESSION_IDLE_SECONDS:
                logout_record(request, reason="inactividad")
                logout(request)
                minutes = settings.SESSION_IDLE_SECONDS // 60
                messages.info(
                    request,
                    ngettext(
                        "Su sesión se cerró tras %(n)d minuto sin actividad. Ingrese nuevamente.",
                        "Su sesión se cerró tras %(n)d minutos sin actividad. Ingrese nuevamente.",
                        minutes,
                    )
                    % {"n": minutes},
                )
                return redirect(settings.LOGIN_URL)
            if last is None or now - float(last) > TOUCH_EVERY_SECONDS:
                request.session["last_activity"] = now
        return self.get_response(request)


class PrivacyNoticeMiddleware:
    """Until the user accepts the privacy notice (Ley 29733), only that page is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.privacy_accepted_at is None:
            allowed = {reverse("accounts:privacy"), reverse("accounts:logout")}
            allowed.add(reverse("dataprotection:uses"))  # read before accepting
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("accounts:privacy")
        return self.get_response(request)
