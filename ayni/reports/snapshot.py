"""The snapshot of a servant's file that a report prints: header, sections, service time."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.utils.translation import gettext

from ayni.core.formats import document
from ayni.personnel.file_selectors import compute_service_time, section_entries
from ayni.personnel.models import Servant
from ayni.personnel.sections import SECTIONS, display_value, field_label


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def file_snapshot(servant: Servant, today: date) -> dict[str, Any]:
    """Everything a hoja de vida or an informe prints, as plain strings."""
    service = compute_service_time(servant, today=today)
    school = servant.school
    header = {
        "nombre": servant.full_name,
        "documento": document(servant.doc_type, servant.doc_number),
        "sexo": servant.get_sex_display() if servant.sex else "",
        "regimen": servant.labor_regime.name if servant.labor_regime else "",
        "nivel": (
            gettext("Escala %(code)s") % {"code": servant.escala.code}
            if servant.escala
            else servant.get_kind_display()
        ),
        "institucion": f"{school.name} ({school.code})" if school else servant.employing_unit.name,
        "codigo_plaza": "",
        "cargo": servant.position,
        "jornada": f"{servant.weekly_hours} horas" if servant.weekly_hours else "",
        "condicion": f"{servant.get_condition_display()} · {servant.get_status_display()}",
        "tiempo_servicios": str(service.total),
        "nacimiento": _d(servant.birth_date),
    }
    sections = []
    for section in SECTIONS:
        kinds = []
        for kind, entries in section_entries(servant, section):
            kinds.append(
                {
                    "label": str(kind.label),
                    "columns": [field_label(kind, f) for f in kind.columns],
                    "rows": [
                        [display_value(kind, f, getattr(e, f)) for f in kind.columns]
                        for e in entries
                    ],
                }
            )
        sections.append({"roman": section.roman, "title": str(section.title), "kinds": kinds})
    return {
        "as_of": _d(today),
        "header": header,
        "sections": sections,
        "service": {
            "total": str(service.total),
            "years": service.total.years,
            "periods": [[_d(p.start), _d(p.end)] for p in service.service_periods],
            "stretches": [[_d(p.start), _d(p.end)] for p in service.total.stretches],
            "discounted": [[_d(p.start), _d(p.end)] for p in service.total.discounted],
            "ats_25": service.total.reached(25),
            "ats_30": service.total.reached(30),
        },
    }


def file_fingerprint(snapshot: dict[str, Any]) -> str:
    """What identifies the file as it stands: the header and the sections, without what
    only the passing of days changes (the service time counted up to today)."""
    header = {k: v for k, v in snapshot["header"].items() if k != "tiempo_servicios"}
    payload = json.dumps(
        {"header": header, "sections": snapshot["sections"]},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()
