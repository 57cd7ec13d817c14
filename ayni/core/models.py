"""Core models: audit, notifications, numbering, calendar, verification, work queue.

`core` knows no other app: rows name their subject by type and id, and org units
by their materialised path (see ayni.org).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ayni.core.fields import IdListField


class BaseModel(models.Model):
    """Every business row: a public UUID for URLs, and creation/update times."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing that happened: who, what, on whom, from where, before and after.

    On PostgreSQL the table is partitioned by month of `occurred_at` (Lima time) and its
    primary key is (id, occurred_at) (ayni.core.partitions); nothing may reference it
    with a database foreign key."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    unit_path = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    # A list page that showed many people: one event, their servant ids here (GIN on PG).
    subject_ids = IdListField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "-occurred_at"], name="audit_subject_idx"
            ),
            models.Index(fields=["unit_path", "-occurred_at"], name="audit_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"


class StateChange(models.Model):
    """The history of a stateful object without a history of its own (written by Gate)."""

    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.CharField(max_length=500, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="state_change_obj_idx")]


class FormSubmission(models.Model):
    """A one-time form token that was used, and where its first result lives."""

    token = models.CharField(max_length=64, unique=True)
    user_key = models.CharField(max_length=64)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class Notification(BaseModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_unread_idx")]


class NumberSequence(models.Model):
    """A gapless counter per scope (e.g. "desk:150108") and year, row-locked."""

    scope = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="uniq_seq_scope_year")
        ]


class Holiday(models.Model):
    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class OfficeHours(models.Model):
    """Office hours of one org unit (by path); units without a row use the default."""

    unit_path = models.CharField(max_length=255, unique=True)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        verbose_name_plural = "office hours"


class VerificationRecord(BaseModel):
    """Public facts about an issued document, looked up by its code."""

    class Status(models.TextChoices):
        VALID = "valid", _("Válido")
        EXPIRED = "expired", _("Vencido")
        ANNULLED = "annulled", _("Anulado")
        # Genuine for its date, but a newer document of the same kind and holder exists
        # (an earlier hoja de vida): `superseded_by` is the newer one's code, never shown.
        SUPERSEDED = "superseded", _("Reemplazado")

    code = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=64)
    issuer = models.CharField(max_length=200)
    summary = models.JSONField(default=dict)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALID)
    issued_at = models.DateTimeField()
    valid_until = models.DateField(null=True, blank=True)
    annulled_reason = models.CharField(max_length=300, blank=True)
    superseded_by = models.CharField(max_length=32, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)  # the newer one's issue


class WorkItem(BaseModel):
    """Something a staff team must do; listed to users holding `permission` on the unit."""

    class State(models.TextChoices):
        OPEN = "open", _("Pendiente")
        DONE = "done", _("Atendido")

    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300)
    unit_path = models.CharField(max_length=255)
    permission = models.CharField(max_length=64)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    source_type = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The person the item concerns (or who must not decide it): never listed to them.
    not_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "permission", "unit_path"], name="work_open_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"],
                condition=models.Q(state="open"),
                name="uniq_open_work_item",
            )
        ]


class Throttle(models.Model):
    """A failure counter shared by every process (login lockout, public rate limits).

    `key` is a hash: no document number or address is stored in clear.
    """

    key = models.CharField(max_length=64, unique=True)
    group = models.CharField(max_length=64, blank=True, db_index=True)
    count = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)
