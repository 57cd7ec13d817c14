"""The demo data set of DESIGN.md, and a bulk generator of synthetic servants.

Idempotent: running it again finds what exists and adds nothing twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ayni.accounts.demo_accounts import DEMO_PASSWORD
from ayni.accounts.models import Role, RoleGrant, User
from ayni.accounts.permissions import PERSONNEL_EDIT
from ayni.core.models import AuditEvent, Notification
from ayni.core.workqueue import work_item_post
from ayni.org.models import Escala, LaborRegime, OrgUnit, PensionRegime
from ayni.personnel.demo_file import seed_files
from ayni.personnel.models import Servant

UGEL_SAN_BORJA = "150108"
UGEL_CUSCO = "080001"
UGEL_CANETE = "150201"
DRE_LIMA_METRO = "150101"
DRE_LIMA_PROV = "150200"
MINEDU = "000000"

DEMO_SCHOOLS = [
    ("0312603", "I.E. N.° 7072 SAN MARTÍN DE PORRES", UGEL_SAN_BORJA),
    ("0507525", "I.E. N.° 6069 VIRGEN DEL CARMEN", UGEL_SAN_BORJA),
    ("0238717", "I.E. N.° 50027 CLORINDA MATTO DE TURNER", UGEL_CUSCO),
    ("0406090", "I.E. N.° 20188 CENTRO DE MUJERES", UGEL_CANETE),
]

S = Servant


@dataclass(frozen=True)
class DemoPerson:
    dni: str
    paternal: str
    maternal: str
    names: str
    sex: str
    birth: date
    unit: str
    school: str | None
    kind: str
    condition: str
    status: str
    position: str
    regime: str
    escala: str | None
    hours: int | None
    pension: str
    role: str | None = None
    role_unit: str | None = None


DEMO_PEOPLE = [
    DemoPerson(
        "10000001",
        "QUISPE",
        "HUAMÁN",
        "ROSA ELENA",
        "F",
        date(1978, 5, 14),
        UGEL_SAN_BORJA,
        "0312603",
        S.Kind.DOCENTE,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "PROFESORA DE AULA",
        "L29944",
        "III",
        30,
        "21",
    ),
    DemoPerson(
        "10000002",
        "MAMANI",
        "CONDORI",
        "JUAN CARLOS",
        "M",
        date(1985, 9, 2),
        UGEL_SAN_BORJA,
        "0312603",
        S.Kind.AUXILIAR,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "AUXILIAR DE EDUCACIÓN",
        "L30493",
        None,
        30,
        "02",
    ),
    DemoPerson(
        "10000003",
        "TORRES",
        "SALAZAR",
        "VÍCTOR HUGO",
        "M",
        date(1956, 1, 20),
        UGEL_SAN_BORJA,
        "0507525",
        S.Kind.DOCENTE,
        S.Condition.NOMBRADO,
        S.Status.CESANTE,
        "PROFESOR DE AULA (CESANTE)",
        "L29944",
        "V",
        None,
        "03",
    ),
    DemoPerson(
        "10000004",
        "CCORI",
        "APAZA",
        "LUZ MARINA",
        "F",
        date(1992, 11, 8),
        UGEL_CUSCO,
        "0238717",
        S.Kind.DOCENTE,
        S.Condition.CONTRATADO,
        S.Status.ACTIVO,
        "PROFESORA DE AULA",
        "L30328",
        None,
        30,
        "24",
    ),
    DemoPerson(
        "10000005",
        "RAMOS",
        "PAREDES",
        "CARMEN JULIA",
        "F",
        date(1975, 3, 30),
        UGEL_CANETE,
        "0406090",
        S.Kind.DOCENTE,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "PROFESORA DE AULA",
        "L29944",
        "IV",
        30,
        "02",
    ),
    DemoPerson(
        "20000001",
        "FLORES",
        "GUTIÉRREZ",
        "MARÍA ISABEL",
        "F",
        date(1980, 7, 19),
        UGEL_SAN_BORJA,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "ESPECIALISTA EN ESCALAFÓN",
        "02",
        None,
        40,
        "02",
        Role.ESCALAFON,
        UGEL_SAN_BORJA,
    ),
    DemoPerson(
        "20000002",
        "ROJAS",
        "DÍAZ",
        "PEDRO PABLO",
        "M",
        date(1983, 2, 11),
        UGEL_SAN_BORJA,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "ESPECIALISTA EN PLANILLAS",
        "02",
        None,
        40,
        "23",
        Role.PLANILLAS,
        UGEL_SAN_BORJA,
    ),
    DemoPerson(
        "20000003",
        "CHÁVEZ",
        "LÓPEZ",
        "ANA LUCÍA",
        "F",
        date(1990, 12, 1),
        UGEL_SAN_BORJA,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.CONTRATADO,
        S.Status.ACTIVO,
        "TÉCNICA DE MESA DE PARTES",
        "15",
        None,
        40,
        "02",
        Role.MESA_PARTES,
        UGEL_SAN_BORJA,
    ),
    DemoPerson(
        "20000004",
        "HUANCA",
        "TICONA",
        "WILBER",
        "M",
        date(1979, 4, 25),
        UGEL_CUSCO,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "ESPECIALISTA EN ESCALAFÓN",
        "02",
        None,
        40,
        "02",
        Role.ESCALAFON,
        UGEL_CUSCO,
    ),
    DemoPerson(
        "20000005",
        "MENDOZA",
        "CASTILLO",
        "JORGE LUIS",
        "M",
        date(1972, 8, 9),
        DRE_LIMA_METRO,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "SUPERVISOR DE PERSONAL",
        "02",
        None,
        40,
        "02",
        Role.SUPERVISOR,
        DRE_LIMA_METRO,
    ),
    DemoPerson(
        "20000006",
        "VÁSQUEZ",
        "PÉREZ",
        "ELENA",
        "F",
        date(1981, 6, 17),
        MINEDU,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "ADMINISTRADORA DEL SISTEMA",
        "02",
        None,
        40,
        "22",
        Role.ADMINISTRADOR,
        MINEDU,
    ),
    DemoPerson(
        "20000007",
        "ESPINOZA",
        "CRUZ",
        "RAÚL",
        "M",
        date(1977, 10, 3),
        DRE_LIMA_PROV,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "SUPERVISOR DE PERSONAL",
        "02",
        None,
        40,
        "02",
        Role.SUPERVISOR,
        DRE_LIMA_PROV,
    ),
    # The DRE's own escalafón office: takes the UGEL 07 officer's own requests (rule 16).
    DemoPerson(
        "20000009",
        "SALAS",
        "MORALES",
        "GLADYS NOEMÍ",
        "F",
        date(1976, 2, 14),
        DRE_LIMA_METRO,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.NOMBRADO,
        S.Status.ACTIVO,
        "ESPECIALISTA EN ESCALAFÓN",
        "02",
        None,
        40,
        "02",
        Role.ESCALAFON,
        DRE_LIMA_METRO,
    ),
    # A second desk officer at UGEL 07: approves the identity checks the first one records
    # (an account recovery needs two officers).
    DemoPerson(
        "20000011",
        "PALOMINO",
        "RÍOS",
        "JORGE LUIS",
        "M",
        date(1985, 9, 2),
        UGEL_SAN_BORJA,
        None,
        S.Kind.ADMINISTRATIVO,
        S.Condition.CONTRATADO,
        S.Status.ACTIVO,
        "TÉCNICO DE MESA DE PARTES",
        "02",
        None,
        40,
        "02",
        Role.MESA_PARTES,
        UGEL_SAN_BORJA,
    ),
]

# A servant registered without a full record (e.g. by a payroll import): the
# escalafón team of UGEL 07 has to complete it.
INCOMPLETE_SERVANT = ("10000009", "SÁNCHEZ", "GARCÍA", "YOLANDA")


def _units() -> dict[str, OrgUnit]:
    return {
        u.code: u
        for u in OrgUnit.objects.filter(
            code__in=[
                MINEDU,
                DRE_LIMA_METRO,
                DRE_LIMA_PROV,
                UGEL_SAN_BORJA,
                UGEL_CUSCO,
                UGEL_CANETE,
            ]
        )
    }


def ensure_school(code: str, name: str, ugel: OrgUnit) -> OrgUnit:
    school, _ = OrgUnit.objects.get_or_create(
        code=code,
        defaults={
            "kind": OrgUnit.Kind.SCHOOL,
            "name": name,
            "parent": ugel,
            "path": f"{ugel.path}{code}/",
        },
    )
    return school


@transaction.atomic
def seed_demo() -> dict[str, int]:
    units = _units()
    if len(units) < 6:
        raise RuntimeError("Cargue primero el árbol de unidades: manage.py load_reference_data")
    schools = {code: ensure_school(code, name, units[ugel]) for code, name, ugel in DEMO_SCHOOLS}
    created = {"users": 0, "servants": 0}
    password_hash = make_password(DEMO_PASSWORD)
    servants: dict[str, Servant] = {}
    for p in DEMO_PEOPLE:
        full_name = f"{p.names.title()} {p.paternal.title()} {p.maternal.title()}"
        user, made = User.objects.get_or_create(
            login_id=f"01-{p.dni}",
            defaults={
                "doc_type": "01",
                "doc_number": p.dni,
                "full_name": full_name,
                "email": f"demo.{p.dni}@ayni.example",
                "phone": "9" + p.dni,
                "password": password_hash,
                "is_staff": p.role == Role.ADMINISTRADOR,
                "is_superuser": p.role == Role.ADMINISTRADOR,
            },
        )
        created["users"] += made
        servant, made = Servant.objects.get_or_create(
            doc_type="01",
            doc_number=p.dni,
            defaults={
                "user": user,
                "paternal_surname": p.paternal,
                "maternal_surname": p.maternal,
                "given_names": p.names,
                "sex": p.sex,
                "birth_date": p.birth,
                "employing_unit": units[p.unit],
                "school": schools[p.school] if p.school else None,
                "kind": p.kind,
                "condition": p.condition,
                "status": p.status,
                "position": p.position,
                "labor_regime": LaborRegime.objects.get(code=p.regime),
                "pension_regime": PensionRegime.objects.get(code=p.pension),
                "escala": Escala.objects.get(code=p.escala) if p.escala else None,
                "weekly_hours": p.hours,
                "contract_end": date(timezone.localdate().year, 12, 31)
                if p.condition == S.Condition.CONTRATADO
                else None,
            },
        )
        created["servants"] += made
        servants[p.dni] = servant
        if p.role and p.role_unit:
            RoleGrant.objects.get_or_create(user=user, role=p.role, unit=units[p.role_unit])
    _seed_incomplete_servant(units[UGEL_SAN_BORJA])
    _seed_history(servants)
    seed_files(servants, User.objects.get(login_id="01-20000001"))
    _seed_officer_own_request(servants["20000001"])
    return created


def _seed_officer_own_request(officer: Servant) -> None:
    """The UGEL 07 escalafón officer asks for a change on her own file: nobody at her
    UGEL can review it (she is its only officer), so it waits in the DRE office's inbox."""
    from ayni.personnel.change_requests import change_request_submit
    from ayni.personnel.models import ChangeRequest
    from ayni.personnel.sections import KINDS

    if officer.user is None or ChangeRequest.objects.filter(servant=officer).exists():
        return
    change_request_submit(
        user=officer.user,
        servant=officer,
        kind=KINDS["training"],
        operation="add",
        values={
            "name": "Curso de gestión de legajos y escalafón",
            "institution": "SERVIR",
            "kind": "curso",
            "hours": 60,
            "date_from": "2025-03-03",
            "date_to": "2025-04-25",
        },
        comment="Adjunto la constancia del curso por mesa de partes.",
    )


