"""The ten sections of the personal file (docs/legajo.md), one typed model per entry kind."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ayni.personnel.models.servant import Servant


class FileEntry(models.Model):
    """What every entry of the file has: its servant, a public id, a version."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    servant = models.ForeignKey(Servant, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ResolutionType(models.TextChoices):
    RD = "RD", _("Resolución Directoral")
    RDR = "RDR", _("Resolución Directoral Regional")
    RM = "RM", _("Resolución Ministerial")
    RVM = "RVM", _("Resolución Viceministerial")
    RSG = "RSG", _("Resolución de Secretaría General")
    RJ = "RJ", _("Resolución Jefatural")
    OTRO = "OTRO", _("Otro documento")


class ResolutionEntry(FileEntry):
    """The common shape of entries that rest on an administrative act (sections III-IX)."""

    resolution_type = models.CharField(
        _("tipo de resolución"), max_length=4, choices=ResolutionType.choices
    )
    resolution_number = models.CharField(_("número de resolución"), max_length=40)
    resolution_date = models.DateField(_("fecha de resolución"))
    issuing_office = models.CharField(_("dependencia que emite"), max_length=120)
    reason = models.CharField(_("motivo"), max_length=200, blank=True)
    date_from = models.DateField(_("desde"))
    date_to = models.DateField(_("hasta"), null=True, blank=True)
    school_name = models.CharField(_("institución educativa"), max_length=160, blank=True)

    class Meta:
        abstract = True
        ordering = ["date_from", "id"]

    @property
    def resolution_label(self) -> str:
        return f"{self.resolution_type} N.° {self.resolution_number}"


# --- I. Filiación e identificación ---------------------------------------------------


