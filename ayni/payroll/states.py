"""The one gate of a payroll run's state (STYLE.md rule 14).

Every upload is its own run. Its life:

    queued ──► importing ──► draft ──► published ──► annulled
       │           │           │
       │           ├──► failed │
       └───────────┴─────┴─────┴──► superseded   (a newer upload of the period)

`published` and `annulled` runs never lose a payslip; `superseded`, `failed` and
`annulled` are final. Background tasks pass the state they were queued for as
`expected=`, so a task that lost a race (a newer upload, a publication) changes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from ayni.core.errors import StaleStateError
from ayni.core.states import Gate
from ayni.payroll.models import PayrollRun

State = PayrollRun.State

RUN_GATE = Gate(
    action_prefix="payroll.run",
    allowed={
        State.QUEUED: frozenset({State.IMPORTING, State.FAILED, State.SUPERSEDED}),
        State.IMPORTING: frozenset({State.DRAFT, State.FAILED, State.SUPERSEDED}),
        State.FAILED: frozenset({State.SUPERSEDED}),
        State.DRAFT: frozenset({State.PUBLISHED, State.SUPERSEDED}),
        State.PUBLISHED: frozenset({State.ANNULLED}),
    },
    what=gettext_lazy("La planilla"),
    labels=dict(State.choices),  # type: ignore[arg-type]
)

# An upload not yet settled: a newer upload of the period replaces it.
OPEN_STATES = (State.QUEUED, State.IMPORTING, State.FAILED, State.DRAFT)
# A period with one of these needs an adicional run for any correction.
CLOSED_STATES = (State.PUBLISHED, State.ANNULLED)


def run_move(
    run: PayrollRun,
    to: str,
    *,
    actor: Any,
    expected: str | None = None,
    request: HttpRequest | None = None,
    comment: str = "",
    fields: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Move a run (raises StaleStateError when it moved on); the caller's transaction."""
    RUN_GATE.move(
        run,
        to,
        actor=actor,
        expected=expected,
        request=request,
        comment=comment,
        fields=fields,
        unit_path=run.ugel.path,
        after=after,
        detail=f"{run}: {comment}" if comment else str(run),
    )


def run_try_move(run: PayrollRun, to: str, **kwargs: Any) -> bool:
    """`run_move` for background tasks: False (nothing written) when the run moved on."""
    try:
        with transaction.atomic():
            run_move(run, to, **kwargs)
    except StaleStateError:
        return False
    return True
