"""One-time form tokens: a repeated POST of the same form shows the first result.

A form carries `{% form_token %}` (a fresh random value each time it is rendered).
`one_time_form` wraps the view in a transaction and records the token before the
view runs; a second POST with the same token (a double click, twelve concurrent
submissions, a reload) waits for the first and is redirected to its result,
creating nothing. A form re-shown with errors releases its token. The same filing
made again later, from a newly opened form, carries a new token and goes through.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.core.errors import UserError
from ayni.core.models import FormSubmission

FIELD = "form_token"
_VALID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
REPLAYED = _("Este formulario ya se había enviado: le mostramos el resultado del primer envío.")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _user_key(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    return f"u{user.pk}" if user is not None and user.is_authenticated else "anon"


def one_time_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        token = request.POST.get(FIELD, "")
        if not _VALID.match(token):
            raise UserError(
                gettext(
                    "El formulario está incompleto o venció. Vuelva a abrirlo y envíelo otra vez."
                )
            )
        user_key = _user_key(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    FormSubmission.objects.create(token=token, user_key=user_key)
            except IntegrityError:
                return _replay(request, token, user_key)
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseRedirect):
                FormSubmission.objects.filter(token=token).update(result_url=response.url[:300])
            else:  # the form is shown again (with errors): the token is free
                FormSubmission.objects.filter(token=token).delete()
            return response

    return wrapper


def _replay(request: HttpRequest, token: str, user_key: str) -> HttpResponse:
    first = FormSubmission.objects.filter(token=token, user_key=user_key).first()
    if first is None or not first.result_url:
        raise UserError(
            gettext("Este formulario ya se está procesando. Espere un momento y recargue.")
        )
    messages.info(request, REPLAYED)
    return redirect(first.result_url)


def purge_old(days: int = 2) -> int:
    """Used tokens older than `days` (run_daily): a form is not kept open that long."""
    deleted, _ = FormSubmission.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted
