"""Hoja de vida for a whole UGEL: time per document and peak memory of the batch task.

Builds a fresh SQLite database with N synthetic servants in one UGEL (default 500;
the figure for 10,000 is extrapolated from the per-document time, which is flat),
then runs the same background task the escalafón page starts.

    .venv/bin/python bench/resume_batch.py [N]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
tmp = tempfile.mkdtemp(prefix="ayni-bench-resume-")
os.environ.update(
    DJANGO_SETTINGS_MODULE="ayni.settings",
    DEBUG="1",
    AYNI_VAR_DIR=tmp,
    DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
    TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
)

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.DEBUG = False


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_reference_data", stdout=devnull)
    from ayni.accounts.models import User
    from ayni.org.models import OrgUnit
    from ayni.personnel.demo import generate_servants
    from ayni.personnel.models import Servant
    from ayni.reports.models import ResumeBatch
    from ayni.reports.tasks import resume_batch_task

    generate_servants(n)
    ugel = OrgUnit.objects.get(code="150108")
    Servant.objects.update(employing_unit=ugel)
    user = User.objects.create_user("01", "29999999", "x" * 12)
    batch = ResumeBatch.objects.create(unit=ugel, requested_by=user)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    resume_batch_task.call(batch.pk)
    elapsed = time.perf_counter() - start
    batch.refresh_from_db()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_doc = elapsed / batch.done * 1000
    print("| servants | total | per hoja de vida | 10,000 servants (extrapolated) | peak RSS |")
    print("|--:|--:|--:|--:|--:|")
    print(
        f"| {batch.done:,} | {elapsed:.1f} s | {per_doc:.1f} ms | "
        f"{per_doc * 10000 / 60000:.1f} min | {peak:.0f} MB (before: {rss_before:.0f} MB) |"
    )


if __name__ == "__main__":
    main()
