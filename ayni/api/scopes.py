"""The API's scopes: a small set, each mapped to a permission the user already holds.

A token carries a subset of these; an endpoint names the scope it needs. The
permission behind a scope is re-checked at each use through the same scoped
selectors as the pages (ayni.api.auth narrows the user's grants to the token's
units), so a token never does more than its owner could do now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ayni.accounts.permissions import (
    DESK_MANAGE,
    PAYROLL_MANAGE,
    PERSONNEL_VIEW,
    REQUESTS_REVIEW,
    perm_paths,
)
from ayni.personnel.selectors import own_servant

OWN = "propio"
SERVANTS = "servidores:leer"
REQUESTS = "solicitudes:revisar"
PAYROLL = "planillas:cargar"
PUBLISH = "planillas:publicar"
DESK = "mesa:gestionar"


@dataclass(frozen=True)
class Scope:
    code: str
    label: str | Promise
    permission: str  # "" for the servant's own data
    units: bool  # chosen together with units of the permission's reach


SCOPES: dict[str, Scope] = {
    s.code: s
    for s in (
        Scope(OWN, _("Mis propios datos: legajo, solicitudes, boletas e informes"), "", False),
        Scope(SERVANTS, _("Buscar servidores y leer sus legajos"), PERSONNEL_VIEW, True),
        Scope(REQUESTS, _("Revisar solicitudes de modificación"), REQUESTS_REVIEW, True),
        Scope(PAYROLL, _("Cargar planillas y consultar su estado"), PAYROLL_MANAGE, True),
        Scope(PUBLISH, _("Publicar planillas (token de pocas horas)"), PAYROLL_MANAGE, True),
        Scope(DESK, _("Mesa de partes: listar y derivar expedientes"), DESK_MANAGE, True),
    )
}

#: A token that may publish payrolls does only that act (with the upload it follows)
#: and lives a few hours; any other token lives at most MAX_DAYS.
PUBLISH_COMPANIONS = frozenset({PUBLISH, PAYROLL})
MAX_DAYS = 90
PUBLISH_MAX = timedelta(hours=8)


def available_scopes(user: Any) -> list[Scope]:
    """The scopes the user could give a token today (their own permissions)."""
    out = []
    for scope in SCOPES.values():
        if scope.permission:
            if perm_paths(user, scope.permission):
                out.append(scope)
        elif own_servant(user) is not None:
            out.append(scope)
    return out


def paths_for(user: Any, scopes: list[str]) -> list[str]:
    """The unit paths the user reaches with the chosen scopes' permissions."""
    paths: set[str] = set()
    for code in scopes:
        scope = SCOPES[code]
        if scope.permission:
            paths.update(perm_paths(user, scope.permission))
    return sorted(paths)
