"""Open data: a monthly, anonymised aggregate per UGEL, as CSV with a data dictionary.

One row per UGEL, built from the precomputed figures (ayni.supervision.aggregates): the
UGEL's own servants by kind, condition and labour regime, its payroll of the month, and
its request and desk figures. No person is named and no cell is published that could
single one out:

- **primary suppression**: a count of people between 1 and 4 is replaced by «s»;
  a UGEL with fewer than 5 servants publishes none of its people counts;
- **complementary suppression**: each breakdown (kind, condition, regime) adds up to the
  UGEL's total, so when a breakdown has exactly one suppressed cell, its smallest other
  non-zero cell is suppressed too, and no suppressed value can be recovered by
  subtraction; payroll: fewer than 5 payslips suppresses both the count and the net total
  (a net total over 1 to 4 people is someone's pay).

No total rows (per DRE or national) are published, so no column adds up to a published
figure either. Request and desk figures count procedures, not people, and are published
as they are.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.core.workdays import lima_date
from ayni.org.models import OrgUnit
from ayni.supervision.aggregates import month_key
from ayni.supervision.models import OpenDataFile, UnitFigures

SUPPRESSED = "s"
THRESHOLD = 5


@dataclass(frozen=True)
class Column:
    name: str
    description: Any  # lazy Spanish text
    kind: str  # "texto", "entero", "decimal"
    people: bool = False  # a count of people: suppressed below THRESHOLD
    group: str = ""  # the breakdown it belongs to (its cells add up to servidores_total)


REGIMES = [
    ("L29944", "regimen_ley_29944"),
    ("L30328", "regimen_ley_30328"),
    ("L30493", "regimen_ley_30493"),
    ("02", "regimen_dl_276"),
    ("15", "regimen_cas"),
]

COLUMNS = [
    Column("periodo", _("Mes de los datos, AAAA-MM."), "texto"),
    Column("codigo_dre", _("Código de la DRE o GRE."), "texto"),
    Column("dre", _("Nombre de la DRE o GRE."), "texto"),
    Column("codigo_ugel", _("Código de la UGEL."), "texto"),
    Column("ugel", _("Nombre de la UGEL."), "texto"),
    Column("servidores_total", _("Servidores registrados en la UGEL."), "entero", True),
    Column("docentes", _("Servidores docentes."), "entero", True, "tipo"),
    Column("auxiliares", _("Auxiliares de educación."), "entero", True, "tipo"),
    Column("administrativos", _("Servidores administrativos."), "entero", True, "tipo"),
    Column("salud", _("Profesionales de la salud."), "entero", True, "tipo"),
    Column("nombrados", _("Activos nombrados."), "entero", True, "condicion"),
    Column("contratados", _("Activos contratados."), "entero", True, "condicion"),
    Column("cesantes", _("Cesantes."), "entero", True, "condicion"),
    Column("pensionistas", _("Pensionistas."), "entero", True, "condicion"),
    Column("regimen_ley_29944", _("Régimen laboral: Ley 29944."), "entero", True, "regimen"),
    Column("regimen_ley_30328", _("Régimen laboral: Ley 30328."), "entero", True, "regimen"),
    Column("regimen_ley_30493", _("Régimen laboral: Ley 30493."), "entero", True, "regimen"),
    Column("regimen_dl_276", _("Régimen laboral: D. Leg. 276."), "entero", True, "regimen"),
    Column("regimen_cas", _("Régimen laboral: CAS (D. Leg. 1057)."), "entero", True, "regimen"),
    Column("regimen_otros", _("Otros regímenes o sin dato."), "entero", True, "regimen"),
    Column(
        "planilla_publicada",
        _("1 si la UGEL publicó alguna planilla del mes, 0 si no."),
        "entero",
    ),
    Column("boletas", _("Boletas de las planillas publicadas del mes."), "entero", True),
    Column(
        "neto_total",
        _("Neto pagado en las planillas publicadas del mes, en soles (punto decimal)."),
        "decimal",
    ),
    Column(
        "solicitudes_en_tramite",
        _("Solicitudes de modificación del legajo en trámite u observadas."),
        "entero",
    ),
    Column(
        "solicitudes_fuera_de_plazo",
        _("Solicitudes en trámite por más del plazo legal (días hábiles)."),
        "entero",
    ),
    Column("tramites_en_curso", _("Trámites de mesa de partes en curso."), "entero"),
    Column("tramites_vencidos", _("Trámites en curso por más del plazo legal."), "entero"),
]
NAMES = [c.name for c in COLUMNS]


def _n(tree: dict[str, Any], *keys: str) -> int:
    node: Any = tree
    for key in keys:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    return int(node) if isinstance(node, int) else 0


def _row(period: str, ugel: OrgUnit, dre: OrgUnit | None, data: dict[str, Any]) -> dict[str, Any]:
    p = data.get("personnel", {})
    regimes = p.get("regime", {})
    known = {code: _n(p, "regime", code) for code, _name in REGIMES}
    pay = data.get("payroll", {}).get(period, {})
    row: dict[str, Any] = {
        "periodo": period,
        "codigo_dre": dre.code if dre else "",
        "dre": dre.name if dre else "",
        "codigo_ugel": ugel.code,
        "ugel": ugel.name,
        "servidores_total": _n(p, "total"),
        "docentes": _n(p, "kind", "docente"),
        "auxiliares": _n(p, "kind", "auxiliar"),
        "administrativos": _n(p, "kind", "administrativo"),
        "salud": _n(p, "kind", "salud"),
        "nombrados": _n(p, "condition", "nombrado"),
        "contratados": _n(p, "condition", "contratado"),
        "cesantes": _n(p, "condition", "cesante"),
        "pensionistas": _n(p, "condition", "pensionista"),
        **{name: known[code] for code, name in REGIMES},
        "regimen_otros": sum(v for k, v in regimes.items() if k not in known),
        "planilla_publicada": 1 if _n(pay, "published") else 0,
        "boletas": _n(pay, "servants"),
        "neto_total": (Decimal(_n(pay, "net_cents")) / 100).quantize(Decimal("0.01")),
        "solicitudes_en_tramite": _n(data, "requests", "state", "en_solicitud")
        + _n(data, "requests", "state", "observado"),
        "solicitudes_fuera_de_plazo": _n(data, "requests", "overdue"),
        "tramites_en_curso": sum(data.get("desk", {}).get("open", {}).values()),
        "tramites_vencidos": sum(data.get("desk", {}).get("overdue", {}).values()),
    }
    return row


def suppress(row: dict[str, Any]) -> dict[str, Any]:
    """Primary and complementary suppression of one UGEL's row (see the module)."""
    out = dict(row)
    people = [c.name for c in COLUMNS if c.people and c.name != "boletas"]
    if 0 < row["servidores_total"] < THRESHOLD:
        for name in people:
            out[name] = SUPPRESSED
    else:
        for name in people:
            if 0 < row[name] < THRESHOLD:
                out[name] = SUPPRESSED
        for group in ("tipo", "condicion", "regimen"):
            cells = [c.name for c in COLUMNS if c.group == group]
            hidden = [n for n in cells if out[n] == SUPPRESSED]
            if len(hidden) == 1:
                others = sorted((row[n], n) for n in cells if n not in hidden and row[n] > 0)
                if others:
                    out[others[0][1]] = SUPPRESSED
    if 0 < row["boletas"] < THRESHOLD:
        out["boletas"] = SUPPRESSED
        out["neto_total"] = SUPPRESSED
    return out


