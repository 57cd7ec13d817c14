from typing import Any

from django import template

from ayni.accounts.permissions import DATAPROTECTION_MANAGE, has_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def is_dp_officer(context: Any) -> bool:
    request = context.get("request")
    return bool(request is not None and has_perm(request.user, DATAPROTECTION_MANAGE))
