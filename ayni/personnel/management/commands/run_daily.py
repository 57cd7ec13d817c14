from typing import Any

from django.core.management.base import BaseCommand

from ayni.personnel.tasks import expire_observed_requests_task


class Command(BaseCommand):
    help = (
        "Encola las tareas diarias (p. ej. cerrar solicitudes observadas con plazo vencido). "
        "Prográmelo con cron una vez al día; el worker las ejecuta."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Ejecutar aquí mismo en lugar de encolar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            closed = expire_observed_requests_task.call()
            self.stdout.write(f"Solicitudes vencidas cerradas: {closed}")
        else:
            result = expire_observed_requests_task.enqueue()
            self.stdout.write(f"Tarea encolada: {result.id}")
