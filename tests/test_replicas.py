"""Read replicas for real (issue 18): a PostgreSQL 15 primary and a streaming standby made
by initdb and pg_basebackup -R in a temporary folder on loopback, and Ayni run against
them in a process of its own (tests/replica_probe.py) with DATABASE_URL on the primary and
DATABASE_REPLICA_URLS on the standby. What each request read where is counted per
connection; the standby proves itself with pg_is_in_recovery().
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pgcluster

ROOT = Path(__file__).resolve().parent.parent
PIN_SECONDS = 2

pytestmark = [
    pytest.mark.skipif(bool(pgcluster.missing()), reason=pgcluster.missing() or "-"),
    pytest.mark.skipif(
        pgcluster.suite_on_sqlite(),
        reason=("starts its own PostgreSQL pair: run once, in the PostgreSQL pass (make test-pg)"),
    ),
]


@pytest.fixture(scope="module")
def probe():  # type: ignore[no-untyped-def]
    workdir = pgcluster.make_workdir("ayni-replicas-")
    primary = standby = None
    try:
        primary = pgcluster.init_primary(workdir)
        primary.psql("CREATE DATABASE ayni")
        standby = pgcluster.start_standby(primary, workdir)
        stop = [str(pgcluster.PG_BIN / "pg_ctl"), "-D", str(standby.data), "-m", "immediate",
                "-w", "stop"]  # fmt: skip
        if os.geteuid() == 0:
            stop = ["runuser", "-u", "postgres", "--", *stop]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ayni.settings_test",
            "DATABASE_URL": f"{primary.url}/ayni",
            "DATABASE_REPLICA_URLS": f"{standby.url}/ayni",
            "DATABASE_REPLICA_PIN_SECONDS": str(PIN_SECONDS),
            "DATABASE_REPLICA_MAX_LAG_SECONDS": "30",
            "DATABASE_REPLICA_CHECK_SECONDS": "0",
            "REDIS_URL": "",
            "AYNI_PROBE_STOP_REPLICA": json.dumps(stop),
            "LOG_LEVEL": "WARNING",
        }
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "tests" / "replica_probe.py")],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
        if os.environ.get("AYNI_PROBE_DUMP"):  # to read the record by hand
            Path(os.environ["AYNI_PROBE_DUMP"]).write_text(done.stdout + done.stderr)
        yield json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        for cluster in (standby, primary):
            if cluster is not None:
                cluster.stop()
        pgcluster.remove(workdir)


def test_the_pair_is_a_real_primary_and_streaming_standby(probe):
    assert probe["in_recovery"] == {"default": False, "replica_1": True}
    assert probe["streaming"] == 1


def test_read_only_pages_of_a_user_who_did_not_write_read_the_replica(probe):
    page = probe["list"]
    assert page["status"] == 200
    assert "payroll_payslip" in page["replica_1"]["tables"]
    assert "payroll_payslip" not in page["default"]["tables"]
    # who the visitor is (session, second factor) is always read on the primary
    assert "django_session" in page["default"]["tables"]
    assert "django_session" not in page["replica_1"]["tables"]


def test_first_pdf_download_reads_the_replica_and_stores_on_the_primary(probe):
    pdf = probe["pdf_first"]
    assert pdf["status"] == 200 and pdf["type"] == "application/pdf" and pdf["body"] == "%PDF"
    assert "payroll_payslip" in pdf["replica_1"]["tables"]  # found on the replica
    assert "payroll_payslip" in pdf["default"]["tables"]  # locked and stored on the primary
    assert probe["pdf_stored_exists"]
    # that was a write: the same browser's next page reads the primary
    after = probe["list_after_pdf"]
    assert after["replica_1"]["count"] == 0
    assert "payroll_payslip" in after["default"]["tables"]


def test_the_writer_reads_its_own_write_from_the_primary_others_from_the_replica(probe):
    assert probe["write"]["status"] == 302
    assert probe["write"]["replica_1"]["count"] == 0
    mine = probe["writer_reads"]
    assert mine["status"] == 200 and "Gestión Réplica Dieciocho" in mine["body"]
    assert mine["replica_1"]["count"] == 0
    # the standby's replay is paused: another user's page comes from it, without the change
    other = probe["other_reads"]
    assert other["status"] == 200 and other["replica_1"]["count"] > 0
    assert "Gestión Réplica Dieciocho" not in other["body"]
    later = probe["other_reads_later"]
    assert later["replica_1"]["count"] > 0 and "Gestión Réplica Dieciocho" in later["body"]
    # and once the pin expired, the writer reads the replica again
    assert probe["writer_after_pin"]["replica_1"]["count"] > 0


def test_a_lagging_replica_is_skipped(probe):
    lagging = probe["lagging"]
    assert lagging["status"] == 200
    assert lagging["replica_1"]["tables"] == []
    assert "payroll_payslip" in lagging["default"]["tables"]
    assert "payroll_payslip" in probe["caught_up"]["replica_1"]["tables"]


def test_a_stopped_replica_falls_back_to_the_primary(probe):
    assert "payroll_payslip" in probe["before_stop"]["replica_1"]["tables"]
    for step in ("replica_stopped", "replica_stopped_again", "replica_stopped_fresh_check"):
        page = probe[step]
        assert page["status"] == 200, step
        assert page["default"]["count"] > 0
    assert "payroll_payslip" in probe["replica_stopped"]["default"]["tables"]
    assert "payroll_payslip" in probe["replica_stopped_fresh_check"]["default"]["tables"]


def test_migrations_only_on_the_primary(probe):
    assert probe["allow_migrate"] == {"default": True, "replica_1": False}


def test_outside_a_request_everything_reads_the_primary(probe):
    assert probe["outside_request"] == {"router": "default", "queryset": "default"}
