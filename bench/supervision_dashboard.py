"""Supervision dashboards at scale (issue 12): render time and query count of the MINEDU
and DRE dashboards, and the time of the refresh that precomputes their figures.

Builds a fresh PostgreSQL database (BENCH_PG_URL, default .../ayni_bench_supervision):
the org tree, the demo accounts and the supervision demo, then N synthetic servants
(default 100,000) spread over every UGEL with, per UGEL, 12 months of payroll-run
summaries (some months loaded but not published, some missing), change requests
(one per 25 servants, of every age, some observed) and desk filings (one per 30 servants).
Payslips are not generated: the dashboards read the runs' totals, never the payslips.

Each size is measured twice (N/5 and N) to show the query count does not grow.

    .venv/bin/python bench/supervision_dashboard.py [N] [--runs R] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/ayni_bench_supervision")
NAME = URL.rsplit("/", 1)[1]
ADMIN = URL.rsplit("/", 1)[0] + "/postgres"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def add_activity(rng: random.Random, servants_from_pk: int) -> dict[str, int]:
    """Runs, requests and filings for the servants created after `servants_from_pk`."""
    from django.utils import timezone

    from ayni.core.verification import new_code
    from ayni.core.workdays import LIMA
    from ayni.desk.models import Case
    from ayni.org.models import OrgUnit
    from ayni.payroll.models import PayrollRun
    from ayni.personnel.models import ChangeRequest, ChangeRequestEvent, Servant
    from ayni.supervision.demo import month_back

    today = timezone.localdate()
    ugels = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.UGEL))
    by_ugel: dict[int, list[int]] = {}
    for pk, unit_id in Servant.objects.filter(pk__gt=servants_from_pk).values_list(
        "pk", "employing_unit_id"
    ):
        by_ugel.setdefault(unit_id, []).append(pk)
    runs = []
    for ugel in ugels:
        for back in range(12):
            year, month = month_back(today, back)
            known = PayrollRun.objects.filter(ugel=ugel, year=year, month=month, kind="activos")
            if known.exists():
                continue
            roll = rng.random()
            if back == 0 and roll < 0.2:
                continue  # missing this month
            state = "draft" if back == 0 and roll < 0.35 else "published"
            n = len(by_ugel.get(ugel.pk, []))
            runs.append(
                PayrollRun(
                    ugel=ugel,
                    year=year,
                    month=month,
                    kind="activos",
                    payment_date=date(year, month, 20),
                    state=state,
                    payslip_count=n,
                    total_net=Decimal(n) * Decimal("2650.00"),
                    progress=100,
                )
            )
    PayrollRun.objects.bulk_create(runs, batch_size=2000)
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    requests, cases = [], []
    year = today.year
    numbers: dict[int, int] = {}
    for unit_id, pks in by_ugel.items():
        for pk in pks[::25]:
            requests.append(
                ChangeRequest(
                    servant_id=pk,
                    section=2,
                    kind="training",
                    operation="add",
                    proposed={"name": "Curso"},
                    state=rng.choice(["en_solicitud", "en_solicitud", "observado", "atendido"]),
                    unit_path=paths[unit_id],
                )
            )
        for _pk in pks[::30]:
            numbers[unit_id] = numbers.get(unit_id, 0) + 1
            at = datetime.combine(
                today - timedelta(days=rng.randrange(200)), dtime(10), tzinfo=LIMA
            )
            cases.append(
                Case(
                    unit_id=unit_id,
                    year=year + 1,  # numbers of a year no demo filing uses
                    number=servants_from_pk + numbers[unit_id],  # unique per round
                    kind="otro",
                    subject="Constancia",
                    filer_name="X",
                    filer_doc_type="01",
                    filer_doc_number="00000000",
                    submitted_at=at,
                    received_at=at,
                    state=rng.choice(["recibido", "derivado", "atendido"]),
                    area=rng.choice(["mesa_partes", "escalafon", "planillas"]),
                    verification_code=new_code(),
                )
            )
    made = ChangeRequest.objects.bulk_create(requests, batch_size=5000)
    events = []
    for cr in made:
        filed = timezone.now() - timedelta(days=rng.randrange(120))
        events.append(ChangeRequestEvent(request=cr, from_state="", to_state="en_solicitud"))
        cr.created_at = filed
        if cr.state != "en_solicitud":
            events.append(
                ChangeRequestEvent(request=cr, from_state="en_solicitud", to_state=cr.state)
            )
    ChangeRequest.objects.bulk_update(made, ["created_at"], batch_size=5000)
    ChangeRequestEvent.objects.bulk_create(events, batch_size=5000)
    Case.objects.bulk_create(cases, batch_size=5000)
    return {"runs": len(runs), "requests": len(made), "cases": len(cases)}


def measure(user: object, code: str, runs: int) -> dict[str, float]:
    """The dashboard view itself (RequestFactory: the page's queries, without the
    session and sign-in middleware). Cold: the board's HTML cache cleared before each
    call (tables built and rendered); warm: served from the cache, as between two
    computations. Templates are compiled and the user's grants cached by a first call."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from ayni.supervision.views import unit_dashboard

    def call() -> None:
        request = RequestFactory().get(f"/supervision/{code}/")
        request.user = user  # type: ignore[attr-defined]
        response = unit_dashboard(request, code=code)
        assert response.status_code == 200, (code, response.status_code)

    call()
    result: dict[str, float] = {}
    for label, clear in (("cold", True), ("warm", False)):
        if clear:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            call()
        result[f"{label}_queries"] = len(ctx.captured_queries)
        times = []
        for _ in range(runs):
            if clear:
                cache.clear()
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        result[f"{label}_median"] = statistics.median(times)
        result[f"{label}_min"] = min(times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("servants", nargs="?", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{NAME}"')
    tmp = tempfile.mkdtemp(prefix="ayni-bench-supervision-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ayni.settings",
        DEBUG="1",
        AYNI_VAR_DIR=tmp,
        DATABASE_URL=URL,
        AYNI_DEMO_MODE="1",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    rng = random.Random(2026)
    rows = []
    try:
        with open(os.devnull, "w") as devnull:
            call_command("migrate", verbosity=0)
            call_command("load_reference_data", stdout=devnull)
            call_command("seed_demo", stdout=devnull)
        from ayni.accounts.models import User
        from ayni.personnel.demo import generate_servants
        from ayni.personnel.models import Servant
        from ayni.supervision.aggregates import refresh

        done = 0
        for target in (args.servants // 5, args.servants):
            last = Servant.objects.aggregate(m=Max("pk"))["m"] or 0
            start = time.perf_counter()
            generate_servants(target - done)
            made = add_activity(rng, last)
            done = target
            log(f"{target:,} servants and {made} in {time.perf_counter() - start:.0f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            start = time.perf_counter()
            refreshed = refresh()
            refresh_s = time.perf_counter() - start
            for who, code, label in [
                ("20000008", "000000", "MINEDU"),
                ("20000005", "150101", "DRE Lima Metropolitana"),
                ("20000007", "150200", "DRE Lima Provincias"),
            ]:
                user = User.objects.get(login_id=f"01-{who}")
                m = measure(user, code, args.runs)
                rows.append((target, label, m, refresh_s, refreshed.units))
        print(
            "| servants | dashboard | cold median (min) | cold queries "
            "| warm median (min) | warm queries | refresh | units |"
        )
        print("|---:|---|---:|---:|---:|---:|---:|---:|")
        for target, label, m, refresh_s, units in rows:
            print(
                f"| {target:,} | {label} | {m['cold_median']:.0f} ms ({m['cold_min']:.0f}) "
                f"| {m['cold_queries']:.0f} | {m['warm_median']:.1f} ms ({m['warm_min']:.1f}) "
                f"| {m['warm_queries']:.0f} | {refresh_s:.1f} s | {units} |"
            )
        print(f"\nload average: {os.getloadavg()[0]:.2f} (1 min), {date.today().isoformat()}")
    finally:
        connection.close()
        if not args.keep:
            with psycopg.connect(ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
