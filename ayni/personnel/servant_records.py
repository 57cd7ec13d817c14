"""Creating servant records: the one place a `Servant` row is born outside the demo.

Two doors, one rule: a record created by anyone but the escalafón team is flagged
`needs_completion` and a «completar ficha» work item reaches the unit's escalafón
officers. `servant_create` makes one (the desk, on an accepted access request);
`servants_create_bulk` makes many with one `bulk_create` and one work item (the
payroll importer's fast path). The contact address and phone are the account's
(`User.email`, `User.phone`), never the servant's: see docs/decisions.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from ayni.accounts.permissions import PERSONNEL_EDIT
from ayni.core.workqueue import work_item_post
from ayni.org.models import OrgUnit
from ayni.personnel.models import Servant


@dataclass(frozen=True, slots=True)
class NewServant:
    """What an outside source knows about a person not yet in Ayni."""

    doc_type: str
    doc_number: str
    paternal_surname: str
    maternal_surname: str
    given_names: str
    condition: str
    status: str = Servant.Status.ACTIVO
    kind: str = Servant.Kind.DOCENTE
    birth_date: date | None = None
    position: str = ""

    def build(self, unit: OrgUnit) -> Servant:
        return Servant(
            doc_type=self.doc_type,
            doc_number=self.doc_number.strip().upper(),
            paternal_surname=self.paternal_surname,
            maternal_surname=self.maternal_surname,
            given_names=self.given_names,
            birth_date=self.birth_date,
            employing_unit=unit,
            kind=self.kind,
            position=self.position[:120],
            condition=self.condition,
            status=self.status,
            needs_completion=True,
        )


@transaction.atomic
def servant_create(*, person: NewServant, unit: OrgUnit) -> Servant:
    """One record, flagged for completion, with its «completar ficha» work item."""
    servant = person.build(unit)
    servant.save()
    work_item_post(
        kind="personnel.complete_record",
        title=gettext("Completar la ficha del servidor %(name)s") % {"name": servant.full_name},
        link=reverse("personnel:servant_detail", args=[servant.uuid]),
        unit_path=unit.path,
        permission=PERSONNEL_EDIT,
        source_type="servant",
        source_id=str(servant.pk),
    )
    return servant


def servants_create_bulk(
    *,
    people: Sequence[NewServant],
    unit: OrgUnit,
    title: str,
    source_type: str,
    source_id: str,
    batch_size: int = 5000,
) -> int:
    """Many records in one `bulk_create` and one work item for all of them.

    `title` names the source for the escalafón team («… de la planilla 03/2025»);
    the caller looks the new ids up afterwards (bulk_create gives no ids on every
    database). Returns how many were created. Runs in the caller's transaction.
    """
    if not people:
        return 0
    Servant.objects.bulk_create([p.build(unit) for p in people], batch_size=batch_size)
    work_item_post(
        kind="personnel.complete_records",
        title=title,
        link=reverse("personnel:servant_list") + "?por_completar=1",  # those to complete
        unit_path=unit.path,
        permission=PERSONNEL_EDIT,
        source_type=source_type,
        source_id=source_id,
    )
    return len(people)
