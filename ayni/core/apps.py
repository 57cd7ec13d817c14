from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ayni.core"
    label = "core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        from ayni.core.signing import checks  # noqa: F401 - registers the key store's check
