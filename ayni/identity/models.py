"""A per-user record of sessions («Mis sesiones»), whatever the session store.

The session key itself is a credential: the record keeps its SHA-256 (to find the
record from a request) and the key sealed with a key derived from SECRET_KEY (to delete
the session from the store when the owner closes it elsewhere). The device cookie is
kept only as a hash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    key_sealed = models.TextField()
    device_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("inicio"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("última actividad"), auto_now_add=True)
    user_agent = models.CharField(_("navegador"), max_length=120, blank=True)
    ip_prefix = models.CharField(_("red"), max_length=64, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
