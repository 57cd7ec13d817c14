"""Build a sector-sized database and time the scoped reads the home and list pages make.

Usage:
    python bench/scope_queries.py [N] [--runs R] [--pg] [--keep] [--no-analyze]

N synthetic servants (default 600000) are generated with `seed_demo --servants N`
into a fresh database: by default a SQLite file in a temporary directory; with
--pg, the PostgreSQL database named by BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432/ayni_bench), created and dropped here with
psycopg. Then each read runs once cold and R times more (default 5); the table
gives the cold time and the median. Progress goes to stderr, the markdown
report to stdout.

Every run loads the user afresh, as a request would, so the permission lookup
(role grants) is part of each timing. After generation the database is
ANALYZEd (--no-analyze to skip), as a long-lived database would be.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVANTS = 600_000
DEFAULT_RUNS = 5
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ayni_bench"

# Demo accounts (DESIGN.md) whose reads are timed.
OFFICER = "01-20000001"  # escalafón, UGEL 07 San Borja
SUPERVISOR = "01-20000005"  # supervisor, DRE Lima Metropolitana
ADMIN = "01-20000006"  # administrador, MINEDU
TEACHER_DNI = "10000001"  # docente, UGEL 07 San Borja


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- PostgreSQL database lifecycle ---------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    """The same server's maintenance database URL, and the benchmark database's name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"No database name in {url!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def pg_create(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def pg_drop(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# --- measurements ------------------------------------------------------------------


@dataclass
class Timing:
    label: str
    result: str
    queries: int
    cold_ms: float
    median_ms: float
    min_ms: float
    runs: int


