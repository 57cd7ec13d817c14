from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "ayni.desk"
    label = "desk"
    verbose_name = _("Mesa de partes virtual")

    def ready(self) -> None:
        from ayni.desk import actions  # noqa: F401  (registers the audit actions)
