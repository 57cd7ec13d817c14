"""payroll_import: one service for the command and the upload page.

Validates the whole .rem and master file first; a file with any error loads
nothing and leaves a report of every error with its line number. A clean file
replaces the draft run's payslips in one transaction (PostgreSQL: COPY).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from ayni.accounts.permissions import PERSONNEL_EDIT
from ayni.core.audit import audit_log
from ayni.core.verification import new_code
from ayni.core.workqueue import work_item_post
from ayni.org.models import PayrollConcept, PensionRegime
from ayni.payroll.compute import Totals, build_payslip, header_snapshot
from ayni.payroll.models import ContributionRate, PayrollRun, Payslip
from ayni.payroll.rem import Concept, LoadError, MasterRow, parse_filename, parse_master, parse_rem
from ayni.personnel.models import Servant

Progress = Callable[[int, int], None]
BATCH = 2000


class PayrollError(Exception):
    """A refusal for the user, in Spanish."""


@dataclass
class _RunTotals:
    gross: Decimal = Decimal(0)
    net: Decimal = Decimal(0)
    count: int = 0


@dataclass
class ImportOutcome:
    ok: bool
    errors: list[str]
    payslips: int = 0
    lines: int = 0
    created_servants: int = 0


def load_concepts() -> dict[str, Concept]:
    return {
        c.code: Concept(
            code=c.code,
            name=c.name,
            kind=c.kind,
            allowed_in_rem=c.allowed_in_rem,
            subject_essalud=c.subject_essalud,
            subject_onp=c.subject_onp,
            subject_afp=c.subject_afp,
        )
        for c in PayrollConcept.objects.filter(active=True)
    }


def load_pension_regimes() -> dict[str, tuple[str, str]]:
    return {p.code: (p.system, p.name) for p in PensionRegime.objects.filter(active=True)}


def rates_for(year: int, month: int) -> dict[str, Decimal]:
    start = date(year, month, 1)
    rates: dict[str, Decimal] = {}
    for rate in (
        ContributionRate.objects.filter(valid_from__lte=start)
        .select_related("concept")
        .order_by("concept__code", "-valid_from")
    ):
        rates.setdefault(rate.concept.code, rate.rate)
    return rates


def _fail(run: PayrollRun, errors: list[LoadError] | list[str]) -> ImportOutcome:
    messages = [str(e) for e in errors]
    run.state = PayrollRun.State.FAILED
    run.errors = messages
    run.progress = 100
    run.save(update_fields=["state", "errors", "progress", "updated_at"])
    return ImportOutcome(ok=False, errors=messages)


def payroll_import(
    *,
    run: PayrollRun,
    rem_name: str,
    rem_bytes: bytes,
    master_bytes: bytes,
    actor: Any = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    run.refresh_from_db()
    if run.state == PayrollRun.State.PUBLISHED:
        raise PayrollError(
            "La planilla ya está publicada y no cambia: cargue una planilla "
            "adicional para el mismo periodo."
        )
    run.state = PayrollRun.State.IMPORTING
    run.progress = 0
    run.save(update_fields=["state", "progress", "updated_at"])
    year, month, ruc, problems = parse_filename(rem_name)
    errors: list[LoadError] = [LoadError("rem", 0, p) for p in problems]
    if not problems and (year, month) != (run.year, run.month):
        errors.append(
            LoadError(
                "rem",
                0,
                f"el archivo es del periodo {month:02d}/{year} y la "
                f"planilla del {run.month:02d}/{run.year}",
            )
        )
    concepts = load_concepts()
    master, master_errors = parse_master(master_bytes, load_pension_regimes())
    errors.extend(master_errors)
    parsed = parse_rem(rem_bytes, concepts, master)
    errors.extend(parsed.errors)
    if not parsed.lines and not errors:
        errors.append(LoadError("rem", 0, "el archivo no tiene líneas"))
    if errors:
        return _fail(run, errors)
    total = len(parsed.lines)
    if progress:
        progress(0, total)
    # Build every payslip first, outside the transaction: progress is visible to the run
    # page, and nothing runs on the connection while COPY holds it.
    rates = rates_for(run.year, run.month)
    label = f"{run.get_kind_display()} {run.period_label}" + (
        f" (adicional {run.sequence - 1})" if run.is_additional else ""
    )
    ugel_name, kind_label = run.ugel.name, run.get_kind_display()
    totals = _RunTotals()
    prepared: list[_Row] = []
    for key, amounts in parsed.lines.items():
        row = master[key]
        lines, t = build_payslip(row, amounts, concepts, rates)
        totals.gross += t.gross
        totals.net += t.net
        totals.count += 1
        header = header_snapshot(
            row, ugel_name=ugel_name, ruc=ruc, run_label=label, kind_label=kind_label
        )
        prepared.append(
            _Row(key=key, uuid=uuid.uuid4(), header=header, lines=lines, totals=t, code=new_code())
        )
        if progress and totals.count % BATCH == 0:
            progress(totals.count, total)
    with transaction.atomic():
        locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if locked.state == PayrollRun.State.PUBLISHED:
            raise PayrollError("La planilla se publicó mientras se cargaba el archivo.")
        servant_ids, created = _servants_for(run, [master[k] for k in parsed.lines])
        Payslip.objects.filter(run=run).delete()
        _insert(run, prepared, servant_ids)
        run.state = PayrollRun.State.DRAFT
        run.ruc = ruc
        run.rem_name = rem_name
        run.rem_sha256 = hashlib.sha256(rem_bytes).hexdigest()
        run.line_count = parsed.line_count
        run.payslip_count = totals.count
        run.created_servants = created
        run.total_gross = totals.gross
        run.total_net = totals.net
        run.errors = []
        run.progress = 100
        run.save()
        audit_log(
            action="payroll.imported",
            actor=actor,
            obj=run,
            unit_path=run.ugel.path,
            after={
                "payslips": run.payslip_count,
                "lines": run.line_count,
                "sha256": run.rem_sha256,
            },
            detail=f"{label}: {run.payslip_count} boletas",
        )
    return ImportOutcome(
        ok=True,
        errors=[],
        payslips=run.payslip_count,
        lines=run.line_count,
        created_servants=created,
    )


def _servants_for(run: PayrollRun, rows: list[MasterRow]) -> tuple[dict[tuple[str, str], int], int]:
    """Ids of the servants of the file; those unknown to Ayni are created, flagged."""
    ids = _lookup_ids({r.key for r in rows})
    missing = [r for r in rows if r.key not in ids]
    if missing:
        Servant.objects.bulk_create(
            [
                Servant(
                    doc_type=r.doc_type,
                    doc_number=r.doc_number,
                    paternal_surname=r.paternal_surname,
                    maternal_surname=r.maternal_surname,
                    given_names=r.given_names,
                    birth_date=date.fromisoformat(r.birth_date) if r.birth_date else None,
                    employing_unit=run.ugel,
                    position=r.position[:120],
                    condition=(
                        Servant.Condition.CONTRATADO
                        if run.kind in ("contratados", "cas")
                        else Servant.Condition.NOMBRADO
                    ),
                    status=(
                        Servant.Status.CESANTE if run.kind == "cesantes" else Servant.Status.ACTIVO
                    ),
                    needs_completion=True,
                )
                for r in missing
            ],
            batch_size=BATCH,
        )
        ids.update(_lookup_ids({r.key for r in missing}))
        work_item_post(
            kind="personnel.complete_records",
            title=f"Completar la ficha de {len(missing)} servidor(es) nuevo(s) de la "
            f"planilla {run.period_label}",
            link="/servidores/",
            unit_path=run.ugel.path,
            permission=PERSONNEL_EDIT,
            source_type="payroll_run",
            source_id=str(run.pk),
        )
    return ids, len(missing)


def _lookup_ids(keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(doc_type, doc_number) → servant id, in chunks the unique index can serve."""
    ids: dict[tuple[str, str], int] = {}
    by_type: dict[str, list[str]] = {}
    for doc_type, number in keys:
        by_type.setdefault(doc_type, []).append(number)
    for doc_type, numbers in by_type.items():
        numbers.sort()
        for start in range(0, len(numbers), 900):
            found = (
                Servant.objects.filter(
                    doc_type=doc_type, doc_number__in=numbers[start : start + 900]
                )
                .order_by()
                .values_list("pk", "doc_number")
            )
            ids.update({(doc_type, number): pk for pk, number in found})
    return ids


