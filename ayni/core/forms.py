from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_VERIFY_UPLOAD = 30 * 1024 * 1024


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Código de verificación"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    pdf = forms.FileField(
        label=_("Documento PDF (opcional, para comprobar que es idéntico)"), required=False
    )

    def clean_pdf(self):  # type: ignore[no-untyped-def]
        pdf = self.cleaned_data.get("pdf")
        if pdf is None:
            return None
        if pdf.size > MAX_VERIFY_UPLOAD:
            raise forms.ValidationError(_("El archivo supera los 30 MB."))
        head = pdf.read(5)
        pdf.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("El archivo no es un PDF."))
        return pdf


CHOOSE = _("Elija…")
DASHES = "---------"


class ChoosePromptMixin:
    """Selects open on «Elija…», not Django's «---------» (model choices and foreign keys)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == DASHES:
                    field.empty_label = CHOOSE
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)  # type: ignore[arg-type]
                if choices and choices[0] == ("", DASHES):
                    field.choices = [("", CHOOSE), *choices[1:]]


REATTACH = _(
    "Vuelva a adjuntar el archivo: por seguridad, el navegador no conserva el archivo "
    "elegido cuando el formulario se devuelve con observaciones."
)


class ReattachFilesMixin(forms.Form):
    """A form with file fields, shown again with errors, says under each file field that
    the file must be attached again (a browser never keeps a chosen file)."""

    #: the file fields that a browser empties when the form comes back with errors
    file_fields: tuple[str, ...] = ()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[arg-type]
        for name in self.file_fields:  # a bound field copies help_text when first made
            self.fields[name].help_text = REATTACH
            cached: Any = getattr(self, "_bound_fields_cache", {}).get(name)
            if cached is not None:
                cached.help_text = REATTACH
