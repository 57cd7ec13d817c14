"""The synthetic sector in PostgreSQL: N servants (default 600,000) and M months of
published payslips (default 12), built by the demo generator; times each step and the
servant's «Mi boleta» list read afterwards.

    .venv/bin/python bench/sector_payslips.py [N] [MONTHS]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/ayni_bench_sector")
NAME = URL.rsplit("/", 1)[1]
ADMIN = URL.rsplit("/", 1)[0] + "/postgres"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 600_000
    months = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{NAME}"')
    tmp = tempfile.mkdtemp(prefix="ayni-bench-sector-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ayni.settings", DEBUG="1", AYNI_VAR_DIR=tmp, DATABASE_URL=URL
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False
    try:
        timings = []
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as devnull:
            call_command("load_reference_data", stdout=devnull)
        timings.append(("migrate + reference data", time.perf_counter() - start, ""))
        from ayni.payroll.models import Payslip
        from ayni.payroll.selectors import visible_payslips
        from ayni.payroll.synthetic import generate_payslips
        from ayni.personnel.demo import generate_servants
        from ayni.personnel.models import Servant

        start = time.perf_counter()
        generate_servants(n, with_accounts=True)
        elapsed = time.perf_counter() - start
        timings.append((f"{n:,} servants with accounts", elapsed, f"{n / elapsed:,.0f}/s"))
        start = time.perf_counter()
        written = generate_payslips(months)
        elapsed = time.perf_counter() - start
        timings.append(
            (
                f"{written:,} published payslips ({months} months)",
                elapsed,
                f"{written / elapsed:,.0f}/s",
            )
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
        servant = Servant.objects.select_related("user").filter(user__isnull=False).last()
        reads = []
        for _ in range(6):
            t0 = time.perf_counter()
            list(visible_payslips(servant.user).defer("lines", "header")[:12])
            reads.append((time.perf_counter() - t0) * 1000)
        reads.sort()
        print(f"### Synthetic sector in PostgreSQL: {n:,} servants, {months} months\n")
        print("| step | time | rate |\n|---|--:|--:|")
        for label, seconds, rate in timings:
            print(f"| {label} | {seconds:.1f} s | {rate} |")
        print(
            f"\nDatabase size: {size}; payslips: {Payslip.objects.count():,}. "
            f"«Mi boleta» list (12 newest) for one servant: median {reads[3]:.1f} ms "
            f"(cold {reads[0]:.1f}–{reads[-1]:.1f} ms). Peak RSS: "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB."
        )
    finally:
        connection.close()
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