COLUMNS = [
    "uuid",
    "run_id",
    "servant_id",
    "year",
    "month",
    "payment_date",
    "published",
    "header",
    "lines",
    "gross",
    "deductions",
    "net",
    "taxable_base",
    "employer_contributions",
    "verification_code",
    "pdf_file",
    "pdf_sha256",
]


@dataclass
class _Row:
    key: tuple[str, str]
    uuid: uuid.UUID
    header: dict[str, Any]
    lines: list[dict[str, Any]]
    totals: Totals
    code: str


def _insert(run: PayrollRun, rows: list[_Row], servant_ids: dict[tuple[str, str], int]) -> None:
    """COPY on PostgreSQL (about ten times bulk_create), bulk_create elsewhere.

    Nothing here may query the database while COPY holds the connection.
    """
    if connection.vendor == "postgresql":
        table = Payslip._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for r in rows:
                t = r.totals
                copy.write_row(
                    (
                        r.uuid,
                        run.pk,
                        servant_ids[r.key],
                        run.year,
                        run.month,
                        run.payment_date,
                        False,
                        json.dumps(r.header, ensure_ascii=False),
                        json.dumps(r.lines, ensure_ascii=False),
                        t.gross,
                        t.deductions,
                        t.net,
                        t.taxable_base,
                        t.employer_contributions,
                        r.code,
                        "",
                        "",
                    )
                )
        return
    for start in range(0, len(rows), BATCH):
        Payslip.objects.bulk_create(
            [
                Payslip(
                    uuid=r.uuid,
                    run=run,
                    servant_id=servant_ids[r.key],
                    year=run.year,
                    month=run.month,
                    payment_date=run.payment_date,
                    published=False,
                    header=r.header,
                    lines=r.lines,
                    gross=r.totals.gross,
                    deductions=r.totals.deductions,
                    net=r.totals.net,
                    taxable_base=r.totals.taxable_base,
                    employer_contributions=r.totals.employer_contributions,
                    verification_code=r.code,
                )
                for r in rows[start : start + BATCH]
            ]
        )
