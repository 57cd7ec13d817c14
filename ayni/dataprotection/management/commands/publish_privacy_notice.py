from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ayni.dataprotection.services import publish_privacy_version


class Command(BaseCommand):
    help = (
        "Publica una nueva versión del aviso de privacidad: todas las cuentas deben "
        "aceptarla en su próximo ingreso."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", help="Nombre de la versión, por ejemplo 2026-1.")
        parser.add_argument("--changes", default="", help="Qué cambió, en una frase.")

    def handle(self, *args: Any, **options: Any) -> None:
        notice = publish_privacy_version(
            None, version=options["version"], changes=options["changes"]
        )
        self.stdout.write(f"Aviso de privacidad {notice.version} publicado.")
