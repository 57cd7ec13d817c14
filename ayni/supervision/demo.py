"""Demo data for the supervision dashboards (issue 12).

- The MINEDU supervisor 20000008 (DESIGN.md): reads the whole sector, acts on nothing.
- Eight more UGELs with staff, payrolls, change requests and filings, so that each of the
  three supervisors (DRE Lima Metropolitana 20000005, DRE Lima Provincias 20000007,
  MINEDU 20000008) sees a different picture: runs published, loaded but not published,
  and missing this month; requests of every age (one paused while observed); filings
  overdue, in process and answered.

The UGELs' payroll runs are summaries (state, payment date, totals) without payslips:
nobody of those UGELs signs in, and the dashboards read the runs, not the payslips.
Requests, filings and informes are written with back-dated times and their history rows,
as if filed weeks ago. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ayni.accounts.demo_accounts import DEMO_PASSWORD
from ayni.accounts.models import Role, RoleGrant, User
from ayni.core.numbering import next_number
from ayni.core.verification import new_code
from ayni.core.workdays import LIMA, add_working_days
from ayni.desk.models import Case, CaseEvent
from ayni.org.models import Escala, LaborRegime, OrgUnit, PensionRegime
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest, ChangeRequestEvent, Servant
from ayni.reports.models import ServiceReportRequest

MINEDU_SUPERVISOR = "20000008"
FIRST_DNI = 30_000_001

# UGEL code → (servants, this month's run: "published" | "loaded" | "missing",
#              months back without any run besides this one)
UGELS: dict[str, tuple[int, str, tuple[int, ...]]] = {
    "150102": (7, "published", ()),  # UGEL 01 San Juan de Miraflores
    "150104": (6, "loaded", ()),  # UGEL 03 Breña
    "150106": (5, "missing", (1,)),  # UGEL 05 San Juan de Lurigancho
    "150202": (6, "published", ()),  # UGEL 09 Huaura
    "150203": (5, "missing", ()),  # UGEL 10 Huaral
    "080003": (6, "published", ()),  # UGEL Anta
    "080006": (5, "loaded", ()),  # UGEL Canchis
    "080009": (6, "missing", (2, 3)),  # UGEL La Convención
}

# (UGEL, working days since filing, state, working days observed) per change request
REQUESTS: list[tuple[str, int, str, int]] = [
    ("150102", 4, "en_solicitud", 0),
    ("150102", 45, "en_solicitud", 0),  # past the term
    ("150104", 18, "en_solicitud", 0),
    ("150104", 38, "en_solicitud", 12),  # 38 since filing, 12 paused: 26 count, in term
    ("150106", 33, "observado", 5),  # observed for the last 5: 28 count, in term
    ("150106", 52, "en_solicitud", 0),  # past the term
    ("150202", 25, "en_solicitud", 0),
    ("150203", 12, "atendido", 0),
    ("080003", 36, "en_solicitud", 0),  # past the term
    ("080006", 8, "rechazado", 0),
]

# (UGEL, working days since reception, state, area) per filing
CASES: list[tuple[str, int, str, str]] = [
    ("150102", 40, "recibido", "mesa_partes"),  # overdue
    ("150102", 3, "recibido", "mesa_partes"),
    ("150104", 35, "derivado", "escalafon"),  # overdue
    ("150104", 10, "atendido", "escalafon"),
    ("150106", 6, "derivado", "planillas"),
    ("150202", 44, "derivado", "planillas"),  # overdue
    ("150203", 2, "recibido", "mesa_partes"),
    ("080003", 31, "recibido", "mesa_partes"),  # overdue
    ("080009", 15, "derivado", "rrhh"),
]

# (UGEL, working days since the request) per pending informe
INFORMES: list[tuple[str, int]] = [("150104", 20), ("080006", 4)]

NAMES = [
    ("HUAMANÍ", "CCAHUANA", "ELSA", "F"),
    ("PUMA", "QUISPE", "WALTER", "M"),
    ("YUPANQUI", "ROJAS", "MARLENI", "F"),
    ("CÁCERES", "LLANOS", "FÉLIX", "M"),
    ("ÑAUPARI", "TAIPE", "NILDA", "F"),
    ("VILLANUEVA", "ARIAS", "TEODORO", "M"),
    ("CAMPOS", "ZAPATA", "ROXANA", "F"),
]

# (kind, condition, status, labour regime, pension regime, escala, needs completion)
PROFILES = [
    ("docente", "nombrado", "activo", "L29944", "21", "III", False),
    ("docente", "contratado", "activo", "L30328", "24", None, False),
    ("auxiliar", "nombrado", "activo", "L30493", "02", None, False),
    ("administrativo", "contratado", "activo", "15", "02", None, True),  # CAS
    ("docente", "nombrado", "cesante", "L29944", "03", "V", False),
    ("salud", "nombrado", "activo", "02", "23", None, False),
    ("docente", "nombrado", "pensionista", "L29944", "03", "IV", False),
]


@dataclass(frozen=True)
class Seeded:
    servants: int
    runs: int
    requests: int
    cases: int


def working_days_ago(days: int, today: date) -> date:
    """The date `days` working days before today: adding them back gives today."""
    day = today
    while True:
        day -= timedelta(days=1)
        if day.weekday() < 5 and add_working_days(day, days) <= today:
            return day


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LIMA)


def month_back(today: date, back: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - back
    return index // 12, index % 12 + 1


def ensure_minedu_supervisor() -> User:
    """20000008, supervisor of the whole sector (light: tests load it with every persona)."""
    minedu = OrgUnit.objects.get(kind=OrgUnit.Kind.MINEDU)
    user, _ = User.objects.get_or_create(
        login_id=f"01-{MINEDU_SUPERVISOR}",
        defaults={
            "doc_type": "01",
            "doc_number": MINEDU_SUPERVISOR,
            "full_name": "Patricia Noemí Gamarra Ugarte",
            "email": f"demo.{MINEDU_SUPERVISOR}@ayni.example",
            "phone": "9" + MINEDU_SUPERVISOR,
            "password": make_password(DEMO_PASSWORD),
        },
    )
    Servant.objects.get_or_create(
        doc_type="01",
        doc_number=MINEDU_SUPERVISOR,
        defaults={
            "user": user,
            "paternal_surname": "GAMARRA",
            "maternal_surname": "UGARTE",
            "given_names": "PATRICIA NOEMÍ",
            "sex": "F",
            "birth_date": date(1974, 4, 12),
            "employing_unit": minedu,
            "kind": Servant.Kind.ADMINISTRATIVO,
            "condition": Servant.Condition.NOMBRADO,
            "position": "SUPERVISORA DE GESTIÓN DE PERSONAL",
            "labor_regime": LaborRegime.objects.filter(code="02").first(),
            "pension_regime": PensionRegime.objects.filter(code="02").first(),
            "weekly_hours": 40,
        },
    )
    RoleGrant.objects.get_or_create(user=user, role=Role.SUPERVISOR, unit=minedu)
    return user


def seed_supervision_demo(today: date | None = None) -> Seeded:
    """The demo sector, its figures, and this month's open-data file."""
    from ayni.supervision.aggregates import refresh
    from ayni.supervision.models import OpenDataFile
    from ayni.supervision.opendata import publish_month

    seeded = _seed_sector(today)
    if seeded.servants or not OpenDataFile.objects.exists():
        refresh()
        publish_month()
    return seeded


