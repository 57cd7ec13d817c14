"""Every error of the API as an RFC 9457 problem: `application/problem+json`, Spanish.

`{"type", "title", "status", "detail", "instance"}`, plus `errors` (the fields at
fault) on a 422. The same shape for 400, 401, 403, 404, 405, 409, 413, 415, 422, 429
and 500, whichever layer refused: authentication, a scope, a selector's 404, a service's
`UserError`, the request's validation, the rate limit.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger("ayni.api")

#: A segment of an API address that is kept as it is: a word of the API or a UUID.
#: Anything else (a DNI, a name that a client put where an id goes) is masked in the
#: problem's `instance`, in the log line and in the audit, so none of them repeats it.
_PLAIN_SEGMENT = re.compile(
    r"^(?:[a-z][a-z0-9_-]{0,39}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)


def safe_path(request: HttpRequest) -> str:
    """The request's path with every segment that is not a word of the API or a UUID
    replaced by «…» (never the query string)."""
    return "/".join(
        part if not part or _PLAIN_SEGMENT.match(part) else "…" for part in request.path.split("/")
    )[:200]


def titles() -> dict[int, str]:
    return {
        400: gettext("Solicitud incorrecta"),
        401: gettext("Falta autenticarse"),
        403: gettext("Acceso denegado"),
        404: gettext("No encontrado"),
        405: gettext("Método no permitido"),
        409: gettext("Conflicto con el estado actual"),
        413: gettext("Archivo demasiado grande"),
        415: gettext("Tipo de contenido no admitido"),
        422: gettext("Datos no válidos"),
        429: gettext("Demasiadas solicitudes"),
        500: gettext("Error interno"),
    }


class ApiProblem(Exception):
    """Raised anywhere in the API to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": titles().get(status, gettext("Error")),
        "status": status,
        "detail": detail,
        "instance": safe_path(request),
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="ayni"'
    # Django would log «Not Found: <path>» with the path as sent; this line masks it.
    response._has_been_logged = True  # type: ignore[attr-defined]
    if status < 500:  # a 500 is logged with its traceback where it is caught
        logger.warning("%s %s %s", status, request.method, safe_path(request))
    return response


def not_authenticated() -> str:
    return gettext(
        "Envíe un token de acceso válido en la cabecera «Authorization: Bearer …» (o inicie "
        "sesión en el portal). El token puede haber vencido o haber sido revocado."
    )


def not_found() -> str:
    return gettext("No existe o no está a su alcance.")


def forbidden() -> str:
    return gettext("No tiene permiso para esta operación.")


def field_message(kind: str) -> str:
    """A validation error's type (pydantic's) as a few Spanish words."""
    if kind == "missing":
        return gettext("falta este dato")
    if kind.startswith(("int_", "float_", "decimal_")) or kind in (
        "greater_than_equal",
        "less_than_equal",
        "greater_than",
        "less_than",
    ):
        return gettext("debe ser un número dentro del rango permitido")
    if kind.startswith(("date_", "datetime_")):
        return gettext("debe ser una fecha AAAA-MM-DD")
    if kind.startswith("uuid_"):
        return gettext("debe ser un identificador (UUID)")
    if kind.startswith("string_"):
        return gettext("texto vacío, demasiado largo o no válido")
    if kind.startswith("bool_"):
        return gettext("debe ser verdadero o falso")
    return gettext("valor no válido")
