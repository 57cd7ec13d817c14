from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.core.forms import ReattachFilesMixin
from ayni.org.models import OrgUnit
from ayni.payroll.models import PayrollRun
from ayni.payroll.rem import parse_filename

MAX_UPLOAD = 100 * 1024 * 1024


class UploadForm(ReattachFilesMixin):
    ugel: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("UGEL"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("Año"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Mes"),
        coerce=int,
        choices=[
            (1, _("Enero")),
            (2, _("Febrero")),
            (3, _("Marzo")),
            (4, _("Abril")),
            (5, _("Mayo")),
            (6, _("Junio")),
            (7, _("Julio")),
            (8, _("Agosto")),
            (9, _("Setiembre")),
            (10, _("Octubre")),
            (11, _("Noviembre")),
            (12, _("Diciembre")),
        ],
    )
    kind = forms.ChoiceField(label=_("Tipo de planilla"), choices=PayrollRun.Kind.choices)
    payment_date = forms.DateField(
        label=_("Fecha de pago"), widget=forms.DateInput(attrs={"type": "date"})
    )
    additional = forms.BooleanField(
        label=_("Planilla adicional (corrige una ya publicada)"), required=False
    )
    rem = forms.FileField(label=_("Archivo PLAME de ingresos y descuentos (0601AAAAMM<RUC>.rem)"))
    master = forms.FileField(label=_("Archivo maestro de servidores (CSV)"))

    file_fields = ("rem", "master")

    def __init__(self, *args: Any, ugels: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ugel"].queryset = ugels  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month

    def clean_rem(self) -> Any:
        rem = self.cleaned_data["rem"]
        if rem.size > MAX_UPLOAD:
            raise forms.ValidationError(gettext("El archivo .rem supera los 100 MB."))
        _, _, _, problems = parse_filename(rem.name)
        if problems:
            raise forms.ValidationError(" ".join(problems))
        return rem

    def clean_master(self) -> Any:
        master = self.cleaned_data["master"]
        if master.size > MAX_UPLOAD:
            raise forms.ValidationError(gettext("El archivo maestro supera los 100 MB."))
        head = master.read(2048)
        master.seek(0)
        if b"\x00" in head or b"tipo_doc" not in head.lower():
            raise forms.ValidationError(
                gettext(
                    "El maestro debe ser un CSV con la cabecera documentada (tipo_doc, num_doc, …)."
                )
            )
        return master

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ugel = data.get("ugel")
        if "rem" in self.errors and ugel is not None and data.get("year") and data.get("month"):
            # The example the officer can copy: the chosen period and their UGEL's RUC (the
            # unit's, or the one its last loaded file declared).
            ruc = ugel.ruc or (
                PayrollRun.objects.filter(ugel=ugel)
                .exclude(ruc="")
                .order_by("-created_at")
                .values_list("ruc", flat=True)
                .first()
            )
            self.add_error(
                "rem",
                gettext("Para la UGEL y el periodo elegidos, el nombre es %(name)s.")
                % {
                    "name": f"0601{data['year']}{data['month']:02d}"
                    + (ruc or gettext("<RUC de su UGEL>"))
                    + ".rem"
                },
            )
        rem = data.get("rem")
        if rem is not None and data.get("year") and data.get("month"):
            year, month = parse_filename(rem.name)[:2]
            if (year, month) != (data["year"], data["month"]):
                self.add_error(
                    "rem",
                    gettext("El archivo es del periodo %(file_period)s, no del %(period)s.")
                    % {
                        "file_period": f"{month:02d}/{year}",
                        "period": f"{data['month']:02d}/{data['year']}",
                    },
                )
        return data


class AnnulForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la anulación"),
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Escriba el motivo de la anulación."),
            "min_length": _("Escriba el motivo de la anulación (al menos 10 caracteres)."),
        },
        help_text=_("Queda en el historial de la planilla; no se publica."),
    )