@transaction.atomic
def _seed_sector(today: date | None = None) -> Seeded:
    ensure_minedu_supervisor()
    if Servant.objects.filter(doc_number=str(FIRST_DNI)).exists():
        return Seeded(0, 0, 0, 0)
    today = today or timezone.localdate()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=UGELS)}
    regimes = {r.code: r for r in LaborRegime.objects.all()}
    pensions = {p.code: p for p in PensionRegime.objects.all()}
    escalas = {e.code: e for e in Escala.objects.all()}
    by_ugel: dict[str, list[Servant]] = {}
    dni = FIRST_DNI
    for code, (count, _state, _gaps) in UGELS.items():
        rows = []
        for i in range(count):
            paternal, maternal, names, sex = NAMES[(dni + i) % len(NAMES)]
            kind, condition, status, regime, pension, escala, incomplete = PROFILES[
                i % len(PROFILES)
            ]
            rows.append(
                Servant(
                    doc_type="01",
                    doc_number=str(dni),
                    paternal_surname=paternal,
                    maternal_surname=maternal,
                    given_names=names,
                    sex=sex,
                    birth_date=date(1960 + i * 4, 1 + i, 10),
                    employing_unit=units[code],
                    kind=kind,
                    condition=condition,
                    status=status,
                    labor_regime=regimes.get(regime),
                    pension_regime=pensions.get(pension),
                    escala=escalas.get(escala) if escala else None,
                    weekly_hours=30 if kind == "docente" else 40,
                    position="PROFESOR DE AULA" if kind == "docente" else "SERVIDOR",
                    needs_completion=incomplete,
                )
            )
            dni += 1
        by_ugel[code] = Servant.objects.bulk_create(rows)
    runs = _seed_runs(units, by_ugel, today)
    requests = _seed_requests(units, by_ugel, today)
    cases = _seed_cases(units, by_ugel, today)
    _seed_informes(units, by_ugel, today)
    return Seeded(sum(len(v) for v in by_ugel.values()), runs, requests, cases)


def _net(servants: list[Servant]) -> Decimal:
    return sum((Decimal("2450.00") + 120 * i for i in range(len(servants))), Decimal("0"))


