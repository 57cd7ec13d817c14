"""Precomputed figures of the dashboards: one row per org unit that holds data.

The task worker recomputes every row at once (ayni.supervision.aggregates); a dashboard
then reads the rows of its subtree in one query, whatever the sector's size.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ayni.core.fields import IdListField
from ayni.core.models import BaseModel


class UnitFigures(models.Model):
    """The figures of the items attached to one unit itself (not its subtree): servants
    employed there, requests and informes handled there, its filings, its payroll runs."""

    unit_path = models.CharField(max_length=255, unique=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["unit_path"], name="unitfig_path_like", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.unit_path


class Refresh(models.Model):
    """One recomputation of every unit's figures: when, how long, how many rows."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    units = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-finished_at"]


class OpenDataFile(models.Model):
    """One month's anonymised per-UGEL aggregate (ayni.supervision.opendata), public."""

    period = models.CharField(max_length=7, unique=True)  # «2026-12»
    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class ListExport(BaseModel):
    """A large read-only list written to a file by the task worker, with its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Preparando")
        DONE = "done", _("Lista")
        FAILED = "failed", _("Con errores")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16)
    state_filter = models.CharField(max_length=16, blank=True)
    fmt = models.CharField(max_length=4)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The servants the file names, so its download is a read each of them sees.
    subject_ids = IdListField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, int(self.done * 100 / self.total))
