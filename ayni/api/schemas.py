"""Shapes shared by the endpoints: the problem document, pages, small references."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from ayni.api.pagination import Page


class FieldProblem(Schema):
    campo: str
    mensaje: str


class Problem(Schema):
    """RFC 9457 problem details (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | None = None


#: Errors an authenticated operation may answer, each a Problem.
ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})
PUBLIC_ERRORS = frozenset({400, 404, 422, 429})


def responses(ok: Any, status: int = 200, errors: frozenset[int] = ERRORS) -> dict[Any, Any]:
    return {status: ok, errors: Problem}


class Unit(Schema):
    codigo: str
    nombre: str
    tipo: str


__all__ = ["ERRORS", "PUBLIC_ERRORS", "FieldProblem", "Page", "Problem", "Unit", "responses"]
