from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "ayni.payroll"
    label = "payroll"
    verbose_name = _("Planillas y boletas")

    def ready(self) -> None:
        from ayni.payroll import actions  # noqa: F401  (registers the audit actions)
