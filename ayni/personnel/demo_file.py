"""Demo personal files: the demo teacher's full file in every section, with a pending
and an observed change request; shorter files for the other demo servants."""

from __future__ import annotations

from typing import Any

from ayni.accounts.models import User
from ayni.personnel.change_requests import change_request_observe, change_request_submit
from ayni.personnel.file_services import entry_create
from ayni.personnel.models import Degree, Entry, Servant
from ayni.personnel.sections import KINDS

UGEL07 = "UGEL 07 SAN BORJA"


def _res(
    number: str,
    on: str,
    start: str,
    end: str | None = None,
    *,
    office: str = UGEL07,
    school: str = "",
    reason: str = "",
    rtype: str = "RD",
) -> dict[str, Any]:
    return {
        "resolution_type": rtype,
        "resolution_number": number,
        "resolution_date": on,
        "issuing_office": office,
        "reason": reason,
        "date_from": start,
        "date_to": end or "",
        "school_name": school,
    }


IE_7072 = "I.E. N.° 7072 SAN MARTÍN DE PORRES (0312603)"
IE_6069 = "I.E. N.° 6069 VIRGEN DEL CARMEN (0507525)"

TEACHER_FILE: list[tuple[str, dict[str, Any]]] = [
    (
        "family",
        {
            "relationship": "conyuge",
            "full_name": "MENDOZA RÍOS, ALBERTO CÉSAR",
            "doc_number": "10234567",
            "birth_date": "1976-02-11",
            "is_dependant": True,
        },
    ),
    (
        "family",
        {
            "relationship": "hijo",
            "full_name": "MENDOZA QUISPE, DIEGO ALONSO",
            "doc_number": "70123456",
            "birth_date": "2006-09-21",
            "is_dependant": True,
        },
    ),
    (
        "family",
        {
            "relationship": "hijo",
            "full_name": "MENDOZA QUISPE, VALERIA SOFÍA",
            "doc_number": "70987654",
            "birth_date": "2010-04-03",
            "is_dependant": True,
        },
    ),
    (
        "family",
        {
            "relationship": "madre",
            "full_name": "HUAMÁN CCAHUANA, JULIA",
            "doc_number": "06123456",
            "birth_date": "1950-07-30",
            "is_dependant": False,
        },
    ),
    (
        "address",
        {
            "kind": "actual",
            "department": "LIMA",
            "province": "LIMA",
            "district": "SAN BORJA",
            "line": "Av. San Luis 2450, dpto. 302",
            "reference": "Frente al parque Juana Alarco de Dammert",
        },
    ),
    (
        "language",
        {
            "name": "castellano",
            "is_mother_tongue": True,
            "spoken_level": "avanzado",
            "written_level": "avanzado",
        },
    ),
    (
        "language",
        {
            "name": "quechua",
            "is_mother_tongue": False,
            "spoken_level": "intermedio",
            "written_level": "basico",
        },
    ),
    ("sworn", {"kind": "antecedentes", "filed_on": "2005-02-20", "period": "2005"}),
    ("sworn", {"kind": "bienes", "filed_on": "2025-05-15", "period": "2025"}),
    (
        "degree",
        {
            "level": "bachiller",
            "specialty": "Bachiller en Educación",
            "institution": "Universidad Nacional de Educación Enrique Guzmán y Valle",
            "issued_on": "2001-12-14",
            "registry_number": "B-2001-08812",
        },
    ),
    (
        "degree",
        {
            "level": "pedagogico",
            "specialty": "Educación Primaria",
            "institution": "Universidad Nacional de Educación Enrique Guzmán y Valle",
            "issued_on": "2002-11-29",
            "registry_number": "T-2002-04417",
        },
    ),
    (
        "degree",
        {
            "level": "maestria",
            "specialty": "Gestión de la Educación",
            "institution": "Pontificia Universidad Católica del Perú",
            "issued_on": "2015-08-07",
            "registry_number": "M-2015-01290",
        },
    ),
    (
        "training",
        {
            "name": "Programa de formación en servicio: comprensión lectora",
            "institution": "MINEDU",
            "kind": "curso",
            "hours": 120,
            "date_from": "2013-04-01",
            "date_to": "2013-07-31",
        },
    ),
    (
        "training",
        {
            "name": "Diplomado en gestión escolar con liderazgo pedagógico",
            "institution": "Universidad Peruana Cayetano Heredia",
            "kind": "diplomado",
            "hours": 400,
            "date_from": "2017-08-01",
            "date_to": "2018-06-30",
        },
    ),
    (
        "entry",
        {
            "action": "contrato",
            "position": "PROFESORA DE AULA",
            "weekly_hours": 30,
            **_res("00512-2003-UGEL07", "2003-02-25", "2003-03-01", "2003-12-31", school=IE_6069),
        },
    ),
    (
        "entry",
        {
            "action": "contrato",
            "position": "PROFESORA DE AULA",
            "weekly_hours": 30,
            **_res("00433-2004-UGEL07", "2004-02-26", "2004-03-01", "2004-12-31", school=IE_6069),
        },
    ),
    (
        "entry",
        {
            "action": "nombramiento",
            "position": "PROFESORA DE AULA",
            "weekly_hours": 30,
            **_res(
                "01234-2005-UGEL07",
                "2005-02-28",
                "2005-03-01",
                school=IE_6069,
                reason="Concurso público de nombramiento 2004",
            ),
        },
    ),
    (
        "move",
        {
            "action": "reasignacion",
            "position": "PROFESORA DE AULA",
            "escala": "",
            **_res(
                "02187-2012-UGEL07",
                "2012-02-20",
                "2012-03-01",
                school=IE_7072,
                reason="Reasignación por interés personal",
            ),
        },
    ),
    (
        "move",
        {
            "action": "ascenso",
            "position": "",
            "escala": "III",
            **_res(
                "0455-2019-MINEDU",
                "2018-12-18",
                "2019-01-01",
                rtype="RM",
                office="MINEDU",
                reason="Concurso de ascenso de escala 2018",
            ),
        },
    ),
    (
        "move",
        {
            "action": "encargatura",
            "position": "SUBDIRECTORA (E)",
            "escala": "",
            **_res("01766-2021-UGEL07", "2021-02-26", "2021-03-01", "2021-12-31", school=IE_7072),
        },
    ),
    (
        "allowance",
        {
            "action": "luto",
            "amount": "3000.00",
            "beneficiary": "",
            **_res(
                "03390-2015-UGEL07", "2015-06-12", "2015-05-20", reason="Fallecimiento del padre"
            ),
        },
    ),
    (
        "allowance",
        {
            "action": "retencion",
            "amount": "450.00",
            "beneficiary": "MENDOZA QUISPE, DIEGO ALONSO",
            **_res(
                "00871-2018-UGEL07",
                "2018-03-09",
                "2018-04-01",
                "2024-09-30",
                reason="Resolución judicial, pensión de alimentos",
            ),
        },
    ),
    (
        "pension",
        {"system": "afp", "afp": "integra", "cuspp": "598761RQHME0", "affiliated_on": "2005-04-01"},
    ),
    (
        "award",
        {
            "action": "felicitacion",
            "granted_by": "UGEL 07 SAN BORJA",
            **_res(
                "04412-2016-UGEL07",
                "2016-07-05",
                "2016-07-05",
                reason="Primer puesto en el concurso de comprensión lectora",
            ),
        },
    ),
    (
        "award",
        {
            "action": "diploma",
            "granted_by": "DRE LIMA METROPOLITANA",
            **_res(
                "1120-2022-DRELM",
                "2022-07-06",
                "2022-07-06",
                rtype="RDR",
                office="DRE LIMA METROPOLITANA",
                reason="Día del Maestro",
            ),
        },
    ),
    (
        "sanction",
        {
            "action": "amonestacion",
            "days": None,
            **_res(
                "01502-2010-UGEL07", "2010-05-03", "2010-05-03", reason="Inasistencia injustificada"
            ),
        },
    ),
    (
        "sanction",
        {
            "action": "suspension",
            "days": 10,
            **_res(
                "02999-2014-UGEL07",
                "2014-05-26",
                "2014-06-02",
                "2014-06-11",
                reason="Proceso administrativo disciplinario",
            ),
        },
    ),
    (
        "leave",
        {
            "action": "maternidad",
            **_res("01877-2010-UGEL07", "2010-03-30", "2010-04-05", "2010-07-02"),
        },
    ),
    (
        "leave",
        {
            "action": "particulares",
            **_res("01209-2017-UGEL07", "2017-03-20", "2017-04-01", "2017-06-30"),
        },
    ),
    (
        "leave",
        {
            "action": "vacaciones",
            **_res("00015-2025-UGEL07", "2025-01-03", "2025-01-02", "2025-02-28"),
        },
    ),
    (
        "other",
        {
            "title": "Ficha escalafonaria actualizada",
            "dated": "2022-09-15",
            "description": "Actualización de datos con declaración jurada y documentos.",
            "resolution_number": "Oficio 1455-2022-UGEL07/ESLE",
        },
    ),
]

