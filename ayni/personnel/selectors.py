"""Reads of servants. The one scoping rule for personal data lives here.

A user sees their own servant record; a staff user also sees the servants
employed by a unit under a unit where they hold the permission. Everything
else is 404, whether it exists or not.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ayni.accounts.permissions import PERSONNEL_VIEW, has_perm, perm_paths
from ayni.org.models import OrgUnit
from ayni.org.selectors import under_any
from ayni.personnel.models import Servant


def own_servant(user: Any) -> Servant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Servant.objects.select_related(
            "employing_unit", "school", "labor_regime", "escala", "pension_regime"
        )
        .filter(user=user)
        .first()
    )


def servants_in_scope(user: Any, perm: str = PERSONNEL_VIEW) -> QuerySet[Servant]:
    """Servants whose employing unit lies under a unit where `user` holds `perm`."""
    return Servant.objects.filter(under_any(perm_paths(user, perm), "employing_unit__path"))


def get_servant_for_user(
    user: Any, ref: UUID | str, perm: str = PERSONNEL_VIEW
) -> tuple[Servant, bool]:
    """The servant `ref` if the user may see it, with whether this is a staff read.

    Raises Http404 when missing or out of scope: the two are indistinguishable.
    """
    base = Servant.objects.select_related(
        "employing_unit", "school", "labor_regime", "escala", "pension_regime"
    )
    servant = base.filter(uuid=ref).first()
    if servant is None:
        raise Http404
    if servant.user_id is not None and servant.user_id == user.pk:
        return servant, False
    # The scope rule of `servants_in_scope`, on the unit already loaded (no second query).
    if has_perm(user, perm, servant.employing_unit):
        return servant, True
    raise Http404


def get_servant_for_staff(user: Any, ref: UUID | str, perm: str) -> Servant:
    """A servant in the user's `perm` scope, never the user's own record (a staff member
    changes their own file through requests like everyone else). 404 otherwise."""
    servant = (
        servants_in_scope(user, perm)
        .select_related("employing_unit", "user")
        .filter(uuid=ref)
        .exclude(user=user)
        .first()
    )
    if servant is None:
        raise Http404
    return servant


def is_document_query(query: str) -> bool:
    """A search by document number (DNI, CE, passport) rather than by name."""
    query = query.strip()
    return query.isdigit() or (query.isalnum() and any(c.isdigit() for c in query))


def search_servants(user: Any, query: str) -> QuerySet[Servant]:
    qs = servants_in_scope(user).select_related("employing_unit", "school")
    query = query.strip()
    if not query:
        return qs
    if is_document_query(query):
        return qs.filter(doc_number=query.upper())
    for word in query.split():
        qs = qs.filter(
            Q(paternal_surname__icontains=word)
            | Q(maternal_surname__icontains=word)
            | Q(given_names__icontains=word)
        )
    return qs


def counts_in_subtree(unit: OrgUnit) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Servants by status for the unit, and for each child unit (DRE → its UGELs;
    MINEDU → its DREs), from one grouped query over the subtree."""
    rows = (
        Servant.objects.filter(employing_unit__path__startswith=unit.path)
        .order_by()
        .values("employing_unit__path", "status")
        .annotate(n=Count("id"))
    )
    children = (
        list(OrgUnit.objects.filter(parent=unit).exclude(kind=OrgUnit.Kind.SCHOOL))
        if unit.kind in (OrgUnit.Kind.MINEDU, OrgUnit.Kind.DRE)
        else []
    )
    by_child = {child.path: dict.fromkeys(Servant.Status.values, 0) for child in children}
    total = dict.fromkeys(Servant.Status.values, 0)
    for row in rows:
        path, status, n = row["employing_unit__path"], row["status"], row["n"]
        total[status] += n
        child_path = "/".join(path.split("/")[: unit.depth + 2]) + "/"
        if child_path in by_child:
            by_child[child_path][status] += n
    return total, [
        {"unit": child, "counts": by_child[child.path], "total": sum(by_child[child.path].values())}
        for child in children
    ]
