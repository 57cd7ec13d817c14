from typing import Any

from django.core.management.base import BaseCommand

from ayni.org.loaders import load_catalogues, load_org_tree


class Command(BaseCommand):
    help = "Carga (o actualiza) el árbol MINEDU → DRE/GRE → UGEL, los catálogos y los feriados."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Árbol de unidades: {load_org_tree()}")
        self.stdout.write(f"Catálogos y feriados: {load_catalogues()}")
