"""The restore that was tried (issue 18, docs/scaling.md): base backup + WAL archive,
restored to a point in time in a new data folder, holds exactly the rows of that time.
The drill itself is bench/restore_drill.py (run larger there, figures in the doc)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests import pgcluster

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

pytestmark = [
    pytest.mark.skipif(bool(pgcluster.missing()), reason=pgcluster.missing() or "-"),
    pytest.mark.skipif(
        pgcluster.suite_on_sqlite(),
        reason=(
            "starts its own PostgreSQL cluster: run once, in the PostgreSQL pass (make test-pg)"
        ),
    ),
]


def test_point_in_time_restore_brings_back_exactly_the_rows_before_t():
    from restore_drill import run_drill

    result = run_drill(rows=2000)
    # batch A (before the base backup) and B (after it, before T) are complete; C (after
    # T) is absent, and the rows deleted after T are back
    assert result["rows_at_end"] == 2000 + 2000 + 2000 - 200
    assert result["restored_batches"] == {"A": "2000", "B": "2000"}
    assert result["restored_min_max"] == "1-4000"
    assert result["archived_segments"] >= 1
