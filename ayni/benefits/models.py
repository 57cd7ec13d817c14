"""Benefit rules per labour regime (data: a new law is a new row), the constancia de
pagos, benefit requests filed as desk cases, and the alerts already sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel
from ayni.desk.models import Case
from ayni.personnel.models import Servant


class Benefit(models.TextChoices):
    ATS25 = "ats25", _("Asignación por tiempo de servicios (25 años)")
    ATS30 = "ats30", _("Asignación por tiempo de servicios (30 años)")
    CTS = "cts", _("Compensación por tiempo de servicios (CTS)")
    CESE_EDAD = "cese_edad", _("Cese por límite de edad")
    LUTO = "luto", _("Subsidio por luto y sepelio")


class BenefitRule(models.Model):
    """One benefit of one labour regime, in force from `valid_from` to `valid_to`.

    `params` holds the figures of the rule, by benefit:
    - ats25/ats30: {"years": 25, "multiplier": "2", "base": "rim" | "remuneracion_total",
      "counts_contract": true}
    - cts: {"percent": "100", "base": ..., "max_years": null, "fraction_months": 6}
    - cese_edad: {"age": 65, "on": "dec31" | "birthday"}
    - luto: {"amount": "3000.00"}
    """

    regime_code = models.CharField(_("régimen laboral (código)"), max_length=8)
    benefit = models.CharField(_("beneficio"), max_length=10, choices=Benefit.choices)
    valid_from = models.DateField(_("vigente desde"))
    valid_to = models.DateField(_("vigente hasta"), null=True, blank=True)
    params = models.JSONField(_("parámetros"), default=dict)
    source = models.CharField(_("norma"), max_length=300)

    class Meta:
        ordering = ["regime_code", "benefit", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime_code", "benefit", "valid_from"], name="uniq_benefit_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.regime_code} {self.benefit} {self.valid_from}"


class PaymentCertificate(BaseModel):
    """A constancia de pagos: months of published payslips, as one verifiable PDF and an
    XLSX. Built by a task (progress in `done` of `total` months)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Generando")
        DONE = "done", _("Lista")
        FAILED = "failed", _("Con errores")

    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_month = models.DateField(_("desde (mes)"))
    last_month = models.DateField(_("hasta (mes)"))
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    snapshot = models.JSONField(default=dict, blank=True)
    verification_code = models.CharField(max_length=32, unique=True)
    pdf_file = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx_file = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["servant", "-created_at"], name="constancia_servant")]

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, int(self.done * 100 / self.total))


class BenefitRequest(BaseModel):
    """A benefit asked for online: a desk case routed to the UGEL's area, with the
    preliminary computation the officer confirms or corrects."""

    class State(models.TextChoices):
        SUBMITTED = "presentado", _("Cálculo por revisar")
        CONFIRMED = "confirmado", _("Cálculo confirmado")
        CORRECTED = "corregido", _("Cálculo corregido")

    class Relationship(models.TextChoices):
        SPOUSE = "conyuge", _("Cónyuge o conviviente reconocido judicialmente")
        PARENT = "padre_madre", _("Padre o madre")
        CHILD = "hijo", _("Hijo o hija")
        SIBLING = "hermano", _("Hermano o hermana (solo si falleció el servidor)")

    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="+")
    benefit = models.CharField(_("beneficio"), max_length=10, choices=Benefit.choices)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="benefit_request")
    rule = models.ForeignKey(BenefitRule, null=True, on_delete=models.PROTECT, related_name="+")
    computation = models.JSONField(default=dict)
    amount = models.DecimalField(_("monto preliminar"), max_digits=12, decimal_places=2)
    final_amount = models.DecimalField(
        _("monto confirmado"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    relationship = models.CharField(
        _("parentesco del fallecido"), max_length=12, choices=Relationship.choices, blank=True
    )
    deceased_name = models.CharField(_("nombre del fallecido"), max_length=160, blank=True)
    officer_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class BenefitAlert(models.Model):
    """An alert sent once: the unique key makes the daily task idempotent, even with two
    workers at once (the second insert fails and sends nothing)."""

    servant = models.ForeignKey(Servant, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["servant", "key"], name="uniq_benefit_alert")
        ]


class SurvivorClaim(BaseModel):
    """The subsidio por luto y sepelio claimed by a survivor without an account, when the
    servant died: the public desk path (e-mail confirmed first, like an access request)."""

    class State(models.TextChoices):
        UNCONFIRMED = "sin_confirmar", _("Sin confirmar")
        RECEIVED = "recibido", _("Recibido")

    doc_type = models.CharField(_("tipo de documento"), max_length=2)
    doc_number = models.CharField(_("número de documento"), max_length=15)
    full_name = models.CharField(_("apellidos y nombres"), max_length=200)
    email = models.EmailField(_("correo electrónico"))
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    relationship = models.CharField(
        _("parentesco con el servidor fallecido"),
        max_length=12,
        choices=BenefitRequest.Relationship.choices,
    )
    deceased_doc_number = models.CharField(_("DNI del servidor fallecido"), max_length=15)
    deceased_name = models.CharField(_("nombre del servidor fallecido"), max_length=160)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    files = models.JSONField(default=list)  # [{stored, original, sha256}]
    state = models.CharField(max_length=14, choices=State.choices, default=State.UNCONFIRMED)
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    follow_token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="survivor_claim"
    )
    request = models.OneToOneField(
        BenefitRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="claim"
    )

    class Meta:
        ordering = ["-created_at"]
