"""Django's `i18n` tags, with `{% translate "a constant" %}` looked up once per language.

Installed in place of Django's library of the same name (settings.TEMPLATES, option
`libraries`), so templates keep `{% load i18n %}` and `makemessages` finds every string
as before. A constant without filters or context gives the same text on every render in
a language (and escaping mode); the first render asks Django's own node, later ones
reuse its answer. Everything else (variables, filters, `context`, `noop`,
`blocktranslate`) is Django's tag unchanged. `ayni.core.words.forget()` empties it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

from ayni.core.words import per_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


@per_language
def _answers(language: str | None) -> dict[tuple[str, bool], str]:
    """The rendered constants of one language, filled as templates render."""
    return {}


class TranslateOnceNode(django_i18n.TranslateNode):
    def render(self, context: Any) -> str:
        expression = self.filter_expression
        literal = getattr(expression.var, "literal", None)
        if (
            expression.filters
            or not isinstance(literal, str)
            or self.message_context is not None
            or self.noop
        ):
            return str(super().render(context))
        answers = _answers(get_language())
        key = (literal, bool(context.autoescape))
        value = answers.get(key)
        if value is None:
            value = super().render(context)
            if self.asvar:
                value = context[self.asvar]
            answers[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Any, token: Any) -> TranslateOnceNode:
    node = django_i18n.do_translate(parser, token)
    return TranslateOnceNode(node.filter_expression, node.noop, node.asvar, node.message_context)
