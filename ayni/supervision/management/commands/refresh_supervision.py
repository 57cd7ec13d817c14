from typing import Any

from django.core.management.base import BaseCommand

from ayni.supervision.tasks import publish_open_data_task, refresh_figures_task


class Command(BaseCommand):
    help = (
        "Recalcula las cifras de los tableros de supervisión (o las encola). "
        "Prográmelo con cron cada pocos minutos; con --datos-abiertos, una vez al mes, "
        "escribe además el archivo de datos abiertos del mes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--datos-abiertos",
            action="store_true",
            dest="open_data",
            help="Escribir también el archivo de datos abiertos del mes.",
        )
        parser.add_argument(
            "--now", action="store_true", help="Ejecutar aquí mismo en lugar de encolar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        task = publish_open_data_task if options["open_data"] else refresh_figures_task
        if options["now"]:
            self.stdout.write(f"{task.name}: {task.call()}")
        else:
            self.stdout.write(f"{task.name}: encolada ({task.enqueue().id})")
