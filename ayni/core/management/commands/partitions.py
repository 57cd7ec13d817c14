from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ayni.core import partitions


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise CommandError(f"Mes no válido «{text}»: use AAAA-MM, por ejemplo 2024-01.") from exc


class Command(BaseCommand):
    help = (
        "PostgreSQL: crea las particiones de boletas (por año) y de auditoría (por mes) de los "
        "próximos meses y de todo periodo presente en los datos, y mueve a su partición las "
        "filas que cayeron en la partición DEFAULT. Con --detach-audit-before o "
        "--detach-payslips-before separa (DETACH) las particiones antiguas: sus filas salen de "
        "la tabla viva y la tabla queda en la base para pg_dump -t y DROP TABLE. "
        "La tarea diaria (run_daily) hace la primera parte. En SQLite no hace nada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ahead",
            type=int,
            default=partitions.DEFAULT_AHEAD_MONTHS,
            help="Meses por delante que deben tener partición (3 por omisión).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Listar sin cambiar nada.")
        parser.add_argument(
            "--detach-audit-before",
            metavar="AAAA-MM",
            help="Separar las particiones de auditoría de los meses anteriores a este.",
        )
        parser.add_argument(
            "--detach-payslips-before",
            metavar="AAAA",
            type=int,
            help="Separar las particiones de boletas de los años anteriores a este.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("La base de datos no es PostgreSQL: tablas sin particiones.")
            return
        dry = options["dry_run"]
        if options["ahead"] < 0:
            raise CommandError("--ahead no puede ser negativo.")
        report = partitions.maintain(ahead=options["ahead"], dry_run=dry)
        verb = "se crearía" if dry else "creada"
        for name in report.created:
            self.stdout.write(f"Partición {name}: {verb}")
        if not report.created:
            self.stdout.write("Particiones al día.")
        for table, count in report.left_in_default.items():
            self.stdout.write(f"{table}_default: {count} filas esperan su partición")
        detaching: list[tuple[str, date]] = []
        if options["detach_audit_before"]:
            detaching.append((partitions.AUDIT_TABLE, _month(options["detach_audit_before"])))
        if options["detach_payslips_before"]:
            detaching.append(
                (partitions.PAYSLIP_TABLE, date(options["detach_payslips_before"], 1, 1))
            )
        for table, before in detaching:
            detached = partitions.detach(table, before, dry_run=dry).detached
            verb = "se separaría" if dry else "separada"
            for name in detached:
                self.stdout.write(
                    f"Partición {name}: {verb} de {table} "
                    f"(respaldo: pg_dump -t {name}; luego DROP TABLE {name})"
                )
            if not detached:
                self.stdout.write(f"{table}: ninguna partición anterior a {before:%Y-%m}.")
