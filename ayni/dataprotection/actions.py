"""Audit actions of the data-protection app (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("dataprotection.export_requested", N_("pidió la descarga de sus datos personales")),
    action("dataprotection.export_downloaded", N_("descargó sus datos personales")),
    # The export's gate (ayni.dataprotection.services): <prefix>.<state reached>.
    action("dataprotection.export.preparando", N_("empezó a preparar una descarga de datos")),
    action("dataprotection.export.listo", N_("terminó de preparar una descarga de datos")),
    action("dataprotection.export.fallido", N_("falló al preparar una descarga de datos")),
    action("dataprotection.arco_filed", N_("presentó una solicitud de derechos ARCO")),
    action(
        "dataprotection.arco_viewed",
        N_("consultó una solicitud de derechos ARCO"),
        read=True,
    ),
    action("dataprotection.arco.atendida", N_("atendió una solicitud de derechos ARCO")),
    action("dataprotection.arco.denegada", N_("denegó una solicitud de derechos ARCO")),
    action("dataprotection.incident_registered", N_("registró un incidente de seguridad")),
    action(
        "dataprotection.incident_authority_notified",
        N_("registró la comunicación de un incidente a la Autoridad Nacional"),
    ),
    action(
        "dataprotection.incident_people_notified",
        N_("registró el aviso de un incidente a las personas afectadas"),
    ),
    action("dataprotection.incident_updated", N_("actualizó las medidas de un incidente")),
    action("dataprotection.inventory_exported", N_("exportó el inventario de tratamientos")),
    action(
        "dataprotection.privacy_published", N_("publicó una nueva versión del aviso de privacidad")
    ),
    action(
        "dataprotection.audit_archived",
        N_("archivó eventos de auditoría antiguos (exportados a un archivo)"),
    ),
    action(
        "dataprotection.retention_applied",
        N_("eliminó datos vencidos según su plazo de conservación"),
    ),
)
