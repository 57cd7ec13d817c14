"""The demo accounts of DESIGN.md, listed on the login page while demo mode is on."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise

DEMO_PASSWORD = "ayni-demo-2026"  # noqa: S105 - public demo credential, demo mode only

DEMO_ACCOUNTS: list[tuple[str, StrOrPromise]] = [
    ("10000001", _("Docente nombrado, UGEL 07 San Borja")),
    ("10000002", _("Auxiliar de educación, UGEL 07 San Borja")),
    ("10000003", _("Docente cesante, UGEL 07 San Borja")),
    ("10000004", _("Docente contratado, UGEL Cusco")),
    ("10000005", _("Docente nombrado, UGEL 08 Cañete")),
    ("10000006", _("Docente nombrada, UGEL 07 San Borja (a días de cumplir 25 años de servicio)")),
    ("20000001", _("Escalafón, UGEL 07 San Borja")),
    ("20000002", _("Planillas, UGEL 07 San Borja")),
    ("20000003", _("Mesa de partes, UGEL 07 San Borja")),
    ("20000004", _("Escalafón, UGEL Cusco")),
    ("20000005", _("Supervisor, DRE Lima Metropolitana")),
    ("20000006", _("Administrador del sistema, MINEDU")),
    ("20000007", _("Supervisor, DRE Lima Provincias")),
    ("20000008", _("Supervisora, MINEDU (todo el sector; solo lectura)")),
    ("20000009", _("Escalafón, DRE Lima Metropolitana (solicitudes propias del personal de UGEL)")),
    ("20000010", _("Oficial de protección de datos personales, MINEDU")),
    ("20000011", _("Mesa de partes, UGEL 07 San Borja (segundo servidor: aprueba recuperaciones)")),
]
