"""Reads on the org tree."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ayni.org.models import OrgUnit


def subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path)


def under_any(paths: list[str], field: str = "path") -> Q:
    """A filter for rows whose `field` (a unit path) lies under any of `paths`."""
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def top_paths(paths: list[str]) -> list[str]:
    """Drop the paths already covered by an ancestor in the list."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return sorted(result)
