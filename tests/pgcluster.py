"""Throw-away PostgreSQL 15 clusters on loopback, for the replica test and the restore drill.

The server binaries refuse to run as root, so they run as the `postgres` OS user through
`runuser` (or directly when the tests already run as `postgres`). Each cluster lives in a
temporary folder owned by `postgres` and listens on a free port on 127.0.0.1 with trust
authentication; `stop()` is immediate and the folder is removed by the caller.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("AYNI_PG_BIN", "/usr/lib/postgresql/15/bin"))


def suite_on_sqlite() -> bool:
    """The suite's own database is SQLite (`make test`), not PostgreSQL (`make test-pg`).

    The tests that start clusters or processes of their own do the same in both passes of
    .ci/run; they run in one of them only."""
    from django.conf import settings

    return bool(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"))


def missing() -> str:
    """Why the clusters cannot be made here ('' when they can)."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL 15 binaries not found in {PG_BIN}"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no `postgres` OS user"
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != "postgres":
        return "needs root (for runuser) or the postgres user"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser not found"
    return ""


def as_postgres(*args: str | Path, check: bool = True, timeout: float = 60) -> str:
    cmd = [str(a) for a in args]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    done = subprocess.run(  # noqa: S603
        cmd, capture_output=True, text=True, timeout=timeout, check=False, cwd="/"
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_workdir(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    pw = pwd.getpwnam("postgres")
    os.chown(folder, pw.pw_uid, pw.pw_gid)
    folder.chmod(0o700)
    return folder


class Cluster:
    def __init__(self, data: Path, port: int) -> None:
        self.data = data
        self.port = port

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def conf(self, **values: str | int) -> None:
        lines = [f"{k} = '{v}'" if isinstance(v, str) else f"{k} = {v}" for k, v in values.items()]
        text = "\n".join(lines) + "\n"
        as_postgres("sh", "-c", f"cat >> {self.data}/postgresql.conf <<'EOF'\n{text}EOF")

    def start(self) -> None:
        log = self.data.parent / f"{self.data.name}.log"
        as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-l", log, "-w", "-t", "30", "start")

    def stop(self, mode: str = "immediate") -> None:
        as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def psql(self, sql: str, db: str = "postgres") -> str:
        return as_postgres(
            PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-d", db, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql,
        ).strip()  # fmt: skip

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            probe = as_postgres(
                PG_BIN / "pg_isready", "-h", "127.0.0.1", "-p", str(self.port), check=False
            )
            if "accepting connections" in probe:
                return
            time.sleep(0.2)
        raise RuntimeError(f"cluster on port {self.port} not ready")


def init_primary(workdir: Path, name: str = "primary", **conf: str | int) -> Cluster:
    data = workdir / name
    as_postgres(
        PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--locale=C.UTF-8", "--no-sync",
    )  # fmt: skip
    cluster = Cluster(data, free_port())
    cluster.conf(
        port=cluster.port,
        listen_addresses="127.0.0.1",
        unix_socket_directories=str(workdir),
        wal_level="replica",
        max_wal_senders=5,
        hot_standby="on",
        fsync="off",
        full_page_writes="on",
        shared_buffers="32MB",
        **conf,
    )
    cluster.start()
    return cluster


def base_backup(primary: Cluster, target: Path, *, standby: bool) -> None:
    args: list[str | Path] = [
        PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
        "-D", target, "-X", "stream", "--checkpoint=fast", "--no-sync",
    ]  # fmt: skip
    if standby:
        args.append("-R")
    as_postgres(*args, timeout=120)


def start_standby(primary: Cluster, workdir: Path, name: str = "standby") -> Cluster:
    data = workdir / name
    base_backup(primary, data, standby=True)
    standby = Cluster(data, free_port())
    standby.conf(port=standby.port, hot_standby="on")
    standby.start()
    standby.wait_ready()
    return standby


def remove(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
