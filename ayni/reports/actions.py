"""Audit actions of the reports app (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("reports.resume_requested", N_("pidió una hoja de vida")),
    action("reports.resume_generated", N_("generó una hoja de vida")),
    action("reports.resume_self_issued", N_("obtuvo su hoja de vida del legajo validado")),
    action("reports.resume_downloaded", N_("descargó una hoja de vida"), read=True),
    action("reports.informe_requested", N_("pidió un informe escalafonario")),
    action("reports.informe_downloaded", N_("descargó un informe escalafonario"), read=True),
    # The gates (ayni.reports.services): <prefix>.<state reached>.
    action("reports.informe_request.emitido", N_("emitió un informe escalafonario")),
    action("reports.informe.anulado", N_("anuló un informe escalafonario")),
    action("reports.batch.running", N_("empezó a generar hojas de vida en lote")),
    action("reports.batch.done", N_("terminó de generar hojas de vida en lote")),
    action("reports.batch.failed", N_("falló la generación de hojas de vida en lote")),
)
