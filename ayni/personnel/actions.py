"""Audit actions of the personnel app (see ayni.core.audit_actions)."""

from ayni.core.audit_actions import action, register

register(
    action("personnel.servant_viewed", "consultó el legajo", read=True),
    action("personnel.servant_list_viewed", "consultó una lista de servidores", read=True),
    action("personnel.servant_searched", "buscó por número de documento", read=True),
    action("personnel.entry_create", "registró un dato en el legajo"),
    action("personnel.entry_update", "corrigió un dato del legajo"),
    action("personnel.entry_delete", "eliminó un dato del legajo"),
    action("personnel.change_request_submitted", "presentó una solicitud de modificación"),
    action("personnel.change_request.en_solicitud", "subsanó una solicitud de modificación"),
    action("personnel.change_request.observado", "observó una solicitud de modificación"),
    action("personnel.change_request.atendido", "aprobó una solicitud de modificación"),
    action("personnel.change_request.rechazado", "rechazó una solicitud de modificación"),
    action("personnel.change_request.anulado", "anuló una solicitud de modificación"),
)
