"""The sample files of the payroll officer's guide: a `.rem` and its master, with
fictitious people, in the formats the importer reads (a test imports them).

The .rem is written as SUNAT's PLAME writes it (Windows-1252, CRLF, a trailing «|»);
the master is UTF-8 with every column, one row with a quoted field holding a comma.
"""

from __future__ import annotations

from ayni.payroll.rem import MASTER_COLUMNS

SAMPLE_YEAR, SAMPLE_MONTH = 2026, 1
SAMPLE_RUC = "20131370998"
REM_NAME = f"0601{SAMPLE_YEAR}{SAMPLE_MONTH:02d}{SAMPLE_RUC}.rem"
MASTER_NAME = "maestro-ejemplo.csv"
MINIMAL_MASTER_NAME = "maestro-minimo-ejemplo.csv"

# Fictitious documents (not in the demo set).
PEOPLE = [
    {
        "tipo_doc": "01",
        "num_doc": "09990001",
        "apellido_paterno": "EJEMPLO",
        "apellido_materno": "QUISPE",
        "nombres": "ANA MARÍA",
        "fecha_nacimiento": "1980-04-12",
        "cargo": "PROFESORA DE AULA",
        "establecimiento": "I.E. N.° 0000 EJEMPLO",
        "codigo_modular": "0000001",
        "tipo_servidor": "DOCENTE NOMBRADO",
        "nivel_escala": "III ESCALA MAGISTERIAL",
        "jornada_horas": "30",
        "regimen_laboral": "LEY 29944",
        "regimen_pensionario": "21",
        "cuspp": "598761ABCDE0",
        "fecha_afiliacion": "2005-04-01",
        "cuenta_bancaria": "04-0001-09990001",
        "leyenda_permanente": "PAGO EN BANCO DE LA NACIÓN",
        "leyenda_mensual": "",
        "fecha_ingreso": "2005-03-01",
        "fecha_termino": "",
        "tiempo_servicio": "20 años 10 meses 0 días",
    },
    {
        "tipo_doc": "01",
        "num_doc": "09990002",
        "apellido_paterno": "MUESTRA",
        "apellido_materno": "CONDORI",
        "nombres": "JOSÉ LUIS",
        "fecha_nacimiento": "1988-10-03",
        "cargo": "AUXILIAR DE EDUCACIÓN",
        "establecimiento": "I.E. N.° 0000 EJEMPLO",
        "codigo_modular": "0000001",
        "tipo_servidor": "AUXILIAR DE EDUCACIÓN",
        "nivel_escala": "",
        "jornada_horas": "30",
        "regimen_laboral": "LEY 30493",
        "regimen_pensionario": "02",
        "cuspp": "",
        "fecha_afiliacion": "",
        "cuenta_bancaria": "04-0002-09990002",
        "leyenda_permanente": "PAGO EN BANCO DE LA NACIÓN",
        "leyenda_mensual": "",
        "fecha_ingreso": "2012-03-01",
        "fecha_termino": "",
        "tiempo_servicio": "",
    },
    {
        "tipo_doc": "01",
        "num_doc": "09990003",
        "apellido_paterno": "PRUEBA",
        "apellido_materno": "",
        "nombres": "CARMEN ROSA",
        "fecha_nacimiento": "",
        "cargo": "ESPECIALISTA EN PLANILLAS",
        "establecimiento": "SEDE DE LA UGEL, PISO 2",  # a comma: the field goes in quotes
        "codigo_modular": "",
        "tipo_servidor": "ADMINISTRATIVO NOMBRADO",
        "nivel_escala": "STA",
        "jornada_horas": "40",
        "regimen_laboral": "D.LEG. 276",
        "regimen_pensionario": "02",
        "cuspp": "",
        "fecha_afiliacion": "",
        "cuenta_bancaria": "",
        "leyenda_permanente": "",
        "leyenda_mensual": "",
        "fecha_ingreso": "",
        "fecha_termino": "",
        "tiempo_servicio": "",
    },
]

# (document, concept, accrued, paid): the amount used is «pagado», or «devengado» when empty
#: The guide's people: a file that names one of them is the guide's sample, which the
#: importer refuses (loading it would register fictitious servants).
SAMPLE_KEYS = frozenset((p["tipo_doc"], p["num_doc"]) for p in PEOPLE)

REM_LINES = [
    ("09990001", "2001", "3612.60", "3612.60"),
    ("09990001", "2005", "150.00", "150.00"),
    ("09990001", "0608", "", "376.26"),
    ("09990001", "0606", "", "51.55"),
    ("09990001", "0702", "", "36.13"),
    ("09990002", "2001", "1950.00", "1950.00"),
    ("09990002", "2009", "400.00", "400.00"),
    ("09990002", "0703", "", "250.00"),
    ("09990003", "2001", "2600.00", "2600.00"),
    ("09990003", "2011", "700.00", "700.00"),
]


def _csv_field(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ',;"\n') else value


def sample_rem() -> bytes:
    lines = [f"01|{dni}|{code}|{accrued}|{paid}|" for dni, code, accrued, paid in REM_LINES]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def sample_master(columns: list[str] | None = None) -> bytes:
    columns = columns or MASTER_COLUMNS
    rows = [",".join(columns)]
    rows += [",".join(_csv_field(person[c]) for c in columns) for person in PEOPLE]
    return ("\n".join(rows) + "\n").encode("utf-8")


MINIMAL_COLUMNS = [
    "tipo_doc",
    "num_doc",
    "apellido_paterno",
    "nombres",
    "cargo",
    "regimen_pensionario",
    "cuspp",
]


def sample_minimal_master() -> bytes:
    """Only the required columns, plus the CUSPP that AFP affiliates need."""
    return sample_master(MINIMAL_COLUMNS)
