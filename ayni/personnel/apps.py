from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "ayni.personnel"
    label = "personnel"
    verbose_name = "Personal"
