from typing import Any

from django import template

from ayni.core import formats
from ayni.core.frame import frame_url

register = template.Library()


@register.simple_tag
def frame(key: str) -> str:
    """An address of every page's frame, reversed once per process (ayni.core.frame)."""
    return frame_url(key)


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int) -> str:
    """The current query string with `pagina` set to `number`: filters survive paging."""
    params = context["request"].GET.copy()
    params["pagina"] = number
    return "?" + params.urlencode()


@register.filter
def soles(value: Any) -> str:
    """3301.32 → «S/ 3,301.32» (non-breaking space): see ayni.core.formats."""
    return formats.soles(value)


@register.filter
def amount(value: Any) -> str:
    """3301.32 → «3,301.32», for a column whose header already says «S/»."""
    return formats.amount(value)


@register.filter
def count(value: Any) -> str:
    """30018 → «30,018»."""
    return formats.count(value)


@register.filter
def filesize(value: Any) -> str:
    """17510 → «17.1 KB» (Django's filesizeformat would write «17,1 KB» in Spanish)."""
    return formats.filesize(value)


@register.filter
def document(holder: Any) -> str:
    """A servant, user or request with doc_type/doc_number → «DNI 40000001»."""
    return formats.document(getattr(holder, "doc_type", ""), getattr(holder, "doc_number", ""))


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


@register.filter
def with_labels(row: Any, columns: Any) -> list[tuple[Any, Any]]:
    """Pairs each cell with its column name, for the data-label of a table stacked on a phone."""
    return list(zip(columns, row, strict=False))


@register.filter
def ago(moment: Any) -> str:
    """«hace 3 horas», or «hace un momento» under a minute; never a time in the future
    (Django's `timesince` says «hace 0 minutos» for both)."""
    from django.utils import timezone
    from django.utils.timesince import timesince
    from django.utils.translation import gettext

    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return gettext("hace un momento")
    return gettext("hace %(age)s") % {"age": timesince(moment)}
