from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "ayni.payroll"
    label = "payroll"
    verbose_name = "Planillas y boletas"

    def ready(self) -> None:
        from ayni.payroll import actions  # noqa: F401  (registers the audit actions)
