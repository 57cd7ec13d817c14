from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ayni.core"
    label = "core"
    verbose_name = "Núcleo"
