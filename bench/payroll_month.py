"""Time a whole month of payroll: one PLAME file per UGEL, imported by parallel workers.

Usage:
    python bench/payroll_month.py [SERVANTS] [--ugels U] [--lines L] [--workers W] [--keep]

Defaults: 600,000 servants spread over the 224 UGEL (one .rem and one master file
each), 20 lines per servant (12 million lines), 2 workers. In a PostgreSQL database
named by BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/ayni_bench_month),
created and dropped here:

1. migrate, load the org tree and catalogues, bulk-create the servants (each UGEL's
   share), write every UGEL's files to a temporary directory;
2. start W worker processes, as W `db_worker` processes would run the upload page's
   import tasks: each sets Django up, then takes files from a shared queue and runs
   `run_for_upload` + `payroll_import` on them, one transaction per file;
3. report the month's wall time from the moment every worker is ready, lines/s and
   payslips/s over it, the slowest file, and each worker's peak RSS (VmHWM).

Markdown goes to stdout, progress to stderr. Nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from payroll_import import (  # noqa: E402  (bench helpers beside this file)
    MONTH,
    YEAR,
    build_files,
    build_servants,
    django_env,
    log,
    peak_rss_mib,
    pg_create,
    pg_drop,
    specs_for,
)

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ayni_bench_month"
TARGET_LINES_S, TARGET_MIB = 100_000, 500


def shares(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def setup(url: str, workdir: Path, servants: int, ugels: int, lines: int) -> list[Any]:
    """Database, servants and files; returns (ugel code, .rem path, master path, lines)."""
    from django.core.management import call_command
    from django.db import connection

    from ayni.org.loaders import load_catalogues, load_org_tree
    from ayni.org.models import OrgUnit

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_org_tree()
    load_catalogues()
    log(f"migrate + catalogues: {time.perf_counter() - start:.1f} s")
    codes = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.UGEL)
        .order_by("code")
        .values_list("code", flat=True)
    )[:ugels]
    jobs = []
    first = 0
    start = time.perf_counter()
    for n, (code, count) in enumerate(zip(codes, shares(servants, len(codes)), strict=True)):
        build_servants(count, ugel_code=code, first=first)
        specs = specs_for(first + count)[first:]
        name, rem, master = build_files(specs, lines, YEAR, MONTH)
        folder = workdir / code
        folder.mkdir()
        (folder / name).write_bytes(rem)
        (folder / "maestro.csv").write_bytes(master)
        jobs.append((code, str(folder / name), str(folder / "maestro.csv"), rem.count(b"\n")))
        first += count
        if n % 16 == 15:
            log(f"  {n + 1}/{len(codes)} UGEL: {first:,} servants")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"servants + files: {time.perf_counter() - start:.1f} s")
    connection.close()
    return jobs


def worker(url: str, workdir: str, jobs: Any, results: Any, ready: Any, go: Any) -> None:
    django_env(url, Path(workdir))
    from django.db import connection

    from ayni.org.models import OrgUnit
    from ayni.payroll.importer import payroll_import
    from ayni.payroll.services import run_for_upload

    connection.ensure_connection()
    ready.put(os.getpid())
    go.wait()
    handled = 0
    while True:
        job = jobs.get()
        if job is None:
            break
        code, rem_path, master_path, _ = job
        start = time.perf_counter()
        run = run_for_upload(
            ugel=OrgUnit.objects.get(code=code),
            year=YEAR,
            month=MONTH,
            kind="activos",
            payment_date=date(YEAR, MONTH, 20),
            additional=False,
            actor=None,
        )
        outcome = payroll_import(
            run=run,
            rem_name=Path(rem_path).name,
            rem_bytes=Path(rem_path).read_bytes(),
            master_bytes=Path(master_path).read_bytes(),
        )
        if not outcome.ok:
            results.put(("error", code, outcome.errors[:5]))
            continue
        handled += 1
        results.put(("ok", code, outcome.lines, outcome.payslips, time.perf_counter() - start))
    results.put(("done", os.getpid(), peak_rss_mib(), handled))
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("servants", nargs="?", type=int, default=600_000)
    parser.add_argument("--ugels", type=int, default=224)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    workdir = Path(tempfile.mkdtemp(prefix="ayni-bench-month-"))
    pg_create(url)
    load = os.getloadavg()
    try:
        ctx = mp.get_context("spawn")
        # Setup in a child of its own, so the parent holds no connection and no memory.
        with ctx.Pool(1) as pool:
            jobs = pool.apply(
                _setup_child, (url, str(workdir), args.servants, args.ugels, args.lines)
            )
        total_lines = sum(j[3] for j in jobs)
        size = sum(Path(j[1]).stat().st_size for j in jobs) / 2**20
        log(f"{len(jobs)} files, {total_lines:,} lines, {size:,.0f} MiB of .rem")
        job_queue, results, ready, go = ctx.Queue(), ctx.Queue(), ctx.Queue(), ctx.Event()
        for job in sorted(jobs, key=lambda j: -j[3]):  # largest first: no straggler at the end
            job_queue.put(job)
        for _ in range(args.workers):
            job_queue.put(None)
        procs = [
            ctx.Process(target=worker, args=(url, str(workdir), job_queue, results, ready, go))
            for _ in range(args.workers)
        ]
        for proc in procs:
            proc.start()
        for _ in procs:
            ready.get(timeout=120)
        log(f"{args.workers} workers ready; importing...")
        start = time.perf_counter()
        go.set()
        done, peaks, files, errors = 0, [], [], []
        while done < len(procs):
            item = results.get(timeout=1800)
            if item[0] == "done":
                done += 1
                peaks.append(f"{item[2]:,.0f} MiB ({item[3]} files)")
            elif item[0] == "error":
                errors.append(item)
            else:
                files.append(item)
                if len(files) % 16 == 0:
                    log(f"  {len(files)}/{len(jobs)} files, {time.perf_counter() - start:.0f} s")
        elapsed = time.perf_counter() - start
        for proc in procs:
            proc.join()
        if errors:
            raise SystemExit(f"Refused files: {errors[:3]}")
        lines = sum(f[2] for f in files)
        payslips = sum(f[3] for f in files)
        slowest = max(files, key=lambda f: f[4])
        print(
            "\n".join(
                [
                    f"### A month of payroll: {len(files)} UGEL files, {args.servants:,} servants"
                    f" x {args.lines} lines, {args.workers} workers (PostgreSQL)",
                    "",
                    f"_Load average at the start: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}._",
                    "",
                    "| measure | figure | target |",
                    "|---|--:|--:|",
                    f"| files | {len(files)} ({size:,.0f} MiB of .rem) | |",
                    f"| lines | {lines:,} | |",
                    f"| payslips | {payslips:,} | |",
                    f"| wall time, all files | {elapsed:.1f} s | |",
                    f"| lines/s | {lines / elapsed:,.0f} | ≥ {TARGET_LINES_S:,} |",
                    f"| payslips/s | {payslips / elapsed:,.0f} | |",
                    f"| slowest file | {slowest[4]:.2f} s ({slowest[2]:,} lines) | |",
                    f"| peak RSS per worker | {', '.join(peaks)} | < {TARGET_MIB} MiB |",
                ]
            )
        )
    finally:
        pg_drop(url) if not args.keep else log(f"Kept {url}")
        shutil.rmtree(workdir, ignore_errors=True)


def _setup_child(url: str, workdir: str, servants: int, ugels: int, lines: int) -> list[Any]:
    django_env(url, Path(workdir))
    return setup(url, Path(workdir), servants, ugels, lines)


if __name__ == "__main__":
    main()
