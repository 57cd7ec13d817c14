"""payroll_import: one service for the command and the upload page.

Validates the whole .rem and master file first; a file with any error loads
nothing and leaves a report of every error with its line number. A clean file
becomes the run's payslips in one transaction (PostgreSQL: COPY, see writer.py).

The run moves through the one gate (`states.run_move`) with the state it is
expected to be in: a run that a newer upload superseded meanwhile, or that was
published, is left as it is and the import does nothing (`ImportOutcome.stale`).
Every failure, expected or not, ends the run «Con errores» with a Spanish message.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ayni.core.errors import StaleStateError, UserError
from ayni.core.formats import document
from ayni.org.models import PayrollConcept, PensionRegime
from ayni.payroll.compute import ESSALUD_PENSIONER, PayslipBuilder, header_snapshot
from ayni.payroll.models import ContributionRate, PayrollRun, Payslip
from ayni.payroll.rem import (
    MAX_ERRORS,
    Concept,
    LoadError,
    MasterRow,
    RemResult,
    parse_filename,
    parse_master,
    parse_rem,
)
from ayni.payroll.samples import SAMPLE_KEYS
from ayni.payroll.service_times import service_times
from ayni.payroll.states import run_move, run_try_move
from ayni.payroll.writer import (
    analyze,
    analyze_payslips,
    fresh_keys,
    id_chunks,
    payslip_row,
    write_payslips,
)
from ayni.personnel.models import Servant
from ayni.personnel.servant_records import NewServant, servants_create_bulk

logger = logging.getLogger(__name__)
State = PayrollRun.State
Progress = Callable[[int, int], None]
BATCH = 2000
SPOOL_BYTES = 16 * 1024 * 1024  # beyond this the built rows go to a temporary file
# Stored in the run's errors: use str(INTERNAL_ERROR), the words of the moment.
INTERNAL_ERROR = _(
    "La carga se detuvo por un error interno; no se cargó nada. Vuelva a cargar los "
    "archivos y, si se repite, avise a soporte indicando la fecha y la hora."
)


class PayrollError(UserError):
    """A refusal for the user, in Spanish."""


@dataclass
class ImportOutcome:
    ok: bool
    errors: list[str]
    payslips: int = 0
    lines: int = 0
    created_servants: int = 0
    stale: bool = False  # the run had moved on (a newer upload, a publication): nothing done


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


def _moved_on(run: PayrollRun) -> ImportOutcome:
    """The run is no longer the one this import was for: say so, change nothing."""
    run.refresh_from_db(fields=["state", "superseded_by"])
    if run.state == State.SUPERSEDED:
        message = gettext(
            "Esta carga fue reemplazada por una más nueva del mismo periodo; no se usó."
        )
    else:
        message = gettext("La planilla está «%(state)s»: esta carga no cambió nada.") % {
            "state": run.get_state_display()
        }
    logger.info("payroll run %s is %s: the import did nothing", run.pk, run.state)
    return ImportOutcome(ok=False, errors=[message], stale=True)


def _fail(run: PayrollRun, errors: list[LoadError] | list[str], actor: Any) -> ImportOutcome:
    messages = [str(e) for e in errors]
    moved = run_try_move(
        run,
        State.FAILED,
        expected=State.IMPORTING,
        actor=actor,
        fields={"errors": messages, "progress": 100},
        after={"errors": len(messages)},
        comment=ngettext("%(n)s error", "%(n)s errores", len(messages)) % {"n": len(messages)},
    )
    if not moved:
        return _moved_on(run)
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
    """Import the files into a queued run (from `run_for_upload`)."""
    run.refresh_from_db()
    if not run_try_move(run, State.IMPORTING, expected=State.QUEUED, actor=actor):
        return _moved_on(run)
    PayrollRun.objects.filter(pk=run.pk).update(progress=0)
    try:
        return _import(run, rem_name, rem_bytes, master_bytes, actor, progress)
    except StaleStateError:
        return _moved_on(run)
    except Exception:
        logger.exception("payroll import of run %s failed", run.pk)
        return _fail(run, [str(INTERNAL_ERROR)], actor)


def _import(
    run: PayrollRun,
    rem_name: str,
    rem_bytes: bytes,
    master_bytes: bytes,
    actor: Any,
    progress: Progress | None,
) -> ImportOutcome:
    year, month, ruc, problems = parse_filename(rem_name)
    errors: list[LoadError] = [LoadError("rem", 0, p) for p in problems]
    if not problems and (year, month) != (run.year, run.month):
        errors.append(
            LoadError(
                "rem",
                0,
                gettext(
                    "el archivo es del periodo %(file_period)s y la planilla del %(run_period)s"
                )
                % {
                    "file_period": f"{month:02d}/{year}",
                    "run_period": f"{run.month:02d}/{run.year}",
                },
            )
        )
    concepts = load_concepts()
    master, master_errors = parse_master(master_bytes, load_pension_regimes())
    errors.extend(master_errors)
    sample = next((row for key, row in master.items() if key in SAMPLE_KEYS), None)
    if sample is not None:
        return _fail(
            run,
            [
                LoadError(
                    "maestro",
                    sample.line,
                    gettext(
                        "este es el archivo de ejemplo de la guía de planillas (documento "
                        "%(number)s): sirve para ver el formato; cargue los archivos de su UGEL"
                    )
                    % {"number": sample.doc_number},
                )
            ],
            actor,
        )
    pensioners = run.kind == PayrollRun.Kind.CESANTES
    if master_errors and not master:
        # an unreadable master (its header, its encoding): checking every .rem line
        # against it would only add «no está en el archivo maestro» to each
        parsed = RemResult()
    else:
        parsed = parse_rem(rem_bytes, concepts, master, pensioners=pensioners)
    errors.extend(parsed.errors)
    if pensioners and ESSALUD_PENSIONER not in rates_for(run.year, run.month):
        errors.append(
            LoadError(
                "rem",
                0,
                gettext(
                    "no hay una tasa de EsSalud de pensionistas (0610) vigente en "
                    "%(period)s; pida a soporte que la registre"
                )
                % {"period": f"{run.month:02d}/{run.year}"},
            )
        )
    if not parsed.lines and not errors:
        errors.append(LoadError("rem", 0, gettext("el archivo no tiene líneas")))
    if errors:
        return _fail(run, errors, actor)
    known = _lookup_ids(set(parsed.lines))
    outside = _outside(run, master, known)
    if outside:
        return _fail(run, outside, actor)
    total = len(parsed.lines)
    if progress:
        progress(0, total)
    label = f"{run.get_kind_display()} {run.period_label}" + (
        f" (adicional {run.sequence - 1})" if run.is_additional else ""
    )
    # Every payslip is built before the transaction, into a spool (memory, then disk):
    # progress is visible to the run page, and nothing runs on the connection while
    # COPY holds it.
    # «Tiempo de servicio» left empty in the master: the one the file computes, at the
    # end of the period (servants new to Ayni have no file yet and keep «—»).
    period_end = date(run.year, run.month, calendar.monthrange(run.year, run.month)[1])
    from_file = service_times(
        (known[k][0] for k in parsed.lines if k in known and not master[k].service_time),
        period_end,
    )
    service = {
        k: from_file[known[k][0]] for k in parsed.lines if k in known and known[k][0] in from_file
    }
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", newline="\n") as spool:
        gross, net = _build(run, parsed, master, concepts, ruc, label, spool, progress, service)
        spool.seek(0)
        sha256 = hashlib.sha256(rem_bytes).hexdigest()
        with transaction.atomic():
            # First the conditional move (StaleStateError: a newer upload superseded
            # this one meanwhile, and nothing below is written).
            run_move(
                run,
                State.DRAFT,
                expected=State.IMPORTING,
                actor=actor,
                fields={
                    "ruc": ruc,
                    "rem_name": rem_name[:120],
                    "rem_sha256": sha256,
                    "line_count": parsed.line_count,
                    "payslip_count": total,
                    "total_gross": Decimal(gross).scaleb(-2),
                    "total_net": Decimal(net).scaleb(-2),
                    "errors": [],
                    "progress": 100,
                },
                after={"payslips": total, "lines": parsed.line_count, "sha256": sha256},
                comment=f"{label}: {total} boletas",
            )
            missing = [master[k] for k in parsed.lines if k not in known]
            ids, created = _servants_for(run, missing)
            ids.update((key, pk) for key, (pk, _) in known.items())
            _discard_superseded(run)
            write_payslips(run, _spooled(spool, ids), published=False)
            if created:
                PayrollRun.objects.filter(pk=run.pk).update(created_servants=created)
                run.created_servants = created
    # the planner learns of the new rows now (their year's partition)
    analyze_payslips(run.year)
    if created:
        analyze(Servant._meta.db_table)
    return ImportOutcome(
        ok=True,
        errors=[],
        payslips=run.payslip_count,
        lines=run.line_count,
        created_servants=created,
    )


def _outside(
    run: PayrollRun,
    master: dict[tuple[str, str], MasterRow],
    known: dict[tuple[str, str], tuple[int, str]],
) -> list[LoadError]:
    """Master lines of servants Ayni records in a unit outside the run's UGEL. Named by
    the document the file gave, never by the person's registered name or unit."""
    base = run.ugel.path
    keys = sorted((k for k, (_, path) in known.items() if not path.startswith(base)),
                  key=lambda k: master[k].line)  # fmt: skip
    return [
        LoadError(
            "maestro",
            master[k].line,
            gettext(
                "el servidor con documento %(number)s pertenece a otra UGEL: su traslado se "
                "registra primero en escalafón"
            )
            % {"number": k[1]},
        )
        for k in keys[:MAX_ERRORS]
    ]