CESANTE_FILE: list[tuple[str, dict[str, Any]]] = [
    (
        "entry",
        {
            "action": "nombramiento",
            "position": "PROFESOR DE AULA",
            "weekly_hours": 30,
            **_res("0310-1980-USE07", "1980-03-25", "1980-04-01", office="USE 07", school=IE_6069),
        },
    ),
    (
        "allowance",
        {
            "action": "ats25",
            "amount": "2460.00",
            "beneficiary": "",
            **_res("02001-2005-UGEL07", "2005-05-10", "2005-04-01"),
        },
    ),
    (
        "allowance",
        {
            "action": "ats30",
            "amount": "2980.00",
            "beneficiary": "",
            **_res("01700-2010-UGEL07", "2010-04-20", "2010-04-01"),
        },
    ),
    (
        "cessation",
        {
            "action": "limite_edad",
            "cts_amount": "96400.00",
            **_res(
                "05120-2021-UGEL07",
                "2021-11-30",
                "2021-12-31",
                reason="Límite de edad, Ley 29944, art. 53",
            ),
        },
    ),
    ("pension", {"system": "dl20530", "afp": "", "cuspp": "", "affiliated_on": "1980-04-01"}),
    (
        "degree",
        {
            "level": "pedagogico",
            "specialty": "Educación Secundaria: Matemática",
            "institution": "ISP Enrique Guzmán y Valle",
            "issued_on": "1979-12-20",
            "registry_number": "",
        },
    ),
]

