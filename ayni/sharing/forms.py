from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ayni.sharing.models import MAX_DAYS, MAX_OPENINGS

DAY_CHOICES = [(d, d) for d in (1, 2, 3, 5, 7, 10, 15, 30)]
OPENING_CHOICES = [(n, n) for n in (1, 2, 3, 5, 10, 20, 50)]
assert DAY_CHOICES[-1][0] == MAX_DAYS and OPENING_CHOICES[-1][0] == MAX_OPENINGS
CHOOSE_ONE = _("Elija una de las opciones de la lista.")


class ShareForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("¿Cuántos días funcionará el enlace?"),
        choices=DAY_CHOICES,
        coerce=int,
        initial=7,
        help_text=_("Entre 1 y 30 días. Después el enlace deja de funcionar solo."),
        error_messages={"invalid_choice": CHOOSE_ONE},
    )
    max_openings = forms.TypedChoiceField(
        label=_("¿Cuántas veces se podrá abrir?"),
        choices=OPENING_CHOICES,
        coerce=int,
        initial=3,
        help_text=_(
            "Entre 1 y 50 veces. Cuenta una vez cada vez que alguien abre el enlace y "
            "pulsa «Ver el documento»."
        ),
        error_messages={"invalid_choice": CHOOSE_ONE},
    )
    understood = forms.BooleanField(
        label=_("Entiendo que cualquier persona que tenga el enlace podrá ver este documento."),
        required=True,
        error_messages={"required": _("Marque esta casilla para crear el enlace.")},
    )
