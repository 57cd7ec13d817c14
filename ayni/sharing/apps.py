from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "ayni.sharing"
    label = "sharing"
    verbose_name = _("Enlaces compartidos")

    def ready(self) -> None:
        from ayni.sharing import actions  # noqa: F401  (registers the audit actions)