def rows_for(period: str) -> list[dict[str, Any]]:
    """Every UGEL's row for the month `period` («2026-12»), suppressed; one query each for
    the units and the figures."""
    units = {u.pk: u for u in OrgUnit.objects.exclude(kind=OrgUnit.Kind.SCHOOL)}
    figures = dict(UnitFigures.objects.values_list("unit_path", "data"))
    ugels = sorted((u for u in units.values() if u.kind == OrgUnit.Kind.UGEL), key=lambda u: u.path)
    return [
        suppress(_row(period, u, units.get(u.parent_id or 0), figures.get(u.path, {})))
        for u in ugels
    ]


def csv_text(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=NAMES, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in row.items()}
        )
    return out.getvalue()


def dictionary_text() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["campo", "tipo", "descripcion", "reserva"])
    reserve = gettext("s si es de 1 a %(n)d personas, o para que no se deduzca otra celda") % {
        "n": THRESHOLD - 1
    }
    for column in COLUMNS:
        writer.writerow(
            [
                column.name,
                column.kind,
                str(column.description),
                reserve if column.people or column.name == "neto_total" else "",
            ]
        )
    return out.getvalue()


@transaction.atomic
def publish_month(today: date | None = None) -> OpenDataFile:
    """Write (or rewrite) the file of the current month from the latest figures."""
    today = today or lima_date(timezone.now())
    period = month_key(today.year, today.month)
    rows = rows_for(period)
    data = ("\ufeff" + csv_text(rows)).encode("utf-8")
    name = default_storage.save(f"opendata/ayni-ugel-{period}.csv", ContentFile(data))
    record, _created = OpenDataFile.objects.update_or_create(
        period=period,
        defaults={
            "file_name": name,
            "rows": len(rows),
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "published_at": timezone.now(),
        },
    )
    return record
