"""Writes on servants."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ayni.core.audit import audit_log
from ayni.personnel.models import Servant

SUBJECT = "servant"


def servant_read_record(request: HttpRequest, servant: Servant, *, what: str) -> None:
    """A staff read of a servant's data: an audit event the servant can see."""
    audit_log(
        action="personnel.servant_viewed",
        request=request,
        subject_type=SUBJECT,
        subject_id=servant.pk,
        obj=servant,
        unit_path=servant.employing_unit.path,
        detail=what,
    )


def servant_snapshot(servant: Servant) -> dict[str, Any]:
    fields = [
        "doc_type",
        "doc_number",
        "paternal_surname",
        "maternal_surname",
        "given_names",
        "birth_date",
        "sex",
        "email",
        "phone",
        "kind",
        "condition",
        "status",
        "position",
        "weekly_hours",
        "contract_end",
        "needs_completion",
    ]
    data: dict[str, Any] = {f: getattr(servant, f) for f in fields}
    data["birth_date"] = servant.birth_date.isoformat() if servant.birth_date else None
    data["contract_end"] = servant.contract_end.isoformat() if servant.contract_end else None
    data["employing_unit"] = servant.employing_unit.code
    data["school"] = servant.school.code if servant.school else None
    data["labor_regime"] = servant.labor_regime.code if servant.labor_regime else None
    data["escala"] = servant.escala.code if servant.escala else None
    return data