def _seed_incomplete_servant(ugel: OrgUnit) -> None:
    dni, paternal, maternal, names = INCOMPLETE_SERVANT
    servant, _ = Servant.objects.get_or_create(
        doc_type="01",
        doc_number=dni,
        defaults={
            "paternal_surname": paternal,
            "maternal_surname": maternal,
            "given_names": names,
            "employing_unit": ugel,
            "kind": S.Kind.DOCENTE,
            "condition": S.Condition.CONTRATADO,
            "needs_completion": True,
        },
    )
    work_item_post(
        kind="personnel.complete_record",
        title=f"Completar la ficha del servidor {servant.full_name}",
        link=f"/servidores/{servant.uuid}/",
        unit_path=ugel.path,
        permission=PERSONNEL_EDIT,
        source_type="servant",
        source_id=str(servant.pk),
    )


def _seed_history(servants: dict[str, Servant]) -> None:
    """Staff reads of the demo teacher's file, so «¿Quién vio mi legajo?» is not empty."""
    teacher = servants["10000001"]
    if AuditEvent.objects.filter(subject_type="servant", subject_id=teacher.pk).exists():
        return
    officer = User.objects.get(login_id="01-20000001")
    supervisor = User.objects.get(login_id="01-20000005")
    now = timezone.now()
    for actor, days_ago, what in [
        (officer, 40, "Datos del servidor"),
        (officer, 12, "Datos del servidor"),
        (supervisor, 3, "Datos del servidor"),
    ]:
        event = AuditEvent.objects.create(
            action="personnel.servant_viewed",
            actor=actor,
            subject_type="servant",
            subject_id=teacher.pk,
            object_type="personnel.servant",
            object_id=str(teacher.pk),
            unit_path=teacher.employing_unit.path,
            detail=what,
        )
        AuditEvent.objects.filter(pk=event.pk).update(occurred_at=now - timedelta(days=days_ago))
    assert teacher.user is not None
    Notification.objects.create(
        recipient=teacher.user,
        title="Bienvenida a Ayni: revise sus datos en «Mi legajo».",
        link="/mi-legajo/",
    )


