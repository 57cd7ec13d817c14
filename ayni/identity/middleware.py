"""Two gates for signed-in users, after the privacy notice:

- `SessionRecordMiddleware` keeps «Mis sesiones» current and signs out a session that
  its owner closed from another device.
- `SecondFactorMiddleware`: staff (and anyone who enrolled) see no page before the
  second factor; staff without one are sent to enrol. Allowed meanwhile: the enrolment
  and verification pages, sign-out, the privacy notice, help, static files and the
  public pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from ayni.accounts.permissions import is_staff_user
from ayni.identity import sessions
from ayni.identity.oidc import strong_acr
from ayni.identity.twofactor import SERVANT_NO_FACTOR, has_second_factor

ALLOWED_URL_NAMES = {
    "identity:enrol",
    "identity:verify",
    "identity:recovery_codes",
    "accounts:logout",
    "accounts:privacy",
    "portal:help",
    "portal:help_page",
    "portal:favicon",
    "dataprotection:uses",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}


class SessionRecordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not sessions.touch(request):
            logout(request)
            messages.info(request, gettext("Esta sesión se cerró desde otro dispositivo."))
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if strong_acr(request.session):  # ID GOB.PE with two factors or a certificate
            return None
        if getattr(view_func, "login_required", True) is False:  # public pages
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not is_staff_user(user):
            # A servant: asked only if they enrolled (looked up once per session).
            if request.session.get(SERVANT_NO_FACTOR):
                return None
            if not has_second_factor(user):
                request.session[SERVANT_NO_FACTOR] = True
                return None
        target = "identity:verify" if has_second_factor(user) else "identity:enrol"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))
