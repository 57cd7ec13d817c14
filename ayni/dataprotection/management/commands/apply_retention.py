from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ayni.dataprotection.archive import archive_audit
from ayni.dataprotection.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Elimina o anonimiza lo que pasó su plazo de conservación (DATAPROTECTION_RETENTION_DAYS). "
        "Con --dry-run solo lista lo que eliminaría."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Listar sin eliminar nada.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry = options["dry_run"]
        for item in apply_retention(dry_run=dry):
            verb = "se eliminaría" if dry else "eliminado"
            self.stdout.write(f"{item.label} (plazo {item.days} días): {item.count} {verb}")
            for example in item.examples:
                self.stdout.write(f"  - {example}")
        archived = archive_audit(dry_run=dry)
        if archived.days:
            verb = "se archivarían" if dry else "archivados"
            where = f" en {archived.archive.file_name}" if archived.archive else ""
            self.stdout.write(
                f"Eventos de auditoría de más de {archived.days} días: "
                f"{archived.count} {verb}{where}"
            )