def time_read(
    label: str,
    login_id: str,
    read: Callable[[Any], Any],
    describe: Callable[[Any], str],
    runs: int,
) -> Timing:
    """Run `read(user)` once cold (counting its queries) and `runs` more times."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ayni.accounts.models import User

    times = []
    result: Any = None
    queries = 0
    for i in range(runs + 1):
        user = User.objects.get(login_id=login_id)  # fresh, as in a request
        if i == 0:
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                result = read(user)
                elapsed = time.perf_counter() - start
            queries = len(ctx.captured_queries)
        else:
            start = time.perf_counter()
            read(user)
            elapsed = time.perf_counter() - start
        times.append(elapsed * 1000)
    warm = times[1:] or times
    timing = Timing(
        label=label,
        result=describe(result),
        queries=queries,
        cold_ms=times[0],
        median_ms=statistics.median(warm),
        min_ms=min(warm),
        runs=len(warm),
    )
    log(f"  {label}: {timing.median_ms:.1f} ms ({timing.result})")
    return timing


def reads(runs: int) -> list[Timing]:
    from ayni.personnel.models import Servant
    from ayni.personnel.selectors import get_servant_for_user, search_servants, servants_in_scope
    from ayni.portal.selectors import figures_for

    teacher_ref = Servant.objects.get(doc_type="01", doc_number=TEACHER_DNI).uuid

    def figures(user: Any) -> list[Any]:
        return figures_for(user)

    def describe_figures(result: list[Any]) -> str:
        fig = result[0]
        return f"{fig.total:,} servants, {len(fig.children)} child units"

    def first_page(query: str) -> Callable[[Any], list[Any]]:
        def run(user: Any) -> list[Any]:
            page = list(search_servants(user, query)[:50])
            for servant in page:  # what the list template touches
                _ = servant.employing_unit.name
            return page

        return run

    return [
        time_read(
            "figures_for: DRE Lima Metropolitana supervisor",
            SUPERVISOR,
            figures,
            describe_figures,
            runs,
        ),
        time_read("figures_for: MINEDU admin", ADMIN, figures, describe_figures, runs),
        time_read(
            "servants_in_scope(...).count(): UGEL 07 escalafón officer",
            OFFICER,
            lambda user: servants_in_scope(user).count(),
            lambda n: f"{n:,} servants",
            runs,
        ),
        time_read(
            "get_servant_for_user: officer opens the teacher's file",
            OFFICER,
            lambda user: get_servant_for_user(user, teacher_ref),
            lambda r: f"{r[0].full_name}, staff read={r[1]}",
            runs,
        ),
        time_read(
            "search_servants(officer, '')[:50]: list first page",
            OFFICER,
            first_page(""),
            lambda page: f"{len(page)} rows",
            runs,
        ),
        time_read(
            "search_servants(officer, 'QUISPE')[:50]: search first page",
            OFFICER,
            first_page("QUISPE"),
            lambda page: f"{len(page)} rows",
            runs,
        ),
        time_read(
            "search_servants(admin, '')[:50]: whole-sector list first page",
            ADMIN,
            first_page(""),
            lambda page: f"{len(page)} rows",
            runs,
        ),
    ]


def database_size_mib(db_path: Path | None) -> float:
    from django.db import connection

    if db_path is not None:
        files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
        return sum(f.stat().st_size for f in files if f.exists()) / 2**20
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0] / 2**20


def engine_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def run(servants: int, runs: int, database_url: str, db_path: Path | None, analyze: bool) -> str:
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    # DEBUG=1 lets the settings load without production secrets; but its query log
    # would keep the SQL of thousands of bulk inserts in memory and slow them down.
    settings.DEBUG = False
    engine = engine_version()
    log(f"{engine}: {servants:,} servants")

    steps: list[tuple[str, float, str]] = []
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    steps.append(("migrate", time.perf_counter() - start, ""))

    start = time.perf_counter()
    call_command("load_reference_data", stdout=sys.stderr)
    steps.append(("load_reference_data", time.perf_counter() - start, ""))

    start = time.perf_counter()
    call_command("seed_demo", servants=servants, stdout=sys.stderr)
    elapsed = time.perf_counter() - start
    steps.append(
        (f"seed_demo --servants {servants}", elapsed, f"{servants / elapsed:,.0f} servants/s")
    )
    rss_after_seed = peak_rss_mib()

    if analyze:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        steps.append(("ANALYZE", time.perf_counter() - start, ""))

    log("Timing reads...")
    timings = reads(runs)
    size = database_size_mib(db_path)

    lines = [
        f"### Scoped reads, {servants:,} synthetic servants ({engine})",
        "",
        "| step | time | rate |",
        "|---|--:|--:|",
    ]
    lines += [f"| {name} | {secs:.1f} s | {rate} |" for name, secs, rate in steps]
    lines += [
        "",
        f"Database size: {size:,.0f} MiB. Each read: one cold run, then the median and minimum "
        f"of {runs} more; every run loads the user afresh.",
        "",
        "| read | result | queries | cold | median | min |",
        "|---|---|--:|--:|--:|--:|",
    ]
    lines += [
        f"| {t.label} | {t.result} | {t.queries} | {t.cold_ms:.1f} ms | {t.median_ms:.1f} ms "
        f"| {t.min_ms:.1f} ms |"
        for t in timings
    ]
    lines += [
        "",
        f"Peak RSS of the benchmark process: {rss_after_seed:,.0f} MiB after generation, "
        f"{peak_rss_mib():,.0f} MiB at the end"
        + (" (the PostgreSQL server's memory is not included)." if db_path is None else "."),
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("servants", nargs="?", type=int, default=DEFAULT_SERVANTS)
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument("--pg", action="store_true", help="use PostgreSQL (BENCH_PG_URL)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-analyze", action="store_true", help="skip ANALYZE")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="ayni-bench-"))
    db_path: Path | None = None
    if args.pg:
        database_url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
        pg_create(database_url)
    else:
        db_path = workdir / "bench.sqlite3"
        database_url = f"sqlite:///{db_path}"

    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ayni.settings"
    os.environ["AYNI_VAR_DIR"] = str(workdir)  # mail, media, static: nowhere near the repo
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    try:
        print(run(args.servants, args.runs, database_url, db_path, not args.no_analyze))
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            log(f"Kept: {database_url}")
        else:
            if args.pg:
                pg_drop(database_url)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
