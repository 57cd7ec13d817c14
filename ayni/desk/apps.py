from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "ayni.desk"
    label = "desk"
    verbose_name = "Mesa de partes virtual"

    def ready(self) -> None:
        from ayni.desk import actions  # noqa: F401  (registers the audit actions)
