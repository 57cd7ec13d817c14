from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ayni.core.signing.expiry import expiring, uncovered_units
from ayni.core.signing.keys import SigningConfigError, get_store


class Command(BaseCommand):
    help = (
        "Carga las claves de firma digital (como al arrancar) y muestra cada certificado, "
        "los que vencen pronto y las unidades que ningún certificado cubre. Termina con "
        "error si alguna clave no se puede abrir. Úselo al instalar o renovar un certificado."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            store = get_store()
        except SigningConfigError as exc:
            raise CommandError(str(exc)) from exc
        if store is None:
            self.stdout.write("Firma digital no configurada (AYNI_SIGNING_CONFIG vacío).")
            return
        for entry in sorted(store.entries(), key=lambda e: (e.unit_code, e.not_before)):
            until = timezone.localdate(entry.not_after).strftime("%d/%m/%Y")
            line = f"{entry.unit_code}  {entry.subject}  hasta {until}  ({entry.source})"
            self.stdout.write(line)
        self.stdout.write(f"Raíces de confianza: {', '.join(store.trust_root_files) or 'ninguna'}")
        self.stdout.write(f"Sello de tiempo: {store.tsa_url or 'no configurado (B-B)'}")
        for item in expiring():
            note = "hay sucesor" if item.has_successor else "SIN SUCESOR"
            self.stdout.write(
                self.style.WARNING(
                    f"Vence en {item.days_left} días: {item.entry.unit_code} "
                    f"{item.entry.subject} ({note})"
                )
            )
        missing = uncovered_units()
        if missing:
            sample = ", ".join(code for code, _ in missing[:10])
            self.stdout.write(
                self.style.WARNING(
                    f"{len(missing)} unidades sin certificado propio ni de una unidad superior "
                    f"(emiten sin firma): {sample}{'…' if len(missing) > 10 else ''}"
                )
            )
