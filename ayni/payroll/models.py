"""Payroll runs per UGEL and month, and payslips: immutable snapshots once published."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel
from ayni.org.models import OrgUnit, PayrollConcept
from ayni.personnel.models import Servant

MONTHS = [
    _("ENERO"),
    _("FEBRERO"),
    _("MARZO"),
    _("ABRIL"),
    _("MAYO"),
    _("JUNIO"),
    _("JULIO"),
    _("AGOSTO"),
    _("SETIEMBRE"),
    _("OCTUBRE"),
    _("NOVIEMBRE"),
    _("DICIEMBRE"),
]


class PayrollRun(BaseModel):
    class Kind(models.TextChoices):
        ACTIVOS = "activos", _("Activos")
        CONTRATADOS = "contratados", _("Contratados")
        CAS = "cas", _("CAS")
        CESANTES = "cesantes", _("Cesantes y pensionistas")

    class State(models.TextChoices):
        QUEUED = "queued", _("En cola")
        IMPORTING = "importing", _("Importando")
        FAILED = "failed", _("Con errores")
        DRAFT = "draft", _("Borrador")
        PUBLISHED = "published", _("Publicada")
        SUPERSEDED = "superseded", _("Reemplazada")
        ANNULLED = "annulled", _("Anulada")

    ugel = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="payroll_runs")
    year = models.PositiveSmallIntegerField(_("año"))
    month = models.PositiveSmallIntegerField(_("mes"))
    kind = models.CharField(_("tipo de planilla"), max_length=12, choices=Kind.choices)
    sequence = models.PositiveSmallIntegerField(
        _("número"), default=1, help_text=_("1: planilla regular; 2 en adelante: adicional.")
    )
    payment_date = models.DateField(_("fecha de pago"))
    state = models.CharField(
        _("estado"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    ruc = models.CharField(_("RUC del empleador"), max_length=11, blank=True)
    rem_name = models.CharField(max_length=120, blank=True)
    rem_sha256 = models.CharField(max_length=64, blank=True)
    rem_file = models.CharField(max_length=200, blank=True)
    master_file = models.CharField(max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)
    payslip_count = models.PositiveIntegerField(default=0)
    created_servants = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    total_gross = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    total_net = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    annulled_at = models.DateTimeField(null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    annulled_reason = models.CharField(_("motivo de la anulación"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "-month", "kind", "-sequence", "-created_at"]
        constraints = [
            # every upload is its own run; the uploads a newer one replaced keep their
            # number, and only one live run holds each number of a period
            models.UniqueConstraint(
                fields=["ugel", "year", "month", "kind", "sequence"],
                condition=~models.Q(state="superseded"),
                name="uniq_payroll_run_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_label} {self.get_kind_display()} ({self.ugel.code})"

    @property
    def period_label(self) -> str:
        return gettext("%(month)s - %(year)s") % {
            "month": MONTHS[self.month - 1],
            "year": self.year,
        }

    @property
    def is_additional(self) -> bool:
        return self.sequence > 1

    @property
    def reupload_query(self) -> str:
        """The upload form's fields for another try at this run's period (no file)."""
        return urlencode(
            {
                "ugel": self.ugel_id,
                "year": self.year,
                "month": self.month,
                "kind": self.kind,
                "payment_date": self.payment_date.isoformat(),
                **({"additional": "on"} if self.is_additional else {}),
            }
        )


class PayslipQuerySet(models.QuerySet["Payslip"]):
    def of_run(self, run: PayrollRun) -> PayslipQuerySet:
        """The run's payslips, naming its period so PostgreSQL reads one partition."""
        return self.filter(run=run, year=run.year, month=run.month)


class Payslip(models.Model):
    """One servant's payslip in one run. Header and lines are a snapshot (JSON).

    On PostgreSQL the table is partitioned by period (ayni.core.partitions): the period
    (year, month) is part of the primary key and of each unique constraint. `uuid` is
    unique by its randomness (uuid4) and unique per period by constraint."""

    uuid = models.UUIDField()
    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="payslips")
    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="payslips")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    payment_date = models.DateField()
    published = models.BooleanField(default=False)
    header = models.JSONField()
    lines = models.JSONField()
    gross = models.DecimalField(max_digits=12, decimal_places=2)
    deductions = models.DecimalField(max_digits=12, decimal_places=2)
    net = models.DecimalField(max_digits=12, decimal_places=2)
    taxable_base = models.DecimalField(max_digits=12, decimal_places=2)
    employer_contributions = models.DecimalField(max_digits=12, decimal_places=2)
    verification_code = models.CharField(max_length=32, blank=True)
    pdf_file = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    objects = PayslipQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "-id"]
        constraints = [
            # a run has one period, so this is (run, servant) unique
            models.UniqueConstraint(
                fields=["run", "servant", "year", "month"], name="uniq_payslip_run_servant"
            ),
            models.UniqueConstraint(fields=["uuid", "year", "month"], name="uniq_payslip_uuid"),
        ]
        indexes = [
            models.Index(
                fields=["servant", "published", "-payment_date"], name="payslip_servant_visible"
            ),
            # the run page's first payslips by the master's names: read from the index,
            # not a sort of the whole run (`selectors.run_sample`)
            models.Index(
                F("run"),
                KeyTransform("apellidos", "header"),
                KeyTransform("nombres", "header"),
                F("id"),
                name="payslip_run_names",
            ),
            # the run's payslips whose PDF is still to render: few once the run is
            # published and rendered (`selectors.stored_pdf_count`)
            models.Index(fields=["run"], condition=Q(pdf_file=""), name="payslip_run_pdf_pending"),
        ]

    def __str__(self) -> str:
        return f"Boleta {self.month:02d}/{self.year}"

    @property
    def period_label(self) -> str:
        return gettext("%(month)s - %(year)s") % {
            "month": MONTHS[self.month - 1],
            "year": self.year,
        }

    @property
    def filename(self) -> str:
        return f"boleta-{self.year}-{self.month:02d}.pdf"


class ContributionRate(models.Model):
    """Rates of the amounts a .rem never carries (ONP 0607, EsSalud 0804), per period."""

    concept = models.ForeignKey(PayrollConcept, on_delete=models.PROTECT)
    rate = models.DecimalField(max_digits=6, decimal_places=4)
    valid_from = models.DateField()

    class Meta:
        ordering = ["concept", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "valid_from"], name="uniq_rate_period")
        ]

    def __str__(self) -> str:
        return f"{self.concept.code} {self.rate} desde {self.valid_from}"
