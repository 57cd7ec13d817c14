from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ayni.api.demo import seed_api_demo
from ayni.benefits.demo import seed_benefits_demo
from ayni.core.partitions import maintain
from ayni.dataprotection.demo import seed_dataprotection_demo
from ayni.desk.demo import seed_desk_demo
from ayni.identity.demo import seed_identity_demo
from ayni.payroll.demo import seed_payroll_demo
from ayni.payroll.synthetic import generate_payslips
from ayni.payroll.writer import analyze
from ayni.personnel.demo import generate_servants, seed_demo
from ayni.reports.demo import seed_reports_demo
from ayni.sharing.demo import seed_sharing_demo
from ayni.supervision.demo import seed_supervision_demo


class Command(BaseCommand):
    help = (
        "Crea las cuentas de demostración (idempotente) y, con --servants N, "
        "N servidores sintéticos repartidos en todas las UGEL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--servants", type=int, default=0, help="Servidores sintéticos a generar."
        )
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Crear también una cuenta para cada servidor sintético.",
        )
        parser.add_argument(
            "--no-demo", action="store_true", help="No crear las cuentas de demostración."
        )
        parser.add_argument(
            "--payslip-months",
            type=int,
            default=0,
            help="Meses de boletas publicadas para todos los servidores (benchmarks).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # PostgreSQL: the past months' partitions, so the rows go straight to theirs
        maintain(back=max(36, options["payslip_months"] + 1))
        if not options["no_demo"]:
            created = seed_demo()
            self.stdout.write(
                f"Demostración: {created['users']} cuentas y "
                f"{created['servants']} servidores nuevos."
            )
            runs = seed_payroll_demo()
            seed_reports_demo()
            seed_desk_demo()
            seed_benefits_demo()
            seed_dataprotection_demo()
            seed_supervision_demo()
            seed_identity_demo()  # staff enrolled with the published demo secret
            seed_sharing_demo()
            seed_api_demo()  # API tokens of 20000002 and 20000001 (issue 15)
            self.stdout.write(f"Planillas de demostración publicadas: {runs}.")
        count = options["servants"]
        if count > 0:

            def progress(done: int, total: int) -> None:
                self.stdout.write(f"\r  {done:,}/{total:,} servidores", ending="")
                self.stdout.flush()

            result = generate_servants(
                count, with_accounts=options["with_accounts"], progress=progress
            )
            self.stdout.write("")
            self.stdout.write(
                f"Sintéticos: {result.servants:,} servidores, "
                f"{result.accounts:,} cuentas, {result.schools} colegios."
            )
        months = options["payslip_months"]
        if months > 0:
            total = generate_payslips(
                months,
                progress=lambda done, _: self.stdout.write(f"\r  {done:,} boletas", ending=""),
            )
            self.stdout.write("")
            self.stdout.write(f"Boletas sintéticas: {total:,} en {months} meses.")
        if count > 0 or months > 0:
            analyze()  # PostgreSQL: the planner's statistics of the bulk-loaded tables
