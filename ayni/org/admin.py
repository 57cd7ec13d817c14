from django.contrib import admin

from ayni.org.models import (
    DocumentType,
    Escala,
    LaborRegime,
    OrgUnit,
    PayrollConcept,
    PensionRegime,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "path")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    readonly_fields = ("path",)
    raw_id_fields = ("parent",)


@admin.register(PayrollConcept)
class PayrollConceptAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "allowed_in_rem",
        "subject_essalud",
        "subject_onp",
        "subject_afp",
        "active",
    )
    list_filter = ("kind", "allowed_in_rem", "active")
    search_fields = ("code", "name")


for model in (DocumentType, LaborRegime, PensionRegime, Escala):
    admin.site.register(
        model, list_display=("code", "name", "active"), search_fields=("code", "name")
    )
