"""Audit actions of the accounts app (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("auth.login", N_("ingresó a Ayni"), security=True),
    action("auth.login_failed", N_("falló un intento de ingreso"), security=True),
    action(
        "auth.login_refused_locked", N_("intentó ingresar con la cuenta bloqueada"), security=True
    ),
    action("auth.lockout", N_("bloqueó temporalmente el ingreso"), security=True),
    action("auth.logout", N_("salió de Ayni"), security=True),
    action("auth.password_changed", N_("cambió su contraseña"), security=True),
    action("auth.password_reset_requested", N_("pidió restablecer la contraseña"), security=True),
    action("auth.password_reset", N_("restableció la contraseña"), security=True),
    action("auth.privacy_accepted", N_("aceptó el aviso de privacidad")),
    action("auth.account_activated", N_("activó una cuenta de Ayni"), security=True),
    action(
        "auth.account_guarded",
        N_("superó el límite de intentos fallidos de una cuenta desde varias conexiones"),
        security=True,
    ),
    action("auth.login_link_sent", N_("recibió un enlace de ingreso en su correo"), security=True),
    action(
        "auth.login_link_unavailable",
        N_("dio la contraseña correcta de una cuenta protegida que no tiene correo"),
        security=True,
    ),
    action(
        "auth.email_change_requested", N_("pidió cambiar el correo de su cuenta"), security=True
    ),
    action("auth.email_changed", N_("cambió el correo de su cuenta"), security=True),
    action("auth.phone_changed", N_("cambió el teléfono de su cuenta"), security=True),
    action(
        "auth.email_changed_by_recovery",
        N_("aprobó la recuperación de una cuenta con un correo nuevo"),
        security=True,
    ),
    action(
        "auth.email_changed_by_admin",
        N_("cambió el correo de una cuenta (administración)"),
        security=True,
    ),
    action(
        "auth.account_changed_by_admin", N_("cambió una cuenta (administración)"), security=True
    ),
    action("auth.role_granted", N_("otorgó una función"), security=True),
    action("auth.role_changed", N_("cambió una función otorgada"), security=True),
    action("auth.role_revoked", N_("retiró una función"), security=True),
)