SHORT_FILES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "10000002": [
        (
            "entry",
            {
                "action": "nombramiento",
                "position": "AUXILIAR DE EDUCACIÓN",
                "weekly_hours": 30,
                **_res("02210-2011-UGEL07", "2011-02-25", "2011-03-01", school=IE_7072),
            },
        )
    ],
    "10000004": [
        (
            "entry",
            {
                "action": "contrato",
                "position": "PROFESORA DE AULA",
                "weekly_hours": 30,
                **_res(
                    "00188-2026-UGEL-C",
                    "2026-02-27",
                    "2026-03-01",
                    "2026-12-31",
                    office="UGEL CUSCO",
                    school="I.E. N.° 50027 CLORINDA MATTO DE TURNER (0238717)",
                ),
            },
        )
    ],
    "10000005": [
        (
            "entry",
            {
                "action": "nombramiento",
                "position": "PROFESORA DE AULA",
                "weekly_hours": 30,
                **_res(
                    "00912-1999-UGEL08",
                    "1999-03-20",
                    "1999-04-01",
                    office="UGEL 08 CAÑETE",
                    school="I.E. N.° 20188 CENTRO DE MUJERES (0406090)",
                ),
            },
        )
    ],
}

NOTE = "Carga inicial del legajo (datos de demostración)"


def _load(servant: Servant, rows: list[tuple[str, dict[str, Any]]]) -> None:
    """The initial load is the system's (as a migration from the old escalafón would be)."""
    for kind_key, values in rows:
        entry_create(actor=None, servant=servant, kind=KINDS[kind_key], values=values, note=NOTE)


def seed_files(servants: dict[str, Servant], officer: User) -> None:
    """Idempotent: a servant whose file has any appointment entry is left alone."""
    plan = {"10000001": TEACHER_FILE, "10000003": CESANTE_FILE, **SHORT_FILES}
    for dni, rows in plan.items():
        servant = servants[dni]
        if Entry.objects.filter(servant=servant).exists():
            continue
        _load(servant, rows)
        if dni == "10000001":
            _seed_requests(servant, officer)


def _seed_requests(teacher: Servant, officer: User) -> None:
    user = teacher.user
    assert user is not None
    change_request_submit(
        user=user,
        servant=teacher,
        kind=KINDS["training"],
        operation="add",
        values={
            "name": "Diplomado en evaluación formativa",
            "institution": "PUCP",
            "kind": "diplomado",
            "hours": 240,
            "date_from": "2024-04-01",
            "date_to": "2024-11-30",
        },
        comment="Adjuntaré el diploma por mesa de partes.",
    )
    bachiller = Degree.objects.get(servant=teacher, level="bachiller")
    observed = change_request_submit(
        user=user,
        servant=teacher,
        kind=KINDS["degree"],
        operation="correct",
        entry=bachiller,
        values={
            "level": "bachiller",
            "specialty": "Bachiller en Educación",
            "institution": bachiller.institution,
            "issued_on": "2001-12-14",
            "registry_number": "B-2001-08821",
        },
        comment="El número de registro está mal digitado.",
    )
    change_request_observe(
        officer=officer,
        cr=observed,
        note="Adjunte copia legible del diploma de bachiller por mesa de partes virtual.",
    )
