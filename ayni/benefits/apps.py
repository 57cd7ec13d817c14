from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "ayni.benefits"
    label = "benefits"
    verbose_name = "Beneficios"

    def ready(self) -> None:
        from ayni.benefits import actions  # noqa: F401  (registers the audit actions)
        from ayni.benefits.labels import constancia_labels
        from ayni.core.pdf.labels import LABELS

        LABELS["constancia_pagos"] = constancia_labels  # the PDF's fixed words (d.t)
