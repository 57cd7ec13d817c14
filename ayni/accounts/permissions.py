"""Named permissions, granted by roles on an org unit; one check function, one decorator.

A role held on a unit reaches the unit's subtree. `has_perm(user, perm, unit)`
answers for one unit; `perm_paths(user, perm)` gives the unit paths where the
user holds `perm`, for selectors to scope their queries.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ayni.accounts.models import Role
from ayni.org.models import OrgUnit
from ayni.org.selectors import top_paths

# The permission strings. Views and selectors name these, never a role.
PERSONNEL_VIEW = "personnel.view"
PERSONNEL_EDIT = "personnel.edit"
REQUESTS_REVIEW = "requests.review"
REPORTS_ISSUE = "reports.issue"
PAYROLL_MANAGE = "payroll.manage"
DESK_MANAGE = "desk.manage"
AUDIT_VIEW = "audit.view"
STATS_VIEW = "stats.view"
CATALOG_MANAGE = "catalog.manage"
ACCOUNTS_MANAGE = "accounts.manage"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ESCALAFON: frozenset(
        {PERSONNEL_VIEW, PERSONNEL_EDIT, REQUESTS_REVIEW, REPORTS_ISSUE, STATS_VIEW}
    ),
    Role.PLANILLAS: frozenset({PAYROLL_MANAGE, STATS_VIEW}),
    Role.MESA_PARTES: frozenset({DESK_MANAGE, STATS_VIEW}),
    Role.JEFE_RRHH: frozenset({PERSONNEL_VIEW, AUDIT_VIEW, STATS_VIEW}),
    Role.SUPERVISOR: frozenset({PERSONNEL_VIEW, AUDIT_VIEW, STATS_VIEW}),
    Role.ADMINISTRADOR: frozenset(
        {PERSONNEL_VIEW, AUDIT_VIEW, STATS_VIEW, CATALOG_MANAGE, ACCOUNTS_MANAGE}
    ),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())

_CACHE_ATTR = "_ayni_grants"


def _grants(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) pairs of the user's active grants, cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.role_grants.filter(active=True).values_list("role", "unit__path"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def perm_paths(user: Any, perm: str) -> list[str]:
    """Unit paths (outermost only) on which the user holds `perm`."""
    if perm not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {perm!r}")
    return top_paths(
        [path for role, path in _grants(user) if perm in ROLE_PERMISSIONS.get(role, frozenset())]
    )


def has_perm(user: Any, perm: str, unit: OrgUnit | str | None = None) -> bool:
    """Does the user hold `perm` on `unit` (a unit or its path)? With no unit: anywhere."""
    paths = perm_paths(user, perm)
    if unit is None:
        return bool(paths)
    target = unit if isinstance(unit, str) else unit.path
    return any(target.startswith(path) for path in paths)


def is_staff_user(user: Any) -> bool:
    return bool(_grants(user))


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def require_perm(perm: str) -> Callable[[ViewFunc], ViewFunc]:
    """Refuse (403) users who hold `perm` nowhere. Objects are then scoped by selectors."""
    if perm not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {perm!r}")

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_perm(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
