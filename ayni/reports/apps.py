from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ayni.reports"
    label = "reports"
    verbose_name = "Reportes"

    def ready(self) -> None:
        from ayni.reports import actions  # noqa: F401  (registers the audit actions)
