"""One password check with Ayni's Argon2 parameters against Django's default Argon2.

Usage: python bench/password_hash.py [RUNS]   (default 30 runs per hasher)

Each hasher runs in its own child process so that its peak memory can be read
from the child's maximum resident set size (Argon2 allocates its memory in C,
outside Python's allocator, so tracemalloc would not see it). Prints a
markdown table.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HASHERS = {
    "ayni": "ayni.accounts.hashers.AyniArgon2Hasher",
    "django": "django.contrib.auth.hashers.Argon2PasswordHasher",
}
PASSWORD = "ayni-demo-2026"
DEFAULT_RUNS = 30


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    if not settings.configured:
        settings.configure(PASSWORD_HASHERS=list(HASHERS.values()), USE_TZ=True)
    import django

    django.setup()


def _rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_one(key: str, runs: int) -> dict[str, float | int | str]:
    """In this process: time `runs` verifications with one hasher."""
    _setup_django()
    from django.utils.module_loading import import_string

    hasher = import_string(HASHERS[key])()
    import argon2  # noqa: F401 - loaded before the baseline is read

    rss_before = _rss_kib()
    encoded = hasher.encode(PASSWORD, hasher.salt())  # warm-up and the stored hash
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        ok = hasher.verify(PASSWORD, encoded)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert ok
    assert not hasher.verify(PASSWORD + "x", encoded)
    return {
        "key": key,
        "hasher": HASHERS[key].rsplit(".", 1)[1],
        "params": f"t={hasher.time_cost}, m={hasher.memory_cost // 1024} MiB, "
        f"p={hasher.parallelism}",
        "runs": runs,
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "max_ms": max(times) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "rss_base_kib": rss_before,
        "rss_peak_kib": _rss_kib(),
    }


def measure(runs: int = DEFAULT_RUNS) -> list[dict[str, float | int | str]]:
    """Each hasher in a fresh child process; the results as dicts."""
    results = []
    for key in HASHERS:
        out = subprocess.run(
            [sys.executable, __file__, "--child", key, str(runs)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        results.append(json.loads(out.stdout))
    return results


def markdown(results: list[dict[str, float | int | str]]) -> str:
    cores = os.cpu_count() or 1
    lines = [
        "### Password check (Argon2id verify)",
        "",
        f"{results[0]['runs']} checks per hasher, each hasher in a fresh process. "
        "Peak memory is the process's peak resident set size; the Argon2 part is its "
        "growth over the process before the first hash. "
        f"CPU time counts every thread of the check (p lanes run in parallel); the "
        f"ceiling is {cores} cores / CPU time, with the machine doing nothing else.",
        "",
        "| hasher | parameters | median | min | max | CPU time | checks/s ceiling "
        "| peak RSS | Argon2 memory |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        median, cpu = float(r["median_ms"]), float(r["cpu_ms"])
        lines.append(
            f"| {r['hasher']} | {r['params']} | {median:.1f} ms | {float(r['min_ms']):.1f} ms "
            f"| {float(r['max_ms']):.1f} ms | {cpu:.1f} ms | {cores * 1000 / cpu:.0f} "
            f"| {int(r['rss_peak_kib']) / 1024:.0f} MiB "
            f"| +{(int(r['rss_peak_kib']) - int(r['rss_base_kib'])) / 1024:.0f} MiB |"
        )
    if len(results) == 2:
        ratio = float(results[1]["median_ms"]) / float(results[0]["median_ms"])
        lines += ["", f"Django's default costs {ratio:.1f}× Ayni's per check."]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(measure_one(argv[1], int(argv[2]))))
        return
    runs = int(argv[0]) if argv else DEFAULT_RUNS
    print(markdown(measure(runs)))


if __name__ == "__main__":
    main(sys.argv[1:])
