"""Audit actions of the benefits app (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("benefits.constancia_requested", N_("pidió una constancia de pagos")),
    action("benefits.constancia_downloaded", N_("descargó una constancia de pagos"), read=True),
    action("benefits.requirements_viewed", N_("consultó los requisitos de beneficios"), read=True),
    action("benefits.request_filed", N_("pidió un beneficio por la mesa de partes")),
    # The gates (ayni.benefits.services): <prefix>.<state reached>.
    action("benefits.constancia.running", N_("empezó a generar una constancia de pagos")),
    action("benefits.constancia.done", N_("terminó una constancia de pagos")),
    action("benefits.constancia.failed", N_("falló la generación de una constancia de pagos")),
    action("benefits.request.confirmado", N_("confirmó el cálculo de un beneficio")),
    action("benefits.request.corregido", N_("corrigió el cálculo de un beneficio")),
)
