"""The pages of issue 18's table under the production setup: the officer's payslip list of
a 10,000-servant run, a servant's file, the first (and a stored) payslip PDF download.

Usage:
    python bench/staff_pages.py [N] [--requests R] [--pdfs P] [--workers 2] [--port 8124]
                                [--keep]

Builds a PostgreSQL database (BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/ayni_bench_pages, created here and dropped at the end)
with the org tree, the catalogues and the demo set (`seed_demo`: the personas and the
demo teacher's full file), then N servants with accounts in UGEL 07 San Borja (default
10,000) and one published month for all of them, N x 20 lines through the real importer
and `payroll_publish` (last month, paid on the 20th: visible today). No PDF is rendered
after publication (no task worker runs), so each servant's first download renders.

The app then runs as in production: `gunicorn ayni.wsgi -w 2` (sync workers), DEBUG=0,
persistent connections (DB_CONN_MAX_AGE=60), static files collected; the requests come
one after another from this process over loopback (http.client), with the sessions of
the demo personas (the planillas and escalafón officers of UGEL 07, their second factor
passed) and of P servants. For each page: median, p95 and max wall time of R requests
after 5 warm-up requests, the CPU time per request of the gunicorn workers and of the
app's PostgreSQL backends (from /proc), and the page's queries (counted in-process
through the same middleware). The load average and the worker count are printed.

Markdown goes to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from payment_day import (  # noqa: E402 - the sibling benchmarks, found through HERE
    cpu_by_pid,
    cpu_delta,
    host_speed,
    pct,
    pg_backends,
    request,
    server_env,
    start_gunicorn,
)
from payroll_import import (  # noqa: E402
    DNI_START,
    build_files,
    build_servants,
    django_env,
    pg_create,
    pg_drop,
    specs_for,
)

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ayni_bench_pages"
OFFICERS = {"planillas": "20000002", "escalafon": "20000001"}
TEACHER = "10000001"  # the demo's fullest file
TARGETS = {
    "officer's payslip list, 10,000-servant run": 25.0,
    "servant's file (escalafón officer)": 25.0,
    "first PDF download of a payslip (unsigned)": 30.0,
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(servants: int) -> dict[str, Any]:
    """The demo, N servants with accounts in UGEL 07 and their published month."""
    from django.core.management import call_command
    from django.utils import timezone

    from ayni.accounts.models import User
    from ayni.org.models import OrgUnit
    from ayni.payroll.importer import payroll_import
    from ayni.payroll.services import payroll_publish, run_for_upload

    facts: dict[str, Any] = {"steps": []}

    def step(label: str, start: float) -> None:
        facts["steps"].append((label, time.perf_counter() - start))
        log(f"  {label}: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    User.objects.update(privacy_accepted_at=timezone.now())
    step("migrate + reference data + seed_demo", start)

    start = time.perf_counter()
    build_servants(servants, with_accounts=True)
    step(f"{servants:,} servants with accounts in UGEL 07", start)

    start = time.perf_counter()
    today = timezone.localdate()
    index = today.year * 12 + today.month - 2  # last month, paid on the 20th
    year, month = index // 12, index % 12 + 1
    rem_name, rem_bytes, master_bytes = build_files(specs_for(servants), 20, year, month)
    run = run_for_upload(
        ugel=OrgUnit.objects.get(code="150108"),
        year=year,
        month=month,
        kind="contratados",  # the demo has UGEL 07's «activos» of every month
        payment_date=date(year, month, 20),
        additional=False,
        actor=None,
    )
    outcome = payroll_import(
        run=run, rem_name=rem_name, rem_bytes=rem_bytes, master_bytes=master_bytes
    )
    if not outcome.ok:
        raise SystemExit("Import refused:\n" + "\n".join(outcome.errors[:20]))
    payroll_publish(run=run, actor=None)
    step(f"import + publish {outcome.payslips:,} payslips x 20 lines ({month:02d}/{year})", start)
    facts["run"] = run
    facts["period"] = f"{month:02d}/{year}"
    return facts


def sessions(pdfs: int) -> dict[str, Any]:
    """Session cookies of the officers (second factor passed) and of `pdfs` servants, and
    the URLs of the pages, with each page's queries counted in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ayni.accounts.models import User
    from ayni.identity.testing import sign_in_verified
    from ayni.payroll.models import PayrollRun, Payslip
    from ayni.personnel.models import Servant

    def cookie(client: Client) -> dict[str, str]:
        return {"sessionid": client.cookies["sessionid"].value}

    clients: dict[str, Client] = {}
    for name, dni in OFFICERS.items():
        clients[name] = Client(SERVER_NAME="127.0.0.1")
        sign_in_verified(clients[name], User.objects.get(login_id=f"01-{dni}"))
    run = PayrollRun.objects.filter(ugel__code="150108", payslip_count__gte=1000).latest("pk")
    teacher = Servant.objects.get(doc_number=TEACHER)
    pages = {
        "officer's payslip list, 10,000-servant run": ("planillas", f"/planillas/{run.uuid}/"),
        "servant's file (escalafón officer)": ("escalafon", f"/servidores/{teacher.uuid}/"),
        "servant list, first page (escalafón officer)": ("escalafon", "/servidores/"),
    }
    queries: dict[str, int] = {}
    for label, (who, url) in pages.items():
        clients[who].get(url)  # the session's first page records it
        with CaptureQueriesContext(connection) as ctx:
            assert clients[who].get(url).status_code == 200, label
        queries[label] = len(ctx.captured_queries)
    servants = []
    slips = (
        Payslip.objects.filter(run=run, servant__doc_number__gte=f"{DNI_START:08d}")
        .select_related("servant")
        .order_by("servant__doc_number")[: pdfs + 1]
    )
    for slip in slips:
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(login_id=f"01-{slip.servant.doc_number}"))
        client.get("/mi-boleta/")  # where the link is: the session is recorded, as in life
        servants.append((cookie(client), f"/mi-boleta/{slip.uuid}/pdf/", client))
    # the queries of a first and of a stored download, on the one servant kept out
    *servants, (_, pdf_url, spare) = servants
    for label in ("first PDF download of a payslip (unsigned)", "stored PDF download"):
        with CaptureQueriesContext(connection) as ctx:
            assert spare.get(pdf_url).content.startswith(b"%PDF")
        queries[label] = len(ctx.captured_queries)
    return {
        "officers": {name: cookie(c) for name, c in clients.items()},
        "pages": pages,
        "servants": [(c, url) for c, url, _ in servants],
        "queries": queries,
    }


