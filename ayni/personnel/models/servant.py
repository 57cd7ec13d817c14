"""The servant: the core record every section of the personal file hangs on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel
from ayni.org.models import Escala, LaborRegime, OrgUnit, PensionRegime


class Servant(BaseModel):
    class DocType(models.TextChoices):
        DNI = "01", _("DNI")
        CE = "04", _("Carné de extranjería")
        PASSPORT = "07", _("Pasaporte")

    class Sex(models.TextChoices):
        FEMALE = "F", _("Femenino")
        MALE = "M", _("Masculino")

    class Condition(models.TextChoices):
        NOMBRADO = "nombrado", _("Nombrado")
        CONTRATADO = "contratado", _("Contratado")

    class Status(models.TextChoices):
        ACTIVO = "activo", _("Activo")
        CESANTE = "cesante", _("Cesante")
        PENSIONISTA = "pensionista", _("Pensionista")

    class Kind(models.TextChoices):
        DOCENTE = "docente", _("Docente")
        AUXILIAR = "auxiliar", _("Auxiliar de educación")
        ADMINISTRATIVO = "administrativo", _("Administrativo")
        SALUD = "salud", _("Profesional de la salud")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="servant",
    )
    doc_type = models.CharField(_("tipo de documento"), max_length=2, choices=DocType.choices)
    doc_number = models.CharField(_("número de documento"), max_length=15)
    paternal_surname = models.CharField(_("apellido paterno"), max_length=80)
    maternal_surname = models.CharField(_("apellido materno"), max_length=80, blank=True)
    given_names = models.CharField(_("nombres"), max_length=120)
    birth_date = models.DateField(_("fecha de nacimiento"), null=True, blank=True)
    sex = models.CharField(_("sexo"), max_length=1, choices=Sex.choices, blank=True)
    # No e-mail or phone here: the contact is the account's (User.email, User.phone).
    employing_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="employed_servants",
        verbose_name=_("unidad empleadora"),
    )
    school = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_servants",
        verbose_name=_("institución educativa"),
    )
    kind = models.CharField(
        _("tipo de servidor"), max_length=16, choices=Kind.choices, default=Kind.DOCENTE
    )
    labor_regime = models.ForeignKey(
        LaborRegime,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("régimen laboral"),
    )
    pension_regime = models.ForeignKey(
        PensionRegime,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("régimen pensionario"),
    )
    condition = models.CharField(_("condición"), max_length=12, choices=Condition.choices)
    status = models.CharField(
        _("situación"), max_length=12, choices=Status.choices, default=Status.ACTIVO
    )
    position = models.CharField(_("cargo"), max_length=120, blank=True)
    escala = models.ForeignKey(
        Escala,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("escala magisterial"),
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("jornada (horas semanales)"), null=True, blank=True
    )
    contract_end = models.DateField(_("fin de contrato"), null=True, blank=True)
    needs_completion = models.BooleanField(
        _("por completar"),
        default=False,
        help_text=_("Registro creado sin ficha completa; el equipo de escalafón debe completarlo."),
    )

    class Meta:
        ordering = ["paternal_surname", "maternal_surname", "given_names"]
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "doc_number"], name="uniq_servant_document")
        ]
        indexes = [models.Index(fields=["employing_unit", "status"], name="servant_unit_status")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        surnames = " ".join(p for p in (self.paternal_surname, self.maternal_surname) if p)
        return f"{surnames}, {self.given_names}"

    @property
    def is_retired(self) -> bool:
        return self.status != self.Status.ACTIVO
