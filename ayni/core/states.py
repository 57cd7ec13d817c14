"""One gate per state (STYLE.md rule 14).

Each stateful model declares a `Gate`: its table of allowed moves and the audit
action prefix. `Gate.move` is the only code that assigns `state`: it checks the
table, moves the row with a conditional update (`filter(pk=…, state=expected)`),
writes the history row and the audit event in the caller's transaction. When
the row is no longer in the expected state (another officer, a double click, a
background task that lost a race) nothing is written and `StaleStateError` is
raised; `Gate.try_move` answers False instead, for background tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ayni.core.audit import audit_log
from ayni.core.errors import StaleStateError, UserError
from ayni.core.models import StateChange

HistoryWriter = Callable[[Any, str, str, Any, str], None]


class TransitionError(UserError):
    """A move the table does not allow."""

    status = 409


@dataclass(frozen=True)
class Gate:
    """The allowed moves of one model's `state` and how they are recorded."""

    action_prefix: str
    allowed: Mapping[str, frozenset[str]]
    what: Any  # «La solicitud», «La planilla» (a lazy translation): subject of the messages
    history: HistoryWriter | None = None  # None: the generic core.StateChange history
    audit: bool = True
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, state: str) -> str:
        return str(self.labels.get(state, state))

    def can_move(self, current: str, to: str) -> bool:
        return to in self.allowed.get(current, frozenset())

    def move(
        self,
        obj: models.Model,
        to: str,
        *,
        actor: Any,
        expected: str | None = None,
        request: HttpRequest | None = None,
        comment: str = "",
        fields: Mapping[str, Any] | None = None,
        unit_path: str = "",
        subject_type: str = "",
        subject_id: int | None = None,
        subject_ids: list[int] | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        detail: str = "",
    ) -> None:
        """Move `obj` from `expected` (default: its in-memory state) to `to`.

        `fields` are other columns set in the same conditional update.
        """
        current: str = expected if expected is not None else obj.state  # type: ignore[attr-defined]
        if not self.can_move(current, to):
            raise TransitionError(
                _("%(what)s está «%(current)s» y no puede pasar a «%(to)s».")
                % {"what": self.what, "current": self.label(current), "to": self.label(to)}
            )
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Gate.move must run inside the caller's transaction")
        values: dict[str, Any] = {"state": to, **(fields or {})}
        model = type(obj)
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            values.setdefault("updated_at", timezone.now())
        moved = model._default_manager.filter(pk=obj.pk, state=current).update(**values)
        if moved != 1:
            now = model._default_manager.filter(pk=obj.pk).values_list("state", flat=True).first()
            words = {"what": self.what, "was": self.label(current), "now": self.label(now or "")}
            raise StaleStateError(
                _(
                    "%(what)s ya no está «%(was)s» (ahora: «%(now)s»). Recargue la página para "
                    "ver su estado actual."
                )
                % words
                if now
                else _(
                    "%(what)s ya no está «%(was)s». Recargue la página para ver su estado actual."
                )
                % words
            )
        for name, value in values.items():
            setattr(obj, name, value)
        if self.history is not None:
            self.history(obj, current, to, actor, comment)
        else:
            StateChange.objects.create(
                object_type=model._meta.label_lower,
                object_id=str(obj.pk),
                from_state=current,
                to_state=to,
                actor=actor if getattr(actor, "pk", None) else None,
                comment=comment[:500],
            )
        if self.audit:
            audit_log(
                action=f"{self.action_prefix}.{to}",
                actor=actor,
                request=request,
                obj=obj,
                unit_path=unit_path,
                subject_type=subject_type,
                subject_id=subject_id,
                subject_ids=subject_ids,
                before={"state": current, **(before or {})},
                after={"state": to, **(after or {})},
                detail=(detail or comment)[:255],
            )

    def try_move(self, obj: models.Model, to: str, **kwargs: Any) -> bool:
        """`move`, answering False when the object has moved on (background tasks)."""
        try:
            with transaction.atomic():
                self.move(obj, to, **kwargs)
        except StaleStateError:
            return False
        return True


def history_of(obj: models.Model) -> models.QuerySet[StateChange]:
    return StateChange.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
