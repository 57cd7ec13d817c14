from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "ayni.supervision"
    label = "supervision"
    verbose_name = "Supervisión"

    def ready(self) -> None:
        from ayni.supervision import actions  # noqa: F401  (registers the audit actions)
