from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def column_label(columns: list[Any], index: int) -> str:
    """The header of column `index`: the label a stacked table shows on a phone."""
    return str(columns[index]) if 0 <= index < len(columns) else ""


@register.filter
def sv_cell(value: Any) -> str:
    """A list cell as a page shows it: dates dd/mm/yyyy, amounts «S/ 1,234.50», counts."""
    from datetime import date
    from decimal import Decimal

    from ayni.core import formats

    if isinstance(value, Decimal):
        return formats.soles(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return formats.count(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@register.filter
def unit_name(unit: Any) -> str:
    """«DRE LIMA METROPOLITANA» → «DRE Lima Metropolitana» (ayni.org.selectors)."""
    from ayni.supervision.selectors import unit_title

    return unit_title(str(getattr(unit, "name", unit)))
