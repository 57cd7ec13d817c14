"""The demo accounts of DESIGN.md, listed on the login page while demo mode is on."""

DEMO_PASSWORD = "ayni-demo-2026"  # noqa: S105 - public demo credential, demo mode only

DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("10000001", "Docente nombrado, UGEL 07 San Borja"),
    ("10000002", "Auxiliar de educación, UGEL 07 San Borja"),
    ("10000003", "Docente cesante, UGEL 07 San Borja"),
    ("10000004", "Docente contratado, UGEL Cusco"),
    ("10000005", "Docente nombrado, UGEL 08 Cañete"),
    ("20000001", "Escalafón, UGEL 07 San Borja"),
    ("20000002", "Planillas, UGEL 07 San Borja"),
    ("20000003", "Mesa de partes, UGEL 07 San Borja"),
    ("20000004", "Escalafón, UGEL Cusco"),
    ("20000005", "Supervisor, DRE Lima Metropolitana"),
    ("20000006", "Administrador del sistema, MINEDU"),
    ("20000007", "Supervisor, DRE Lima Provincias"),
    ("20000009", "Escalafón, DRE Lima Metropolitana (solicitudes propias del personal de UGEL)"),
    ("20000011", "Mesa de partes, UGEL 07 San Borja (segundo servidor: aprueba recuperaciones)"),
]
