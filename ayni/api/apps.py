from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "ayni.api"
    label = "api"
    verbose_name = _("API y tokens de acceso")

    def ready(self) -> None:
        from ayni.api import actions  # noqa: F401  (registers the audit actions)
