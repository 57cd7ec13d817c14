"""The unit tree MINEDU → DRE/GRE → UGEL → school, and the catalogues (data, not code)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """One node of the tree. `path` is the materialised path of codes, e.g.
    "/000000/150101/150108/", so a subtree is one indexed prefix query."""

    class Kind(models.TextChoices):
        MINEDU = "MINEDU", _("Ministerio de Educación")
        DRE = "DRE", _("Dirección/Gerencia Regional de Educación")
        UGEL = "UGEL", _("Unidad de Gestión Educativa Local")
        SCHOOL = "IE", _("Institución educativa")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True)
    ruc = models.CharField(max_length=11, blank=True)

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["path"], name="orgunit_path_like", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class CatalogueEntry(models.Model):
    """Common shape of the code tables: a code, a description, active or not."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DocumentType(CatalogueEntry):
    """SUNAT Tabla 3. `usable_for_login` marks DNI, carné de extranjería, pasaporte."""

    usable_for_login = models.BooleanField(default=False)
    short_name = models.CharField(max_length=40, blank=True)


class PensionRegime(CatalogueEntry):
    """SUNAT Tabla 11. `system`: ONP, AFP, DL 20530 or other."""

    system = models.CharField(max_length=12, blank=True)


class LaborRegime(CatalogueEntry):
    """SUNAT Tabla 33, extended with the education-sector laws (data)."""


class PayrollConcept(CatalogueEntry):
    """SUNAT Tabla 22: income, contribution and deduction concepts."""

    class Kind(models.TextChoices):
        GROUP = "GRUPO", _("Grupo")
        INCOME = "INGRESO", _("Ingreso")
        WORKER_CONTRIBUTION = "APORTE_TRABAJADOR", _("Aporte del trabajador")
        DEDUCTION = "DESCUENTO", _("Descuento")
        EMPLOYER_CONTRIBUTION = "APORTE_EMPLEADOR", _("Aporte del empleador")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    allowed_in_rem = models.BooleanField(default=False)
    subject_essalud = models.BooleanField(default=False)
    subject_onp = models.BooleanField(default=False)
    subject_afp = models.BooleanField(default=False)
    subject_income_tax = models.BooleanField(default=False)


class Escala(CatalogueEntry):
    """Escalas magisteriales (Ley 29944: I-VIII) and other regimes' levels."""

    regime = models.ForeignKey(LaborRegime, null=True, blank=True, on_delete=models.PROTECT)
