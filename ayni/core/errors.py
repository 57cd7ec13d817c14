"""One base for the errors a user can cause (STYLE.md rule 17).

Every app's refusals (`DeskError`, `PayrollError`, `ReportError`, ...) derive from
`UserError`. A view may catch one to re-show its form; any that escapes a view is
answered by `UserErrorMiddleware` with a Spanish page, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext


class UserError(Exception):
    """A refusal for the user; its message is a whole Spanish sentence."""

    status = 400

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else gettext("No se pudo completar la operación.")


class StaleStateError(UserError):
    """The object moved on (another officer, a double click, a background task)."""

    status = 409


class UserErrorMiddleware:
    """Answers any `UserError` a view lets escape with the error page, in Spanish."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UserError):
            return None
        return user_error_response(request, exception)


def user_error_response(request: HttpRequest, error: UserError) -> HttpResponse:
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    response = render(
        request,
        "core/user_error.html",
        {"message": error.message, "back": back},
        status=error.status,
    )
    response["Cache-Control"] = "no-store"
    return response


class DemoNotFoundMiddleware:
    """`make run` serves with DEBUG on, where Django answers a wrong address with its
    technical page (in English, listing every URL). In demo mode, show the Spanish page
    that production shows instead; with DEBUG off it does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and settings.DEBUG
            and settings.DEMO_MODE
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return render(request, "404.html", status=404)
        return response
