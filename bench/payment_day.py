"""Payment day: many servants log in, open «Mi boleta» and download the new payslip.

Usage:
    python bench/payment_day.py [K] [--levels 4,8,16,32] [--duration 40]
                                [--workers 2] [--port 8123] [--conn-max-age 60] [--keep]

Builds a PostgreSQL database (BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/ayni_bench_payday, created and dropped here)
with the org tree, K synthetic servants with accounts in UGEL 07 San Borja
(`bench/payroll_import.build_servants(K, with_accounts=True)`: password
"ayni-demo-2026", privacy notice accepted) and one published month of payslips
for all of them, loaded through the real importer and `payroll_publish`. Then it
starts the app under gunicorn as production would (DEBUG=0, static files
collected, whitenoise), on loopback, and drives the journey

    GET  /cuenta/ingresar/          (the form and its CSRF token)
    POST /cuenta/ingresar/          doc_type=01, doc_number, password
    GET  /mi-boleta/
    GET  /mi-boleta/<uuid>/pdf/     the newest payslip (first download: rendered)

from a multi-process, multi-threaded Python load generator (http.client, one
connection per request as gunicorn's sync workers close them), for DURATION
seconds at each concurrency level (concurrent journeys), each journey with a
servant who has not come yet. A last level repeats the busiest concurrency with
servants whose PDF is already stored. For each level: sustained journeys/s,
p50/p95 per step and per journey, errors, and the CPU seconds the gunicorn
workers, the app's PostgreSQL backends and the load generator spent per journey
(from /proc), so the bottleneck shows. Argon2 (one login check) and one payslip
render are timed in-process; the gunicorn CPU per journey is also given less the
password check (issue 18's «CPU per journey besides the password check»). The
worker count and the load average before and after the levels are printed.

Cookies: with DEBUG=0 the settings force SESSION_COOKIE_SECURE and
CSRF_COOKIE_SECURE (no environment switch). Over plain HTTP on loopback a
browser would not send them back; the generator keeps its own cookie jar and
sends them anyway, as a browser does behind the TLS-terminating proxy that
production has.

Markdown goes to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from payroll_import import (  # noqa: E402 - the sibling benchmark, found through HERE
    django_env,
    pg_create,
    pg_drop,
)

DEFAULT_SERVANTS = 10_000
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ayni_bench_payday"
PASSWORD = "ayni-demo-2026"
DNI_START = 60_000_000  # payroll_import.build_servants' first DNI
LINES_PER_PAYSLIP = 9
RESERVED = 20  # the last servants: timed in-process, kept out of the load
STEPS = ["login page", "login POST", "Mi boleta", "PDF"]
TARGET_RATE, TARGET_P95 = 30, 1.0
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PDF_RE = re.compile(rb'href="(/mi-boleta/[0-9a-f-]{36}/pdf/)"')


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- building the database -------------------------------------------------------------


def build(servants: int, workdir: Path, prerender: bool) -> dict[str, Any]:
    """Org tree, K servants with accounts, one published month; timings and facts."""
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone
    from payroll_import import build_files, build_servants, specs_for

    from ayni.org.loaders import load_catalogues, load_org_tree
    from ayni.org.models import OrgUnit
    from ayni.payroll.importer import payroll_import
    from ayni.payroll.models import Payslip
    from ayni.payroll.pdf import render_payslip
    from ayni.payroll.services import payroll_publish, run_for_upload

    facts: dict[str, Any] = {"steps": []}

    def step(label: str, start: float) -> None:
        facts["steps"].append((label, time.perf_counter() - start))
        log(f"  {label}: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_org_tree()
    load_catalogues()
    step("migrate + org tree + catalogues", start)

    # One UGEL's servants (a payroll file names only its own UGEL's servants: one of
    # another UGEL is refused since the trust work), with accounts.
    start = time.perf_counter()
    build_servants(servants, with_accounts=True)
    step(f"{servants:,} servants with accounts in UGEL 07", start)

    start = time.perf_counter()
    specs = specs_for(servants)
    today = timezone.localdate()
    index = today.year * 12 + today.month - 2  # last month, paid on the 20th: visible today
    year, month = index // 12, index % 12 + 1
    rem_name, rem_bytes, master_bytes = build_files(specs, LINES_PER_PAYSLIP, year, month)
    ugel = OrgUnit.objects.get(code="150108")
    run = run_for_upload(
        ugel=ugel,
        year=year,
        month=month,
        kind="activos",
        payment_date=date(year, month, 20),
        additional=False,
        actor=None,
    )
    outcome = payroll_import(
        run=run, rem_name=rem_name, rem_bytes=rem_bytes, master_bytes=master_bytes
    )
    if not outcome.ok:
        raise SystemExit("Import refused:\n" + "\n".join(outcome.errors[:20]))
    payroll_publish(run=run, actor=None)  # its render task is queued; no worker runs here
    step(f"import + publish {outcome.payslips:,} payslips ({month:02d}/{year})", start)
    if prerender:
        # What the db_worker does after publication (render_run_pdfs_task), in two
        # processes as two workers would; its rate is reported.
        start = time.perf_counter()
        connections.close_all()
        ctx = mp.get_context("fork")
        halves = [ctx.Process(target=_render_half, args=(run.pk, h)) for h in (0, 1)]
        for proc in halves:
            proc.start()
        for proc in halves:
            proc.join()
        stored = Payslip.objects.filter(run=run).exclude(pdf_file="").count()
        facts["prerender"] = (stored, time.perf_counter() - start)
        step(f"pre-render {stored:,} payslip PDFs (2 processes)", start)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # In-process reference costs: one Argon2 check (with the host's speed) and one
    # payslip render.
    facts["host"] = host_speed()
    facts["argon2_cpu_ms"] = facts["host"]["argon2_ms"]
    # Distinct payslips: typst memoises, so the same one twice would be cheaper.
    payslips = list(Payslip.objects.select_related("run").filter(run=run)[:11])
    render_payslip(payslips[0])  # warm: fonts
    cpu = []
    for payslip in payslips[1:]:
        t = time.process_time()
        render_payslip(payslip)
        cpu.append(time.process_time() - t)
    facts["render_cpu_ms"] = statistics.median(cpu) * 1000
    facts["step_cpu_ms"] = steps_in_process(
        [f"{DNI_START + servants - 1 - i:08d}" for i in range(RESERVED)]
    )
    facts["payslips"] = outcome.payslips
    facts["period"] = f"{month:02d}/{year}"
    connections.close_all()
    return facts


def _render_half(run_id: int, half: int) -> None:
    """Half of render_run_pdfs_task's work (payslips of one id parity), in a forked child."""
    from django.db import connections

    from ayni.payroll.models import Payslip
    from ayni.payroll.pdf import payslip_pdf

    connections.close_all()  # the parent's connection is not ours
    slips = Payslip.objects.filter(run_id=run_id, pdf_file="").select_related("run")
    for payslip in slips.order_by("pk").iterator(chunk_size=200):
        if payslip.pk % 2 == half:
            payslip_pdf(payslip)
    connections.close_all()


