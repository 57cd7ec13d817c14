"""Audit actions of the share links (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("sharing.link_created", N_("creó un enlace para compartir un documento")),
    action("sharing.link_opened", N_("abrió sin cuenta un documento con un enlace compartido")),
    action("sharing.link.anulado", N_("anuló un enlace compartido")),
)
