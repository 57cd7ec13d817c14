"""Time the payslip PDF: render one (typst, QR, shipped fonts) and serve one.

Usage:
    python bench/payslip_pdf.py [RENDERS] [--downloads D]

1. `ayni.payroll.pdf.render_payslip` on RENDERS (default 500) distinct demo-like
   payslips, built the way the importer builds them (`build_payslip`,
   `header_snapshot` on a master row like the demo teacher's: 7 to 9 lines, AFP,
   with a QR code): the first (cold) render, the median, p95, min and max, CPU
   time, the renders/s ceiling of the machine, the PDF size, and the resident
   memory before, after the first render and after all of them (a growing figure
   would be a leak).
2. `ayni.payroll.pdf.payslip_pdf`, the download view's function, on D (default 50)
   published payslips in a SQLite database in a temporary directory: the first
   download renders, stores the file and records its hash (two UPDATEs); a later
   download reads the stored file.

The payslips are unsaved model instances in part 1, so no database is needed
there. Markdown goes to stdout, progress to stderr; the temporary directory is
removed at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RENDERS = 500
DEFAULT_DOWNLOADS = 50


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rss_mib() -> float:
    match = re.search(r"VmRSS:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match[1]) / 1024 if match else 0.0


def peak_mib() -> float:
    match = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match[1]) / 1024 if match else 0.0


def setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "1"  # no SECRET_KEY needed; off again below
    os.environ["DJANGO_SETTINGS_MODULE"] = "ayni.settings"
    os.environ["AYNI_VAR_DIR"] = str(workdir)  # stored PDFs go to the temp dir
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False


# --- demo-like payslips --------------------------------------------------------------

# The demo teacher's month (ayni/payroll/demo.py), amounts varied per payslip.
TEACHER_LINES = [
    ("2001", "3612.60"),
    ("2005", "150.00"),
    ("2004", "3.00"),
    ("0608", "376.56"),
    ("0606", "51.59"),
    ("0702", "36.13"),
]


def concepts_and_rates() -> tuple[dict[str, Any], dict[str, Decimal]]:
    """The Tabla 22 concepts straight from the shipped CSV, and the 2000 rates."""
    import csv

    from ayni.payroll.rem import Concept

    concepts: dict[str, Any] = {}
    with (ROOT / "ayni" / "data" / "sunat_tabla22_conceptos.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            concepts[row["codigo"]] = Concept(
                code=row["codigo"],
                name=row["descripcion"],
                kind=row["tipo"],
                allowed_in_rem=row["permitido_en_rem"] == "SI",
                subject_essalud=row["afecto_essalud"] == "SI",
                subject_onp=row["afecto_onp"] == "SI",
                subject_afp=row["afecto_afp"] == "SI",
            )
    for code, name, kind in (
        ("0607", "SISTEMA NACIONAL DE PENSIONES D.L. 19990", "APORTE_TRABAJADOR"),
        ("0804", "ESSALUD SEGURO REGULAR TRABAJADOR", "APORTE_EMPLEADOR"),
    ):
        concepts.setdefault(code, Concept(code, name, kind, False, False, False, False))
    return concepts, {"0607": Decimal("0.13"), "0804": Decimal("0.09")}


def master_row(i: int) -> Any:
    from ayni.payroll.rem import MasterRow

    return MasterRow(
        doc_type="01",
        doc_number=f"{10000001 + i:08d}",
        paternal_surname="QUISPE",
        maternal_surname="HUAMÁN",
        given_names="ROSA ELENA",
        birth_date="1978-03-14",
        position="PROFESOR DE AULA",
        school_name="I.E. N.° 7001 SAN BORJA",
        school_code="0312603",
        servant_kind="DOCENTE NOMBRADO",
        level="III ESCALA MAGISTERIAL",
        weekly_hours="30",
        labor_regime="LEY 29944 - LEY DE REFORMA MAGISTERIAL",
        pension_code="21",
        pension_system="AFP",
        pension_name="SPP INTEGRA",
        cuspp="598761RQHME0",
        affiliation_date="2005-04-01",
        bank_account=f"04-{i % 10000:04d}-10000001",
        legend_permanent="PAGO EN BANCO DE LA NACIÓN",
        legend_monthly="FELIZ DÍA DEL MAESTRO" if i % 12 == 6 else "",
        entry_date="2005-03-01",
        end_date="",
        service_time="21 AÑOS 8 MESES",
    )


def demo_payslips(count: int) -> list[Any]:
    """Unsaved Payslip instances with their run, as the importer builds them."""
    from ayni.core.verification import new_code
    from ayni.payroll.compute import build_payslip, header_snapshot
    from ayni.payroll.models import PayrollRun, Payslip

    concepts, rates = concepts_and_rates()
    rng = random.Random(2026)
    out = []
    for i in range(count):
        year, month = 2024 + i // 12 % 3, i % 12 + 1
        run = PayrollRun(
            year=year,
            month=month,
            kind="activos",
            payment_date=date(year, month, 20),
            published_at=datetime(year, month, 15, 17, 0, tzinfo=UTC),
        )
        amounts = [
            (c, Decimal(a) + Decimal(rng.randrange(0, 5000)) / 100) for c, a in TEACHER_LINES
        ]
        if month in (7, 12):
            amounts.append(("2006", Decimal("300.00")))
        if i % 4 == 0:
            amounts.append(("0703", Decimal("450.00")))
        row = master_row(i)
        lines, totals = build_payslip(row, amounts, concepts, rates)
        out.append(
            Payslip(
                uuid=uuid.uuid4(),
                run=run,
                year=year,
                month=month,
                payment_date=run.payment_date,
                published=True,
                header=header_snapshot(
                    row,
                    ugel_name="UGEL 07 SAN BORJA",
                    ruc="20330611023",
                    run_label=f"Activos {run.period_label}",
                    kind_label="Activos",
                ),
                lines=lines,
                gross=totals.gross,
                deductions=totals.deductions,
                net=totals.net,
                taxable_base=totals.taxable_base,
                employer_contributions=totals.employer_contributions,
                verification_code=new_code(),
            )
        )
    return out


# --- 1. rendering --------------------------------------------------------------------


def bench_render(count: int) -> list[str]:
    from ayni.payroll.pdf import render_payslip

    payslips = demo_payslips(count)
    rss_start = rss_mib()
    log(f"Rendering {count} payslips...")
    times, cpus, sizes = [], [], []
    rss_first = 0.0
    for n, payslip in enumerate(payslips):
        start, cpu = time.perf_counter(), time.process_time()
        pdf = render_payslip(payslip)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        sizes.append(len(pdf))
        assert pdf.startswith(b"%PDF")
        if n == 0:
            rss_first = rss_mib()
        if n == count // 2:
            rss_half = rss_mib()
    rss_end = rss_mib()
    warm = times[1:] or times
    warm_sorted = sorted(warm)
    p95 = warm_sorted[min(len(warm_sorted) - 1, int(0.95 * len(warm_sorted)))]
    cpu_median = statistics.median(cpus[1:] or cpus)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # Same payslip twice: identical bytes (the verification hash depends on it).
    again = render_payslip(payslips[0])
    same = again == render_payslip(payslips[0])
    return [
        f"### Payslip PDF: `render_payslip` on {count} distinct demo-like payslips",
        "",
        "| measure | figure |",
        "|---|--:|",
        f"| first render (cold: fonts, template) | {times[0] * 1000:.0f} ms |",
        f"| median render (the other {len(warm)}) | {statistics.median(warm) * 1000:.1f} ms |",
        f"| p95 / min / max | {p95 * 1000:.1f} / {min(warm) * 1000:.1f} / "
        f"{max(warm) * 1000:.1f} ms |",
        f"| median CPU time per render | {cpu_median * 1000:.1f} ms |",
        f"| renders/s ceiling ({cores} cores / CPU time, machine otherwise idle) | "
        f"{(cores or 1) / cpu_median:.0f} |",
        f"| PDF size (median) | {statistics.median(sizes) / 1024:.1f} KiB |",
        f"| RSS before / after the first / after half / after all {count} renders | "
        f"{rss_start:.0f} / {rss_first:.0f} / {rss_half:.0f} / {rss_end:.0f} MiB |",
        f"| peak RSS | {peak_mib():.0f} MiB |",
        f"| same payslip rendered twice gives the same bytes | {'yes' if same else '**no**'} |",
    ]


# --- 2. the download path ----------------------------------------------------------------


def bench_download(count: int) -> list[str]:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from ayni.core.models import VerificationRecord
    from ayni.org.loaders import load_catalogues, load_org_tree
    from ayni.org.models import OrgUnit
    from ayni.payroll.models import PayrollRun, Payslip
    from ayni.payroll.pdf import payslip_pdf
    from ayni.personnel.models import Servant

    log(f"Download path on SQLite: {count} payslips...")
    call_command("migrate", verbosity=0, interactive=False)
    load_org_tree()
    load_catalogues()
    ugel = OrgUnit.objects.get(code="150108")
    with transaction.atomic():
        run = PayrollRun.objects.create(
            ugel=ugel,
            year=2025,
            month=5,
            kind="activos",
            payment_date=date(2025, 5, 20),
            state=PayrollRun.State.PUBLISHED,
            published_at=timezone.now(),
        )
        saved = []
        for i, template in enumerate(demo_payslips(count)):
            servant = Servant.objects.create(
                doc_type="01",
                doc_number=f"{70000000 + i:08d}",
                paternal_surname="QUISPE",
                given_names="ROSA",
                employing_unit=ugel,
                condition=Servant.Condition.NOMBRADO,
            )
            template.run, template.servant = run, servant
            template.year, template.month, template.payment_date = 2025, 5, run.payment_date
            template.save()
            VerificationRecord.objects.create(
                code=template.verification_code,
                kind="boleta",
                issuer="UGEL 07",
                issued_at=run.published_at or timezone.now(),
            )
            saved.append(template.pk)
    first, later = [], []
    for pk in saved:
        payslip = Payslip.objects.select_related("run").get(pk=pk)
        start = time.perf_counter()
        payslip_pdf(payslip)
        first.append(time.perf_counter() - start)
    for pk in saved:
        payslip = Payslip.objects.select_related("run").get(pk=pk)
        start = time.perf_counter()
        payslip_pdf(payslip)
        later.append(time.perf_counter() - start)
    return [
        "",
        f"### Payslip PDF: `payslip_pdf` (the download view's call), {count} payslips, "
        "SQLite, local file storage",
        "",
        "| download | median | p95 | max |",
        "|---|--:|--:|--:|",
        *(
            f"| {label} | {statistics.median(t) * 1000:.1f} ms | "
            f"{sorted(t)[int(0.95 * (len(t) - 1))] * 1000:.1f} ms | {max(t) * 1000:.1f} ms |"
            for label, t in (
                ("first (render + store + hash, two UPDATEs)", first),
                ("later (read the stored file)", later),
            )
        ),
    ]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("renders", nargs="?", type=int, default=DEFAULT_RENDERS)
    parser.add_argument("--downloads", type=int, default=DEFAULT_DOWNLOADS)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="ayni-bench-pdf-"))
    try:
        setup(workdir)
        load = os.getloadavg()
        out = [f"_Load average at the start: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}._", ""]
        out += bench_render(args.renders)
        if args.downloads:
            out += bench_download(args.downloads)
        load = os.getloadavg()
        out += ["", f"_Load average at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}._"]
        print("\n".join(out))
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
