"""Audit actions of the desk app (see ayni.core.audit_actions)."""

from ayni.core.audit_actions import action, register

register(
    action("desk.case_received", "recibió un trámite"),
    action("desk.case_viewed", "consultó un expediente", read=True),
    action("desk.file_downloaded", "descargó un archivo de un expediente", read=True),
    action("desk.case.recibido", "recibió de nuevo un trámite subsanado"),
    action("desk.case.derivado", "derivó un trámite"),
    action("desk.case.atendido", "atendió un trámite"),
    action("desk.case.observado", "observó un trámite"),
    action("desk.case.archivado", "archivó un trámite"),
    action("desk.case.no_presentado", "dio por no presentado un trámite"),
    action("desk.access_accepted", "aceptó una solicitud de acceso", legacy=True),
    action("desk.access_rejected", "rechazó una solicitud de acceso", legacy=True),
    action("desk.access.recibido", "confirmó una solicitud de acceso"),
    action("desk.access.aceptado", "aceptó una solicitud de acceso"),
    action("desk.access.rechazado", "rechazó una solicitud de acceso"),
    action(
        "desk.account_looked_up",
        "buscó una cuenta por número de documento para recuperar el acceso",
        read=True,
        security=True,
    ),
    action(
        "desk.recovery_recorded",
        "registró una verificación de identidad para recuperar una cuenta",
        security=True,
    ),
    action("desk.recovery.aprobada", "aprobó la recuperación de una cuenta", security=True),
    action("desk.recovery.rechazada", "rechazó la recuperación de una cuenta", security=True),
)
