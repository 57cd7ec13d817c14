"""Precomputed figures of the dashboards: one row per org unit that holds data.

The task worker recomputes every row at once (ayni.supervision.aggregates); a dashboard
then reads the rows of its subtree in one query, whatever the sector's size.
"""

from __future__ import annotations

from django.db import models


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
