"""Personal access tokens: a user's credential for an integration (issue 15).

The secret is shown once; only its SHA-256 is stored. A token names a subset of
its owner's scopes (ayni.api.scopes) and units, expires, and can be revoked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ayni.core.models import BaseModel


class AccessToken(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nombre"), max_length=60)
    prefix = models.CharField(max_length=12)  # the first characters, to recognise it
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    unit_paths = models.JSONField(default=list)
    expires_at = models.DateTimeField(_("vence"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token de acceso")
        verbose_name_plural = _("tokens de acceso")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
