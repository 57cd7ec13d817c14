"""Change requests («Solicitar modificación») and their transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel
from ayni.personnel.models.servant import Servant


class ChangeRequest(BaseModel):
    class State(models.TextChoices):
        EN_SOLICITUD = "en_solicitud", _("En solicitud")
        OBSERVADO = "observado", _("Observado")
        ATENDIDO = "atendido", _("Atendido")
        RECHAZADO = "rechazado", _("Rechazado")
        ANULADO = "anulado", _("Anulado")

    class Operation(models.TextChoices):
        ADD = "add", _("Agregar")
        CORRECT = "correct", _("Corregir")
        REMOVE = "remove", _("Eliminar")

    OPEN_STATES = (State.EN_SOLICITUD, State.OBSERVADO)

    servant = models.ForeignKey(Servant, on_delete=models.CASCADE, related_name="change_requests")
    section = models.PositiveSmallIntegerField(_("sección"))
    kind = models.CharField(_("tipo de registro"), max_length=32)
    entry_uuid = models.UUIDField(null=True, blank=True)
    operation = models.CharField(_("operación"), max_length=8, choices=Operation.choices)
    proposed = models.JSONField(_("valores propuestos"), null=True, blank=True)
    current = models.JSONField(_("valores al solicitar"), null=True, blank=True)
    base_version = models.PositiveIntegerField(null=True, blank=True)
    comment = models.CharField(_("comentario"), max_length=500, blank=True)
    state = models.CharField(
        _("estado"), max_length=12, choices=State.choices, default=State.EN_SOLICITUD
    )
    observation = models.CharField(_("observación"), max_length=500, blank=True)
    observed_until = models.DateField(_("plazo para subsanar"), null=True, blank=True)
    resolution_note = models.CharField(_("respuesta"), max_length=500, blank=True)
    unit_path = models.CharField(max_length=255)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry_uuid"],
                condition=models.Q(
                    state__in=["en_solicitud", "observado"], entry_uuid__isnull=False
                ),
                name="uniq_open_request_per_entry",
            )
        ]
        indexes = [models.Index(fields=["state", "unit_path"], name="cr_state_unit")]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} ({self.get_state_display()})"

    @property
    def kind_label(self) -> str:
        from ayni.personnel.sections import KINDS  # the registry imports the models

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class ChangeRequestEvent(models.Model):
    request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, choices=ChangeRequest.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def get_to_state_display_label(self) -> str:
        return str(ChangeRequest.State(self.to_state).label)