# --- synthetic servants ---------------------------------------------------------

SURNAMES = [
    "QUISPE",
    "MAMANI",
    "HUAMÁN",
    "FLORES",
    "RODRÍGUEZ",
    "GARCÍA",
    "SÁNCHEZ",
    "ROJAS",
    "TORRES",
    "CHÁVEZ",
    "RAMOS",
    "VÁSQUEZ",
    "DÍAZ",
    "MENDOZA",
    "CASTILLO",
    "ESPINOZA",
    "GUTIÉRREZ",
    "CCORI",
    "CONDORI",
    "APAZA",
    "HUANCA",
    "CRUZ",
    "PÉREZ",
    "LÓPEZ",
    "GONZALES",
    "TICONA",
    "CHOQUE",
    "CÁCERES",
    "SALAZAR",
    "PAREDES",
    "HUAMANÍ",
    "PUMA",
    "YUPANQUI",
    "INCA",
    "CUSI",
    "VILLANUEVA",
    "CAMPOS",
    "MEDINA",
    "AGUILAR",
    "CASTRO",
    "VEGA",
    "RÍOS",
    "NÚÑEZ",
    "ORTIZ",
    "PALOMINO",
    "CARDENAS",
    "LLANOS",
    "ALVARADO",
    "ZAPATA",
    "ARIAS",
    "CHOQUEHUANCA",
    "TAIPE",
    "ÑAUPARI",
]
FEMALE_NAMES = [
    "MARÍA",
    "ROSA",
    "CARMEN",
    "ANA",
    "LUZ",
    "ELENA",
    "JULIA",
    "EDITH",
    "YOLANDA",
    "NILDA",
    "ROXANA",
    "MARLENI",
    "FLOR",
    "GLADYS",
    "SONIA",
    "NANCY",
    "MARTHA",
    "DORIS",
    "LOURDES",
    "NORMA",
    "PILAR",
    "SUSANA",
    "JESSICA",
    "MILAGROS",
    "KATHERINE",
    "YESENIA",
]
MALE_NAMES = [
    "JUAN",
    "JOSÉ",
    "LUIS",
    "JORGE",
    "CARLOS",
    "VÍCTOR",
    "WILBER",
    "PERCY",
    "YURI",
    "WALTER",
    "HUGO",
    "ELMER",
    "CÉSAR",
    "RAÚL",
    "PEDRO",
    "ALBERTO",
    "MIGUEL",
    "FREDDY",
    "EDWIN",
    "RONALD",
    "ÓSCAR",
    "FÉLIX",
    "TEODORO",
    "DAVID",
    "FERNANDO",
]
SYNTHETIC_DNI_START = 40_000_000
SCHOOLS_PER_UGEL = 20


