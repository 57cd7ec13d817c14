"""Audit actions of the identity app: second factor, step-up and sessions."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("auth.2fa_enrolled", N_("activó su segundo factor de ingreso"), security=True),
    action("auth.2fa_verified", N_("confirmó su identidad con el segundo factor"), security=True),
    action("auth.2fa_failed", N_("escribió un código de segundo factor incorrecto"), security=True),
    action(
        "auth.2fa_recovery_used",
        N_("usó un código de recuperación del segundo factor"),
        security=True,
    ),
    action(
        "auth.2fa_recovery_renewed",
        N_("generó nuevos códigos de recuperación"),
        security=True,
    ),
    action(
        "auth.2fa_reset_by_admin",
        N_("restableció el segundo factor de una cuenta (administración)"),
        security=True,
    ),
    action("auth.step_up_refused", N_("intentó un acto sensible sin confirmar su identidad")),
    action("auth.session_closed", N_("cerró una de sus sesiones"), security=True),
    action("auth.sessions_closed_others", N_("cerró sus otras sesiones"), security=True),
    action("auth.new_device", N_("ingresó desde un dispositivo nuevo"), security=True),
    action("auth.passkey_added", N_("registró una llave de acceso (passkey)"), security=True),
    action("auth.login_gobpe", N_("ingresó a Ayni con ID GOB.PE"), security=True),
)
