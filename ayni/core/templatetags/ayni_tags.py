from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int) -> str:
    """The current query string with `pagina` set to `number`: filters survive paging."""
    params = context["request"].GET.copy()
    params["pagina"] = number
    return "?" + params.urlencode()
