"""Share links: one document of a servant, opened without an account by whoever holds
the link (a bank, a clinic), for a few days and a few openings, revocable.

Only the SHA-256 of the link's token is stored; the token itself is shown once, at
creation. `state` is what the servant decided (active, revoked) and changes only through
`ayni.sharing.states.LINK_GATE`; «expired», «used up» and «document no longer valid»
follow from the dates, the count and the document's verification record
(`ayni.sharing.selectors.link_status`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel
from ayni.personnel.models import Servant

MAX_DAYS = 30
MAX_OPENINGS = 50
MAX_LIVE_LINKS = 20  # links of one servant that can still be opened, at once


class DocumentKind(models.TextChoices):
    PAYSLIP = "boleta", _("Boleta de pago")
    INFORME = "informe", _("Informe escalafonario")
    RESUME = "hoja_de_vida", _("Hoja de vida")
    CONSTANCIA = "constancia", _("Constancia de pagos")


class ShareLink(BaseModel):
    class State(models.TextChoices):
        ACTIVE = "activo", _("Activo")
        REVOKED = "anulado", _("Anulado")

    servant = models.ForeignKey(Servant, on_delete=models.PROTECT, related_name="share_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    document_uuid = models.UUIDField()
    # the shared document's verification code: its status decides whether the link works
    verification_code = models.CharField(max_length=32)
    title = models.CharField(max_length=200)  # «Boleta de pago ENERO - 2026», for the lists
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    max_openings = models.PositiveSmallIntegerField()
    openings_count = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enlace compartido")
        verbose_name_plural = _("enlaces compartidos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["servant", "-created_at"], name="sharelink_servant")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(openings_count__lte=models.F("max_openings")),
                name="sharelink_openings_within_max",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ShareOpening(models.Model):
    """One opening of a link: when (and whether the PDF was fetched). Nothing about who
    opened it is kept here; the audit event has the address, for security reviews."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    number = models.PositiveSmallIntegerField()  # 1 for the first opening of the link
    opened_at = models.DateTimeField(auto_now_add=True)
    pdf_fetched_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the random value of the page that asked for this opening: the same page
    # sent twice (a double click, a reload) is this opening again, not another one
    visit = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("apertura de un enlace compartido")
        verbose_name_plural = _("aperturas de enlaces compartidos")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["link", "number"], name="uniq_share_opening_number"),
            models.UniqueConstraint(
                fields=["link", "visit"],
                condition=~models.Q(visit=""),
                name="uniq_share_opening_visit",
            ),
        ]


class LinkStatus(models.TextChoices):
    """What a link is now, for its owner's list: the stored state (active, revoked) read
    with its dates, its count and its document's verification record."""

    ACTIVE = "activo", _("Activo")
    EXPIRED = "vencido", _("Vencido")
    USED_UP = "agotado", _("Agotado")
    REVOKED = "anulado", _("Anulado")
    DOCUMENT_INVALID = "documento", _("Documento ya no vigente")
