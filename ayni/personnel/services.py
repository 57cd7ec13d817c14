"""Writes on servants."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import ngettext

from ayni.core.audit import audit_log
from ayni.personnel.models import Servant
from ayni.personnel.selectors import is_document_query

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


def servant_list_read_record(
    request: HttpRequest, servants: list[Servant], *, query: str = ""
) -> None:
    """A page of the staff servant list: one event naming everyone it showed.

    A search by document number is its own action, seen by the person it found.
    """
    if not servants and not is_document_query(query):
        return
    searched = is_document_query(query)
    audit_log(
        action="personnel.servant_searched" if searched else "personnel.servant_list_viewed",
        request=request,
        subject_type=SUBJECT,
        subject_ids=[s.pk for s in servants],
        unit_path=_common_path([s.employing_unit.path for s in servants]),
        detail=ngettext(
            "%(n)d servidor en la página", "%(n)d servidores en la página", len(servants)
        )
        % {"n": len(servants)},
    )


def _common_path(paths: list[str]) -> str:
    """The deepest unit containing every path (so the event is audited in scope)."""
    if not paths:
        return ""
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for segment in zip(*parts, strict=False):
        if len(set(segment)) != 1:
            break
        common.append(segment[0])
    return "/" + "/".join(common) + "/" if common else ""


def servant_snapshot(servant: Servant) -> dict[str, Any]:
    fields = [
        "doc_type",
        "doc_number",
        "paternal_surname",
        "maternal_surname",
        "given_names",
        "birth_date",
        "sex",
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
