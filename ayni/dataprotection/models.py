"""Personal data rights (Ley 29733, reglamento DS 016-2024-JUS): «Mis datos» downloads,
ARCO requests, security incidents, the processing inventory and the privacy notice's
versions."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel


class DataExport(BaseModel):
    """One «Mis datos» download: built by a background task, kept for a day."""

    class State(models.TextChoices):
        QUEUED = "en_cola", _("En cola")
        RUNNING = "preparando", _("Preparando")
        DONE = "listo", _("Listo")
        FAILED = "fallido", _("Con errores")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="dp_export_user")]

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return 0 if not self.total else min(99, int(self.done * 100 / self.total))

    @property
    def is_available(self) -> bool:
        return (
            self.state == self.State.DONE
            and bool(self.file_name)
            and self.expires_at is not None
            and timezone.now() < self.expires_at
        )

    @property
    def download_name(self) -> str:
        return f"mis-datos-{timezone.localtime(self.created_at):%Y%m%d-%H%M}.zip"


class Right(models.TextChoices):
    ACCESS = "acceso", _("Acceso")
    RECTIFICATION = "rectificacion", _("Rectificación")
    CANCELLATION = "cancelacion", _("Cancelación")
    OPPOSITION = "oposicion", _("Oposición")


class ArcoRequest(BaseModel):
    """A request to exercise an ARCO right, answered by the nearest data-protection officer."""

    class State(models.TextChoices):
        RECEIVED = "recibida", _("Recibida")
        ANSWERED = "atendida", _("Atendida")
        DENIED = "denegada", _("Denegada")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="arco_requests"
    )
    servant = models.ForeignKey(
        "personnel.Servant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    right = models.CharField(_("derecho"), max_length=14, choices=Right.choices)
    detail = models.CharField(_("qué pide"), max_length=1000)
    # The unit of the officer who answers: the nearest one up the tree.
    unit_path = models.CharField(max_length=255)
    received_at = models.DateTimeField()
    term_days = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    answer = models.CharField(_("respuesta"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["unit_path", "state", "due_date"], name="dp_arco_desk")]

    @property
    def is_open(self) -> bool:
        return self.state == self.State.RECEIVED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class SecurityIncident(BaseModel):
    """A security incident involving personal data, with the 48-hour notification clock."""

    unit_path = models.CharField(max_length=255)
    title = models.CharField(_("título"), max_length=200)
    description = models.CharField(_("qué pasó"), max_length=2000)
    detected_at = models.DateTimeField(_("detectado el"))
    data_categories = models.CharField(_("datos comprometidos"), max_length=500)
    people_affected = models.PositiveIntegerField(_("personas afectadas (aprox.)"), default=0)
    measures = models.CharField(_("medidas adoptadas"), max_length=2000, blank=True)
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    people_notified_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-detected_at", "-id"]

    @property
    def authority_deadline(self):  # type: ignore[no-untyped-def]
        return self.detected_at + timedelta(hours=settings.DATAPROTECTION_INCIDENT_NOTICE_HOURS)

    @property
    def authority_overdue(self) -> bool:
        return self.authority_notified_at is None and timezone.now() > self.authority_deadline

    @property
    def hours_left(self) -> float:
        return (self.authority_deadline - timezone.now()).total_seconds() / 3600


class ProcessingActivity(models.Model):
    """One processing activity of the inventory; also what «Uso de sus datos» shows."""

    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tratamiento"), max_length=200)
    data_categories = models.CharField(_("datos tratados"), max_length=500)
    purpose = models.CharField(_("finalidad"), max_length=500)
    legal_basis = models.CharField(_("base legal"), max_length=500)
    recipients = models.CharField(_("destinatarios"), max_length=500)
    retention = models.CharField(_("plazo de conservación"), max_length=300)
    bank_code = models.CharField(_("código de registro del banco de datos"), max_length=40)
    sensitive = models.BooleanField(_("incluye datos sensibles"), default=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class PrivacyNoticeVersion(models.Model):
    """A version of the privacy notice. Publishing a new one asks everyone to accept again."""

    version = models.CharField(max_length=20, unique=True)
    published_at = models.DateTimeField()
    changes = models.CharField(_("cambios"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.version


class AuditArchive(BaseModel):
    """Audit events older than their configured minimum, exported to a file in storage
    (JSON lines, gzip) and detached from the live table: never deleted silently."""

    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    count = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    cutoff = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
