"""The cost of signing payslips (PAdES B-B, pyHanko): CPU per signature, bytes added,
and the pre-render rate with and without signing.

Usage:
    python bench/signing.py [PAYSLIPS] [--processes P]

1. `render_payslip` on PAYSLIPS (default 300) distinct demo-like payslips (the same as
   bench/payslip_pdf.py) with signing off, then with a demo key (RSA-2048, PKCS#12,
   loaded once per process): CPU per render, CPU of the signature alone
   (`sign_document` on the rendered bytes), the bytes it adds, and whether the same
   payslip signed twice gives the same bytes.
2. The pre-render rate: P processes (default 2, like the task workers on the 2-core
   machine) each render and store their share of the payslips, with and without
   signing; PDFs per second of wall time.

Markdown goes to stdout, progress to stderr. The demo PKI and the SQLite file live in
a temporary directory, removed at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payslip_pdf import demo_payslips, log, setup

PASSPHRASE = "bench-sin-validez"


def with_unit(payslips: list[Any]) -> list[Any]:
    """The payslips' runs belong to UGEL 07 (unsaved: no database needed to sign)."""
    from ayni.org.models import OrgUnit

    ugel = OrgUnit(pk=10**9, code="150108", name="UGEL 07 SAN BORJA", path="/000000/150100/150108/")
    for payslip in payslips:
        payslip.run.ugel = ugel
    return payslips


def signing(on: bool, toml: Path | None) -> None:
    from django.conf import settings

    from ayni.core.signing import reset_store

    settings.SIGNING_CONFIG = str(toml) if on and toml else ""
    reset_store()


def cpu_each(payslips: list[Any], fn: Any) -> tuple[list[float], list[bytes]]:
    cpus, out = [], []
    for payslip in payslips:
        start = time.process_time()
        out.append(fn(payslip))
        cpus.append(time.process_time() - start)
    return cpus, out


def _share(args: tuple[int, int, bool, str]) -> tuple[int, float]:
    start, count, sign, toml = args
    if "django" not in sys.modules or not _ready:
        _setup_child(Path(toml).parent.parent)
    from ayni.payroll.pdf import render_payslip

    signing(sign, Path(toml))
    payslips = with_unit(demo_payslips(start + count)[start:])
    for payslip in payslips[:2]:
        render_payslip(payslip)  # warm: fonts, template, key store (untimed)
    begin = time.perf_counter()
    for payslip in payslips:
        render_payslip(payslip)
    return count, time.perf_counter() - begin


_ready = False


def _setup_child(workdir: Path) -> None:
    global _ready
    setup(workdir)
    os.environ[_passphrase_env()] = PASSPHRASE
    _ready = True


def _passphrase_env() -> str:
    from ayni.core.signing.demo import PASSPHRASE_ENV

    return PASSPHRASE_ENV


def prerender_rate(count: int, processes: int, sign: bool, toml: Path) -> float:
    """Fresh processes (spawn: typst's threads do not survive a fork), each warmed up."""
    share = count // processes
    jobs = [(i * share, share, sign, str(toml)) for i in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_share, jobs)  # each times its own rendering only
        return sum(n for n, _ in results) / max(elapsed for _, elapsed in results)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("payslips", nargs="?", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="ayni-bench-signing-"))
    try:
        setup(workdir)
        from ayni.core.signing import Level, get_store, sign_document
        from ayni.core.signing.demo import PASSPHRASE_ENV, DemoUnit, make_demo_pki
        from ayni.core.verification import format_code
        from ayni.payroll.pdf import render_payslip

        os.environ[PASSPHRASE_ENV] = PASSPHRASE
        toml = make_demo_pki(
            workdir / "firma", [DemoUnit("150108", "UGEL 07 SAN BORJA")], passphrase=PASSPHRASE
        )
        payslips = with_unit(demo_payslips(args.payslips))
        log(f"Rendering {len(payslips)} payslips unsigned, then signed...")
        signing(False, toml)
        render_payslip(payslips[0])  # warm: fonts
        plain_cpu, plain = cpu_each(payslips, render_payslip)
        signing(True, toml)
        load_start = time.process_time()
        sign_document(plain[0], payslips[0].run.ugel, level=Level.B_B, code="X")
        load_cpu = time.process_time() - load_start  # loads the key store (once per process)
        signed_cpu, signed = cpu_each(payslips, render_payslip)
        store = get_store()
        reserve = store.entries()[0].reserve if store else 0

        def sign_only(index: int) -> bytes:
            payslip = payslips[index]
            return sign_document(
                plain[index],
                payslip.run.ugel,
                level=Level.B_B,
                code=format_code(payslip.verification_code),
                signing_time=payslip.run.published_at,
            )

        sig_cpu, _ = cpu_each(list(range(len(payslips))), sign_only)
        added = [len(s) - len(p) for s, p in zip(signed, plain, strict=True)]
        same = render_payslip(payslips[0]) == render_payslip(payslips[0])
        log(f"Pre-render rate on {args.processes} processes...")
        rate_plain = prerender_rate(len(payslips), args.processes, False, toml)
        rate_signed = prerender_rate(len(payslips), args.processes, True, toml)
        ms = 1000
        p95 = sorted(sig_cpu)[int(0.95 * (len(sig_cpu) - 1))]
        lines = [
            f"### Signing payslips (PAdES B-B, RSA-2048 PKCS#12) on {len(payslips)} payslips",
            "",
            "| measure | figure |",
            "|---|--:|",
            f"| CPU per render, unsigned (median) | {statistics.median(plain_cpu) * ms:.1f} ms |",
            f"| CPU per render + signature (median) | "
            f"{statistics.median(signed_cpu) * ms:.1f} ms |",
            f"| CPU per signature alone (median / p95) | "
            f"{statistics.median(sig_cpu) * ms:.1f} / {p95 * ms:.1f} ms |",
            f"| loading the key store (once per process) | {load_cpu * ms:.0f} ms |",
            f"| bytes added per PDF (median / max) | {statistics.median(added):,.0f} / "
            f"{max(added):,} B |",
            f"| room reserved for the signature container (hex) | {reserve:,} B |",
            f"| PDF size unsigned / signed (median) | "
            f"{statistics.median(len(p) for p in plain) / 1024:.1f} / "
            f"{statistics.median(len(s) for s in signed) / 1024:.1f} KiB |",
            f"| pre-render rate on {args.processes} processes, unsigned / signed | "
            f"{rate_plain:.0f} / {rate_signed:.0f} PDFs/s |",
            f"| CPU ceiling on {args.processes} cores, unsigned / signed | "
            f"{args.processes / statistics.median(plain_cpu):.0f} / "
            f"{args.processes / statistics.median(signed_cpu):.0f} PDFs/s |",
            f"| same payslip signed twice gives the same bytes | {'yes' if same else '**no**'} |",
        ]
        print("\n".join(lines))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