def steps_in_process(dnis: list[str]) -> dict[str, float]:
    """Median CPU time of each step of the journey in this process (Django's test client
    through the whole middleware stack, no network, no CSRF check), for the servants
    `dnis`, who are kept out of the load levels."""
    from django.test import Client

    cpu: dict[str, list[float]] = defaultdict(list)
    # one client (one handler, as one gunicorn worker): a new one per servant would load
    # the middleware again (WhiteNoise scans the static files) and count it in the page
    client = Client(SERVER_NAME="127.0.0.1")
    client.get("/cuenta/ingresar/")
    for dni in dnis:
        client.cookies.clear()
        t = time.process_time()
        resp = client.get("/cuenta/ingresar/")
        cpu[STEPS[0]].append(time.process_time() - t)
        token = CSRF_RE.search(resp.content)
        assert resp.status_code == 200 and token, resp.status_code
        form = {
            "csrfmiddlewaretoken": token[1].decode(),
            "doc_type": "01",
            "doc_number": dni,
            "password": PASSWORD,
        }
        t = time.process_time()
        resp = client.post("/cuenta/ingresar/", form)
        cpu[STEPS[1]].append(time.process_time() - t)
        assert resp.status_code == 302, resp.status_code
        t = time.process_time()
        resp = client.get("/mi-boleta/")
        cpu[STEPS[2]].append(time.process_time() - t)
        link = PDF_RE.search(resp.content)
        assert link, resp.status_code
        t = time.process_time()
        resp = client.get(link[1].decode())
        cpu[STEPS[3]].append(time.process_time() - t)
        assert resp.content.startswith(b"%PDF")
        t = time.process_time()
        resp = client.get(link[1].decode())
        cpu["PDF again (stored)"].append(time.process_time() - t)
    return {step: statistics.median(v) * 1000 for step, v in cpu.items()}


