"""Demo payrolls of UGEL 07 San Borja: 24 published months and the current month
scheduled for a future payment date, loaded through the real import service."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ayni.accounts.models import User
from ayni.org.models import OrgUnit
from ayni.payroll.importer import payroll_import
from ayni.payroll.models import PayrollRun
from ayni.payroll.rates import ensure_contribution_rates
from ayni.payroll.services import payroll_annul, payroll_publish, run_for_upload
from ayni.personnel.file_selectors import compute_service_time
from ayni.personnel.models import Servant

UGEL_07_RUC = "20330611023"
MONTHS_BACK = 24
HEADER = (
    "tipo_doc,num_doc,apellido_paterno,apellido_materno,nombres,fecha_nacimiento,cargo,"
    "establecimiento,codigo_modular,tipo_servidor,nivel_escala,jornada_horas,"
    "regimen_laboral,regimen_pensionario,cuspp,fecha_afiliacion,cuenta_bancaria,"
    "leyenda_permanente,leyenda_mensual,fecha_ingreso,fecha_termino,tiempo_servicio"
)

# DNI → (kind of run, type label, level, lines: concept → monthly amount)
PEOPLE: dict[str, tuple[str, str, str, dict[str, str]]] = {
    "10000001": (
        "activos",
        "DOCENTE NOMBRADO",
        "III ESCALA MAGISTERIAL",
        {
            "2001": "3612.60",
            "2005": "150.00",
            "2004": "3.00",
            "0608": "376.56",
            "0606": "51.59",
            "0601": "0.00",
            "0702": "36.13",
        },
    ),
    "10000002": (
        "activos",
        "AUXILIAR DE EDUCACIÓN",
        "AUXILIAR",
        {"2001": "1950.00", "2005": "100.00", "0702": "19.50"},
    ),
    "20000001": (
        "activos",
        "ADMINISTRATIVO NOMBRADO",
        "SPA",
        {"2001": "2800.00", "2011": "700.00"},
    ),
    "20000002": (
        "activos",
        "ADMINISTRATIVO NOMBRADO",
        "STA",
        {"2001": "2600.00", "2011": "700.00", "0608": "260.00", "0606": "35.62"},
    ),
    "10000003": (
        "cesantes",
        "CESANTE",
        "V ESCALA MAGISTERIAL",
        {"2001": "3150.00", "0702": "15.00"},
    ),
}
CUSPP = {"10000001": "598761RQHME0", "20000002": "604512RDPIA1"}


def _month_back(today: date, back: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - back
    return index // 12, index % 12 + 1


def _payment_date(year: int, month: int, today: date, back: int) -> date:
    if back == 0:
        return max(date(year, month, 28), today + timedelta(days=2))
    return date(year, month, 20)


def _lines(dni: str, month: int, year: int) -> list[str]:
    kind, _, _, amounts = PEOPLE[dni]
    rows = []
    for code, amount in amounts.items():
        value = Decimal(amount)
        if code == "0601":
            continue
        if dni == "10000001" and code == "0702" and (year, month) < (2025, 1):
            value = Decimal("32.00")
        field4 = f"{value:.2f}" if code.startswith("2") else ""
        rows.append(f"01|{dni}|{code}|{field4}|{value:.2f}|")
    if dni == "10000001" and (year, month) <= (2024, 9):
        rows.append(f"01|{dni}|0703||450.00|")  # retención judicial (section V of the file)
    if month == 7 or month == 12:
        rows.append(f"01|{dni}|2006|300.00|300.00|")
    if month == 1 and kind == "activos":
        rows.append(f"01|{dni}|2009|400.00|400.00|")
    return rows


def _service_time(servant: Servant, year: int, month: int) -> str:
    end = date(year, month, calendar.monthrange(year, month)[1])
    total = compute_service_time(servant, today=end).total
    return f"{total.years}A {total.months:02d}M {total.days:02d}D"


def _master_row(servant: Servant, dni: str, month: int, year: int) -> str:
    _, type_label, level, _ = PEOPLE[dni]
    school = servant.school
    pension = servant.pension_regime.code if servant.pension_regime else "02"
    legend = "FELIZ DÍA DEL MAESTRO" if month == 7 else ""
    values = [
        "01",
        dni,
        servant.paternal_surname,
        servant.maternal_surname,
        servant.given_names,
        servant.birth_date.isoformat() if servant.birth_date else "",
        servant.position,
        school.name if school else servant.employing_unit.name,
        school.code if school else "",
        type_label,
        level,
        str(servant.weekly_hours or ""),
        servant.labor_regime.name if servant.labor_regime else "",
        pension,
        CUSPP.get(dni, ""),
        "2005-04-01" if dni in CUSPP else "",
        f"04-{dni[-4:]}-{dni}",
        "PAGO EN BANCO DE LA NACIÓN",
        legend,
        "2005-03-01",
        "",
        "",
    ]
    return ",".join(f'"{v}"' if "," in v else v for v in values)


def seed_payroll_demo() -> int:
    """Idempotent: only months without a published run are loaded. Returns runs published."""
    ensure_contribution_rates()
    ugel = OrgUnit.objects.get(code="150108")
    officer = User.objects.get(login_id="01-20000002")
    servants = {
        s.doc_number: s
        for s in Servant.objects.filter(doc_number__in=PEOPLE).select_related(
            "school", "employing_unit", "pension_regime", "labor_regime"
        )
    }
    today = timezone.localdate()
    published = 0
    for back in range(MONTHS_BACK, -1, -1):
        year, month = _month_back(today, back)
        for kind in ("activos", "cesantes"):
            if PayrollRun.objects.filter(
                ugel=ugel, year=year, month=month, kind=kind, state=PayrollRun.State.PUBLISHED
            ).exists():
                continue
            people = [d for d, spec in PEOPLE.items() if spec[0] == kind]
            rem = "\r\n".join(line for d in people for line in _lines(d, month, year))
            master = "\n".join(
                [HEADER, *(_master_row(servants[d], d, month, year) for d in people)]
            )
            run = run_for_upload(
                ugel=ugel,
                year=year,
                month=month,
                kind=kind,
                payment_date=_payment_date(year, month, today, back),
                additional=False,
                actor=officer,
            )
            outcome = payroll_import(
                run=run,
                rem_name=f"0601{year}{month:02d}{UGEL_07_RUC}.rem",
                rem_bytes=rem.encode("cp1252"),
                master_bytes=master.encode(),
                actor=officer,
            )
            if not outcome.ok:
                raise RuntimeError("; ".join(outcome.errors))
            payroll_publish(run=run, actor=officer)
            published += 1
    published += _seed_annulled_additional(ugel, officer, servants, today)
    return published


ANNUL_REASON = "Planilla adicional cargada dos veces por error; la reemplaza la adicional N.° 2."


def _seed_annulled_additional(
    ugel: OrgUnit, officer: User, servants: dict[str, Servant], today: date
) -> int:
    """Two months back, an adicional run published by mistake and annulled, and the
    adicional that replaces it: the teacher sees both in Mi boleta, one marked annulled."""
    year, month = _month_back(today, 2)
    if PayrollRun.objects.filter(
        ugel=ugel, year=year, month=month, state=PayrollRun.State.ANNULLED
    ).exists():
        return 0
    teacher = "10000001"
    published = 0
    for annul in (True, False):
        run = run_for_upload(
            ugel=ugel,
            year=year,
            month=month,
            kind="activos",
            payment_date=_payment_date(year, month, today, 2),
            additional=True,
            actor=officer,
        )
        outcome = payroll_import(
            run=run,
            rem_name=f"0601{year}{month:02d}{UGEL_07_RUC}.rem",
            rem_bytes="\r\n".join(_lines(teacher, month, year)).encode("cp1252"),
            master_bytes="\n".join(
                [HEADER, _master_row(servants[teacher], teacher, month, year)]
            ).encode(),
            actor=officer,
        )
        if not outcome.ok:
            raise RuntimeError("; ".join(outcome.errors))
        payroll_publish(run=run, actor=officer)
        published += 1
        if annul:
            payroll_annul(run=run, actor=officer, reason=ANNUL_REASON)
    return published
