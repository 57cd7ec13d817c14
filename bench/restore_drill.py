"""Point-in-time recovery drill (issue 18, docs/scaling.md «Copias de respaldo»).

A PostgreSQL 15 cluster with WAL archiving (archive_command copies each segment into a
folder, as production copies it to a bucket), a base backup with pg_basebackup, rows
inserted, time T noted, more rows inserted and some deleted; then the base backup is
restored into a new data folder with restore_command and recovery_target_time = T, and
exactly the rows that existed at T must be there. Prints the measured times and sizes.

Runs as root (through runuser) or as the postgres user, in a temporary folder:

    .venv/bin/python bench/restore_drill.py [--rows N] [--pad BYTES]

tests/test_restore_drill.py runs it small on every CI run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import pgcluster as pc


def folder_bytes(path: Path) -> int:
    out = pc.as_postgres("du", "-sb", path)
    return int(out.split()[0])


def wait_archived(cluster: pc.Cluster, segment: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = cluster.psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
        if done and done >= segment:
            return
        time.sleep(0.1)
    raise RuntimeError(f"segment {segment} was not archived")


def run_drill(rows: int = 2000, pad: int = 100) -> dict[str, Any]:
    """Rows 1..rows before the base backup (batch A), rows+1..2*rows after it (B), T,
    then 2*rows+1..3*rows inserted (C) and ids ≤ rows/10 deleted. Restored to T: A and B
    complete, nothing of C, nothing deleted."""
    workdir = pc.make_workdir("ayni-restore-drill-")
    archive = workdir / "archivo-wal"
    pc.as_postgres("mkdir", archive)
    primary = restored = None
    result: dict[str, Any] = {"rows_per_batch": rows, "pad_bytes": pad}
    try:
        primary = pc.init_primary(
            workdir,
            archive_mode="on",
            archive_command=f"test ! -f {archive}/%f && cp %p {archive}/%f",
            archive_timeout=0,
        )
        primary.psql("CREATE DATABASE drill")
        primary.psql(
            "CREATE TABLE fila (id bigint PRIMARY KEY, lote text, relleno text);"
            f"INSERT INTO fila SELECT g, 'A', repeat('x', {pad}) FROM generate_series(1, {rows}) g",
            db="drill",
        )
        started = time.monotonic()
        pc.base_backup(primary, workdir / "base", standby=False)
        result["base_backup_seconds"] = round(time.monotonic() - started, 2)
        result["base_backup_bytes"] = folder_bytes(workdir / "base")
        primary.psql(
            f"INSERT INTO fila SELECT g, 'B', repeat('y', {pad}) "
            f"FROM generate_series({rows + 1}, {2 * rows}) g",
            db="drill",
        )
        time.sleep(0.3)
        target = primary.psql("SELECT clock_timestamp()::text")
        time.sleep(0.3)
        primary.psql(
            f"INSERT INTO fila SELECT g, 'C', repeat('z', {pad}) "
            f"FROM generate_series({2 * rows + 1}, {3 * rows}) g;"
            f"DELETE FROM fila WHERE id <= {rows // 10}",
            db="drill",
        )
        result["rows_at_end"] = int(primary.psql("SELECT count(*) FROM fila", db="drill"))
        segment = primary.psql("SELECT pg_walfile_name(pg_switch_wal())")
        wait_archived(primary, segment)
        result["archive_bytes"] = folder_bytes(archive)
        result["archived_segments"] = len(
            pc.as_postgres("ls", archive).split()
        )  # fmt: skip
        primary.stop()
        primary = None  # the primary is lost: only the backup and the archive remain

        started = time.monotonic()
        pc.as_postgres("cp", "-a", workdir / "base", workdir / "restaurado")
        restored = pc.Cluster(workdir / "restaurado", pc.free_port())
        pc.as_postgres("touch", restored.data / "recovery.signal")
        restored.conf(
            port=restored.port,
            fsync="on",  # the drill's primary runs without fsync; the restore is timed with it
            archive_mode="off",
            restore_command=f"cp {archive}/%f %p",
            recovery_target_time=target,
            recovery_target_action="promote",
        )
        restored.start()
        deadline = time.monotonic() + 60
        while restored.psql("SELECT pg_is_in_recovery()") != "f":
            if time.monotonic() > deadline:
                raise RuntimeError("the restored cluster did not finish recovery")
            time.sleep(0.1)
        result["restore_seconds"] = round(time.monotonic() - started, 2)
        result["target_time"] = target
        counts = restored.psql(
            "SELECT lote || '=' || count(*) FROM fila GROUP BY lote ORDER BY lote", db="drill"
        ).split()
        result["restored_batches"] = dict(c.split("=") for c in counts)
        result["restored_min_max"] = restored.psql(
            "SELECT min(id) || '-' || max(id) FROM fila", db="drill"
        )
        return result
    finally:
        for cluster in (restored, primary):
            if cluster is not None:
                cluster.stop()
        pc.remove(workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--pad", type=int, default=100)
    args = parser.parse_args()
    why = pc.missing()
    if why:
        raise SystemExit(why)
    load = Path("/proc/loadavg").read_text().split()[:3]
    result = run_drill(args.rows, args.pad)
    result["load_average_before"] = " ".join(load)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
