"""Sign-in with ID GOB.PE (OpenID Connect, mozilla-django-oidc), switched on by
configuration (GOBPE_OIDC_CLIENT_ID and its endpoints).

The provider's claims give the person's document type and number, which find their
existing account; an account is never created here (a document with no account is
sent to the access request). The authentication level the provider reports (`acr`) is
recorded in the session and in the audit trail; for staff, a strong level stands for
the second factor at sign-in, a weak one leaves the local second factor to ask.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from ayni.accounts.models import User, login_id_for
from ayni.accounts.validators import normalise_document
from ayni.core.audit import audit_log

ACR_KEY = "ayni_acr"
NO_ACCOUNT_KEY = "ayni_oidc_no_account"
STRONG_ACR = frozenset({"two_factor", "certificate_dnie", "certificate_token"})


def is_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def strong_acr(session: Any) -> bool:
    return session.get(ACR_KEY) in STRONG_ACR


class GobPeBackend(OIDCAuthenticationBackend):
    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        info = self.get_userinfo(access_token, id_token, payload)
        doc_type = str(info.get(settings.GOBPE_OIDC_DOC_TYPE_CLAIM, ""))
        doc_type = settings.GOBPE_OIDC_DOC_TYPES.get(doc_type, doc_type)
        raw_number = str(info.get(settings.GOBPE_OIDC_DOC_NUMBER_CLAIM, ""))
        if doc_type not in User.DocType.values or not raw_number:
            raise SuspiciousOperation(gettext("ID GOB.PE no informó un documento conocido."))
        try:
            number = normalise_document(doc_type, raw_number)
        except ValidationError as exc:
            raise SuspiciousOperation(
                gettext("ID GOB.PE informó un documento mal formado.")
            ) from exc
        user = User.objects.filter(login_id=login_id_for(doc_type, number), is_active=True).first()
        session = self.request.session
        if user is None:  # never created here: the access request path
            session[NO_ACCOUNT_KEY] = True
            return None
        acr = str(payload.get("acr", ""))[:40]
        session[ACR_KEY] = acr
        if acr in STRONG_ACR:
            from ayni.identity.twofactor import VERIFIED_AT

            session[VERIFIED_AT] = time.time()
        audit_log(action="auth.login_gobpe", actor=user, request=self.request, detail=f"acr={acr}")
        return user

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:  # not used: see above
        return User.objects.none()


def _enabled(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return login_not_required(wrapper)


start = _enabled(OIDCAuthenticationRequestView.as_view())
callback = _enabled(OIDCAuthenticationCallbackView.as_view())


@login_not_required
def failed(request: HttpRequest) -> HttpResponse:
    if request.session.pop(NO_ACCOUNT_KEY, False):
        messages.info(
            request,
            gettext(
                "ID GOB.PE confirmó su identidad, pero su documento no tiene una cuenta en "
                "Ayni. Solicite acceso a su UGEL."
            ),
        )
        return redirect("desk:access_request")
    messages.error(request, gettext("No se pudo ingresar con ID GOB.PE. Inténtelo de nuevo."))
    return redirect("accounts:login")
