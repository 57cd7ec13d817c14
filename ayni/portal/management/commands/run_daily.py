from typing import Any

from django.core.management.base import BaseCommand

from ayni.benefits.tasks import benefit_alerts_task
from ayni.core.signing.tasks import signing_expiry_task
from ayni.core.tasks import partitions_task, purge_form_tokens_task
from ayni.dataprotection.tasks import retention_task
from ayni.desk.tasks import expire_observed_cases_task
from ayni.personnel.tasks import expire_observed_requests_task

DAILY: list[Any] = [
    expire_observed_requests_task,
    expire_observed_cases_task,
    purge_form_tokens_task,
]
DAILY.append(signing_expiry_task)  # certificates about to expire (ayni.core.signing)
DAILY.append(benefit_alerts_task)  # 25/30 years, cessation a year away (ayni.benefits)
DAILY.append(retention_task)  # removes what is past its retention term (ayni.dataprotection)
DAILY.append(partitions_task)  # PostgreSQL partitions ahead (ayni.core.partitions)


class Command(BaseCommand):
    help = (
        "Encola las tareas diarias: cerrar las solicitudes de modificación y los trámites "
        "observados cuyo plazo venció, y olvidar los formularios ya usados. "
        "Prográmelo con cron una vez al día."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Ejecutar aquí mismo en lugar de encolar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for task in DAILY:
            if options["now"]:
                self.stdout.write(f"{task.name}: {task.call()}")
            else:
                self.stdout.write(f"{task.name}: encolada ({task.enqueue().id})")
