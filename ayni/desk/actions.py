"""Audit actions of the desk app (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("desk.case_received", N_("recibió un trámite")),
    action("desk.case_viewed", N_("consultó un expediente"), read=True),
    action("desk.file_downloaded", N_("descargó un archivo de un expediente"), read=True),
    action("desk.case.recibido", N_("recibió de nuevo un trámite subsanado")),
    action("desk.case.derivado", N_("derivó un trámite")),
    action("desk.case.atendido", N_("atendió un trámite")),
    action("desk.case.observado", N_("observó un trámite")),
    action("desk.case.archivado", N_("archivó un trámite")),
    action("desk.case.no_presentado", N_("dio por no presentado un trámite")),
    action("desk.access_accepted", N_("aceptó una solicitud de acceso"), legacy=True),
    action("desk.access_rejected", N_("rechazó una solicitud de acceso"), legacy=True),
    action("desk.access.recibido", N_("confirmó una solicitud de acceso")),
    action("desk.access.aceptado", N_("aceptó una solicitud de acceso")),
    action("desk.access.rechazado", N_("rechazó una solicitud de acceso")),
    action(
        "desk.account_looked_up",
        N_("buscó una cuenta por número de documento para recuperar el acceso"),
        read=True,
        security=True,
    ),
    action(
        "desk.recovery_recorded",
        N_("registró una verificación de identidad para recuperar una cuenta"),
        security=True,
    ),
    action("desk.recovery.aprobada", N_("aprobó la recuperación de una cuenta"), security=True),
    action("desk.recovery.rechazada", N_("rechazó la recuperación de una cuenta"), security=True),
)
