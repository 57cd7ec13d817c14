"""Partitioned history (issue 18): what one partition per period buys on PostgreSQL.

Usage:
    python bench/partitions.py [--payslips-per-month N] [--audit-per-month M] [--keep]

Builds a fresh database (BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/ayni_bench_partitions; dropped and created here),
migrates it (so the tables are partitioned by ayni.core.partitions), and fills:

- payslips: 23 months (2024-01 to 2025-11) x N (default 50,000) = 1.15 M rows, one year a
  partition, and the same rows in a plain table with the same indexes for comparison;
- audit events: 10 months (January-October 2025) x M (default 100,000) = 1 M rows,
  one Lima month a partition, and the same in a plain table.

Rows are generated in SQL (generate_series) with the foreign-key triggers off
(`session_replication_role = replica`): run and servant ids are stand-ins.

Then it measures, each once (the figures are single runs; nothing is asserted):

1. a month's import (N payslips for 2025-12): which partitions change, and the time
   against the plain table; the importer's read of the run (`Payslip.objects.of_run`)
   with the partitions its plan names;
2. an audit month's list (the audit page's filter for May 2025): partitions in the plan,
   execution time against the plain table;
3. archiving: DETACH of an audit month and of a payslip year against a DELETE of the
   same rows from the plain table.

Markdown goes to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from payroll_import import django_env, pg_create, pg_drop  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ayni_bench_partitions"
LINES = (
    '[{"code": "0101", "amount": "2500.00", "label": "REMUNERACION BASICA"}, '
    '{"code": "0607", "amount": "325.00", "label": "SNP 19990"}, '
    '{"code": "0804", "amount": "225.00", "label": "ESSALUD"}]'
)
COLUMNS = (
    "uuid, run_id, servant_id, year, month, payment_date, published, header, lines, gross, "
    "deductions, net, taxable_base, employer_contributions, verification_code, pdf_file, "
    "pdf_sha256"
)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def payslip_rows(year: str, month: str, count: int) -> str:
    return (
        f"SELECT gen_random_uuid(), {year} * 100 + {month}, g, {year}, {month}, "
        f"make_date({year}, {month}, 20), true, jsonb_build_object('dni', g::text), "
        f"'{LINES}'::jsonb, 2500, 325, 2175, 2500, 225, md5(g::text), '', '' "
        f"FROM generate_series(1, {count}) g"
    )


def row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def timed(cursor, sql: str) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    cursor.execute(sql)
    return time.perf_counter() - start


def plan_of(cursor, sql: str) -> str:  # type: ignore[no-untyped-def]
    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
    return "\n".join(row[0] for row in cursor.fetchall())


def execution_ms(plan: str) -> float:
    return float(plan.rsplit("Execution Time: ", 1)[1].split()[0])


def named(plan: str, names: list[str]) -> list[str]:
    return [n for n in names if n in plan]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payslips-per-month", type=int, default=50_000)
    parser.add_argument("--audit-per-month", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    n, m = args.payslips_per_month, args.audit_per_month
    url = os.environ.get("BENCH_PG_URL", DEFAULT_URL)
    pg_create(url)
    try:
        with tempfile.TemporaryDirectory() as workdir:
            django_env(url, Path(workdir))
            run(n, m)
    finally:
        if not args.keep:
            pg_drop(url)


def run(n: int, m: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from ayni.core import partitions
    from ayni.payroll.models import PayrollRun, Payslip

    started = time.perf_counter()
    log("migrate")
    call_command("migrate", verbosity=0, interactive=False)
    connection.set_autocommit(True)
    out: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        for year in (2024, 2025):
            partitions.create_partition(partitions.payslip_partition(year))
        for month in range(1, 13):
            partitions.create_partition(partitions.audit_partition(datetime(2025, month, 1).date()))
        cursor.execute("SET session_replication_role = replica")  # no FK triggers: stand-in ids
        log(f"fill payslips: 23 x {n:,}")
        fill_payslips = 0.0
        for year, month in [(y, mo) for y in (2024, 2025) for mo in range(1, 13)][:-1]:
            rows = payslip_rows(str(year), str(month), n)
            fill_payslips += timed(cursor, f"INSERT INTO payroll_payslip ({COLUMNS}) {rows}")
        log("plain payslip copy")
        cursor.execute("CREATE TABLE plain_payslip (LIKE payroll_payslip INCLUDING ALL)")
        cursor.execute("INSERT INTO plain_payslip SELECT * FROM payroll_payslip")
        log(f"fill audit: 10 x {m:,}")
        fill_audit = timed(
            cursor,
            "INSERT INTO core_auditevent (occurred_at, action, subject_type, subject_id, "
            "object_type, object_id, unit_path, detail) "
            "SELECT timestamptz '2025-01-01 00:00-05' + (g::float8 / "
            f"{10 * m}) * (timestamptz '2025-11-01 00:00-05' - timestamptz '2025-01-01 00:00-05'), "
            "'payroll.payslip_viewed', 'personnel.servant', g % 600000, '', '', "
            f"'/1/15/' || (g % 224)::text || '/', '' FROM generate_series(1, {10 * m}) g",
        )
        cursor.execute("CREATE TABLE plain_audit (LIKE core_auditevent INCLUDING ALL)")
        cursor.execute("INSERT INTO plain_audit SELECT * FROM core_auditevent")
        cursor.execute("VACUUM ANALYZE")
        payslip_parts = sorted(partitions.existing_partitions("payroll_payslip"))
        audit_parts = sorted(partitions.existing_partitions("core_auditevent"))

        def counts() -> dict[str, int]:
            result = {}
            for name in payslip_parts:
                cursor.execute(f'SELECT count(*) FROM "{name}"')
                result[name] = cursor.fetchone()[0]
            return result

        # 1. a month's import
        log("month import")
        before = counts()
        part_s = timed(
            cursor, f"INSERT INTO payroll_payslip ({COLUMNS}) {payslip_rows('2025', '12', n)}"
        )
        plain_s = timed(
            cursor, f"INSERT INTO plain_payslip ({COLUMNS}) {payslip_rows('2025', '12', n)}"
        )
        after = counts()
        changed = [name for name in payslip_parts if before[name] != after[name]]
        cursor.execute("ANALYZE payroll_payslip")
        cursor.execute("ANALYZE plain_payslip")
        run_obj = PayrollRun(year=2025, month=12)
        run_obj.pk = 202512
        sql, params = (
            Payslip.objects.of_run(run_obj).only("id", "servant_id").query.sql_with_params()
        )
        run_sql = cursor.mogrify(sql, params) if hasattr(cursor, "mogrify") else sql % params
        run_plan = plan_of(cursor, run_sql)
        plain_run_plan = plan_of(
            cursor,
            "SELECT id, servant_id FROM plain_payslip WHERE run_id = 202512 AND year = 2025 "
            "AND month = 12",
        )
        out += [
            f"### Partitioned history (issue 18) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"`python bench/partitions.py --payslips-per-month {n} --audit-per-month {m}`; "
            f"{platform.node()}, {os.cpu_count()} cores, load average "
            f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} at the end, {version}, "
            f"commit {commit()}. Rows made in SQL with the foreign-key triggers off; "
            "one run of each measure.",
            "",
            f"Payslips: {23 * n:,} rows from 2024-01 to 2025-11 (partitions by year) plus "
            f"the plain table; audit events: {10 * m:,} rows in January-October 2025 "
            f"(partitions by Lima month) plus the plain table. Filling took "
            f"{fill_payslips:.1f} s and {fill_audit:.1f} s.",
            "",
            "| measure | partitioned | plain table | partitions touched |",
            "|---|--:|--:|---|",
            f"| a month's import: INSERT of {n:,} payslips for 2025-12 | {part_s:.2f} s | "
            f"{plain_s:.2f} s | {', '.join(changed)} (row counts before/after) |",
            f"| the importer's read of that run (`of_run`), execution | "
            f"{execution_ms(run_plan):.2f} ms | {execution_ms(plain_run_plan):.2f} ms | "
            f"{', '.join(named(run_plan, payslip_parts))} |",
        ]

        # 2. an audit month
        log("audit month")
        where = (
            "occurred_at >= '2025-05-01 00:00:00-05' AND "
            "occurred_at <= '2025-05-31 23:59:59.999999-05'"
        )
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        part_plan = plan_of(
            cursor,
            f"SELECT id, action, unit_path FROM core_auditevent WHERE {where} "
            "ORDER BY occurred_at DESC, id DESC LIMIT 50",
        )
        plain_plan = plan_of(
            cursor,
            f"SELECT id, action, unit_path FROM plain_audit WHERE {where} "
            "ORDER BY occurred_at DESC, id DESC LIMIT 50",
        )
        part_count = plan_of(cursor, f"SELECT count(*) FROM core_auditevent WHERE {where}")
        plain_count = plan_of(cursor, f"SELECT count(*) FROM plain_audit WHERE {where}")
        out += [
            row(
                "audit page, May 2025, first 50 rows, execution",
                f"{execution_ms(part_plan):.2f} ms",
                f"{execution_ms(plain_plan):.2f} ms",
                ", ".join(named(part_plan, audit_parts)),
            ),
            f"| audit month count(*) ({m:,} rows), execution | {execution_ms(part_count):.2f} ms | "
            f"{execution_ms(plain_count):.2f} ms | {', '.join(named(part_count, audit_parts))} |",
        ]

        # 3. archive: detach against delete
        log("archive")
        detach_audit = timed(
            cursor, "ALTER TABLE core_auditevent DETACH PARTITION core_auditevent_m202501"
        )
        delete_audit = timed(
            cursor,
            "DELETE FROM plain_audit WHERE occurred_at >= '2025-01-01 00:00-05' "
            "AND occurred_at < '2025-02-01 00:00-05'",
        )
        detach_year = timed(
            cursor, "ALTER TABLE payroll_payslip DETACH PARTITION payroll_payslip_y2024"
        )
        delete_year = timed(cursor, "DELETE FROM plain_payslip WHERE year = 2024")
        out += [
            row(
                f"archive an audit month ({m:,} rows): DETACH / DELETE",
                f"{detach_audit * 1000:.1f} ms",
                f"{delete_audit * 1000:,.0f} ms",
                "core_auditevent_m202501",
            ),
            f"| archive a payslip year ({12 * n:,} rows): DETACH / DELETE | "
            f"{detach_year * 1000:.1f} ms | {delete_year * 1000:,.0f} ms | payroll_payslip_y2024 |",
            "",
            "A DELETE also leaves its dead rows to VACUUM and its index entries in place; the "
            "detached table leaves at once and is dropped (or dumped with `pg_dump -t`) whole.",
            "",
            "Plan of the importer's read of the run:",
            "",
            "```",
            run_plan,
            "```",
            "",
            f"Whole script: {time.perf_counter() - started:.0f} s.",
        ]
    print("\n".join(out))


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
