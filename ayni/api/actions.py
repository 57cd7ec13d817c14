"""Audit actions of the API and its personal access tokens (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("api.token_created", N_("creó un token de acceso a la API"), security=True),
    action("api.token_revoked", N_("revocó un token de acceso a la API"), security=True),
    action("api.token_used", N_("usó un token de acceso a la API")),
    action("api.token_refused", N_("intentó usar un token de acceso no válido"), security=True),
)
