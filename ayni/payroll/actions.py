"""Audit actions of the payroll app (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    action("payroll.run_created", N_("cargó los archivos de una planilla")),
    action("payroll.imported", N_("importó una planilla"), legacy=True),
    action("payroll.published", N_("publicó una planilla"), legacy=True),
    action("payroll.run_viewed", N_("consultó una planilla con sus boletas"), read=True),
    action("payroll.payslip_viewed", N_("consultó una boleta de pago"), read=True),
    action("payroll.run.queued", N_("puso en cola la importación de una planilla")),
    action("payroll.run.importing", N_("empezó a importar una planilla")),
    action("payroll.run.draft", N_("dejó una planilla en borrador")),
    action("payroll.run.failed", N_("marcó una planilla con errores")),
    action(
        "payroll.run.superseded", N_("reemplazó una planilla en borrador por una carga más nueva")
    ),
    action("payroll.run.published", N_("publicó una planilla")),
    action("payroll.run.annulled", N_("anuló una planilla publicada")),
)
