"""Audit actions of the personnel app (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("personnel.servant_viewed", N_("consultó el legajo"), read=True),
    action("personnel.servant_list_viewed", N_("consultó una lista de servidores"), read=True),
    action("personnel.servant_searched", N_("buscó por número de documento"), read=True),
    action("personnel.entry_create", N_("registró un dato en el legajo")),
    action("personnel.entry_update", N_("corrigió un dato del legajo")),
    action("personnel.entry_delete", N_("eliminó un dato del legajo")),
    action("personnel.change_request_submitted", N_("presentó una solicitud de modificación")),
    action("personnel.change_request.en_solicitud", N_("subsanó una solicitud de modificación")),
    action("personnel.change_request.observado", N_("observó una solicitud de modificación")),
    action("personnel.change_request.atendido", N_("aprobó una solicitud de modificación")),
    action("personnel.change_request.rechazado", N_("rechazó una solicitud de modificación")),
    action("personnel.change_request.anulado", N_("anuló una solicitud de modificación")),
)
