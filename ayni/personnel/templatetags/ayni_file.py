from django import template

from ayni.personnel.sections import KINDS, SECTIONS_BY_NUMBER

register = template.Library()


@register.filter
def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else key


@register.filter
def roman(number: int) -> str:
    section = SECTIONS_BY_NUMBER.get(number)
    return section.roman if section else str(number)
