"""Audit actions of the accounts app (see ayni.core.audit_actions)."""

from ayni.core.audit_actions import action, register

register(
    action("auth.login", "ingresó a Ayni", security=True),
    action("auth.login_failed", "falló un intento de ingreso", security=True),
    action("auth.login_refused_locked", "intentó ingresar con la cuenta bloqueada", security=True),
    action("auth.lockout", "bloqueó temporalmente el ingreso", security=True),
    action("auth.logout", "salió de Ayni", security=True),
    action("auth.password_changed", "cambió su contraseña", security=True),
    action("auth.password_reset_requested", "pidió restablecer la contraseña", security=True),
    action("auth.password_reset", "restableció la contraseña", security=True),
    action("auth.privacy_accepted", "aceptó el aviso de privacidad"),
    action("auth.account_activated", "activó una cuenta de Ayni", security=True),
    action(
        "auth.account_guarded",
        "superó el límite de intentos fallidos de una cuenta desde varias conexiones",
        security=True,
    ),
    action("auth.login_link_sent", "recibió un enlace de ingreso en su correo", security=True),
    action(
        "auth.login_link_unavailable",
        "dio la contraseña correcta de una cuenta protegida que no tiene correo",
        security=True,
    ),
    action("auth.email_change_requested", "pidió cambiar el correo de su cuenta", security=True),
    action("auth.email_changed", "cambió el correo de su cuenta", security=True),
    action("auth.phone_changed", "cambió el teléfono de su cuenta", security=True),
    action(
        "auth.email_changed_by_recovery",
        "aprobó la recuperación de una cuenta con un correo nuevo",
        security=True,
    ),
    action(
        "auth.email_changed_by_admin",
        "cambió el correo de una cuenta (administración)",
        security=True,
    ),
    action("auth.account_changed_by_admin", "cambió una cuenta (administración)", security=True),
    action("auth.role_granted", "otorgó una función", security=True),
    action("auth.role_changed", "cambió una función otorgada", security=True),
    action("auth.role_revoked", "retiró una función", security=True),
)
