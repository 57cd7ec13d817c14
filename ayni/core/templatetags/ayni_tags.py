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


@register.simple_tag
def form_token() -> Any:
    """The one-time token of a form (see ayni.core.formtoken)."""
    from django.utils.html import format_html

    from ayni.core.formtoken import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.filter
def audit_sentence(code: str) -> str:
    """The Spanish sentence of an audit action («aprobó una solicitud de modificación»)."""
    from ayni.core.audit_actions import sentence

    return sentence(code)
