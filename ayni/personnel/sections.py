"""The ten sections of the file and the entry kinds each holds: one registry for
views, forms, change requests and reports."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ayni.core import formats
from ayni.core.forms import ChoosePromptMixin
from ayni.core.words import per_language
from ayni.personnel.models import (
    Address,
    Allowance,
    Award,
    CareerMove,
    Cessation,
    Degree,
    Entry,
    FamilyMember,
    FileEntry,
    Language,
    Leave,
    OtherRecord,
    PensionAffiliation,
    Sanction,
    SwornStatement,
    Training,
)

RESOLUTION_FIELDS = (
    "resolution_type",
    "resolution_number",
    "resolution_date",
    "issuing_office",
    "reason",
    "date_from",
    "date_to",
    "school_name",
)


@dataclass(frozen=True)
class EntryKind:
    key: str
    label: str | Promise
    model: type[FileEntry]
    fields: tuple[str, ...]
    columns: tuple[str, ...]

    def form_class(self) -> type[forms.ModelForm]:
        return entry_form(self)


@dataclass(frozen=True)
class Section:
    number: int
    roman: str
    slug: str
    title: str | Promise
    kinds: tuple[EntryKind, ...]


def _k(
    key: str,
    label: str | Promise,
    model: type[FileEntry],
    fields: tuple[str, ...],
    columns: tuple[str, ...],
) -> EntryKind:
    return EntryKind(key=key, label=label, model=model, fields=fields, columns=columns)


def _res(*specific: str) -> tuple[str, ...]:
    """Specific fields first (the action), then the resolution shape."""
    return (*specific, *RESOLUTION_FIELDS)


RES_COLUMNS = ("resolution_number", "resolution_date", "date_from", "date_to")

SECTIONS: tuple[Section, ...] = (
    Section(
        1,
        "I",
        "filiacion",
        _("Filiación e identificación"),
        (
            _k(
                "family",
                _("Familiar"),
                FamilyMember,
                ("relationship", "full_name", "doc_number", "birth_date", "is_dependant"),
                ("relationship", "full_name", "birth_date", "is_dependant"),
            ),
            _k(
                "address",
                _("Domicilio"),
                Address,
                ("kind", "department", "province", "district", "line", "reference"),
                ("kind", "line", "district", "province"),
            ),
            _k(
                "language",
                _("Lengua"),
                Language,
                ("name", "is_mother_tongue", "spoken_level", "written_level"),
                ("name", "is_mother_tongue", "spoken_level", "written_level"),
            ),
            _k(
                "sworn",
                _("Declaración jurada"),
                SwornStatement,
                ("kind", "filed_on", "period"),
                ("kind", "filed_on", "period"),
            ),
        ),
    ),
    Section(
        2,
        "II",
        "academica",
        _("Situación académica"),
        (
            _k(
                "degree",
                _("Grado o título"),
                Degree,
                ("level", "specialty", "institution", "issued_on", "registry_number"),
                ("level", "specialty", "institution", "issued_on"),
            ),
            _k(
                "training",
                _("Capacitación"),
                Training,
                ("name", "institution", "kind", "hours", "date_from", "date_to"),
                ("name", "institution", "hours", "date_from"),
            ),
        ),
    ),
    Section(
        3,
        "III",
        "ingreso",
        _("Ingreso o reingreso"),
        (
            _k(
                "entry",
                _("Ingreso"),
                Entry,
                _res("action", "position", "weekly_hours"),
                ("action", "position", *RES_COLUMNS),
            ),
        ),
    ),
    Section(
        4,
        "IV",
        "trayectoria",
        _("Trayectoria laboral"),
        (
            _k(
                "move",
                _("Movimiento"),
                CareerMove,
                _res("action", "position", "escala"),
                ("action", "school_name", *RES_COLUMNS),
            ),
        ),
    ),
    Section(
        5,
        "V",
        "asignaciones",
        _("Asignaciones, incentivos y retenciones"),
        (
            _k(
                "allowance",
                _("Asignación o retención"),
                Allowance,
                _res("action", "amount", "beneficiary"),
                ("action", "amount", *RES_COLUMNS),
            ),
        ),
    ),
    Section(
        6,
        "VI",
        "retiro",
        _("Retiro y régimen pensionario"),
        (
            _k(
                "cessation",
                _("Cese"),
                Cessation,
                _res("action", "cts_amount"),
                ("action", "cts_amount", "resolution_number", "date_from"),
            ),
            _k(
                "pension",
                _("Régimen pensionario"),
                PensionAffiliation,
                ("system", "afp", "cuspp", "affiliated_on"),
                ("system", "afp", "cuspp", "affiliated_on"),
            ),
        ),
    ),
    Section(
        7,
        "VII",
        "premios",
        _("Premios y estímulos"),
        (
            _k(
                "award",
                _("Reconocimiento"),
                Award,
                _res("action", "granted_by"),
                ("action", "granted_by", "resolution_number", "resolution_date"),
            ),
        ),
    ),
    Section(
        8,
        "VIII",
        "sanciones",
        _("Sanciones"),
        (
            _k(
                "sanction",
                _("Sanción"),
                Sanction,
                _res("action", "days"),
                ("action", "days", *RES_COLUMNS),
            ),
        ),
    ),
    Section(
        9,
        "IX",
        "licencias",
        _("Licencias y vacaciones"),
        (_k("leave", _("Licencia o vacaciones"), Leave, _res("action"), ("action", *RES_COLUMNS)),),
    ),
    Section(
        10,
        "X",
        "otros",
        _("Otros"),
        (
            _k(
                "other",
                _("Otro documento"),
                OtherRecord,
                ("title", "description", "dated", "resolution_number"),
                ("title", "dated", "resolution_number"),
            ),
        ),
    ),
)

SECTIONS_BY_SLUG = {s.slug: s for s in SECTIONS}
SECTIONS_BY_NUMBER = {s.number: s for s in SECTIONS}
KINDS = {k.key: k for s in SECTIONS for k in s.kinds}
SECTION_OF_KIND = {k.key: s for s in SECTIONS for k in s.kinds}


def section_for(slug: str) -> Section | None:
    return SECTIONS_BY_SLUG.get(slug)


# --- forms and values ------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, date):
            return value.isoformat()
        return super().format_value(value)


def entry_form(kind: EntryKind) -> type[forms.ModelForm]:
    widgets: dict[str, Any] = {
        f.name: DateInput()
        for f in kind.model._meta.get_fields()
        if isinstance(f, models.DateField) and f.name in kind.fields
    }
    form = forms.modelform_factory(kind.model, fields=list(kind.fields), widgets=widgets)

    class EntryForm(ChoosePromptMixin, form):  # type: ignore[misc,valid-type]
        def clean(self) -> dict[str, Any]:
            data = super().clean() or {}
            start, end = data.get("date_from"), data.get("date_to")
            if start and end and end < start:
                self.add_error(
                    "date_to", gettext("La fecha «hasta» no puede ser anterior a «desde».")
                )
            if kind.key == "pension":
                if data.get("system") == "afp" and not (data.get("afp") and data.get("cuspp")):
                    self.add_error(
                        "cuspp", gettext("Para el sistema AFP indique la AFP y el CUSPP.")
                    )
                if data.get("system") != "afp" and (data.get("afp") or data.get("cuspp")):
                    self.add_error(
                        "afp", gettext("La AFP y el CUSPP solo corresponden al sistema AFP.")
                    )
            return data

    EntryForm.__name__ = f"{kind.model.__name__}Form"
    return EntryForm


def to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def entry_values(kind: EntryKind, entry: FileEntry) -> dict[str, Any]:
    """The entry's editable fields as JSON-ready values."""
    return {name: to_json(getattr(entry, name)) for name in kind.fields}


