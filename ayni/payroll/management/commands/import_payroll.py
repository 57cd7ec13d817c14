import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ayni.core.errors import UserError
from ayni.org.models import OrgUnit
from ayni.payroll.importer import payroll_import
from ayni.payroll.models import PayrollRun
from ayni.payroll.rem import parse_filename
from ayni.payroll.services import payroll_publish, run_for_upload


class Command(BaseCommand):
    help = (
        "Carga una planilla desde un archivo PLAME .rem y su maestro de servidores (CSV). "
        "Si hay errores no carga nada y los lista con su número de línea."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rem", type=Path, help="Archivo 0601AAAAMM<RUC>.rem")
        parser.add_argument("master", type=Path, help="Maestro de servidores (CSV)")
        parser.add_argument("--ugel", required=True, help="Código de la UGEL (p. ej. 150108)")
        parser.add_argument("--kind", default="activos", choices=PayrollRun.Kind.values)
        parser.add_argument(
            "--payment-date",
            required=True,
            type=date.fromisoformat,
            help="Fecha de pago, AAAA-MM-DD",
        )
        parser.add_argument(
            "--additional",
            action="store_true",
            help="Planilla adicional de un periodo ya publicado",
        )
        parser.add_argument("--publish", action="store_true", help="Publicar al terminar")

    def handle(self, *args: Any, **options: Any) -> None:
        rem_path: Path = options["rem"]
        year, month, _, problems = parse_filename(rem_path.name)
        if problems:
            raise CommandError(" ".join(problems))
        ugel = OrgUnit.objects.filter(code=options["ugel"], kind=OrgUnit.Kind.UGEL).first()
        if ugel is None:
            raise CommandError(f"No existe la UGEL {options['ugel']}.")
        try:
            run = run_for_upload(
                ugel=ugel,
                year=year,
                month=month,
                kind=options["kind"],
                payment_date=options["payment_date"],
                additional=options["additional"],
                actor=None,
            )
            outcome = payroll_import(
                run=run,
                rem_name=rem_path.name,
                rem_bytes=rem_path.read_bytes(),
                master_bytes=options["master"].read_bytes(),
                progress=self._progress,
            )
        except UserError as exc:
            raise CommandError(exc.message) from exc
        sys.stderr.write("\n")
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(outcome.errors)} errores: no se cargó nada.")
        self.stdout.write(
            f"{outcome.payslips:,} boletas de {outcome.lines:,} líneas; "
            f"{outcome.created_servants} servidores nuevos."
        )
        if options["publish"]:
            try:
                payroll_publish(run=run, actor=None)
            except UserError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Publicada: visible desde el {run.payment_date:%d/%m/%Y}.")

    @staticmethod
    def _progress(done: int, total: int) -> None:
        width = 40
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} boletas")
        sys.stderr.flush()
