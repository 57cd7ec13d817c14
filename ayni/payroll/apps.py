from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "ayni.payroll"
    label = "payroll"
    verbose_name = "Planillas y boletas"
