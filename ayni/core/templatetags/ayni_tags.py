from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int) -> str:
    """The current query string with `pagina` set to `number`: filters survive paging."""
    params = context["request"].GET.copy()
    params["pagina"] = number
    return "?" + params.urlencode()


@register.filter
def soles(value: Any) -> str:
    """3301.32 → «S/ 3,301.32», as Peruvian payslips print amounts."""
    try:
        return f"S/ {Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return ""
