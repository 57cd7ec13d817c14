"""Demo payrolls, loaded through the real import service, each master row drawn from the
servant's file (dates of entry and cessation, CUSPP), never typed in twice:

- UGEL 07 San Borja: 24 published months of «activos» and «cesantes» (the retired
  teacher's pension, with his 4 % EsSalud withheld) and the current month scheduled
  for a future payment date; two months back, an annulled adicional and its replacement.
- UGEL Cusco: the contract teacher's «contratados» runs, from her contract's start.
- UGEL 08 Cañete: the Cañete teacher's «activos» runs.

The master leaves «tiempo_servicio» empty, as many UGEL exports do: the importer prints
the one computed from the file.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ayni.accounts.models import User
from ayni.org.models import OrgUnit
from ayni.payroll.importer import payroll_import
from ayni.payroll.models import PayrollRun
from ayni.payroll.rates import ensure_contribution_rates
from ayni.payroll.services import payroll_annul, payroll_publish, run_for_upload
from ayni.personnel.models import Cessation, Entry, PensionAffiliation, Servant

UGEL_07_RUC = "20330611023"
MONTHS_BACK = 24
# The other demo UGELs (fictitious RUCs with a valid check digit) and how far back
# their runs go: a few months keep `make run` fast.
OTHER_UGELS = {"080001": "20527601089", "150201": "20490510223"}
OTHER_MONTHS_BACK = 9  # back to March 2026: the Cusco contract teacher starts then
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
    # UGEL Cusco: contract teacher (Ley 30328), SPP Prima
    "10000004": (
        "contratados",
        "DOCENTE CONTRATADO",
        "CONTRATO DOCENTE",
        {"2001": "2800.00", "0608": "280.00", "0606": "38.36"},
    ),
    # UGEL 08 Cañete: nombrada, IV escala, ONP (computed)
    "10000005": (
        "activos",
        "DOCENTE NOMBRADO",
        "IV ESCALA MAGISTERIAL",
        {"2001": "3950.40", "2005": "150.00", "0702": "39.50"},
    ),
}
UGEL_OF = {"10000004": "080001", "10000005": "150201"}  # the others: UGEL 07
# CUSPP of the AFP affiliates whose file records none (the file's own wins)
CUSPP = {"10000001": "598761RQHME0", "20000002": "604512RDPIA1", "10000004": "642810LCAPZ3"}


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


def _from_file(servant: Servant) -> dict[str, str]:
    """What the master row takes from the servant's file: first day of service, the end
    of service (cessation, or the contract's end), the CUSPP and affiliation date."""
    entries = list(Entry.objects.filter(servant=servant).values_list("date_from", "date_to"))
    cessation = (
        Cessation.objects.filter(servant=servant)
        .order_by("date_from")
        .values_list("date_from", flat=True)
        .first()
    )
    end: date | None = cessation
    if end is None and servant.condition == Servant.Condition.CONTRATADO:
        ends = [e for _, e in entries if e]
        end = max(ends) if ends and len(ends) == len(entries) else None
    pension = (
        PensionAffiliation.objects.filter(servant=servant)
        .order_by("-affiliated_on")
        .values_list("cuspp", "affiliated_on")
        .first()
    )
    cuspp, affiliated = pension or ("", None)
    afp = servant.pension_regime is not None and servant.pension_regime.system == "AFP"
    entry = min(s for s, _ in entries).isoformat() if entries else ""
    return {
        "entry": entry,
        "end": end.isoformat() if end else "",
        "cuspp": (cuspp or CUSPP.get(servant.doc_number, "")) if afp else "",
        # a file without its affiliation: the AFP from the first day of service
        "affiliated": (affiliated.isoformat() if affiliated else entry) if afp else "",
    }


def _master_row(servant: Servant, dni: str, month: int, year: int) -> str:
    _, type_label, level, _ = PEOPLE[dni]
    school = servant.school
    pension = servant.pension_regime.code if servant.pension_regime else "02"
    legend = "FELIZ DÍA DEL MAESTRO" if month == 7 else ""
    file = _from_file(servant)
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
        file["cuspp"],
        file["affiliated"],
        f"04-{dni[-4:]}-{dni}",
        "PAGO EN BANCO DE LA NACIÓN",
        legend,
        file["entry"],
        file["end"],
        "",  # tiempo de servicio: computed from the file by the importer
    ]
    return ",".join(f'"{v}"' if "," in v else v for v in values)


