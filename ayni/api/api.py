"""The REST API (issue 15): /api/v1/, its OpenAPI 3 schema and the Swagger UI in Spanish.

Endpoints live in ayni.api.endpoints, one router per service; each calls the same
scoped selectors and services as the pages. Every refusal is a problem document
(ayni.api.problems), whichever layer raised it.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser

from ayni.api.endpoints import desk, me, payroll, public, requests, servants
from ayni.api.problems import (
    CONTENT_TYPE,
    ApiProblem,
    field_message,
    forbidden,
    logger,
    not_authenticated,
    not_found,
    problem_response,
    safe_path,
    titles,
)
from ayni.core.errors import UserError

DESCRIPTION = N_(
    """
API REST de Ayni para sistemas de las UGEL, DRE, bancos y servicios de salud.

**Autenticación.** Cree un *token de acceso personal* en «Seguridad → Tokens de acceso»
(pide el segundo factor) y envíelo en la cabecera `Authorization: Bearer <token>`; nunca
en la dirección. Cada token lleva algunos de sus permisos (alcances) y unidades, vence,
puede revocarse y cada uso queda en la auditoría con su nombre. Desde el propio portal,
la sesión abierta también sirve (con el token CSRF en las escrituras).

**Errores.** Todos los errores son *problem details* (RFC 9457,
`application/problem+json`) en castellano: `title`, `status`, `detail` y, si los datos
no son válidos (422), `errors`.

**Paginación.** Las listas devuelven `items` y `siguiente`; pida la página siguiente con
`?cursor=<siguiente>`. **Documentos.** Los PDF llevan `ETag`; con `If-None-Match` la
respuesta es 304 si no cambió.

Guía paso a paso con `curl`: docs/api.md.
"""
)


class SpanishSwagger(Swagger):
    """Swagger UI from Ayni's own static files (ninja's), in a Spanish page."""

    template = "api/swagger.html"


def _reason(status: Any) -> str:
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return ""


class WrongMediaType(Exception):
    """A JSON operation sent something else (a form, plain text): 415."""


class JsonOnly(Parser):
    """Bodies of JSON operations are JSON only. A form or text/plain body is refused
    (415) rather than read as JSON: a browser sends those cross-site without asking
    first. Nesting too deep for the decoder, a NUL character (PostgreSQL stores none) and
    a body that is not one JSON object are each a 400, like any unreadable body."""

    def parse_body(self, request: HttpRequest) -> Any:
        kind = (request.content_type or "").lower()
        if kind != "application/json" and not kind.endswith("+json"):
            raise WrongMediaType(kind)
        if b"\\u0000" in request.body:  # NUL: PostgreSQL stores no such text
            raise ValueError("NUL")
        data = super().parse_body(request)
        if not isinstance(data, dict):  # every body of this API is one JSON object
            raise ValueError(type(data).__name__)
        return data


class AyniAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Errors are documented as problem documents, as they are sent, and each
        answer is described in Spanish (ninja writes the English reason phrase)."""
        schema = super().get_openapi_schema(**kwargs)
        described = {**titles(), 200: gettext("Correcto"), 202: gettext("Recibida")}
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                body = operation.get("requestBody", {}).get("content", {})
                refusal = operation.get("responses", {}).get(400)
                if refusal and any(kind.endswith("json") for kind in body):
                    for status in (413, 415):  # a body too big, or not JSON (JsonOnly)
                        operation["responses"][status] = {
                            **refusal,
                            "description": titles()[status],
                        }
                for status, response in operation.get("responses", {}).items():
                    if response.get("description") == _reason(status):
                        response["description"] = described.get(
                            int(status), response["description"]
                        )
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        response["content"] = {CONTENT_TYPE: content["application/json"]}
        return schema


api = AyniAPI(
    title="Ayni API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=SpanishSwagger(
        settings={"persistAuthorization": False, "defaultModelsExpandDepth": 0, "deepLinking": True}
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonOnly(),
)

api.add_router("/", public.router)
api.add_router("/yo", me.router)
api.add_router("/servidores", servants.router)
api.add_router("/solicitudes", requests.router)
api.add_router("/planillas", payroll.router)
api.add_router("/expedientes", desk.router)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(request, exc.status, exc.detail, errors=exc.errors, headers=exc.headers)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, 401, not_authenticated())


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, WrongMediaType):
        return problem_response(
            request,
            415,
            gettext("Envíe el cuerpo como JSON (Content-Type: application/json)."),
        )
    if exc.status_code == 403:  # ninja's CSRF check on a session write
        detail = gettext("Falta el token CSRF de su sesión en el portal.")
    elif exc.status_code == 400:  # a body ninja could not read
        detail = gettext("No se pudo leer el cuerpo de la solicitud: envíe JSON válido.")
    elif exc.status_code == 401:
        detail = not_authenticated()
    else:
        detail = gettext("La solicitud no se pudo atender.")
    return problem_response(request, exc.status_code, detail)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(
        request, 413, gettext("El cuerpo de la solicitud es demasiado grande (más de 5 MB).")
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, 404, not_found())


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(request, 403, forbidden())


@api.exception_handler(UserError)
def _user_error(request: HttpRequest, exc: UserError) -> HttpResponse:
    # A service's refusal: 403 (own record), 409 (state moved on) or 422 (bad values).
    status = exc.status if exc.status in (403, 404, 409) else 422
    return problem_response(request, status, exc.message)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A fault of ours: a problem document (never ninja's traceback, which DEBUG would
    # send), the traceback in the log under the masked path.
    logger.error("500 %s %s", request.method, safe_path(request), exc_info=exc)
    response = problem_response(
        request, 500, gettext("Ocurrió un error interno. Inténtelo de nuevo más tarde.")
    )
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "campo": ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload")),
            "mensaje": field_message(str(error.get("type", ""))),
        }
        for error in exc.errors
    ]
    return problem_response(
        request,
        422,
        gettext("Revise los datos enviados: hay campos que faltan o no son válidos."),
        errors=errors,
    )
