"""Mesa de partes virtual: cases (expedientes) with numbers, states and files, and
access requests from people without an account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel
from ayni.org.models import OrgUnit
from ayni.personnel.models import ChangeRequest, Servant


class Case(BaseModel):
    class Kind(models.TextChoices):
        ACCESS = "acceso", _("Solicitud de acceso a Ayni")
        SUPPORT = "sustento", _("Sustento de solicitud de modificación")
        INFORME = "informe", _("Solicitud de informe escalafonario")
        PAYSLIP = "boleta", _("Reclamo sobre boleta")
        OTHER = "otro", _("Otro trámite")

    class State(models.TextChoices):
        RECEIVED = "recibido", _("Recibido")
        ROUTED = "derivado", _("Derivado")
        DONE = "atendido", _("Atendido")
        OBSERVED = "observado", _("Observado")
        ARCHIVED = "archivado", _("Archivado")
        NOT_FILED = "no_presentado", _("No presentado")

    class Area(models.TextChoices):
        DESK = "mesa_partes", _("Mesa de partes")
        ESCALAFON = "escalafon", _("Escalafón")
        PLANILLAS = "planillas", _("Planillas")
        RRHH = "rrhh", _("Recursos Humanos")

    OPEN_STATES = (State.RECEIVED, State.ROUTED, State.OBSERVED)

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    kind = models.CharField(_("tipo de trámite"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("asunto"), max_length=200)
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    filer_name = models.CharField(max_length=200)
    filer_doc_type = models.CharField(max_length=2)
    filer_doc_number = models.CharField(max_length=15)
    submitted_at = models.DateTimeField()
    received_at = models.DateTimeField(_("recibido (día hábil)"))
    state = models.CharField(max_length=14, choices=State.choices, default=State.RECEIVED)
    area = models.CharField(max_length=12, choices=Area.choices, default=Area.DESK)
    change_request = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="desk_cases"
    )
    observed_until = models.DateField(null=True, blank=True)
    verification_code = models.CharField(max_length=32, unique=True)
    receipt_file = models.CharField(max_length=200, blank=True)
    receipt_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="uniq_case_number")
        ]
        indexes = [
            models.Index(fields=["unit", "state"], name="case_unit_state"),
            models.Index(fields=["filer_doc_number"], name="case_filer_doc"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext("Exp. N.° %(number)06d-%(year)d") % {
            "number": self.number,
            "year": self.year,
        }


class CaseFile(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    stored_name = models.CharField(max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=14, blank=True)
    to_state = models.CharField(max_length=14, choices=Case.State.choices)
    area = models.CharField(max_length=12, choices=Case.Area.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]


class AccessRequest(BaseModel):
    """Someone without an account asks for one; confirmed by e-mail, then numbered."""

    class State(models.TextChoices):
        UNCONFIRMED = "sin_confirmar", _("Sin confirmar")
        RECEIVED = "recibido", _("Recibido")
        ACCEPTED = "aceptado", _("Aceptado")
        REJECTED = "rechazado", _("Rechazado")

    class StaffKind(models.TextChoices):
        DOCENTE = "docente", _("Docente")
        AUXILIAR = "auxiliar", _("Auxiliar de educación")
        ADMINISTRATIVO = "administrativo", _("Administrativo")
        SALUD = "salud", _("Profesional de la salud")

    class Condition(models.TextChoices):
        NOMBRADO = "nombrado", _("Nombrado")
        CONTRATADO = "contratado", _("Contratado")
        CESANTE = "cesante", _("Cesante")

    doc_type = models.CharField(_("tipo de documento"), max_length=2)
    doc_number = models.CharField(_("número de documento"), max_length=15)
    paternal_surname = models.CharField(_("apellido paterno"), max_length=80)
    maternal_surname = models.CharField(_("apellido materno"), max_length=80, blank=True)
    given_names = models.CharField(_("nombres"), max_length=120)
    email = models.EmailField(_("correo electrónico"))
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("UGEL")
    )
    staff_kind = models.CharField(_("tipo de servidor"), max_length=16, choices=StaffKind.choices)
    condition = models.CharField(_("condición"), max_length=12, choices=Condition.choices)
    state = models.CharField(max_length=14, choices=State.choices, default=State.UNCONFIRMED)
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    follow_token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200)
    file_original_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="access_request"
    )
    servant = models.ForeignKey(
        Servant, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reject_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def full_name(self) -> str:
        surnames = " ".join(p for p in (self.paternal_surname, self.maternal_surname) if p)
        return f"{surnames}, {self.given_names}"


class Challenge(models.Model):
    """One question of the public forms' challenge, kept on the server.

    The client holds a random key only; the answer is stored as an HMAC over the
    key, so neither the token nor this row reads as the answer. Checking deletes
    the row: a token answers once (right or wrong).
    """

    key_hash = models.CharField(max_length=64, unique=True)
    answer_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)


class AccountRecovery(BaseModel):
    """Someone lost the e-mail on file: the UGEL's desk checks their identity in
    person (one officer) and a second officer approves; then the set-password link
    goes to the new address and the old one is told."""

    class State(models.TextChoices):
        PENDING = "por_aprobar", _("Por aprobar")
        APPROVED = "aprobada", _("Aprobada")
        REJECTED = "rechazada", _("Rechazada")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    new_email = models.EmailField(_("correo nuevo"))
    identity_check = models.CharField(_("verificación de identidad"), max_length=500)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "state"], name="recovery_unit_state")]
