"""Cursor pagination: `?cursor=…&limite=…`, newest first, stable under inserts.

The cursor is the last row's id, signed for its list's model, so it is opaque, cannot
be forged, and one list's cursor is refused by another (400); the scoped queryset is
filtered anyway, so even a valid cursor never reaches rows out of scope.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core import signing
from django.db.models import Model, QuerySet
from django.utils.translation import gettext
from ninja import Schema

from ayni.api.problems import ApiProblem

SALT = "ayni.api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

M = TypeVar("M", bound=Model)


class Page(Schema):
    """`siguiente`: the cursor of the next page, or null on the last one."""

    siguiente: str | None = None


def _bad_cursor() -> ApiProblem:
    return ApiProblem(
        400,
        gettext("El cursor no es válido: use el valor «siguiente» de la página anterior."),
        errors=[{"campo": "cursor", "mensaje": gettext("cursor no válido")}],
    )


def page_of(
    queryset: QuerySet[M], cursor: str | None, limit: int | None, *, ascending: bool = False
) -> tuple[list[M], str | None]:
    """One page of `queryset` by id, and the cursor of the next page (None at the end)."""
    size = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    order = "pk" if ascending else "-pk"
    qs = queryset.order_by(order)
    signer = signing.Signer(salt=f"{SALT}:{queryset.model._meta.label_lower}")
    if cursor:
        try:
            last = int(signer.unsign(cursor))
        except (signing.BadSignature, ValueError) as exc:
            raise _bad_cursor() from exc
        qs = qs.filter(pk__gt=last) if ascending else qs.filter(pk__lt=last)
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    following = signer.sign(str(rows[-1].pk)) if more and rows else None
    return rows, following


def page_params(cursor: Any, limit: Any) -> tuple[str | None, int | None]:
    return cursor or None, limit
