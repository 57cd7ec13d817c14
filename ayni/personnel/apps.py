from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "ayni.personnel"
    label = "personnel"
    verbose_name = "Personal"

    def ready(self) -> None:
        from ayni.personnel import actions  # noqa: F401  (registers the audit actions)
