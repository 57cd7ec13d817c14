from django import template
from django.utils.translation import gettext

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
    return gettext("Sección %(roman)s · %(kind)s: %(summary)s") % {
        "roman": SECTION_OF_KIND[kind.key].roman,
        "kind": kind.label,
        "summary": summary,
    }


@register.filter
def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else key


@register.filter
def roman(number: int) -> str:
    section = SECTIONS_BY_NUMBER.get(number)
    return section.roman if section else str(number)
