"""Supervision dashboards (issue 12): figures, sums, scoping, read-only lists, exports."""

from __future__ import annotations

import pytest

from ayni.supervision.aggregates import refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(demo_data):  # type: ignore[no-untyped-def]
    return refresh()


def test_smoke(client_for, figures):
    for who, code in [("dre_supervisor", "150101"), ("other_dre_supervisor", "150200")]:
        response = client_for(who).get(f"/supervision/{code}/")
        assert response.status_code == 200, response.content.decode()[:3000]