def cleaned_values(kind: EntryKind, cleaned: dict[str, Any]) -> dict[str, Any]:
    return {name: to_json(cleaned.get(name)) for name in kind.fields}


def display_value(kind: EntryKind, field: str, value: Any) -> str:
    """A stored value (JSON or model) as the user reads it."""
    if value in (None, ""):
        return "—"
    shape = _field_shape(kind.model, field)
    if shape == "bool":
        return gettext("Sí") if value else gettext("No")
    if shape == "choice":
        return _choice_labels(kind.model, field, get_language()).get(value, str(value))
    if shape == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return day.strftime("%d/%m/%Y")
    if shape == "decimal":
        return formats.soles(value)
    return str(value)


# How each field prints, and its labels per language: worked out once per process (the
# file page prints some 500 values, and casting the lazy labels each time was a tenth of
# its CPU). The labels are fixed at start-up; only the language varies. Keyed by the
# model, not the EntryKind: hashing a kind would cast its lazy label.
@functools.cache
def _field_shape(model: type[FileEntry], field: str) -> str:
    model_field: Any = model._meta.get_field(field)
    if isinstance(model_field, models.BooleanField):
        return "bool"
    if model_field.choices:
        return "choice"
    if isinstance(model_field, models.DateField):
        return "date"
    if isinstance(model_field, models.DecimalField):
        return "decimal"
    return "text"


@per_language
def _choice_labels(model: type[FileEntry], field: str, language: str | None) -> dict[Any, str]:
    model_field: Any = model._meta.get_field(field)
    return {value: str(label) for value, label in model_field.choices}


def field_label(kind: EntryKind, field: str) -> str:
    return _field_label(kind.model, field, get_language())


@per_language
def _field_label(model: type[FileEntry], field: str, language: str | None) -> str:
    model_field: Any = model._meta.get_field(field)
    # capfirst, not capitalize: «AFP», «CUSPP», «CTS (S/)» keep their capitals.
    return capfirst(str(model_field.verbose_name))