class FamilyMember(FileEntry):
    class Relationship(models.TextChoices):
        CONYUGE = "conyuge", _("Cónyuge")
        CONVIVIENTE = "conviviente", _("Conviviente")
        HIJO = "hijo", _("Hijo o hija")
        PADRE = "padre", _("Padre")
        MADRE = "madre", _("Madre")
        HERMANO = "hermano", _("Hermano o hermana")

    relationship = models.CharField(_("parentesco"), max_length=12, choices=Relationship.choices)
    full_name = models.CharField(_("apellidos y nombres"), max_length=160)
    doc_number = models.CharField(
        _("DNI"),
        max_length=15,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$|^[A-Z0-9]{4,15}$", _("Documento no válido."))],
    )
    birth_date = models.DateField(_("fecha de nacimiento"), null=True, blank=True)
    is_dependant = models.BooleanField(_("derechohabiente"), default=False)

    class Meta:
        ordering = ["relationship", "birth_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()}: {self.full_name}"


class Address(FileEntry):
    class Kind(models.TextChoices):
        ACTUAL = "actual", _("Domicilio actual")
        DNI = "dni", _("Domicilio según DNI")

    kind = models.CharField(_("tipo"), max_length=8, choices=Kind.choices)
    department = models.CharField(_("departamento"), max_length=40)
    province = models.CharField(_("provincia"), max_length=60)
    district = models.CharField(_("distrito"), max_length=60)
    line = models.CharField(_("dirección"), max_length=160)
    reference = models.CharField(_("referencia"), max_length=160, blank=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.line}, {self.district}"


class Language(FileEntry):
    class Name(models.TextChoices):
        CASTELLANO = "castellano", _("Castellano")
        QUECHUA = "quechua", _("Quechua")
        AIMARA = "aimara", _("Aimara")
        ASHANINKA = "ashaninka", _("Asháninka")
        AWAJUN = "awajun", _("Awajún")
        SHIPIBO = "shipibo", _("Shipibo-Konibo")
        OTRA = "otra", _("Otra")

    class Level(models.TextChoices):
        BASICO = "basico", _("Básico")
        INTERMEDIO = "intermedio", _("Intermedio")
        AVANZADO = "avanzado", _("Avanzado")

    name = models.CharField(_("lengua"), max_length=12, choices=Name.choices)
    is_mother_tongue = models.BooleanField(_("lengua materna"), default=False)
    spoken_level = models.CharField(_("dominio oral"), max_length=12, choices=Level.choices)
    written_level = models.CharField(_("dominio escrito"), max_length=12, choices=Level.choices)

    class Meta:
        ordering = ["-is_mother_tongue", "name", "id"]

    def __str__(self) -> str:
        return self.get_name_display()


class SwornStatement(FileEntry):
    class Kind(models.TextChoices):
        BIENES = "bienes", _("Bienes y rentas")
        ANTECEDENTES = "antecedentes", _("No tener antecedentes penales ni judiciales")
        REDAM = "redam", _("No estar inscrito en el REDAM")
        NEPOTISMO = "nepotismo", _("Nepotismo")
        INCOMPATIBILIDAD = "incompatibilidad", _("Incompatibilidad de ingresos")
        DOMICILIO = "domicilio", _("Domicilio")

    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    filed_on = models.DateField(_("fecha de presentación"))
    period = models.CharField(_("año o periodo"), max_length=20, blank=True)

    class Meta:
        ordering = ["-filed_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


# --- II. Situación académica ---------------------------------------------------------


class Degree(FileEntry):
    class Level(models.TextChoices):
        SECUNDARIA = "secundaria", _("Secundaria completa")
        TECNICO = "tecnico", _("Título técnico")
        BACHILLER = "bachiller", _("Bachiller")
        TITULO = "titulo", _("Título profesional")
        PEDAGOGICO = "pedagogico", _("Título profesional pedagógico")
        SEGUNDA = "segunda", _("Segunda especialidad")
        MAESTRIA = "maestria", _("Maestría")
        DOCTORADO = "doctorado", _("Doctorado")

    level = models.CharField(_("grado o título"), max_length=12, choices=Level.choices)
    specialty = models.CharField(_("especialidad o mención"), max_length=160)
    institution = models.CharField(_("institución"), max_length=160)
    issued_on = models.DateField(_("fecha de expedición"))
    registry_number = models.CharField(_("número de registro"), max_length=40, blank=True)

    class Meta:
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.specialty}"


class Training(FileEntry):
    class Kind(models.TextChoices):
        CURSO = "curso", _("Curso")
        TALLER = "taller", _("Taller")
        DIPLOMADO = "diplomado", _("Diplomado")
        SEMINARIO = "seminario", _("Seminario")
        CONGRESO = "congreso", _("Congreso")

    name = models.CharField(_("nombre"), max_length=200)
    institution = models.CharField(_("institución"), max_length=160)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    hours = models.PositiveSmallIntegerField(_("horas"), validators=[MinValueValidator(1)])
    date_from = models.DateField(_("desde"))
    date_to = models.DateField(_("hasta"))

    class Meta:
        ordering = ["date_from", "id"]

    def __str__(self) -> str:
        return self.name


# --- III. Ingreso o reingreso --------------------------------------------------------


class Entry(ResolutionEntry):
    class Action(models.TextChoices):
        NOMBRAMIENTO = "nombramiento", _("Nombramiento")
        CONTRATO = "contrato", _("Contrato")
        REINGRESO = "reingreso", _("Reingreso")

    action = models.CharField(_("acción"), max_length=16, choices=Action.choices)
    position = models.CharField(_("cargo"), max_length=120)
    weekly_hours = models.PositiveSmallIntegerField(_("jornada (horas)"), null=True, blank=True)

    class Meta(ResolutionEntry.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.position}"


# --- IV. Trayectoria laboral ---------------------------------------------------------


class CareerMove(ResolutionEntry):
    class Action(models.TextChoices):
        REASIGNACION = "reasignacion", _("Reasignación")
        PERMUTA = "permuta", _("Permuta")
        DESTAQUE = "destaque", _("Destaque")
        ENCARGATURA = "encargatura", _("Encargatura")
        DESIGNACION = "designacion", _("Designación")
        ASCENSO = "ascenso", _("Ascenso de escala")
        REUBICACION = "reubicacion", _("Reubicación de escala")
        ROTACION = "rotacion", _("Rotación")

    action = models.CharField(_("acción"), max_length=16, choices=Action.choices)
    position = models.CharField(_("cargo"), max_length=120, blank=True)
    escala = models.CharField(_("escala"), max_length=8, blank=True)

    class Meta(ResolutionEntry.Meta):
        pass

    def __str__(self) -> str:
        return self.get_action_display()


# --- V. Asignaciones, incentivos y retenciones ---------------------------------------


class Allowance(ResolutionEntry):
    class Action(models.TextChoices):
        ATS25 = "ats25", _("Asignación por 25 años de servicios")
        ATS30 = "ats30", _("Asignación por 30 años de servicios")
        LUTO = "luto", _("Subsidio por luto")
        SEPELIO = "sepelio", _("Subsidio por sepelio")
        BONIFICACION = "bonificacion", _("Bonificación")
        RETENCION = "retencion", _("Retención judicial")

    action = models.CharField(_("acción"), max_length=16, choices=Action.choices)
    amount = models.DecimalField(
        _("monto (S/)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    beneficiary = models.CharField(_("beneficiario"), max_length=160, blank=True)

    class Meta(ResolutionEntry.Meta):
        pass

    def __str__(self) -> str:
        return self.get_action_display()


# --- VI. Retiro y régimen pensionario ------------------------------------------------


class Cessation(ResolutionEntry):
    class Action(models.TextChoices):
        LIMITE_EDAD = "limite_edad", _("Cese por límite de edad")
        RENUNCIA = "renuncia", _("Cese por renuncia")
        FALLECIMIENTO = "fallecimiento", _("Cese por fallecimiento")
        INVALIDEZ = "invalidez", _("Cese por invalidez")
        FIN_CONTRATO = "fin_contrato", _("Término de contrato")
        DESTITUCION = "destitucion", _("Destitución")

    action = models.CharField(_("acción"), max_length=16, choices=Action.choices)
    cts_amount = models.DecimalField(
        _("CTS (S/)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta(ResolutionEntry.Meta):
        pass

    def __str__(self) -> str:
        return self.get_action_display()


class PensionAffiliation(FileEntry):
    class System(models.TextChoices):
        DL20530 = "dl20530", _("D.L. 20530")
        ONP = "onp", _("D.L. 19990 (ONP)")
        AFP = "afp", _("D.L. 25897 (AFP)")

    class Afp(models.TextChoices):
        INTEGRA = "integra", _("AFP Integra")
        PRIMA = "prima", _("Prima AFP")
        PROFUTURO = "profuturo", _("Profuturo AFP")
        HABITAT = "habitat", _("AFP Habitat")

    system = models.CharField(_("sistema de pensiones"), max_length=8, choices=System.choices)
    afp = models.CharField(_("AFP"), max_length=10, choices=Afp.choices, blank=True)
    cuspp = models.CharField(
        _("CUSPP"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^[A-Z0-9]{12}$", _("El CUSPP tiene 12 letras o dígitos."))],
    )
    affiliated_on = models.DateField(_("fecha de afiliación"), null=True, blank=True)

    class Meta:
        ordering = ["affiliated_on", "id"]

    def __str__(self) -> str:
        return self.get_system_display()


# --- VII. Premios y estímulos --------------------------------------------------------


class Award(ResolutionEntry):
    class Action(models.TextChoices):
        FELICITACION = "felicitacion", _("Felicitación")
        AGRADECIMIENTO = "agradecimiento", _("Agradecimiento")
        PALMAS = "palmas", _("Palmas Magisteriales")
        DIPLOMA = "diploma", _("Diploma de honor")
        OTRO = "otro", _("Otro reconocimiento")

    action = models.CharField(_("acción"), max_length=16, choices=Action.choices)
    granted_by = models.CharField(_("otorgado por"), max_length=160, blank=True)

    class Meta(ResolutionEntry.Meta):
        pass

    def __str__(self) -> str:
        return self.get_action_display()


# --- VIII. Sanciones -----------------------------------------------------------------


class Sanction(ResolutionEntry):
    class Action(models.TextChoices):
        AMONESTACION = "amonestacion", _("Amonestación escrita")
        SUSPENSION = "suspension", _("Suspensión")
        CESE_TEMPORAL = "cese_temporal", _("Cese temporal")
        DESTITUCION = "destitucion", _("Destitución")

    action = models.CharField(_("acción"), max_length=16, choices=Action.choices)
    days = models.PositiveSmallIntegerField(_("días"), null=True, blank=True)

    class Meta(ResolutionEntry.Meta):
        pass

    def __str__(self) -> str:
        return self.get_action_display()


# --- IX. Licencias y vacaciones ------------------------------------------------------


class Leave(ResolutionEntry):
    class Action(models.TextChoices):
        ENFERMEDAD = "enfermedad", _("Licencia por enfermedad")
        MATERNIDAD = "maternidad", _("Licencia por maternidad")
        PATERNIDAD = "paternidad", _("Licencia por paternidad")
        FALLECIMIENTO = "fallecimiento", _("Licencia por fallecimiento de familiar")
        POSGRADO = "posgrado", _("Licencia por estudios de posgrado")
        CAPACITACION_OFICIAL = "capacitacion_oficial", _("Licencia por capacitación oficial")
        PARTICULARES = "particulares", _("Licencia por motivos particulares")
        CAPACITACION_NO_OFICIAL = (
            "capacitacion_no_oficial",
            _("Licencia por capacitación no oficial"),
        )
        CARGO_POLITICO = "cargo_politico", _("Licencia por cargo político")
        VACACIONES = "vacaciones", _("Vacaciones")

    action = models.CharField(_("acción"), max_length=24, choices=Action.choices)

    class Meta(ResolutionEntry.Meta):
        pass

    def __str__(self) -> str:
        return self.get_action_display()

    @property
    def is_paid(self) -> bool:
        return self.action not in settings.SERVICE_TIME["unpaid_leave"]


# --- X. Otros ------------------------------------------------------------------------


class OtherRecord(FileEntry):
    title = models.CharField(_("título"), max_length=160)
    description = models.TextField(_("descripción"), max_length=2000, blank=True)
    dated = models.DateField(_("fecha"))
    resolution_number = models.CharField(_("documento o resolución"), max_length=60, blank=True)

    class Meta:
        ordering = ["dated", "id"]

    def __str__(self) -> str:
        return self.title


# --- history -------------------------------------------------------------------------


class EntryVersion(models.Model):
    """One change of one entry: who, when, before, after, and why."""

    class Operation(models.TextChoices):
        CREATE = "create", _("Registro")
        UPDATE = "update", _("Corrección")
        DELETE = "delete", _("Eliminación")

    servant = models.ForeignKey(Servant, on_delete=models.CASCADE, related_name="file_versions")
    kind = models.CharField(max_length=32)
    entry_uuid = models.UUIDField()
    version = models.PositiveIntegerField()
    operation = models.CharField(max_length=8, choices=Operation.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300)
    change_request = models.ForeignKey(
        "personnel.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
    )

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["entry_uuid", "version"], name="uniq_entry_version")
        ]
