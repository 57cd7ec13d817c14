from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataProtectionConfig(AppConfig):
    name = "ayni.dataprotection"
    label = "dataprotection"
    verbose_name = _("Protección de datos personales")

    def ready(self) -> None:
        from ayni.dataprotection import actions  # noqa: F401  (registers the audit actions)
