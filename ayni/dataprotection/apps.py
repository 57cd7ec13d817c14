from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "ayni.dataprotection"
    label = "dataprotection"
    verbose_name = "Protección de datos personales"

    def ready(self) -> None:
        from ayni.dataprotection import actions  # noqa: F401  (registers the audit actions)
