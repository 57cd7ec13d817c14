from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "ayni.org"
    label = "org"
    verbose_name = "Organización"
