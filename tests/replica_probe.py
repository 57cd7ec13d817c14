"""Run by tests/test_replicas.py in a process of its own, whose DATABASE_URL is a fresh
primary and DATABASE_REPLICA_URLS its streaming standby: migrates, loads the demo, walks
the scenario through Django's test client and prints what each request read where, as
JSON on the last line of its output. The test asserts on that record.

Env: AYNI_PROBE_STOP_REPLICA, the command (JSON list) that stops the standby.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayni.settings_test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from ayni.core import dbrouter  # noqa: E402

REPLICA = "replica_1"
TABLE = re.compile(r'FROM "([a-z_]+)"')


class Recorder:
    """Counts the queries each alias ran during one request, and the tables read."""

    def __init__(self) -> None:
        self.queries: dict[str, list[str]] = {"default": [], REPLICA: []}

    def wrapper(self, alias: str) -> Any:
        def run(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            self.queries[alias].append(sql)
            return execute(sql, params, many, context)

        return run

    def summary(self) -> dict[str, Any]:
        return {
            alias: {
                "count": len(sqls),
                "tables": sorted({t for s in sqls for t in TABLE.findall(s)}),
            }
            for alias, sqls in self.queries.items()
        }


def request(client: Any, path: str, method: str = "get", **data: Any) -> dict[str, Any]:
    recorder = Recorder()
    with ExitStack() as stack:
        for alias in recorder.queries:
            stack.enter_context(connections[alias].execute_wrapper(recorder.wrapper(alias)))
        response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
    body = b"" if getattr(response, "streaming", False) else response.content
    return {
        "status": response.status_code,
        "type": response.get("Content-Type", ""),
        "body": body.decode("utf-8", "replace") if b"%PDF" not in body[:8] else "%PDF",
        **recorder.summary(),
    }


def scalar(alias: str, sql: str) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_caught_up(timeout: float = 20) -> None:
    target = scalar("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scalar(REPLICA, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            return
        time.sleep(0.1)
    raise RuntimeError("the standby did not catch up")


def main() -> None:

    from ayni.accounts.models import User
    from ayni.identity.testing import sign_in_verified
    from ayni.payroll.models import Payslip
    from ayni.personnel.models import Degree, Servant
    from ayni.personnel.sections import KINDS, entry_values
    from tests.conftest import FormClient, load_everything

    out: dict[str, Any] = {}
    call_command("migrate", verbosity=0, skip_checks=True)
    load_everything()
    wait_caught_up()
    out["in_recovery"] = {a: scalar(a, "SELECT pg_is_in_recovery()") for a in ("default", REPLICA)}
    out["streaming"] = scalar("default", "SELECT count(*) FROM pg_stat_replication")

    def client(login: str) -> Any:
        c = FormClient(raise_request_exception=False)
        sign_in_verified(c, User.objects.get(login_id=f"01-{login}"))
        return c

    teacher = Servant.objects.get(doc_number="10000001")
    servant, officer = client("10000001"), client("20000001")

    # 1. read-only pages of a user who has not written: the replica
    out["list"] = request(servant, "/mi-boleta/")
    slip = Payslip.objects.filter(servant=teacher).order_by("-pk").first()
    assert slip is not None
    out["pdf_first"] = request(servant, f"/mi-boleta/{slip.uuid}/pdf/")
    out["pdf_stored_exists"] = bool(Payslip.objects.get(pk=slip.pk).pdf_file)
    # storing the rendered PDF was a write: this browser reads the primary for a while
    out["list_after_pdf"] = request(servant, "/mi-boleta/")
    time.sleep(settings.DATABASE_REPLICA_PIN_SECONDS + 0.2)

    # 2. read-your-writes, with the standby's replay paused so that it is visibly behind
    scalar(REPLICA, "SELECT pg_wal_replay_pause()::text")
    degree = Degree.objects.get(servant=teacher, level="maestria")
    values = {f"p-{k}": v for k, v in entry_values(KINDS["degree"], degree).items()}
    values["p-specialty"] = "Gestión Réplica Dieciocho"
    url = f"/servidores/{teacher.uuid}/legajo/degree/{degree.uuid}/editar/"
    out["write"] = request(officer, url, "post", **values, note="RD N.° 18-2026-UGEL07")
    out["writer_reads"] = request(officer, f"/servidores/{teacher.uuid}/")
    out["other_reads"] = request(servant, "/mi-legajo/academica/")
    scalar(REPLICA, "SELECT pg_wal_replay_resume()::text")
    wait_caught_up()
    out["other_reads_later"] = request(servant, "/mi-legajo/academica/")
    time.sleep(settings.DATABASE_REPLICA_PIN_SECONDS + 0.2)
    out["writer_after_pin"] = request(officer, f"/servidores/{teacher.uuid}/")

    # 3. a replica that lags more than allowed is not used
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 1
    scalar(REPLICA, "SELECT pg_wal_replay_pause()::text")
    Degree.objects.filter(pk=degree.pk).update(institution="Universidad del Retraso")
    time.sleep(1.6)
    out["lagging"] = request(servant, "/mi-boleta/")
    scalar(REPLICA, "SELECT pg_wal_replay_resume()::text")
    wait_caught_up()
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 30
    out["caught_up"] = request(servant, "/mi-boleta/")

    # 4. the replica stops: while its last check still says healthy, the page fails on it
    # and is served again from the primary; then it is skipped without waiting
    settings.DATABASE_REPLICA_CHECK_SECONDS = 600
    dbrouter.forget_health()
    out["before_stop"] = request(servant, "/mi-boleta/")
    subprocess.run(json.loads(os.environ["AYNI_PROBE_STOP_REPLICA"]), check=True)  # noqa: S603
    out["replica_stopped"] = request(servant, "/mi-boleta/")
    out["replica_stopped_again"] = request(servant, f"/servidores/{teacher.uuid}/")
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    dbrouter.forget_health()
    out["replica_stopped_fresh_check"] = request(servant, "/mi-boleta/")

    # 5. migrations only on the primary
    from django.db import router

    out["allow_migrate"] = {
        a: router.allow_migrate(a, "payroll", model_name="payslip") for a in ("default", REPLICA)
    }
    # 6. outside a web request (task workers, management commands): the primary
    out["outside_request"] = {
        "router": router.db_for_read(Payslip),
        "queryset": Payslip.objects.all()[:1].db,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
