"""Who calls the API: a personal access token (Authorization: Bearer) or the portal's
own session (with CSRF on writes). One auth object per scope, for ninja.

A token's use narrows its owner's grants to the token's units, so every scoped
selector (which reads `perm_paths(user, perm)`) answers for the token's reach only.
The owner's grants are read again at each use: a role withdrawn, or an account
deactivated, stops the token at once.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import HttpBearer, SessionAuth

from ayni.accounts.permissions import forget_grants, is_staff_user, perm_paths
from ayni.api import tokens
from ayni.api.problems import ApiProblem, forbidden, not_authenticated, safe_path
from ayni.api.scopes import SCOPES
from ayni.core import throttle
from ayni.core.audit import audit_log
from ayni.identity.oidc import strong_acr
from ayni.identity.twofactor import has_second_factor

GRANTS_ATTR = "_ayni_grants"  # ayni.accounts.permissions caches a user's grants there
#: Wrong tokens from one address in an hour before it is refused outright (guessing).
BAD_TOKENS_PER_HOUR = 30
QUERY_TOKEN_NAMES = ("token", "access_token", "api_key", "key")


def refuse_token_in_query(request: HttpRequest) -> None:
    if any(name in request.GET for name in QUERY_TOKEN_NAMES) or any(
        str(value).startswith(tokens.PREFIX) for value in request.GET.values()
    ):
        raise ApiProblem(
            400,
            gettext(
                "El token no va en la dirección: envíelo solo en la cabecera "
                "«Authorization: Bearer …». Revóquelo y cree otro, pues pudo quedar en registros."
            ),
        )


class TokenAuth(HttpBearer):
    """A personal access token carrying one of `scopes`."""

    def __init__(self, *scopes: str) -> None:
        super().__init__()
        self.scopes = scopes

    def __call__(self, request: HttpRequest) -> Any:
        refuse_token_in_query(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.find_active(token)
        if found is None:
            if throttle.hit_hourly(request, "api-bad-token", BAD_TOKENS_PER_HOUR):
                raise ApiProblem(
                    429,
                    gettext(
                        "Demasiados tokens no válidos desde esta conexión. Inténtelo dentro "
                        "de una hora."
                    ),
                    headers={"Retry-After": "3600"},
                )
            audit_log(action="api.token_refused", request=request, detail=safe_path(request))
            raise ApiProblem(401, not_authenticated())
        user = found.user
        forget_grants(user)
        setattr(user, GRANTS_ATTR, tokens.narrowed_grants(user, found))
        if tokens.rate_limited(found):
            raise ApiProblem(
                429,
                gettext(
                    "Este token hizo demasiadas solicitudes en el último minuto. Espere un "
                    "minuto y vuelva a intentarlo."
                ),
                headers={"Retry-After": "60"},
            )
        if not any(tokens.scope_allowed(found, user, scope) for scope in self.scopes):
            raise ApiProblem(
                403,
                gettext("El token no tiene el permiso «%(scope)s» para esta operación.")
                % {"scope": " o ".join(self.scopes)},
            )
        request.user = user
        request.api_token = found  # type: ignore[attr-defined]
        tokens.record_use(found, request)
        return user


def needs_second_factor(request: HttpRequest) -> bool:
    """As SecondFactorMiddleware: staff (and whoever enrolled) must have passed it."""
    user: Any = request.user
    if user.is_verified() or strong_acr(request.session):
        return False
    return is_staff_user(user) or has_second_factor(user)


class PortalSession(SessionAuth):
    """The portal's own session: CSRF on writes, second factor as on the pages."""

    def __init__(self, *scopes: str) -> None:
        super().__init__(csrf=True)
        self.scopes = scopes

    def _get_key(self, request: HttpRequest) -> str | None:
        # No signed-in session: nothing to protect with CSRF; the answer is 401 (send a
        # token), not «falta el token CSRF», which would only confuse an integration.
        if not getattr(request.user, "is_authenticated", False):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user: Any = request.user
        if not user.is_authenticated:
            return None
        if needs_second_factor(request):
            raise ApiProblem(
                401,
                gettext("Confirme su identidad con el segundo factor en el portal y vuelva."),
            )
        permissions = [SCOPES[scope].permission for scope in self.scopes]
        if not any(not perm or perm_paths(user, perm) for perm in permissions):
            raise ApiProblem(403, forbidden())
        return user


def scoped(*scopes: str) -> list[Any]:
    """The auth list of an operation that needs one of `scopes`."""
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise ValueError(scopes)  # a programming error: see ayni.api.scopes
    return [TokenAuth(*scopes), PortalSession(*scopes)]
