"""payroll_import: one service for the command and the upload page.

Validates the whole .rem and master file first; a file with any error loads
nothing and leaves a report of every error with its line number. A clean file
replaces the draft run's payslips in one transaction (PostgreSQL: COPY, see writer.py).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import transaction

from ayni.accounts.permissions import PERSONNEL_EDIT
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.verification import new_code
from ayni.core.workqueue import work_item_post
from ayni.org.models import PayrollConcept, PensionRegime
from ayni.payroll.compute import PayslipBuilder, header_snapshot
from ayni.payroll.models import ContributionRate, PayrollRun, Payslip
from ayni.payroll.rem import (
    Concept,
    LoadError,
    MasterRow,
    RemResult,
    parse_filename,
    parse_master,
    parse_rem,
)
from ayni.payroll.writer import payslip_row, write_payslips
from ayni.personnel.models import Servant

Progress = Callable[[int, int], None]
BATCH = 2000
SPOOL_BYTES = 16 * 1024 * 1024  # beyond this the built rows go to a temporary file


class PayrollError(UserError):
    """A refusal for the user, in Spanish."""


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
    label = f"{run.get_kind_display()} {run.period_label}" + (
        f" (adicional {run.sequence - 1})" if run.is_additional else ""
    )
    known = _lookup_ids(set(parsed.lines))
    # Every payslip is built before the transaction, into a spool (memory, then disk):
    # progress is visible to the run page, and nothing runs on the connection while
    # COPY holds it.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", newline="\n") as spool:
        gross, net = _build(run, parsed, master, concepts, ruc, label, spool, progress)
        spool.seek(0)
        with transaction.atomic():
            locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
            if locked.state == PayrollRun.State.PUBLISHED:
                raise PayrollError("La planilla se publicó mientras se cargaba el archivo.")
            missing = [master[k] for k in parsed.lines if k not in known]
            ids, created = _servants_for(run, missing)
            ids.update(known)
            Payslip.objects.filter(run=run).delete()
            write_payslips(run, _spooled(spool, ids), published=False)
            run.state = PayrollRun.State.DRAFT
            run.ruc = ruc
            run.rem_name = rem_name
            run.rem_sha256 = hashlib.sha256(rem_bytes).hexdigest()
            run.line_count = parsed.line_count
            run.payslip_count = total
            run.created_servants = created
            run.total_gross = Decimal(gross).scaleb(-2)
            run.total_net = Decimal(net).scaleb(-2)
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


def _build(
    run: PayrollRun,
    parsed: RemResult,
    master: dict[tuple[str, str], MasterRow],
    concepts: dict[str, Concept],
    ruc: str,
    label: str,
    spool: IO[str],
    progress: Progress | None,
) -> tuple[int, int]:
    """Write each payslip's row to the spool, keyed by document; returns gross and net."""
    builder = PayslipBuilder(concepts, rates_for(run.year, run.month))
    ugel_name, kind_label = run.ugel.name, run.get_kind_display()
    gross = net = 0
    total = len(parsed.lines)
    for done, (key, amounts) in enumerate(parsed.lines.items(), start=1):
        row = master[key]
        lines, totals = builder.build(row.pension_system, amounts)
        header = header_snapshot(
            row, ugel_name=ugel_name, ruc=ruc, run_label=label, kind_label=kind_label
        )
        text = payslip_row(json.dumps(header, ensure_ascii=False), lines, totals, new_code())
        spool.write(f"{key[0]}\t{key[1]}\t{text}\n")
        gross += totals.gross
        net += totals.net
        if progress and done % BATCH == 0:
            progress(done, total)
    return gross, net


def _spooled(spool: IO[str], ids: dict[tuple[str, str], int]) -> Iterator[tuple[int, str]]:
    for line in spool:
        doc_type, number, row = line.rstrip("\n").split("\t", 2)
        yield ids[(doc_type, number)], row


def _servants_for(run: PayrollRun, rows: list[MasterRow]) -> tuple[dict[tuple[str, str], int], int]:
    """Ids of servants not found before the transaction; those still unknown to Ayni
    are created, flagged for the escalafón team. Returns the ids and how many were new."""
    if not rows:
        return {}, 0
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
