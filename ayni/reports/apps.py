from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ayni.reports"
    label = "reports"
    verbose_name = "Reportes"
