from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ayni.dataprotection.models import ArcoRequest, Right


class ArcoForm(forms.Form):
    right = forms.ChoiceField(
        label=_("Derecho que quiere ejercer"), choices=Right.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label=_("¿Qué pide?"),
        max_length=1000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Indique qué datos y por qué. No adjunte documentos de identidad: ya ingresó "
            "con su cuenta."
        ),
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"),
        choices=[
            (ArcoRequest.State.ANSWERED, _("Atender")),
            (ArcoRequest.State.DENIED, _("Denegar (con motivo)")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Respuesta a la persona"),
        max_length=2000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class IncidentForm(forms.Form):
    unit_path = forms.ChoiceField(label=_("Unidad donde ocurrió"))
    title = forms.CharField(label=_("Título"), max_length=200)
    description = forms.CharField(
        label=_("Qué pasó"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    detected_at = forms.DateTimeField(
        label=_("Detectado el (fecha y hora de Lima)"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    data_categories = forms.CharField(label=_("Datos comprometidos"), max_length=500)
    people_affected = forms.IntegerField(label=_("Personas afectadas (aprox.)"), min_value=0)
    measures = forms.CharField(
        label=_("Medidas adoptadas"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit_path"].choices = units  # type: ignore[attr-defined]