def _seed_runs(units: dict[str, OrgUnit], by_ugel: dict[str, list[Servant]], today: date) -> int:
    runs = []
    for code, (_count, current, gaps) in UGELS.items():
        servants = [s for s in by_ugel[code] if s.status == Servant.Status.ACTIVO]
        for back in range(11, -1, -1):
            if back in gaps or (back == 0 and current == "missing"):
                continue
            year, month = month_back(today, back)
            published = back > 0 or current == "published"
            runs.append(
                PayrollRun(
                    ugel=units[code],
                    year=year,
                    month=month,
                    kind=PayrollRun.Kind.ACTIVOS,
                    payment_date=date(year, month, 20),
                    state=PayrollRun.State.PUBLISHED if published else PayrollRun.State.DRAFT,
                    rem_name=f"0601{year}{month:02d}{units[code].ruc or '00000000000'}.rem",
                    progress=100,
                    line_count=len(servants) * 4,
                    payslip_count=len(servants),
                    total_gross=_net(servants) * Decimal("1.18"),
                    total_net=_net(servants),
                    published_at=_at(date(year, month, 15)) if published else None,
                )
            )
    PayrollRun.objects.bulk_create(runs)
    return len(runs)


def _seed_requests(
    units: dict[str, OrgUnit], by_ugel: dict[str, list[Servant]], today: date
) -> int:
    for index, (code, days, state, observed) in enumerate(REQUESTS):
        servant = by_ugel[code][index % len(by_ugel[code])]
        filed = working_days_ago(days, today)
        cr = ChangeRequest.objects.create(
            servant=servant,
            section=2,
            kind="training",
            operation=ChangeRequest.Operation.ADD,
            proposed={
                "name": "Curso de actualización docente",
                "institution": "PERUEDUCA",
                "kind": "curso",
                "hours": 40,
                "date_from": "2025-04-01",
                "date_to": "2025-05-30",
            },
            comment="Adjunto la constancia.",
            state=state,
            unit_path=units[code].path,
            observation="Falta la constancia firmada." if observed else "",
        )
        ChangeRequest.objects.filter(pk=cr.pk).update(created_at=_at(filed), updated_at=_at(filed))
        history: list[tuple[str, str, datetime]] = [("", "en_solicitud", _at(filed))]
        if observed and state == "observado":  # observed for the last `observed` days
            history.append(("en_solicitud", "observado", _at(working_days_ago(observed, today))))
        elif observed:  # observed for a while, then corrected
            start = add_working_days(filed, 5)
            history.append(("en_solicitud", "observado", _at(start)))
            history.append(("observado", "en_solicitud", _at(add_working_days(start, observed))))
        elif state != "en_solicitud":
            history.append(("en_solicitud", state, _at(add_working_days(filed, days), 16)))
        for from_state, to_state, at in history:
            event = ChangeRequestEvent.objects.create(
                request=cr, from_state=from_state, to_state=to_state
            )
            ChangeRequestEvent.objects.filter(pk=event.pk).update(at=at)
    return len(REQUESTS)


def _seed_cases(units: dict[str, OrgUnit], by_ugel: dict[str, list[Servant]], today: date) -> int:
    for index, (code, days, state, area) in enumerate(CASES):
        unit = units[code]
        filer = by_ugel[code][(index + 1) % len(by_ugel[code])]
        received = _at(working_days_ago(days, today), 9)
        case = Case.objects.create(
            unit=unit,
            year=received.year,
            number=next_number(f"desk:{unit.code}", received.year),
            kind=Case.Kind.OTHER if area != "planillas" else Case.Kind.PAYSLIP,
            subject="Solicitud de constancia de trabajo",
            filer=None,
            filer_name=filer.full_name,
            filer_doc_type=filer.doc_type,
            filer_doc_number=filer.doc_number,
            submitted_at=received,
            received_at=received,
            state=state,
            area=area,
            verification_code=new_code(),
        )
        events = [("", "recibido", "mesa_partes", received)]
        if state in ("derivado", "atendido"):
            events.append(("recibido", "derivado", area, received + timedelta(days=1)))
        if state == "atendido":
            events.append(("derivado", "atendido", area, received + timedelta(days=6)))
        for from_state, to_state, event_area, at in events:
            event = CaseEvent.objects.create(
                case=case, from_state=from_state, to_state=to_state, area=event_area
            )
            CaseEvent.objects.filter(pk=event.pk).update(at=at)
    return len(CASES)


def _seed_informes(
    units: dict[str, OrgUnit], by_ugel: dict[str, list[Servant]], today: date
) -> None:
    for code, days in INFORMES:
        servant = by_ugel[code][0]
        req = ServiceReportRequest.objects.create(
            servant=servant,
            purpose="ascenso",
            purpose_detail="Concurso de ascenso de escala",
            unit_path=units[code].path,
        )
        at = _at(working_days_ago(days, today))
        ServiceReportRequest.objects.filter(pk=req.pk).update(created_at=at, updated_at=at)