def timed(port: int, path: str, cookies: dict[str, str]) -> float:
    start = time.perf_counter()
    status, headers, _payload, _ = request("127.0.0.1", port, "GET", path, dict(cookies))
    elapsed = time.perf_counter() - start
    if status != 200:
        raise SystemExit(f"{path}: HTTP {status} {headers.get('Location', '')}")
    return elapsed


def measure(
    port: int, pid: int, pg_url: str, calls: list[tuple[str, dict[str, str]]], warm: int = 5
) -> dict[str, Any]:
    """Wall time of each call in turn (after `warm` of them unmeasured), and the CPU per
    call of the gunicorn workers and of PostgreSQL."""
    for path, cookies in calls[:warm]:
        timed(port, path, cookies)
    measured = calls[warm:]
    pg_pids = pg_backends(pg_url)
    before = cpu_by_pid(pid, pg_pids)
    times = [timed(port, path, cookies) for path, cookies in measured]
    spent = cpu_delta(before, cpu_by_pid(pid, pg_pids | pg_backends(pg_url)))
    n = len(measured)
    return {
        "n": n,
        "median": statistics.median(times) * 1000,
        "p95": pct(times, 0.95) * 1000,
        "max": max(times) * 1000,
        "cpu": spent["gunicorn"] / n * 1000,
        "pg": spent["postgres"] / n * 1000,
        "load": os.getloadavg()[0],
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("servants", nargs="?", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--pdfs", type=int, default=200, help="servants' first downloads")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8124)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    database_url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    workdir = Path(tempfile.mkdtemp(prefix="ayni-bench-pages-"))
    env = server_env(database_url, workdir, args.port, conn_max_age=60)
    os.environ["SECRET_KEY"] = env["SECRET_KEY"]  # the sessions made here must hold there
    server: subprocess.Popen[bytes] | None = None
    load_start = os.getloadavg()
    try:
        pg_create(database_url)
        log(f"Building the demo and a {args.servants:,}-servant run...")
        django_env(database_url, workdir)
        facts = build(args.servants)
        found = sessions(args.pdfs)
        facts["host"] = host_speed()
        from django.db import connections

        connections.close_all()
        log(f"Starting gunicorn -w {args.workers} on 127.0.0.1:{args.port}...")
        server = start_gunicorn(env, args.port, args.workers)
        results: dict[str, dict[str, Any]] = {}
        for label, (who, url) in found["pages"].items():
            log(f"  {label}...")
            cookies = found["officers"][who]
            results[label] = measure(
                args.port, server.pid, database_url, [(url, cookies)] * (args.requests + 5)
            )
        downloads = [(url, cookies) for cookies, url in found["servants"]]
        log("  first PDF downloads...")
        results["first PDF download of a payslip (unsigned)"] = measure(
            args.port, server.pid, database_url, downloads
        )
        log("  stored PDF downloads...")
        results["stored PDF download"] = measure(args.port, server.pid, database_url, downloads)
        load_end = os.getloadavg()
        sizes = [p.stat().st_size for p in workdir.rglob("*.pdf")]
        facts["pdf_size"] = statistics.median(sizes) if sizes else 0
        print(report(facts, found["queries"], results, args, load_start, load_end))
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        from django.db import connections

        connections.close_all()
        if args.keep:
            log(f"Kept: {database_url}, {workdir}")
        else:
            pg_drop(database_url)
            shutil.rmtree(workdir, ignore_errors=True)


def report(
    facts: dict[str, Any],
    queries: dict[str, int],
    results: dict[str, dict[str, Any]],
    args: Any,
    load_start: tuple[float, float, float],
    load_end: tuple[float, float, float],
) -> str:
    def loads(values: tuple[float, float, float]) -> str:
        return " / ".join(f"{v:.2f}" for v in values)

    out = [
        f"### Staff pages and first PDF downloads, {args.servants:,}-servant run "
        f"({facts['period']}), gunicorn -w {args.workers} (sync), DEBUG=0, PostgreSQL",
        "",
        f"Machine: {os.cpu_count()} cores; gunicorn workers: {args.workers}; "
        f"DB_CONN_MAX_AGE=60; requests one after another over loopback from the same "
        f"machine. Load average (1, 5, 15 min): {loads(load_start)} at the start, "
        f"{loads(load_end)} at the end. Host speed (`host_speed`, before the pages): one "
        f"Argon2 check {facts['host']['argon2_ms']:.1f} ms CPU, the fixed Python loop "
        f"{facts['host']['loop_ms']:.1f} ms.",
        "",
        "| setup step | time |",
        "|---|--:|",
        *(f"| {label} | {secs:.1f} s |" for label, secs in facts["steps"]),
        "",
        "| page | requests | median | p95 | max | CPU/request (gunicorn) | "
        "PostgreSQL CPU/request | queries | target (median) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, r in results.items():
        target = TARGETS.get(label)
        verdict = ""
        if target is not None:
            verdict = f"≤ {target:.0f} ms: " + (
                "**met**" if r["median"] <= target else "**not met**"
            )
        out.append(
            f"| {label} | {r['n']} | **{r['median']:.1f} ms** | {r['p95']:.1f} ms | "
            f"{r['max']:.1f} ms | {r['cpu']:.1f} ms | {r['pg']:.1f} ms | "
            f"{queries.get(label, '')} | {verdict} |"
        )
    out += [
        "",
        "Each page: 5 warm-up requests, then the measured ones; the officers' pages with one "
        "session each (the run page writes its audit event on every view), the PDFs with a "
        "different servant's session each (first: rendered, stored and hashed; then the same "
        f"servants again: the stored file; median PDF size {facts['pdf_size'] / 1024:.1f} "
        "KiB). CPU from /proc (gunicorn master and workers; every "
        "PostgreSQL backend of the app's database).",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    main(sys.argv[1:])
