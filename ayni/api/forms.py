from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ayni.api.scopes import Scope

#: How long a token lives (the publishing token: 8 hours at most).
LIFETIMES: dict[str, timedelta] = {
    "8h": timedelta(hours=8),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "90d": timedelta(days=90),
}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre del token"),
        max_length=60,
        help_text=_("Para qué integración es, por ejemplo «Sistema de planillas de la UGEL»."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Permisos"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    units = forms.MultipleChoiceField(
        label=_("Unidades"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        required=False,
        help_text=_("El token solo alcanza a estas unidades (dentro de su propio ámbito)."),
    )
    lifetime = forms.ChoiceField(
        label=_("Vence en"),
        choices=[
            ("8h", _("8 horas")),
            ("7d", _("7 días")),
            ("30d", _("30 días")),
            ("90d", _("90 días (máximo)")),
        ],
        initial="30d",
        help_text=_("Un token que publica planillas vence en 8 horas como máximo."),
    )

    def __init__(self, *args: Any, scopes: list[Scope], units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(s.code, f"{s.label} ({s.code})") for s in scopes]  # type: ignore[attr-defined]
        self.fields["units"].choices = [(u.path, f"{u.name} ({u.code})") for u in units]  # type: ignore[attr-defined]
        if not units:
            del self.fields["units"]
