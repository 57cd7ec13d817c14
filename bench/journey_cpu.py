"""CPU of one payment-day journey in-process, without the password check.

Usage:
    python bench/journey_cpu.py [N] [--journeys J] [--profile [--profile-out FILE]]

Issue 18's «CPU per journey besides the password check» (target ≤ 15 ms), measured
where nothing else runs: the journey of `payment_day.py` (login page, login POST,
«Mi boleta», the stored PDF of the newest payslip) through Django's test client in this
process, on PostgreSQL with DEBUG off, with the CPU time (`time.process_time`) of each
step. The one Argon2 check of the sign-in is timed inside the hasher and taken out, so
no separately timed check (whose cost moves from run to run) is subtracted.

Builds a PostgreSQL database (BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/ayni_bench_journey, created and dropped here) with
the org tree, the catalogues, N synthetic servants with accounts in UGEL 07 (default
2,000) and one published month of payslips for all of them; the J servants of the
journeys get their PDF rendered first, as the background task does on publication.
Each journey is a different servant; the first 20 warm the process up and are not
counted. With --profile, the top of a CPU-time profile of the journeys (cProfile on
`time.process_time`) goes to stderr.

Markdown goes to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from payment_day import PASSWORD, host_speed, pct  # noqa: E402 - sibling benchmarks
from payroll_import import DNI_START, django_env, pg_create, pg_drop  # noqa: E402
from staff_pages import build  # noqa: E402

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ayni_bench_journey"
STEPS = ["login page", "login POST", "Mi boleta", "stored PDF"]
WARM = 20
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PDF_RE = re.compile(r'href="(/mi-boleta/[0-9a-f-]{36}/pdf/)"')


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class ArgonClock:
    """The CPU time spent inside Argon2's verify, added up (the hasher Django calls)."""

    def __init__(self) -> None:
        import argon2

        self.spent = 0.0
        original = argon2.PasswordHasher.verify
        clock = self

        def verify(hasher: Any, hash: Any, password: Any) -> Any:
            start = time.process_time()
            try:
                return original(hasher, hash, password)
            finally:
                clock.spent += time.process_time() - start

        argon2.PasswordHasher.verify = verify  # type: ignore[method-assign]


def prerender(count: int) -> None:
    """The first `count` synthetic servants' PDFs stored, as publication's task does."""
    from ayni.payroll.models import Payslip
    from ayni.payroll.pdf import payslip_pdf

    slips = Payslip.objects.filter(
        servant__doc_number__gte=f"{DNI_START:08d}",
        servant__doc_number__lt=f"{DNI_START + count:08d}",
    ).select_related("run")
    for slip in slips:
        payslip_pdf(slip)


def journey(client: Any, dni: str, clock: ArgonClock) -> list[float]:
    """One servant's visit through the test client: each step's CPU ms, Argon2 out. The
    client is shared and its cookies emptied, as a new visitor's: a new test client
    would load the middleware chain again, which a server does once per process."""
    from http.cookies import SimpleCookie

    client.cookies = SimpleCookie()
    spent: list[float] = []

    def step(method: str, path: str, data: dict[str, str] | None = None) -> Any:
        argon_before = clock.spent
        start = time.process_time()
        response = client.post(path, data) if method == "POST" else client.get(path)
        spent.append((time.process_time() - start - (clock.spent - argon_before)) * 1000)
        return response

    page = step("GET", "/cuenta/ingresar/")
    token = CSRF_RE.search(page.content.decode())
    assert token, "no CSRF token on the login page"
    form = {
        "csrfmiddlewaretoken": token[1],
        "doc_type": "01",
        "doc_number": dni,
        "password": PASSWORD,
    }
    signed_in = step("POST", "/cuenta/ingresar/", form)
    assert signed_in.status_code == 302 and "sessionid" in client.cookies, dni
    listing = step("GET", "/mi-boleta/")
    link = PDF_RE.search(listing.content.decode())
    assert link, f"{dni}: no payslip link"
    pdf = step("GET", link[1])
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert pdf.status_code == 200 and body.startswith(b"%PDF"), f"{dni}: no PDF"
    return spent


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("servants", nargs="?", type=int, default=2_000)
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-out", help="also save the profile there (pstats file)")
    args = parser.parse_args(argv)
    needed = args.journeys + WARM
    if needed > args.servants:
        raise SystemExit(f"{needed} journeys need as many servants")

    database_url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    workdir = Path(tempfile.mkdtemp(prefix="ayni-bench-journey-"))
    try:
        pg_create(database_url)
        log(f"Building the demo and a {args.servants:,}-servant run...")
        django_env(database_url, workdir)
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["127.0.0.1"]
        settings.DATABASES["default"]["CONN_MAX_AGE"] = 60
        facts = build(args.servants)
        log(f"Rendering {needed} PDFs...")
        prerender(needed)
        host = host_speed()
        clock = ArgonClock()
        from django.test import Client

        client = Client(SERVER_NAME="127.0.0.1")
        dnis = [f"{DNI_START + i:08d}" for i in range(needed)]
        for dni in dnis[:WARM]:
            journey(client, dni, clock)
        log(f"{args.journeys} journeys...")
        profile = cProfile.Profile(time.process_time) if args.profile else None
        argon_start = clock.spent
        if profile:
            profile.enable()
        rows = [journey(client, dni, clock) for dni in dnis[WARM:]]
        if profile:
            profile.disable()
            if args.profile_out:
                profile.dump_stats(args.profile_out)
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
            log(out.getvalue())
        argon_ms = (clock.spent - argon_start) / len(rows) * 1000
        print(report(facts, rows, host, argon_ms, load=os.getloadavg(), profiled=args.profile))
    finally:
        from django.db import connections

        connections.close_all()
        pg_drop(database_url)
        shutil.rmtree(workdir, ignore_errors=True)


def report(
    facts: dict[str, Any],
    rows: list[list[float]],
    host: dict[str, float],
    argon_ms: float,
    load: tuple[float, float, float],
    profiled: bool,
) -> str:
    totals = [sum(r) for r in rows]
    out = [
        f"### CPU per payment-day journey besides the password check, in-process "
        f"({facts['period']}, PostgreSQL, DEBUG off)",
        "",
        f"{len(rows)} journeys, each a different servant, after {WARM} unmeasured. Host "
        f"speed (`host_speed`): one Argon2 check {host['argon2_ms']:.1f} ms CPU, the fixed "
        f"Python loop {host['loop_ms']:.1f} ms. Load average at the end: {load[0]:.2f}. "
        f"Argon2 inside the sign-ins: {argon_ms:.1f} ms a journey, taken out below."
        + (" **Profiled: the figures include cProfile's overhead.**" if profiled else ""),
        "",
        "| step | median CPU | p95 |",
        "|---|--:|--:|",
    ]
    for i, name in enumerate(STEPS):
        values = [r[i] for r in rows]
        out.append(f"| {name} | {statistics.median(values):.1f} ms | {pct(values, 0.95):.1f} ms |")
    out.append(
        f"| **journey** (target ≤ 15 ms) | **{statistics.median(totals):.1f} ms** | "
        f"{pct(totals, 0.95):.1f} ms |"
    )
    return "\n".join(out)


if __name__ == "__main__":
    main(sys.argv[1:])
