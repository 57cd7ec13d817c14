"""Time the PLAME import of one UGEL's month: N servants x 20 lines, validated and loaded.

Usage:
    python bench/payroll_import.py [N] [--lines L] [--sqlite] [--no-pg] [--no-profile]
                                   [--no-task] [--repeat R] [--keep]

For each engine (PostgreSQL by default, named by BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/ayni_bench_payroll, created and dropped here
with psycopg; `--sqlite` adds a SQLite file in a temporary directory), in its own
child process so that peak memory is the engine's own:

1. migrate, load the org tree and catalogues (ayni.org.loaders), bulk-create N
   servants in UGEL 07 San Borja (half ONP, half AFP), write the month's .rem
   (N x L lines, default L=20, Windows-1252, CRLF: as PLAME writes it) and the
   master CSV;
2. time `ayni.payroll.importer.payroll_import` (lines/s, payslips/s, peak RSS of the
   import alone, read from VmHWM after resetting it), then R more first uploads (default
   5, months 1 to R of 2024): the headline is their median, with the CPU of the importing
   process and of its PostgreSQL backend and the load average at the start of each;
   PostgreSQL's bytes per stored payslip;
3. import the same files again with section timers wrapped around the importer's
   helpers, then once more under cProfile (top functions), so that the time can
   be attributed;
4. time `payroll_publish`;
5. run the production path, `import_payroll_task` (files read from storage,
   progress written every 2,000 payslips), for another month, while a second
   connection polls the run's state and progress as the run page does; a
   watchdog reports a hang instead of waiting for ever.

Markdown goes to stdout, progress to stderr. Nothing here asserts a number;
the targets are printed beside the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVANTS = 10_000
DEFAULT_LINES = 20
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ayni_bench_payroll"
UGEL_CODE = "150108"  # UGEL 07 San Borja
RUC = "20330611023"
DNI_START = 60_000_000  # clear of the demo set and of generate_servants (40,000,000 up)
YEAR, MONTH = 2025, 3
TARGET_SECONDS, TARGET_LINES_S, TARGET_MIB = 5.0, 100_000, 500

# Concept codes a .rem may carry (Tabla 22, permitido_en_rem=SI). AFP-only codes
# (0601, 0606, 0608) go only to servants whose pension regime is an AFP.
INCOMES = ["2001", "2003", "2004", "2005", "2007", "2008", "2011", "2012", "2013", "2014",
           "2015", "2021", "2032", "2033", "2026", "2038", "0201", "0305"]  # fmt: skip
AFP_LINES = ["0608", "0606", "0601"]
ONP_LINES = ["0605"]
DISCOUNTS = ["0702", "0703", "0706", "0704", "0705", "0707"]
AFP_REGIMES = ["21", "22", "23", "24", "25"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- memory --------------------------------------------------------------------------


def reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of this process (Linux); False if unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mib() -> float:
    """VmHWM (resettable) where available, else getrusage's lifetime maximum."""
    try:
        match = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
        if match:
            return int(match[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    match = re.search(r"VmRSS:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match[1]) / 1024 if match else 0.0


# --- PostgreSQL database lifecycle ---------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"No database name in {url!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def pg_create(url: str) -> None:
    pg_drop(url)
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def pg_drop(url: str) -> None:
    """Drop the database if it exists. PostgreSQL 15's DROP DATABASE waits for every
    backend of the server to absorb a signal barrier, which a backend stuck in a COPY
    never does: give up after two minutes and say so rather than hang."""
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute("SET statement_timeout = '120s'")
        try:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        except psycopg.errors.QueryCanceled:
            log(
                f"Could not drop {name} within 2 minutes (a backend stuck elsewhere?): "
                "drop it later."
            )


def django_env(database_url: str, workdir: Path) -> None:
    """Settings from the environment, as in production, without production secrets."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "1"  # no SECRET_KEY needed; switched off again after setup
    os.environ["DJANGO_SETTINGS_MODULE"] = "ayni.settings"
    os.environ["AYNI_VAR_DIR"] = str(workdir)  # media (stored files), mail: in the temp dir
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # DEBUG's query log would keep the SQL of every insert in memory.
    settings.DEBUG = False


# --- the files -----------------------------------------------------------------------


def servant_spec(i: int) -> dict[str, str]:
    """The i-th synthetic servant: even ones in ONP, odd ones in an AFP."""
    dni = f"{DNI_START + i:08d}"
    afp = i % 2 == 1
    return {
        "dni": dni,
        "pension": AFP_REGIMES[i % len(AFP_REGIMES)] if afp else "02",
        "cuspp": f"{600000 + i % 400000:06d}ABCDE{i % 10}" if afp else "",
        "afp": "1" if afp else "",
    }


def specs_for(count: int) -> list[dict[str, str]]:
    return [servant_spec(i) for i in range(count)]


def build_servants(
    count: int, ugel_code: str = UGEL_CODE, with_accounts: bool = False, first: int = 0
) -> int:
    """Bulk-create servants `first` .. `first + count - 1` (see `servant_spec`) in one UGEL,
    with their accounts if asked; returns how many."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from ayni.accounts.models import User
    from ayni.org.models import LaborRegime, OrgUnit, PensionRegime
    from ayni.personnel.models import Servant

    ugel = OrgUnit.objects.get(code=ugel_code)
    pensions = {p.code: p for p in PensionRegime.objects.filter(code__in=["02", *AFP_REGIMES])}
    regime = LaborRegime.objects.filter(code="L29944").first()
    password = make_password("ayni-demo-2026") if with_accounts else ""
    now = timezone.now()
    rng = random.Random(2026)
    batch = 5000
    for start in range(first, first + count, batch):
        specs = [servant_spec(i) for i in range(start, min(first + count, start + batch))]
        with transaction.atomic():
            user_ids: dict[str, int] = {}
            if with_accounts:
                User.objects.bulk_create(
                    [
                        User(
                            doc_type="01",
                            doc_number=s["dni"],
                            login_id=f"01-{s['dni']}",
                            password=password,
                            full_name=f"Servidor {s['dni']}",
                            privacy_accepted_at=now,
                        )
                        for s in specs
                    ],
                    batch_size=batch,
                )
                user_ids = dict(
                    User.objects.filter(login_id__in=[f"01-{s['dni']}" for s in specs]).values_list(
                        "doc_number", "pk"
                    )
                )
            Servant.objects.bulk_create(
                [
                    Servant(
                        doc_type="01",
                        doc_number=s["dni"],
                        paternal_surname=rng.choice(["QUISPE", "MAMANI", "FLORES", "HUAMÁN"]),
                        maternal_surname=rng.choice(["ROJAS", "CCAHUANA", "TORRES", "PAREDES"]),
                        given_names=rng.choice(["ROSA ELENA", "JUAN CARLOS", "MARÍA", "LUIS"]),
                        birth_date=date(1970 + int(s["dni"]) % 30, 1 + int(s["dni"]) % 12, 15),
                        employing_unit=ugel,
                        kind=Servant.Kind.DOCENTE,
                        condition=Servant.Condition.NOMBRADO,
                        status=Servant.Status.ACTIVO,
                        labor_regime=regime,
                        pension_regime=pensions[s["pension"]],
                        weekly_hours=30,
                        position="PROFESOR DE AULA",
                        user_id=user_ids.get(s["dni"]),
                    )
                    for s in specs
                ],
                batch_size=batch,
            )
    return count


def build_files(
    specs: list[dict[str, str]], lines_per_servant: int, year: int, month: int
) -> tuple[str, bytes, bytes]:
    """(.rem name, .rem bytes, master CSV bytes) for the servants `specs` describe
    (dicts as `servant_spec` returns: dni, pension code, cuspp, afp)."""
    from ayni.payroll.demo import HEADER

    rng = random.Random(year * 100 + month)
    rem: list[str] = []
    master = [HEADER]
    for s in specs:
        own = (AFP_LINES if s["afp"] else ONP_LINES) + DISCOUNTS
        deductions = own[: min(len(own), max(1, lines_per_servant // 3))]
        incomes = INCOMES[: lines_per_servant - len(deductions)]
        if len(incomes) + len(deductions) < lines_per_servant:
            raise SystemExit(f"At most {len(INCOMES) + len(own)} distinct concepts per servant")
        for code in incomes:
            amount = f"{rng.randrange(5_000, 400_000) / 100:.2f}"
            rem.append(f"01|{s['dni']}|{code}|{amount}|{amount}|")
        for code in deductions:
            rem.append(f"01|{s['dni']}|{code}||{rng.randrange(100, 40_000) / 100:.2f}|")
        master.append(
            ",".join(
                [
                    "01",
                    s["dni"],
                    "QUISPE",
                    "HUAMÁN",
                    "ROSA ELENA",
                    "1975-05-15",
                    "PROFESOR DE AULA",
                    "I.E. N.° 7001 SAN BORJA",
                    "0312603",
                    "DOCENTE NOMBRADO",
                    "III ESCALA MAGISTERIAL",
                    "30",
                    "LEY 29944",
                    s["pension"],
                    s["cuspp"],
                    "2005-04-01" if s["afp"] else "",
                    f"04-{s['dni'][-4:]}-{s['dni']}",
                    "PAGO EN BANCO DE LA NACIÓN",
                    "",
                    "2005-03-01",
                    "",
                    "",
                ]
            )
        )
    name = f"0601{year}{month:02d}{RUC}.rem"
    return name, ("\r\n".join(rem) + "\r\n").encode("cp1252"), ("\n".join(master) + "\n").encode()


# --- section timers -------------------------------------------------------------------


class Sections:
    """Cumulative wall time per wrapped function (wrappers replace module globals)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, owner: Any, name: str, label: str | None = None) -> None:
        original = getattr(owner, name)
        key = label or name

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - start
                self.calls[key] = self.calls.get(key, 0) + 1

        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()


# --- the child: one engine ----------------------------------------------------------


def child(
    engine: str, servants: int, lines: int, profile: bool, task: bool, keep: bool, repeat: int = 5
) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="ayni-bench-payroll-"))
    if engine == "postgresql":
        database_url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
        pg_create(database_url)
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    try:
        django_env(database_url, workdir)
        return measure(engine, servants, lines, profile, task, repeat)
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            log(f"Kept: {database_url} and {workdir}")
        else:
            if engine == "postgresql":
                pg_drop(database_url)
            shutil.rmtree(workdir, ignore_errors=True)


def payslip_bytes() -> float:
    """PostgreSQL's bytes per stored payslip: the payslip table's partitions (heap, TOAST
    and indexes) over their rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "WHERE c.relname LIKE 'payroll\\_payslip%%' AND c.relkind = 'r'"
        )
        (size,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM payroll_payslip")
        (rows,) = cursor.fetchone()
    return size / rows if rows else 0.0


def backend_cpu() -> float:
    """CPU seconds so far of this connection's PostgreSQL backend (same machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def first_upload(ugel: Any, servants: int, lines: int, year: int, month: int) -> dict[str, float]:
    """One month's first upload, timed: wall, this process's CPU, its backend's CPU."""
    from ayni.payroll.importer import payroll_import
    from ayni.payroll.services import run_for_upload

    rem_name, rem_bytes, master_bytes = build_files(specs_for(servants), lines, year, month)
    run = run_for_upload(
        ugel=ugel,
        year=year,
        month=month,
        kind="activos",
        payment_date=date(year, month, 20),
        additional=False,
        actor=None,
    )
    load = os.getloadavg()[0]
    pg0 = backend_cpu()
    start, cpu = time.perf_counter(), time.process_time()
    outcome = payroll_import(
        run=run, rem_name=rem_name, rem_bytes=rem_bytes, master_bytes=master_bytes
    )
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    if not outcome.ok:
        raise SystemExit("Import refused:\n" + "\n".join(outcome.errors[:20]))
    pg = backend_cpu() - pg0
    log(f"  {month:02d}/{year}: {wall:.2f} s, {outcome.lines / wall:,.0f} lines/s, load {load:.2f}")
    return {"wall": wall, "cpu": cpu, "pg": pg, "load": load, "lines": outcome.lines}


def measure(
    engine: str, servants: int, lines: int, profile: bool, task: bool, repeat: int = 5
) -> str:
    from django.core.management import call_command
    from django.db import connection

    from ayni.core.partitions import maintain
    from ayni.org.loaders import load_catalogues, load_org_tree
    from ayni.org.models import OrgUnit
    from ayni.payroll import importer
    from ayni.payroll.importer import payroll_import
    from ayni.payroll.models import Payslip
    from ayni.payroll.services import payroll_publish, run_for_upload

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if engine == "sqlite" else "SHOW server_version")
        version = f"{'SQLite' if engine == 'sqlite' else 'PostgreSQL'} {cursor.fetchone()[0]}"
    log(f"{version}: {servants:,} servants x {lines} lines")
    setup: list[tuple[str, float]] = []

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_org_tree()
    load_catalogues()
    # the partitions of the past years, as the daily maintenance keeps them (PostgreSQL)
    maintain(back=36)
    setup.append(("migrate + org tree + catalogues + partitions", time.perf_counter() - start))

    start = time.perf_counter()
    build_servants(servants)
    setup.append((f"bulk-create {servants:,} servants in UGEL 07", time.perf_counter() - start))

    start = time.perf_counter()
    rem_name, rem_bytes, master_bytes = build_files(specs_for(servants), lines, YEAR, MONTH)
    setup.append(("write the .rem and the master CSV", time.perf_counter() - start))
    line_count = rem_bytes.count(b"\n")
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    ugel = OrgUnit.objects.get(code=UGEL_CODE)
    current: dict[str, Any] = {}

    def do_import() -> Any:
        # each upload is its own run; a new one supersedes the previous draft, whose
        # payslips the import then deletes
        current["run"] = run = run_for_upload(
            ugel=ugel,
            year=YEAR,
            month=MONTH,
            kind="activos",
            payment_date=date(YEAR, MONTH, 20),
            additional=False,
            actor=None,
        )
        outcome = payroll_import(
            run=run, rem_name=rem_name, rem_bytes=rem_bytes, master_bytes=master_bytes
        )
        if not outcome.ok:
            raise SystemExit("Import refused:\n" + "\n".join(outcome.errors[:20]))
        return outcome

    # 1. The headline: a first import into an empty run.
    log("Import 1 (timed)...")
    rss_before = rss_mib()
    reset_ok = reset_peak_rss()
    start, cpu = time.perf_counter(), time.process_time()
    outcome = do_import()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = peak_rss_mib()
    assert outcome.payslips == servants and outcome.lines == line_count, outcome

    # 1b. The headline again, `repeat` times: each the first upload of another month (no
    # draft to replace), with the CPU of this process and of its PostgreSQL backend and
    # the load average at its start; the median is the figure.
    firsts = [first_upload(ugel, servants, lines, 2024, m) for m in range(1, repeat + 1)]

    # 2. Section timers (a new upload: it also deletes the superseded draft's payslips).
    log("Import 2 (sections)...")
    sections = Sections()
    for name in ("load_concepts", "load_pension_regimes", "parse_master", "parse_rem",
                 "_lookup_ids", "_servants_for", "rates_for", "_build", "write_payslips",
                 "header_snapshot", "payslip_row", "service_times", "run_move",
                 "_outside"):  # fmt: skip
        sections.wrap(importer, name)
    from ayni.payroll.compute import PayslipBuilder

    sections.wrap(PayslipBuilder, "build", "PayslipBuilder.build (lines and totals)")
    from django.db.models.query import QuerySet

    sections.wrap(QuerySet, "delete", "QuerySet.delete (the superseded draft's payslips)")
    dumps = SimpleNamespace(dumps=json.dumps)
    sections.wrap(dumps, "dumps", "json.dumps (header, lines)")
    importer_json = importer.json
    importer.json = dumps  # type: ignore[assignment]
    start = time.perf_counter()
    try:
        do_import()
    finally:
        sections.restore()
        importer.json = importer_json  # type: ignore[assignment]
    sections_total = time.perf_counter() - start

    # 3. cProfile.
    profile_rows: list[tuple[str, int, float, float]] = []
    if profile:
        log("Import 3 (cProfile)...")
        profiler = cProfile.Profile()
        profiler.enable()
        do_import()
        profiler.disable()
        stats = pstats.Stats(profiler)
        entries = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)  # type: ignore[attr-defined]
        for (file, lineno, func), (_cc, ncalls, tottime, cumtime, _) in entries[:12]:
            where = file.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
            where = re.sub(r".*site-packages/", "", where)
            profile_rows.append((f"{where}:{lineno} {func}", ncalls, tottime, cumtime))
        profile_total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]

    # 4. Publish.
    log("Publish...")
    run = current["run"]
    run.refresh_from_db()
    start = time.perf_counter()
    payroll_publish(run=run, actor=None)
    publish_s = time.perf_counter() - start
    published = Payslip.objects.filter(run=run, published=True).count()

    # 5. The production path for the next month, watched from another connection.
    task_report: list[str] = []
    if task:
        task_report = task_path(engine, servants, lines, ugel, timeout=max(60.0, 10 * elapsed))
    run.refresh_from_db()

    rate_lines, rate_slips = line_count / elapsed, servants / elapsed
    median_wall = statistics.median(f["wall"] for f in firsts)
    median_cpu = statistics.median(f["cpu"] for f in firsts)
    median_pg = statistics.median(f["pg"] for f in firsts)
    loads = ", ".join(f"{f['load']:.2f}" for f in firsts)
    walls = ", ".join(f"{f['wall']:.2f}" for f in firsts)
    size = payslip_bytes() if engine == "postgresql" else None
    out = [
        f"### Payroll import, {servants:,} servants x {lines} lines ({version})",
        "",
        "| setup step | time |",
        "|---|--:|",
        *(f"| {label} | {secs:.1f} s |" for label, secs in setup),
        "",
        f".rem: {line_count:,} lines, {len(rem_bytes) / 2**20:.1f} MiB; master: "
        f"{len(master_bytes) / 2**20:.1f} MiB. Run total: S/ {run.total_gross:,.2f} gross, "
        f"S/ {run.total_net:,.2f} net.",
        "",
        "| measure | figure | target |",
        "|---|--:|--:|",
        f"| **median of {repeat} first uploads** (months 1–{repeat} of 2024): wall time | "
        f"**{median_wall:.2f} s** ({walls}) | |",
        f"| median lines/s | **{line_count / median_wall:,.0f}** | ≥ {TARGET_LINES_S:,} |",
        f"| median CPU: the importing process / its PostgreSQL backend | {median_cpu:.2f} s / "
        f"{median_pg:.2f} s ({(median_cpu + median_pg) / line_count * 1e6:.1f} µs a line) | |",
        f"| 1-minute load average at the start of each | {loads} | ≤ 1 |",
        *(
            [
                f"| PostgreSQL bytes per payslip ({lines} lines; heap, TOAST and indexes) | "
                f"{size:,.0f} B | |"
            ]
            if size
            else []
        ),
        f"| first import (the one below): payroll_import wall time | {elapsed:.2f} s "
        f"| < {TARGET_SECONDS:.0f} s for 200,000 lines |",
        f"| payroll_import CPU time (this process) | {cpu:.2f} s | |",
        f"| lines/s | {rate_lines:,.0f} | ≥ {TARGET_LINES_S:,} |",
        f"| payslips/s | {rate_slips:,.0f} | |",
        f"| peak RSS during the import | {peak:,.0f} MiB "
        f"({'reset before it' if reset_ok else 'process lifetime'}; "
        f"{rss_before:,.0f} MiB before) | < {TARGET_MIB} MiB |",
        f"| payroll_publish | {publish_s:.2f} s ({published / publish_s:,.0f} payslips/s) | |",
        "",
        f"Where the time goes (a second import of the same files, {sections_total:.2f} s, "
        "with a timer around each helper; ↳ marks what `_build` calls, before the "
        "transaction; `write_payslips` is the COPY (or bulk_create) inside it):",
        "",
        "| section | calls | time | share |",
        "|---|--:|--:|--:|",
    ]
    nested = {"PayslipBuilder.build (lines and totals)", "header_snapshot",
              "payslip_row", "json.dumps (header, lines)"}  # fmt: skip
    for key, secs in sorted(sections.seconds.items(), key=lambda kv: -kv[1]):
        label = f"  ↳ {key}" if key in nested else key
        out.append(
            f"| {label} | {sections.calls[key]:,} | {secs:.2f} s | "
            f"{100 * secs / sections_total:.0f} % |"
        )
    inner = sum(sections.seconds.get(k, 0.0) for k in nested)
    out.append(
        f"| _build less the nested calls (loop, spool writes) | | "
        f"{sections.seconds.get('_build', 0.0) - inner:.2f} s | |"
    )
    outer = sum(v for k, v in sections.seconds.items() if k not in nested)
    out.append(f"| rest of payroll_import | | {sections_total - outer:.2f} s | |")
    if profile_rows:
        out += [
            "",
            f"cProfile of a third import (profiled: {profile_total:.2f} s of function time; "
            "profiling slows Python code, so read the shares, not the seconds). Top 12 by "
            "own time:",
            "",
            "| function | calls | own time | cumulative |",
            "|---|--:|--:|--:|",
        ]
        out += [
            f"| `{name}` | {ncalls:,} | {tot:.2f} s | {cum:.2f} s |"
            for name, ncalls, tot, cum in profile_rows
        ]
    out += task_report
    out += ["", f"Peak RSS of the benchmark process overall: {peak_rss_mib():,.0f} MiB."]
    return "\n".join(out)


def task_path(engine: str, servants: int, lines: int, ugel: Any, timeout: float) -> list[str]:
    """import_payroll_task for the next month, observed from another connection."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection, connections

    from ayni.payroll.models import PayrollRun
    from ayni.payroll.services import run_for_upload
    from ayni.payroll.tasks import import_payroll_task

    log("Task path (import_payroll_task, polled from another connection)...")
    year, month = YEAR, MONTH + 1
    rem_name, rem_bytes, master_bytes = build_files(specs_for(servants), lines, year, month)
    run = run_for_upload(
        ugel=ugel,
        year=year,
        month=month,
        kind="activos",
        payment_date=date(year, month, 20),
        additional=False,
        actor=None,
        rem_name=rem_name,
        rem_file=default_storage.save("payroll/uploads/bench.rem", ContentFile(rem_bytes)),
        master_file=default_storage.save("payroll/uploads/bench.csv", ContentFile(master_bytes)),
    )

    seen: list[tuple[float, str, int]] = []
    done = threading.Event()
    result: dict[str, Any] = {}

    def worker() -> None:
        try:
            result["payslips"] = import_payroll_task.func(run.pk)
        except Exception as exc:  # reported below
            result["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            connections.close_all()
            done.set()

    def observer() -> None:
        try:
            while not done.is_set():
                state, progress = PayrollRun.objects.filter(pk=run.pk).values_list(
                    "state", "progress"
                )[0]
                stamp = time.perf_counter() - start
                if not seen or seen[-1][1:] != (state, progress):
                    seen.append((stamp, state, progress))
                time.sleep(0.05)
        except Exception as exc:  # its connection ended with the hung worker's
            result["observer"] = f"{type(exc).__name__}"
        finally:
            connections.close_all()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True),
               threading.Thread(target=observer, daemon=True)]  # fmt: skip
    for thread in threads:
        thread.start()
    finished = done.wait(timeout)
    elapsed = time.perf_counter() - start
    if not finished and engine == "postgresql":
        # Unblock the hung worker: end every other backend of this database.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        done.wait(10)
    for thread in threads:
        thread.join(5)
    final = PayrollRun.objects.filter(pk=run.pk).values_list("state", "progress")[0]
    trail = ", ".join(f"{t:.1f} s {s} {p} %" for t, s, p in seen[:12])
    if finished and "payslips" in result:
        verdict = f"finished in {elapsed:.2f} s: {result['payslips']:,} payslips"
    elif finished:
        verdict = f"failed after {elapsed:.2f} s: {result.get('error')}"
    else:
        verdict = (
            f"**did not finish in {timeout:.0f} s** (hung; its backend was terminated: "
            f"{result.get('error', 'no error raised')})"
        )
    return [
        "",
        f"Production path, `import_payroll_task` for {month:02d}/{year} (files read from "
        f"storage, progress callback on): {verdict}. State and progress as another "
        f"connection saw them (polled every 50 ms, as the run page's htmx poll would): "
        f"{trail or 'nothing'}; final: {final[0]} {final[1]} %.",
    ]


# --- the parent ----------------------------------------------------------------------


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("servants", nargs="?", type=int, default=DEFAULT_SERVANTS)
    parser.add_argument("--lines", type=int, default=DEFAULT_LINES, help="lines per servant")
    parser.add_argument("--sqlite", action="store_true", help="also run on a SQLite file")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile import")
    parser.add_argument("--no-task", action="store_true", help="skip the import_payroll_task run")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--repeat", type=int, default=5, help="first uploads timed (median)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(
            child(
                args.child,
                args.servants,
                args.lines,
                not args.no_profile,
                not args.no_task,
                args.keep,
                args.repeat,
            )
        )
        return

    engines = ([] if args.no_pg else ["postgresql"]) + (["sqlite"] if args.sqlite else [])
    load = os.getloadavg()
    print(
        f"_Machine: {os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} / "
        f"{load[2]:.2f} at the start._\n"
    )
    for engine in engines:
        cmd = [sys.executable, __file__, str(args.servants), "--lines", str(args.lines),
               "--child", engine]  # fmt: skip
        cmd += ["--no-profile"] * args.no_profile + ["--no-task"] * args.no_task
        cmd += ["--keep"] * args.keep + ["--repeat", str(args.repeat)]
        out = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
        print(out.stdout)
        if out.returncode:
            print(f"_{engine}: the benchmark child exited with {out.returncode}._\n")
    load = os.getloadavg()
    print(f"_Load average at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}._")


if __name__ == "__main__":
    main(sys.argv[1:])