# --- gunicorn ---------------------------------------------------------------------------


def server_env(database_url: str, workdir: Path, port: int, conn_max_age: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-payment-day-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        AYNI_VAR_DIR=str(workdir),
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE=str(conn_max_age),
        DJANGO_SETTINGS_MODULE="ayni.settings",
    )
    return env


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    proc = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "ayni.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["AYNI_VAR_DIR"]) / "gunicorn.log", "wb"),  # noqa: SIM115
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            status, _, _, _ = request("127.0.0.1", port, "GET", "/cuenta/ingresar/", {})
            if status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    proc.terminate()
    log((Path(env["AYNI_VAR_DIR"]) / "gunicorn.log").read_text()[-3000:])
    raise SystemExit("gunicorn did not answer")


# --- CPU accounting from /proc -------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float]:
    """(command, parent pid, CPU seconds) of a process, with its reaped children's: with
    DB_CONN_MAX_AGE=0 every request's PostgreSQL backend exits, and its CPU time then
    shows only in the postmaster's children's time."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return comm, int(fields[1]), sum(int(f) for f in fields[11:15]) / TICK


def pg_backends(database_url: str) -> set[int]:
    """The pids of the PostgreSQL backends connected to the benchmark's database."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return {pid for (pid,) in rows}


def host_speed() -> dict[str, float]:
    """How fast this host runs fixed work, so that figures from different hosts (or the
    same virtual host on a busier day) can be compared: the CPU ms of one Argon2 check
    with the project's hasher and of a fixed pure-Python loop, medians of 10. Needs
    Django set up (the hasher's settings); reads no database."""
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password(PASSWORD)
    argon, loop = [], []
    for _ in range(10):
        t = time.process_time()
        check_password(PASSWORD, encoded)
        argon.append(time.process_time() - t)
        t = time.process_time()
        sum(i * i for i in range(200_000))
        loop.append(time.process_time() - t)
    return {
        "argon2_ms": statistics.median(argon) * 1000,
        "loop_ms": statistics.median(loop) * 1000,
    }