def _import_and_publish(
    *,
    ugel: OrgUnit,
    ruc: str,
    year: int,
    month: int,
    kind: str,
    payment_date: date,
    people: list[Servant],
    officer: User | None,
    additional: bool = False,
    lines: list[str] | None = None,
) -> PayrollRun:
    run = run_for_upload(
        ugel=ugel,
        year=year,
        month=month,
        kind=kind,
        payment_date=payment_date,
        additional=additional,
        actor=officer,
    )
    rem = "\r\n".join(
        lines
        if lines is not None
        else [line for s in people for line in _lines(s.doc_number, month, year)]
    )
    master = "\n".join([HEADER, *(_master_row(s, s.doc_number, month, year) for s in people)])
    outcome = payroll_import(
        run=run,
        rem_name=f"0601{year}{month:02d}{ruc}.rem",
        rem_bytes=rem.encode("cp1252"),
        master_bytes=master.encode(),
        actor=officer,
    )
    if not outcome.ok:
        raise RuntimeError("; ".join(outcome.errors))
    return payroll_publish(run=run, actor=officer)


def _in_service(servant: Servant, year: int, month: int) -> bool:
    """Whether the file records service (or a pension) in that month: no payslip for a
    month before the first appointment or after a contract ended."""
    file = _from_file(servant)
    first = date(year, month, 1)
    if not file["entry"] or date.fromisoformat(file["entry"]) > first.replace(day=28):
        return False
    ended = file["end"] and date.fromisoformat(file["end"]) < first
    return not ended or servant.status == Servant.Status.CESANTE


def _published(ugel: OrgUnit, year: int, month: int, kind: str) -> bool:
    return PayrollRun.objects.filter(
        ugel=ugel, year=year, month=month, kind=kind, state=PayrollRun.State.PUBLISHED
    ).exists()


def seed_payroll_demo() -> int:
    """Idempotent: only months without a published run are loaded. Returns runs published."""
    ensure_contribution_rates()
    officer = User.objects.get(login_id="01-20000002")
    servants = {
        s.doc_number: s
        for s in Servant.objects.filter(doc_number__in=PEOPLE).select_related(
            "school", "employing_unit", "pension_regime", "labor_regime"
        )
    }
    ugels = {u.code: u for u in OrgUnit.objects.filter(code__in=["150108", *OTHER_UGELS])}
    ugel = ugels["150108"]
    today = timezone.localdate()
    published = 0
    for back in range(MONTHS_BACK, -1, -1):
        year, month = _month_back(today, back)
        for kind in ("activos", "cesantes"):
            if _published(ugel, year, month, kind):
                continue
            people = [
                servants[d] for d, spec in PEOPLE.items() if spec[0] == kind and d not in UGEL_OF
            ]
            _import_and_publish(
                ugel=ugel,
                ruc=UGEL_07_RUC,
                year=year,
                month=month,
                kind=kind,
                payment_date=_payment_date(year, month, today, back),
                people=people,
                officer=officer,
            )
            published += 1
    # The other UGELs' demo teachers: their own UGEL's runs, loaded by the system (the
    # demo has no payroll officer there), in the months their file records service.
    for dni, code in UGEL_OF.items():
        servant, kind = servants[dni], PEOPLE[dni][0]
        for back in range(OTHER_MONTHS_BACK, -1, -1):
            year, month = _month_back(today, back)
            if _published(ugels[code], year, month, kind) or not _in_service(servant, year, month):
                continue
            _import_and_publish(
                ugel=ugels[code],
                ruc=OTHER_UGELS[code],
                year=year,
                month=month,
                kind=kind,
                payment_date=_payment_date(year, month, today, back),
                people=[servant],
                officer=None,
            )
            published += 1
    published += _seed_annulled_additional(ugel, officer, servants, today)
    return published


# An adicional pays what the month's run left out (a bonificación diferencial owed), with
# its AFP contribution: never the whole salary again.
ADDITIONAL_LINES = ["01|10000001|2005|250.00|250.00|", "01|10000001|0608||25.00|"]
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
    published = 0
    for annul in (True, False):
        run = _import_and_publish(
            ugel=ugel,
            ruc=UGEL_07_RUC,
            year=year,
            month=month,
            kind="activos",
            payment_date=_payment_date(year, month, today, 2),
            people=[servants["10000001"]],
            officer=officer,
            additional=True,
            lines=ADDITIONAL_LINES,
        )
        published += 1
        if annul:
            payroll_annul(run=run, actor=officer, reason=ANNUL_REASON)
    return published
