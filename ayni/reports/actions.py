"""Audit actions of the reports app (see ayni.core.audit_actions)."""

from ayni.core.audit_actions import action, register

register(
    action("reports.resume_requested", "pidió una hoja de vida"),
    action("reports.resume_generated", "generó una hoja de vida"),
    action("reports.resume_self_issued", "obtuvo su hoja de vida del legajo validado"),
    action("reports.resume_downloaded", "descargó una hoja de vida", read=True),
    action("reports.informe_requested", "pidió un informe escalafonario"),
    action("reports.informe_downloaded", "descargó un informe escalafonario", read=True),
    # The gates (ayni.reports.services): <prefix>.<state reached>.
    action("reports.informe_request.emitido", "emitió un informe escalafonario"),
    action("reports.informe.anulado", "anuló un informe escalafonario"),
    action("reports.batch.running", "empezó a generar hojas de vida en lote"),
    action("reports.batch.done", "terminó de generar hojas de vida en lote"),
    action("reports.batch.failed", "falló la generación de hojas de vida en lote"),
)
