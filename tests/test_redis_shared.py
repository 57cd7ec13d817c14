"""App servers are stateless with Redis configured (issue 18): two separate Ayni processes,
each with its own client, share the session (cached_db: Redis in front of the database),
the login-failure count (a table in the shared database) and the cache (Redis).

Uses the Redis at 127.0.0.1:6379, database 5 (flushed before and after).
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
REDIS_URL = os.environ.get("AYNI_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _redis():  # type: ignore[no-untyped-def]
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        return None
    return client


@pytest.fixture(scope="module")
def run(tmp_path_factory):  # type: ignore[no-untyped-def]
    if not pgcluster.suite_on_sqlite():
        pytest.skip("its processes use a SQLite file of their own: run once, in the SQLite pass")
    redis_db = _redis()
    if redis_db is None:
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis_db.flushdb()
    folder = tmp_path_factory.mktemp("redis-shared")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.redis_settings",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": f"sqlite:///{folder / 'ayni.sqlite3'}",
        "DATABASE_REPLICA_URLS": "",
        "AYNI_VAR_DIR": str(folder),
        "LOG_LEVEL": "WARNING",
    }

    def process(*actions: list[str]) -> list:  # one new Ayni process per call
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "tests" / "redis_probe.py"), json.dumps(actions)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    process(["setup"])
    process.redis = redis_db  # type: ignore[attr-defined]
    yield process
    redis_db.flushdb()


def test_a_session_opened_in_one_process_is_used_in_another(run):
    from tests.conftest import PERSONAS

    (login,) = run(["login", PERSONAS["servant"], demo_password()])
    assert login["status"] == 302 and login["cookie"]
    # the session lives in Redis: the other process finds it there even with the
    # database copy spoilt (cached_db reads the cache first)
    assert any(b"cached_db" in key for key in run.redis.keys("*"))
    spoilt, whoami = run(["spoil_session_rows"], ["use_cookie", login["cookie"]], ["whoami"])
    assert spoilt >= 1
    assert whoami == {"status": 200, "url": ""}
    # and without the cookie the other process sends the visitor to sign in
    (anonymous,) = run(["whoami"])
    assert anonymous["status"] == 302 and "/cuenta/ingresar/" in anonymous["url"]


def test_failed_logins_are_counted_across_processes(run):
    from tests.conftest import PERSONAS

    doc = PERSONAS["other_servant"]
    first = run(*[["login", doc, "contraseña-equivocada"]] * 3)
    assert [r["status"] for r in first] == [200, 200, 200]
    second = run(*[["login", doc, "contraseña-equivocada"]] * 2, ["login", doc, demo_password()])
    # 3 + 2 = LOGIN_MAX_FAILURES: the right password is refused in the second process too
    assert [r["status"] for r in second] == [200, 429, 429]


def test_the_cache_is_shared(run):
    assert run(["cache_add", "ayni-test-shared"]) == [True]
    assert run(["cache_add", "ayni-test-shared"]) == [False]


def demo_password() -> str:
    from ayni.accounts.demo_accounts import DEMO_PASSWORD

    return DEMO_PASSWORD
