from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "ayni.desk"
    label = "desk"
    verbose_name = "Mesa de partes virtual"