def _discard_superseded(run: PayrollRun) -> None:
    """The draft payslips of the uploads this one replaced (never published, never seen)."""
    Payslip.objects.filter(
        run__in=PayrollRun.objects.filter(
            ugel_id=run.ugel_id,
            year=run.year,
            month=run.month,
            kind=run.kind,
            state=State.SUPERSEDED,
        ).values("pk"),
        published=False,
    ).delete()


def _build(
    run: PayrollRun,
    parsed: RemResult,
    master: dict[tuple[str, str], MasterRow],
    concepts: dict[str, Concept],
    ruc: str,
    label: str,
    spool: IO[str],
    progress: Progress | None,
    service: dict[tuple[str, str], str],
) -> tuple[int, int]:
    """Write each payslip's row to the spool, keyed by document; returns gross and net.
    `service`: the tiempo de servicio computed from the file, where the master has none."""
    builder = PayslipBuilder(
        concepts,
        rates_for(run.year, run.month),
        pensioners=run.kind == PayrollRun.Kind.CESANTES,
    )
    ugel_name, kind_label = run.ugel.name, str(run.get_kind_display())
    gross = net = 0
    total = len(parsed.lines)
    keys = fresh_keys()
    documents: dict[str, str] = {}  # document type → its name, looked up once
    for done, (key, amounts) in enumerate(parsed.lines.items(), start=1):
        row = master[key]
        lines, totals = builder.build(row.pension_system, amounts)
        if key[0] not in documents:
            documents[key[0]] = document(key[0], "").strip()
        header = header_snapshot(
            row,
            ugel_name=ugel_name,
            ruc=ruc,
            run_label=label,
            kind_label=kind_label,
            service_time=service.get(key, ""),
            document_label=documents[key[0]],
        )
        ref, code = next(keys)
        text = payslip_row(json.dumps(header, ensure_ascii=False), lines, totals, code, ref)
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
    are created through personnel's one door (`servants_create_bulk`: flagged, one
    work item for the escalafón team). Returns the ids and how many were new."""
    if not rows:
        return {}, 0
    found = _lookup_ids({r.key for r in rows})
    if any(not path.startswith(run.ugel.path) for _, path in found.values()):
        # registered elsewhere between the check and this transaction: refuse all
        raise PayrollError(
            gettext("Otra unidad registró a uno de los servidores durante la carga.")
        )
    ids = {key: pk for key, (pk, _) in found.items()}
    missing = [r for r in rows if r.key not in ids]
    if missing:
        servants_create_bulk(
            people=[
                NewServant(
                    doc_type=r.doc_type,
                    doc_number=r.doc_number,
                    paternal_surname=r.paternal_surname,
                    maternal_surname=r.maternal_surname,
                    given_names=r.given_names,
                    birth_date=date.fromisoformat(r.birth_date) if r.birth_date else None,
                    position=r.position,
                    condition=(
                        Servant.Condition.CONTRATADO
                        if run.kind in ("contratados", "cas")
                        else Servant.Condition.NOMBRADO
                    ),
                    status=(
                        Servant.Status.CESANTE if run.kind == "cesantes" else Servant.Status.ACTIVO
                    ),
                )
                for r in missing
            ],
            unit=run.ugel,
            title=ngettext(
                "Completar la ficha de %(count)d servidor nuevo de la planilla %(period)s",
                "Completar la ficha de %(count)d servidores nuevos de la planilla %(period)s",
                len(missing),
            )
            % {"count": len(missing), "period": run.period_label},
            source_type="payroll_run",
            source_id=str(run.pk),
            batch_size=BATCH,
        )
        ids.update((key, pk) for key, (pk, _) in _lookup_ids({r.key for r in missing}).items())
    return ids, len(missing)


def _lookup_ids(keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """(doc_type, doc_number) → (servant id, path of the unit employing them), in chunks
    the unique index can serve."""
    ids: dict[tuple[str, str], tuple[int, str]] = {}
    by_type: dict[str, list[str]] = {}
    for doc_type, number in keys:
        by_type.setdefault(doc_type, []).append(number)
    for doc_type, numbers in by_type.items():
        numbers.sort()
        for chunk in id_chunks(numbers, cast="varchar"):
            found = (
                Servant.objects.filter(doc_type=doc_type, doc_number__in=chunk)
                .order_by()
                .values_list("pk", "doc_number", "employing_unit__path")
            )
            ids.update({(doc_type, number): (pk, path) for pk, number, path in found})
    return ids
