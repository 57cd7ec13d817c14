from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ayni.core.signing.demo import DEMO_LABEL, PASSPHRASE_ENV, DemoUnit, make_demo_pki


def demo_units() -> list[DemoUnit]:
    """MINEDU and every UGEL that holds demo data (payroll runs, servants, filings)."""
    from ayni.core.signing.keys import unit_chain
    from ayni.desk.models import Case
    from ayni.org.models import OrgUnit
    from ayni.payroll.models import PayrollRun
    from ayni.personnel.models import Servant

    codes: set[str] = set(PayrollRun.objects.values_list("ugel__code", flat=True))
    paths = set(Servant.objects.values_list("employing_unit__path", flat=True).distinct())
    paths |= set(Case.objects.values_list("unit__path", flat=True).distinct())
    for path in paths:
        codes.update(unit_chain(path or ""))
    kinds = [OrgUnit.Kind.UGEL, OrgUnit.Kind.MINEDU]
    units = OrgUnit.objects.filter(code__in=codes, kind__in=kinds)
    return [DemoUnit(u.code, u.name) for u in units.order_by("path")]


class Command(BaseCommand):
    help = (
        f"Crea una sola vez la autoridad de certificación de demostración y un certificado "
        f"por unidad de la demostración («{DEMO_LABEL}») en la carpeta de AYNI_SIGNING_CONFIG "
        f"(make run: var/firma-demo/). La clave de los PKCS#12 se lee de {PASSPHRASE_ENV}."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Solo en modo demostración (AYNI_DEMO_MODE=1).")
        if not settings.SIGNING_CONFIG:
            raise CommandError("Defina AYNI_SIGNING_CONFIG (make run lo hace).")
        toml = Path(settings.SIGNING_CONFIG)
        if toml.exists():
            self.stdout.write(f"Firma de demostración: ya existe {toml}.")
            return
        import os

        passphrase = os.environ.get(PASSPHRASE_ENV)
        if not passphrase:
            raise CommandError(f"Defina {PASSPHRASE_ENV} (make run lo hace).")
        units = demo_units()
        folder = toml.parent
        made = make_demo_pki(folder, units, passphrase=passphrase)
        if made != toml:
            made.rename(toml)
        self.stdout.write(
            f"Firma de demostración: autoridad y {len(units)} certificados en {folder}."
        )