@dataclass
class GenerationResult:
    servants: int
    schools: int
    accounts: int


def _ensure_synthetic_schools(ugels: list[OrgUnit]) -> dict[int, list[OrgUnit]]:
    existing = {
        s.code for s in OrgUnit.objects.filter(kind=OrgUnit.Kind.SCHOOL, code__startswith="9")
    }
    to_create = []
    for index, ugel in enumerate(ugels):
        for n in range(SCHOOLS_PER_UGEL):
            code = f"9{index:03d}{n:03d}"
            if code not in existing:
                to_create.append(
                    OrgUnit(
                        kind=OrgUnit.Kind.SCHOOL,
                        code=code,
                        name=f"I.E. N.° {index * 100 + n + 10000}",
                        parent=ugel,
                        path=f"{ugel.path}{code}/",
                    )
                )
    OrgUnit.objects.bulk_create(to_create, batch_size=2000)
    by_ugel: dict[int, list[OrgUnit]] = {}
    for school in OrgUnit.objects.filter(kind=OrgUnit.Kind.SCHOOL, code__startswith="9"):
        assert school.parent_id is not None
        by_ugel.setdefault(school.parent_id, []).append(school)
    return by_ugel


def generate_servants(
    count: int,
    *,
    seed: int = 2026,
    with_accounts: bool = False,
    batch_size: int = 5000,
    progress: Any = None,
) -> GenerationResult:
    """Bulk-create `count` synthetic servants spread over every UGEL.

    DNIs come from 40,000,000 up and continue after the last generated one, so
    running it twice adds more servants instead of failing. With accounts, all
    share one precomputed password hash (the demo password).
    """
    rng = random.Random(seed + count)
    ugels = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.UGEL).order_by("code"))
    schools = _ensure_synthetic_schools(ugels)
    regimes = {
        r.code: r for r in LaborRegime.objects.filter(code__in=["L29944", "L30328", "L30493", "02"])
    }
    pensions = list(PensionRegime.objects.filter(code__in=["02", "21", "22", "23", "24"]))
    escalas = list(Escala.objects.all())
    last = Servant.objects.filter(
        doc_number__gte=str(SYNTHETIC_DNI_START), doc_number__lt="50000000"
    ).aggregate(m=Max("doc_number"))["m"]
    next_dni = int(last) + 1 if last else SYNTHETIC_DNI_START
    password_hash = make_password(DEMO_PASSWORD) if with_accounts else ""
    done = accounts = 0
    while done < count:
        size = min(batch_size, count - done)
        users: list[User] = []
        rows: list[Servant] = []
        for i in range(size):
            dni = f"{next_dni + done + i:08d}"
            ugel = ugels[rng.randrange(len(ugels))]
            sex = rng.choice("FM")
            given = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
            if rng.random() < 0.6:
                given += " " + rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
            kind_roll = rng.random()
            if kind_roll < 0.78:
                kind, regime = S.Kind.DOCENTE, "L29944"
            elif kind_roll < 0.9:
                kind, regime = S.Kind.AUXILIAR, "L30493"
            else:
                kind, regime = S.Kind.ADMINISTRATIVO, "02"
            condition = S.Condition.NOMBRADO if rng.random() < 0.7 else S.Condition.CONTRATADO
            if kind == S.Kind.DOCENTE and condition == S.Condition.CONTRATADO:
                regime = "L30328"
            status_roll = rng.random()
            status = (
                S.Status.ACTIVO
                if status_roll < 0.85
                else S.Status.CESANTE
                if status_roll < 0.93
                else S.Status.PENSIONISTA
            )
            birth = date(1955, 1, 1) + timedelta(days=rng.randrange(365 * 45))
            rows.append(
                Servant(
                    doc_type="01",
                    doc_number=dni,
                    paternal_surname=rng.choice(SURNAMES),
                    maternal_surname=rng.choice(SURNAMES),
                    given_names=given,
                    sex=sex,
                    birth_date=birth,
                    employing_unit=ugel,
                    school=rng.choice(schools[ugel.pk]) if kind != S.Kind.ADMINISTRATIVO else None,
                    kind=kind,
                    condition=condition,
                    status=status,
                    labor_regime=regimes[regime],
                    pension_regime=rng.choice(pensions),
                    escala=rng.choice(escalas) if regime == "L29944" else None,
                    weekly_hours=rng.choice([24, 30, 40]) if kind == S.Kind.DOCENTE else 30,
                    position="PROFESOR DE AULA"
                    if kind == S.Kind.DOCENTE
                    else "AUXILIAR DE EDUCACIÓN"
                    if kind == S.Kind.AUXILIAR
                    else "TÉCNICO ADMINISTRATIVO",
                )
            )
            if with_accounts:
                users.append(
                    User(
                        doc_type="01",
                        doc_number=dni,
                        login_id=f"01-{dni}",
                        password=password_hash,
                        full_name=given.title(),
                        privacy_accepted_at=timezone.now(),
                    )
                )
        with transaction.atomic():
            if users:
                User.objects.bulk_create(users, batch_size=batch_size)
                by_login = dict(
                    User.objects.filter(login_id__in=[u.login_id for u in users]).values_list(
                        "login_id", "pk"
                    )
                )
                for servant in rows:
                    servant.user_id = by_login[f"01-{servant.doc_number}"]
                accounts += len(users)
            Servant.objects.bulk_create(rows, batch_size=batch_size)
        done += size
        if progress:
            progress(done, count)
    return GenerationResult(
        servants=done, schools=sum(len(v) for v in schools.values()), accounts=accounts
    )
