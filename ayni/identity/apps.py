from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "ayni.identity"
    label = "identity"
    verbose_name = "Identidad"

    def ready(self) -> None:
        from ayni.identity import actions  # noqa: F401  (registers the audit actions)
