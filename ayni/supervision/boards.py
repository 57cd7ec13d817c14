"""The rendered board of a unit, cached per unit, computation and language.

The figures change only when they are recomputed, so the board's HTML (tiles, tables,
charts) is rendered once per computation: by the task worker right after a refresh for
MINEDU and every DRE (the heaviest pages), else by the first page view.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext

from ayni.org.models import OrgUnit
from ayni.supervision import selectors
from ayni.supervision.tables import all_tables

BOARD_CACHE_SECONDS = 3600


def board_key(unit: OrgUnit, refresh_id: int) -> str:
    marker = hashlib.sha256(gettext("Personal").encode()).hexdigest()[:12]  # the language
    return f"supervision:board:{unit.code}:{refresh_id}:{marker}"


def board_html(unit: OrgUnit, refresh_id: int) -> str:
    key = board_key(unit, refresh_id)
    body: str | None = cache.get(key)
    if body is None:
        board = selectors.dashboard(unit)
        body = render_to_string(
            "supervision/_board.html",
            {"unit": unit, "board": board, "sections": all_tables(board)},
        )
        cache.set(key, body, BOARD_CACHE_SECONDS)
    return body


def warm(refresh_id: int) -> int:
    """Render MINEDU's and every DRE's board for this computation; returns how many."""
    units = list(OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.MINEDU, OrgUnit.Kind.DRE]))
    for unit in units:
        board_html(unit, refresh_id)
    return len(units)
