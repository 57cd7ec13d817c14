"""Named permissions, granted by roles on an org unit; one check function, one decorator.

A role held on a unit reaches the unit's subtree. `has_perm(user, perm, unit)`
answers for one unit; `perm_paths(user, perm)` gives the unit paths where the
user holds `perm`, for selectors to scope their queries.

Nobody is staff for themselves (STYLE.md rule 16): `has_perm_on_servant` and
`require_perm_on_servant` refuse an officer's own servant record (and a desk case
they filed), whatever their roles; `handling_path` says which unit's officers take
such an item instead (another officer of the unit, else the parent unit's).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ayni.accounts.models import Role, RoleGrant
from ayni.core.errors import UserError
from ayni.core.rowread import fixed_rows, with_tables
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
# The data-protection officer's desk: ARCO requests, incidents, inventory (ayni.dataprotection).
DATAPROTECTION_MANAGE = "dataprotection.manage"
# Reading the sector's figures and the lists behind them, never acting (ayni.supervision).
SUPERVISION_VIEW = "supervision.view"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ESCALAFON: frozenset(
        {PERSONNEL_VIEW, PERSONNEL_EDIT, REQUESTS_REVIEW, REPORTS_ISSUE, STATS_VIEW}
    ),
    Role.PLANILLAS: frozenset({PAYROLL_MANAGE, STATS_VIEW}),
    Role.MESA_PARTES: frozenset({DESK_MANAGE, STATS_VIEW}),
    Role.JEFE_RRHH: frozenset({PERSONNEL_VIEW, AUDIT_VIEW, STATS_VIEW, SUPERVISION_VIEW}),
    Role.SUPERVISOR: frozenset({PERSONNEL_VIEW, AUDIT_VIEW, STATS_VIEW, SUPERVISION_VIEW}),
    Role.ADMINISTRADOR: frozenset(
        {PERSONNEL_VIEW, AUDIT_VIEW, STATS_VIEW, CATALOG_MANAGE, ACCOUNTS_MANAGE}
    ),
    Role.PROTECCION_DATOS: frozenset({DATAPROTECTION_MANAGE}),
}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())

_CACHE_ATTR = "_ayni_grants"


def _grants(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) pairs of the user's active grants, cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = fixed_rows(RoleGrant, _grants_sql(), [user.pk])
        setattr(user, _CACHE_ATTR, cached)
    return cached


@functools.cache
def _grants_sql() -> str:
    """The active grants' roles and unit paths: read on every signed-in request, so in
    fixed SQL (`rowread`) rather than a query the ORM builds each time."""
    return with_tables(
        "SELECT g.role, u.path FROM {grant} g INNER JOIN {unit} u ON g.unit_id = u.id "
        "WHERE g.user_id = %s AND g.active",
        grant=RoleGrant,
        unit=OrgUnit,
    )


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


# --- nobody is staff for themselves (STYLE.md rule 16) ---------------------------------

SELF_ACTION_MESSAGE = (
    "No puede actuar como personal sobre su propio legajo ni sobre sus propios trámites. "
    "Los atiende otro especialista de su unidad o, si no lo hay, la unidad superior (la DRE)."
)


class SelfActionError(UserError):
    """An officer tried to act as staff on their own record or filing."""

    status = 403


def _pk(user: Any) -> int | None:
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def is_own(user: Any, person_user_id: int | None) -> bool:
    """Is `person_user_id` (a servant's or a filer's account) the user's own?"""
    pk = _pk(user)
    return pk is not None and person_user_id is not None and person_user_id == pk


def has_perm_for_person(
    user: Any, perm: str, unit: OrgUnit | str, person_user_id: int | None
) -> bool:
    """`has_perm` on the unit, refused when the person concerned is the user."""
    return not is_own(user, person_user_id) and has_perm(user, perm, unit)


def require_perm_for_person(
    user: Any, perm: str, unit: OrgUnit | str, person_user_id: int | None
) -> None:
    """For services: SelfActionError on the user's own item, PermissionDenied without `perm`."""
    if is_own(user, person_user_id):
        raise SelfActionError(SELF_ACTION_MESSAGE)
    if not has_perm(user, perm, unit):
        raise PermissionDenied


def has_perm_on_servant(user: Any, perm: str, servant: Any) -> bool:
    """May the user act as staff (`perm`) on this servant's record? Never on their own."""
    return has_perm_for_person(user, perm, servant.employing_unit.path, servant.user_id)


def require_perm_on_servant(user: Any, perm: str, servant: Any) -> None:
    require_perm_for_person(user, perm, servant.employing_unit.path, servant.user_id)


def _ancestors(path: str) -> list[str]:
    """The path and its ancestors' paths, innermost first ("/a/b/" → "/a/b/", "/a/")."""
    lead = "/" if path.startswith("/") else ""
    parts = [p for p in path.split("/") if p]
    return [lead + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


def handling_path(unit_path: str, perm: str, person_user_id: int | None) -> str:
    """The unit whose officers take an item about a person (a work item's unit path).

    Normally the person's own unit. When the person holds `perm` there themselves
    (an officer's own request), the innermost unit, from theirs upwards, where some
    *other* active officer holds `perm` by a grant on that very unit: another officer
    of the unit, else the parent unit's (a DRE has its own escalafón office).
    """
    if person_user_id is None:
        return unit_path
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
    own = RoleGrant.objects.filter(user_id=person_user_id, active=True, role__in=roles)
    if not any(unit_path.startswith(path) for path in own.values_list("unit__path", flat=True)):
        return unit_path
    for path in _ancestors(unit_path):
        others = (
            RoleGrant.objects.filter(
                active=True, role__in=roles, unit__path=path, user__is_active=True
            )
            .exclude(user_id=person_user_id)
            .exists()
        )
        if others:
            return path
    return unit_path
