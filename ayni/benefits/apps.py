from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "ayni.benefits"
    label = "benefits"
    verbose_name = "Beneficios"

    def ready(self) -> None:
        from ayni.benefits import actions  # noqa: F401  (registers the audit actions)