def cpu_by_pid(gunicorn_pid: int, pg_pids: set[int]) -> dict[tuple[str, int], float]:
    """CPU seconds so far of the gunicorn master and each worker, and of each of the
    PostgreSQL backends `pg_pids` (the app's own: another user's work on the same server
    is left out)."""
    found: dict[tuple[str, int], float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            _comm, ppid, cpu = _stat(pid)
        except (OSError, ValueError):
            continue
        if pid == gunicorn_pid or ppid == gunicorn_pid:
            found[("gunicorn", pid)] = cpu
        elif pid in pg_pids:
            found[("postgres", pid)] = cpu
    return found


def cpu_delta(
    before: dict[tuple[str, int], float], after: dict[tuple[str, int], float]
) -> dict[str, float]:
    """CPU seconds spent between two `cpu_by_pid` snapshots, by kind (a process that
    started meanwhile counts whole; one that ended is left out)."""
    totals = {"gunicorn": 0.0, "postgres": 0.0}
    for key, cpu in after.items():
        totals[key[0]] += cpu - before.get(key, 0.0)
    return totals


def cpu_snapshot(gunicorn_pid: int) -> dict[str, float]:
    """CPU seconds so far of the gunicorn master and workers, and of every postgres process."""
    totals = {"gunicorn": 0.0, "postgres": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, ppid, cpu = _stat(int(entry.name))
        except (OSError, ValueError):
            continue
        if int(entry.name) == gunicorn_pid or ppid == gunicorn_pid:
            totals["gunicorn"] += cpu
        elif comm.startswith("postgres"):
            totals["postgres"] += cpu
    return totals


# --- the load generator ----------------------------------------------------------------------


def request(
    host: str,
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    body: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes, list[str]]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    headers = {"User-Agent": "ayni-bench/payment-day", "Accept-Language": "es-PE"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        set_cookies = resp.headers.get_all("Set-Cookie") or []
        return resp.status, dict(resp.headers.items()), payload, set_cookies
    finally:
        conn.close()


def _absorb(cookies: dict[str, str], set_cookies: list[str]) -> None:
    for raw in set_cookies:
        name, _, value = raw.split(";", 1)[0].partition("=")
        if value in ('""', ""):
            cookies.pop(name.strip(), None)
        else:
            cookies[name.strip()] = value


def journey(port: int, dni: str, samples: list[tuple[str, float, bool]]) -> bool:
    """One servant's visit; appends (step, seconds, ok) per request. True when whole."""
    cookies: dict[str, str] = {}

    def call(method: str, path: str, body: dict[str, str] | None = None) -> Any:
        """(status, headers, payload, seconds); status 0 when the request failed."""
        start = time.perf_counter()
        try:
            status, headers, payload, set_cookies = request(
                "127.0.0.1", port, method, path, cookies, body
            )
        except (OSError, http.client.HTTPException):
            return 0, {}, b"", time.perf_counter() - start
        _absorb(cookies, set_cookies)
        return status, headers, payload, time.perf_counter() - start

    status, _, payload, secs = call("GET", "/cuenta/ingresar/")
    token = CSRF_RE.search(payload) if status == 200 else None
    samples.append((STEPS[0], secs, bool(token)))
    if not token:
        return False
    form = {
        "csrfmiddlewaretoken": token[1].decode(),
        "doc_type": "01",
        "doc_number": dni,
        "password": PASSWORD,
    }
    status, _, _, secs = call("POST", "/cuenta/ingresar/", form)
    ok = status == 302 and "sessionid" in cookies
    samples.append((STEPS[1], secs, ok))
    if not ok:
        return False
    status, _, payload, secs = call("GET", "/mi-boleta/")
    link = PDF_RE.search(payload) if status == 200 else None
    samples.append((STEPS[2], secs, bool(link)))
    if not link:
        return False
    status, headers, payload, secs = call("GET", link[1].decode())
    ok = (
        status == 200
        and headers.get("Content-Type") == "application/pdf"
        and payload.startswith(b"%PDF")
    )
    samples.append((STEPS[3], secs, ok))
    return ok


def generator_process(
    port: int,
    threads: int,
    deadline: float,
    counter: Any,
    first: int,
    limit: int,
    out: Any,
) -> None:
    """One load-generator process: `threads` journeys at a time until the deadline."""
    samples: list[tuple[str, float, bool]] = []
    journeys: list[tuple[float, float, bool]] = []  # (start, seconds, whole)
    lock = threading.Lock()

    def loop() -> None:
        mine: list[tuple[str, float, bool]] = []
        done: list[tuple[float, float, bool]] = []
        while time.time() < deadline:
            with counter.get_lock():
                index = counter.value
                counter.value += 1
            dni = f"{DNI_START + first + index % limit:08d}"
            start = time.time()
            whole = journey(port, dni, mine)
            done.append((start, time.time() - start, whole))
        with lock:
            samples.extend(mine)
            journeys.extend(done)

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((samples, journeys))


def run_level(
    port: int,
    concurrency: int,
    duration: float,
    counter: Any,
    first: int,
    limit: int,
    gunicorn_pid: int,
    pg_url: str,
) -> dict[str, Any]:
    processes = min(2, concurrency)
    per = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    queue: Any = mp.Queue()
    before_index = counter.value
    pg_pids = pg_backends(pg_url)
    cpu0 = cpu_by_pid(gunicorn_pid, pg_pids)
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time()
    deadline = start + duration
    procs = [
        mp.Process(target=generator_process, args=(port, n, deadline, counter, first, limit, queue))
        for n in per
    ]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.time() - start
    cpu1 = cpu_by_pid(gunicorn_pid, pg_pids | pg_backends(pg_url))
    spent = cpu_delta(cpu0, cpu1)
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    samples = [s for r in results for s in r[0]]
    journeys = [j for r in results for j in r[1]]
    whole = [j for j in journeys if j[2]]
    by_step: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for step, secs, ok in samples:
        by_step[step].append(secs)
        if not ok:
            errors[step] += 1
    gen_cpu = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
    return {
        "concurrency": concurrency,
        "elapsed": elapsed,
        "journeys": len(journeys),
        "whole": len(whole),
        "rate": len(whole) / elapsed,
        "journey_times": [j[1] for j in whole],
        "steps": by_step,
        "errors": dict(errors),
        "gunicorn_cpu": spent["gunicorn"],
        "postgres_cpu": spent["postgres"],
        "generator_cpu": gen_cpu,
        "servants_used": counter.value - before_index,
        "load": os.getloadavg()[0],
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- report --------------------------------------------------------------------------------


def postgres_cell(level: dict[str, Any], journeys: int) -> str:
    """The PostgreSQL CPU per journey, or a dash when every backend of the level was
    recycled meanwhile (DB_CONN_MAX_AGE): their time is then out of reach, not zero."""
    if level["postgres_cpu"] <= 0:
        return "— (backends recycled)"
    return f"{level['postgres_cpu'] / journeys * 1000:.1f} ms"


def report(facts: dict[str, Any], levels: list[dict[str, Any]], args: Any) -> str:
    cores = os.cpu_count() or 1
    out = [
        f"### Payment day: log in → Mi boleta → PDF, {facts['payslips']:,} servants with "
        f"a published {facts['period']} payslip (PostgreSQL, gunicorn -w {args.workers})",
        "",
        f"Machine: {cores} cores; the app, PostgreSQL and the load generator share them. "
        f"gunicorn sync workers: {args.workers}; DEBUG=0; "
        f"DB_CONN_MAX_AGE={args.conn_max_age}. Each level runs {args.duration:.0f} s. "
        f"Load average (1, 5, 15 min): {facts['load_start']} before the levels, "
        f"{facts['load_end']} after them.",
        "",
        "| setup step | time |",
        "|---|--:|",
        *(f"| {label} | {secs:.1f} s |" for label, secs in facts["steps"]),
        "",
        "| level | concurrent journeys | journeys/s | journey p50 / p95 | "
        + " | ".join(f"{s} p50 / p95" for s in STEPS)
        + " | errors | load avg |",
        "|---|--:|--:|--:|" + "--:|" * len(STEPS) + "--:|--:|",
    ]
    for lv in levels:
        jt = lv["journey_times"]
        cells = [
            f"{pct(lv['steps'].get(s, []), 0.5) * 1000:.0f} / "
            f"{pct(lv['steps'].get(s, []), 0.95) * 1000:.0f} ms"
            for s in STEPS
        ]
        errors = ", ".join(f"{k}: {v}" for k, v in lv["errors"].items()) or "0"
        out.append(
            f"| {lv['label']} | {lv['concurrency']} | **{lv['rate']:.1f}** | "
            f"{pct(jt, 0.5):.2f} / {pct(jt, 0.95):.2f} s | "
            + " | ".join(cells)
            + f" | {errors} | {lv['load']:.1f} |"
        )
    out += [
        "",
        "CPU seconds per whole journey (from /proc: gunicorn master and workers; the "
        "PostgreSQL backends of the app's database, those alive at the level's start and "
        "end (a backend recycled meanwhile, DB_CONN_MAX_AGE, leaves its time out); the load "
        "generator's processes), and the share "
        f"of the machine's {cores} cores they kept busy:",
        "",
        "| level | gunicorn | gunicorn less the password check | PostgreSQL (its "
        "backends) | load generator | cores busy (all three) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    argon2 = facts["argon2_cpu_ms"]
    for lv in levels:
        n = max(1, lv["whole"])
        busy = (lv["gunicorn_cpu"] + lv["postgres_cpu"] + lv["generator_cpu"]) / lv["elapsed"]
        app = lv["gunicorn_cpu"] / n * 1000
        out.append(
            f"| {lv['label']} | {app:.1f} ms | **{app - argon2:.1f} ms** | "
            f"{postgres_cell(lv, n)} | {lv['generator_cpu'] / n * 1000:.1f} ms | "
            f"{busy:.2f} of {cores} |"
        )
    best = max(levels, key=lambda lv: lv["rate"])
    out += [
        "",
        f"In-process reference costs (this machine, same settings): one Argon2 login check "
        f"{facts['argon2_cpu_ms']:.0f} ms CPU; one payslip PDF render "
        f"{facts['render_cpu_ms']:.0f} ms CPU (distinct payslips); the fixed Python loop of "
        f"`host_speed` {facts['host']['loop_ms']:.1f} ms.",
        "",
        f"CPU time of each step in-process (Django test client through every middleware, "
        f"no network; median of {RESERVED} servants kept out of the load): "
        + "; ".join(f"{k} {v:.0f} ms" for k, v in facts["step_cpu_ms"].items())
        + f"; journey {sum(v for k, v in facts['step_cpu_ms'].items() if k in STEPS):.0f} ms.",
        "",
        f"Best sustained rate: **{best['rate']:.1f} journeys/s** at {best['concurrency']} "
        f"concurrent journeys (journey p95 {pct(best['journey_times'], 0.95):.2f} s); "
        f"target {TARGET_RATE} journeys/s with every step's p95 < {TARGET_P95:.0f} s.",
    ]
    return "\n".join(out)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("servants", nargs="?", type=int, default=DEFAULT_SERVANTS)
    parser.add_argument("--levels", default="4,8,16,32")
    parser.add_argument("--duration", type=float, default=40.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument(
        "--no-prerender",
        action="store_true",
        help="leave the PDFs to the first download (as before publication pre-rendered them)",
    )
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",") if x.strip()]

    database_url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    workdir = Path(tempfile.mkdtemp(prefix="ayni-bench-payday-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        pg_create(database_url)
        log(f"Building {args.servants:,} servants with accounts and one published month...")
        django_env(database_url, workdir)
        facts = build(args.servants, workdir, prerender=not args.no_prerender)
        env = server_env(database_url, workdir, args.port, args.conn_max_age)
        log(f"Starting gunicorn -w {args.workers} on 127.0.0.1:{args.port}...")
        server = start_gunicorn(env, args.port, args.workers)
        sample: list[tuple[str, float, bool]] = []
        if not journey(args.port, f"{DNI_START:08d}", sample):
            raise SystemExit(f"The journey fails: {sample}")

        facts["load_start"] = " / ".join(f"{v:.2f}" for v in os.getloadavg())
        counter: Any = mp.Value("q", 1)  # servant 0 came already
        results = []
        for concurrency in levels:
            log(f"Level: {concurrency} concurrent journeys for {args.duration:.0f} s...")
            level = run_level(
                args.port,
                concurrency,
                args.duration,
                counter,
                0,
                args.servants - RESERVED,
                server.pid,
                database_url,
            )
            reused = max(0, counter.value - (args.servants - RESERVED))
            first = (
                "first visits (PDF pre-rendered)" if not args.no_prerender else "first downloads"
            )
            level["label"] = first + (f" ({reused:,} reused)" if reused else "")
            results.append(level)
            log(f"  {level['rate']:.1f} journeys/s, errors {level['errors']}")
        busiest = max(results, key=lambda lv: lv["rate"])["concurrency"]
        log(f"Level: {busiest} concurrent journeys, PDFs already stored...")
        repeat: Any = mp.Value("q", 0)
        served = min(counter.value, args.servants)
        level = run_level(
            args.port, busiest, args.duration, repeat, 0, served, server.pid, database_url
        )
        level["label"] = "repeat visits (PDF stored)"
        results.append(level)
        log(f"  {level['rate']:.1f} journeys/s, errors {level['errors']}")
        facts["load_end"] = " / ".join(f"{v:.2f}" for v in os.getloadavg())
        print(report(facts, results, args))
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


if __name__ == "__main__":
    main(sys.argv[1:])
