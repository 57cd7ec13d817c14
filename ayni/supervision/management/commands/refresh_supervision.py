from typing import Any

from django.core.management.base import BaseCommand

from ayni.supervision.tasks import refresh_figures_task


class Command(BaseCommand):
    help = (
        "Recalcula las cifras de los tableros de supervisión (o las encola). "
        "Prográmelo con cron cada pocos minutos."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Ejecutar aquí mismo en lugar de encolar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"{refresh_figures_task.name}: {refresh_figures_task.call()}")
        else:
            self.stdout.write(
                f"{refresh_figures_task.name}: encolada ({refresh_figures_task.enqueue().id})"
            )
