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
)
