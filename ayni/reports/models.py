"""Hoja de vida and informe escalafonario: immutable snapshots with their PDFs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel
from ayni.org.models import OrgUnit
from ayni.personnel.models import Servant


class Resume(BaseModel):
    """A hoja de vida generated from the validated file: by the servant (self-service, at
    once) or by the UGEL (one servant or a batch). `fingerprint` identifies the file as
    it stood, so that the servant gets the same one until the file changes."""

    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="resumes")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()
    verification_code = models.CharField(max_length=32, unique=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    pdf_file = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["servant", "-created_at"], name="resume_latest")]


class ResumeBatch(BaseModel):
    """Hojas de vida for every servant of a UGEL at once (a background task)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Generando")
        DONE = "done", _("Terminado")
        FAILED = "failed", _("Con errores")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)


class Purpose(models.TextChoices):
    ASCENSO = "ascenso", _("Ascenso de escala")
    ACCESO = "acceso", _("Acceso a cargos")
    CTS = "cts", _("Compensación por tiempo de servicios (CTS)")
    ATS = "ats", _("Asignación por tiempo de servicios (ATS)")
    LUTO = "luto", _("Subsidio por luto y sepelio")
    PENSION = "pension", _("Pensión")
    CONCURSO = "concurso", _("Concurso")
    OTRO = "otro", _("Otro")


class ServiceReportRequest(BaseModel):
    """A servant's request for an informe escalafonario."""

    class State(models.TextChoices):
        PENDING = "pendiente", _("Pendiente")
        ISSUED = "emitido", _("Emitido")

    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="report_requests")
    purpose = models.CharField(_("finalidad"), max_length=10, choices=Purpose.choices)
    purpose_detail = models.CharField(_("detalle"), max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    unit_path = models.CharField(max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]


class ServiceReport(BaseModel):
    """An issued informe escalafonario: numbered per UGEL and year, valid six months."""

    class State(models.TextChoices):
        ISSUED = "emitido", _("Emitido")
        ANNULLED = "anulado", _("Anulado")

    request = models.OneToOneField(
        ServiceReportRequest, on_delete=models.PROTECT, related_name="report"
    )
    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField()
    snapshot = models.JSONField()
    officer_post = models.CharField(max_length=200, blank=True)
    verification_code = models.CharField(max_length=32, unique=True)
    # Rendered from the snapshot after commit; empty until then.
    pdf_file = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ISSUED)
    annulled_reason = models.CharField(max_length=300, blank=True)
    annulled_at = models.DateTimeField(null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="uniq_report_number")
        ]

    @property
    def label(self) -> str:
        return f"INFORME ESCALAFONARIO N.° {self.number:05d}-{self.year}-{self.unit.code}"
