"""Run every Ayni benchmark and print one markdown report with the machine it ran on.

Usage:
    python bench/run.py [--pg] [--runs R]

    BENCH_SERVANTS=N   synthetic servants for the scoped-read benchmark (default 600000)
    BENCH_PG_URL=URL   PostgreSQL database for --pg, created and dropped by the run
                       (default postgres://postgres@127.0.0.1:5432/ayni_bench)

Runs bench/password_hash.py, then bench/scope_queries.py (SQLite in a temporary
directory, or PostgreSQL with --pg), each in its own process, and prints their
tables under a machine summary. Progress goes to stderr; redirect stdout to
keep the report (`python bench/run.py > bench-report.md`).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sqlite3
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SERVANTS = 600_000


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _usable_cores() -> str:
    total = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else total
    return str(total) if usable == total else f"{usable} usable of {total}"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _pg_version(url: str) -> str:
    import psycopg

    # The server's maintenance database: the benchmark's own does not exist yet.
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return f"PostgreSQL {row[0] if row else '?'}"
    except psycopg.Error as exc:
        return f"PostgreSQL unreachable ({exc.__class__.__name__})"


def machine_info(pg_url: str | None) -> str:
    rows = [
        ("date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("CPU", _cpu_model()),
        ("cores", _usable_cores()),
        ("load average (1, 5, 15 min)", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("RAM", _ram()),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("Django", _version("Django")),
        ("argon2-cffi", _version("argon2-cffi")),
        ("commit", _git_commit()),
    ]
    if pg_url:
        rows.append(("database", _pg_version(pg_url)))
    lines = ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


def run_script(name: str, *args: str) -> str:
    print(f"== {name} {' '.join(args)}", file=sys.stderr, flush=True)
    out = subprocess.run(
        [sys.executable, str(HERE / name), *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return out.stdout.strip()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", action="store_true", help="scoped reads on PostgreSQL")
    parser.add_argument("--runs", type=int, default=None, help="runs per scoped read")
    args = parser.parse_args(argv)

    raw = os.environ.get("BENCH_SERVANTS", "")
    servants = int(raw) if raw.strip() else DEFAULT_SERVANTS
    pg_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/ayni_bench")

    info = machine_info(pg_url if args.pg else None)
    hashing = run_script("password_hash.py")
    scope_args = [str(servants)]
    if args.pg:
        scope_args.append("--pg")
    if args.runs:
        scope_args += ["--runs", str(args.runs)]
    scoped = run_script("scope_queries.py", *scope_args)

    print("\n\n".join(["## Ayni benchmarks", info, hashing, scoped]))


if __name__ == "__main__":
    main(sys.argv[1:])
