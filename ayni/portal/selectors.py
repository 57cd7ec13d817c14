"""What the home pages show: the user's units, work queue and figures of their scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from ayni.accounts.models import RoleGrant
from ayni.accounts.permissions import ALL_PERMISSIONS, STATS_VIEW, perm_paths
from ayni.core.models import WorkItem
from ayni.core.workqueue import open_items_for_scopes
from ayni.org.models import OrgUnit
from ayni.personnel.request_selectors import open_requests_by_age
from ayni.personnel.selectors import counts_in_subtree


@dataclass
class UnitFigures:
    unit: OrgUnit
    counts: dict[str, int]
    total: int
    requests: dict[str, int] = field(default_factory=dict)
    children: list[dict[str, Any]] = field(default_factory=list)


def grants_of(user: Any) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=user, active=True).select_related("unit")


def work_queue_for(user: Any) -> QuerySet[WorkItem]:
    scopes = {perm: perm_paths(user, perm) for perm in sorted(ALL_PERMISSIONS)}
    return open_items_for_scopes(
        {p: paths for p, paths in scopes.items() if paths}, user_id=user.pk
    )


def figures_for(user: Any) -> list[UnitFigures]:
    """Servant counts for each unit where the user may see statistics."""
    result = []
    for unit in OrgUnit.objects.filter(path__in=perm_paths(user, STATS_VIEW)):
        counts, children = counts_in_subtree(unit)
        result.append(
            UnitFigures(
                unit=unit,
                counts=counts,
                total=sum(counts.values()),
                requests=open_requests_by_age(unit.path),
                children=children,
            )
        )
    return result


def name_subjects(events: Any) -> list[Any]:
    """Give each audit event of a page the person it concerns (`subject_label`): the servant
    whose file was read or changed, or how many a list showed. One query for the page."""
    from django.utils.translation import ngettext

    from ayni.personnel.models import Servant

    events = list(events)
    ids = {e.subject_id for e in events if e.subject_type == "servant" and e.subject_id}
    names = {
        pk: f"{' '.join(p for p in (paternal, maternal) if p)}, {given}"
        for pk, paternal, maternal, given in Servant.objects.filter(pk__in=ids).values_list(
            "pk", "paternal_surname", "maternal_surname", "given_names"
        )
    }
    for event in events:
        if event.subject_type == "servant" and event.subject_id in names:
            event.subject_label = names[event.subject_id]
        elif event.subject_ids:
            count = len(event.subject_ids)
            event.subject_label = ngettext(
                "%(n)s servidor listado", "%(n)s servidores listados", count
            ) % {"n": count}
        else:
            event.subject_label = ""
    return events
