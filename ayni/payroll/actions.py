"""Audit actions of the payroll app (see ayni.core.audit_actions)."""

from ayni.core.audit_actions import action, register

register(
    action("payroll.run_created", "cargó los archivos de una planilla"),
    action("payroll.imported", "importó una planilla", legacy=True),
    action("payroll.published", "publicó una planilla", legacy=True),
    action("payroll.run_viewed", "consultó una planilla con sus boletas", read=True),
    action("payroll.payslip_viewed", "consultó una boleta de pago", read=True),
    action("payroll.run.queued", "puso en cola la importación de una planilla"),
    action("payroll.run.importing", "empezó a importar una planilla"),
    action("payroll.run.draft", "dejó una planilla en borrador"),
    action("payroll.run.failed", "marcó una planilla con errores"),
    action("payroll.run.superseded", "reemplazó una planilla en borrador por una carga más nueva"),
    action("payroll.run.published", "publicó una planilla"),
    action("payroll.run.annulled", "anuló una planilla publicada"),
)
