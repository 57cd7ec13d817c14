from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.accounts.validators import normalise_document
from ayni.core.forms import CHOOSE, ReattachFilesMixin
from ayni.desk.challenge import check_challenge
from ayni.desk.models import AccessRequest, Case
from ayni.org.models import OrgUnit
from ayni.org.selectors import ugel_groups
from ayni.reports.models import Purpose


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "application/pdf"})

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultiplePdfField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def region_field(*, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Región (DRE/GRE)"),
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.DRE),
        empty_label=_("Elija su región"),
        required=required,
    )


def unit_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("UGEL"),
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.UGEL),
        empty_label=_("Elija su UGEL"),
        widget=forms.Select(attrs={"data-region-select": "id_region"}),
    )


class UgelChooserMixin(ReattachFilesMixin):
    """Region (DRE/GRE) first, then its UGELs. The UGEL list is grouped by region
    (<optgroup>), each UGEL named so that it is unique; without JavaScript both lists
    work as they are, with it (static/ayni/ugel-chooser.js) the region narrows the list.
    The form declares `region = region_field()` and `unit = unit_field()` where it wants them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = ugel_groups()
        region: Any = self.fields["region"]
        unit: Any = self.fields["unit"]
        region.widget.choices = [
            ("", region.empty_label),
            *[(g.region.pk, g.label) for g in groups],
        ]
        unit.widget.choices = [("", unit.empty_label), *[(g.label, g.ugels) for g in groups]]
        chosen = self.initial.get("unit")
        if chosen and not self.initial.get("region"):
            self.initial["region"] = (
                OrgUnit.objects.filter(pk=getattr(chosen, "pk", chosen))
                .values_list("parent_id", flat=True)
                .first()
            )

    def check_region(self, data: dict[str, Any]) -> None:
        region, unit = data.get("region"), data.get("unit")
        if region and unit and unit.parent_id != region.pk:
            self.add_error("unit", gettext("Esa UGEL no pertenece a la región elegida."))
        elif unit and not region:
            data["region"] = unit.parent


class AccessRequestForm(UgelChooserMixin, forms.Form):
    doc_type = forms.ChoiceField(
        label=_("Tipo de documento"),
        choices=[("01", "DNI"), ("04", _("Carné de extranjería")), ("07", _("Pasaporte"))],
    )
    doc_number = forms.CharField(label=_("Número de documento"), max_length=15)
    paternal_surname = forms.CharField(label=_("Apellido paterno"), max_length=80)
    maternal_surname = forms.CharField(label=_("Apellido materno"), max_length=80, required=False)
    given_names = forms.CharField(label=_("Nombres"), max_length=120)
    email = forms.EmailField(label=_("Correo electrónico"))
    phone = forms.CharField(label=_("Teléfono celular"), max_length=20, required=False)
    region = region_field()
    unit = unit_field()
    staff_kind = forms.ChoiceField(label=_("Usted es"), choices=AccessRequest.StaffKind.choices)
    condition = forms.ChoiceField(label=_("Condición"), choices=AccessRequest.Condition.choices)
    document = forms.FileField(
        label=_("Un PDF con el FUT, la resolución de nombramiento o contrato y la copia del DNI"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    answer = forms.CharField(label=_("Pregunta de control"), max_length=4)
    challenge = forms.CharField(widget=forms.HiddenInput)
    file_fields = ("document",)

    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "class": "hp"}),
        label=_("No llenar"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("doc_type") and data.get("doc_number"):
            try:
                data["doc_number"] = normalise_document(data["doc_type"], data["doc_number"])
            except forms.ValidationError as exc:
                self.add_error("doc_number", exc)
        if data.get("website"):
            raise forms.ValidationError(gettext("No pudimos procesar la solicitud."))
        if "answer" not in self.errors and not check_challenge(
            data.get("challenge", ""), data.get("answer", "")
        ):
            self.add_error(
                "answer", gettext("La respuesta no es correcta. Intente con la nueva pregunta.")
            )
        self.check_region(data)
        return data


class FilingForm(UgelChooserMixin, forms.Form):
    region = region_field(required=False)
    unit = unit_field()
    kind = forms.ChoiceField(
        label=_("Tipo de trámite"),
        choices=[c for c in Case.Kind.choices if c[0] != Case.Kind.ACCESS],
    )
    change_request = forms.ChoiceField(
        label=_("Solicitud de modificación que sustenta"),
        required=False,
        help_text=_("Solo para sustentar una solicitud de modificación de su legajo en trámite."),
        widget=forms.Select(attrs={"data-for-kind": Case.Kind.SUPPORT}),
    )
    informe_purpose = forms.ChoiceField(
        label=_("Finalidad del informe"),
        required=False,
        choices=[("", CHOOSE), *Purpose.choices],
        help_text=_("Solo para una solicitud de informe escalafonario."),
        widget=forms.Select(attrs={"data-for-kind": Case.Kind.INFORME}),
    )
    subject = forms.CharField(label=_("Asunto"), max_length=200)
    documents = MultiplePdfField(label=_("Documentos (PDF)"))

    file_fields = ("documents",)

    def __init__(self, *args: Any, requests: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        if not requests:
            # Nothing to support: the kind and its field would lead nowhere.
            kind.choices = [c for c in kind.choices if c[0] != Case.Kind.SUPPORT]
            del self.fields["change_request"]
            return
        field: Any = self.fields["change_request"]
        field.choices = [
            ("", CHOOSE),
            *[
                (
                    str(cr.uuid),
                    f"{cr.get_operation_display()} {cr.kind_label.lower()} "
                    f"({cr.get_state_display()}, {timezone.localtime(cr.created_at):%d/%m/%Y})",
                )
                for cr in requests
            ],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_region(data)
        return data
