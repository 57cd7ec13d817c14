from django import template

from ayni.personnel.models import EntryVersion
from ayni.personnel.sections import KINDS, SECTION_OF_KIND, SECTIONS_BY_NUMBER, display_value

register = template.Library()


@register.filter
def version_label(version: EntryVersion) -> str:
    """«Sección II · Grado o título: Maestría» for one line of the file's history."""
    kind = KINDS.get(version.kind)
    if kind is None:
        return version.kind
    values = version.after or version.before or {}
    first = kind.columns[0]
    summary = display_value(kind, first, values.get(first))
    return f"Sección {SECTION_OF_KIND[kind.key].roman} · {kind.label}: {summary}"


@register.filter
def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return kind.label if kind else key


@register.filter
def roman(number: int) -> str:
    section = SECTIONS_BY_NUMBER.get(number)
    return section.roman if section else str(number)
