"""Change requests («Solicitar modificación»): the state machine and its services.

En solicitud → Observado → En solicitud (the servant corrects) → …
En solicitud → Atendido (the change is applied) | Rechazado (reason required)
En solicitud | Observado → Anulado (the servant withdraws it)
Observado past its deadline → Rechazado «plazo vencido» (daily task)

Impossible transitions raise TransitionError here, whatever the UI shows: `GATE`
(ayni.core.states) is the only writer of `state`, with its history (ChangeRequestEvent)
and audit row. Nobody reviews a request on their own file (STYLE.md rule 16): the
work item goes to another officer of the unit or to the parent unit's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ayni.accounts.permissions import REQUESTS_REVIEW, handling_path, require_perm_on_servant
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.notifications import notify
from ayni.core.states import Gate, TransitionError
from ayni.core.workdays import add_working_days
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.personnel.file_selectors import get_entry
from ayni.personnel.file_services import (
    EntryValidationError,
    entry_create,
    entry_delete,
    entry_update,
    validate_values,
)
from ayni.personnel.models import ChangeRequest, ChangeRequestEvent, Servant
from ayni.personnel.sections import KINDS, SECTION_OF_KIND, EntryKind, cleaned_values, entry_values

State = ChangeRequest.State
Operation = ChangeRequest.Operation
WORK_KIND = "personnel.change_request"
SOURCE = "change_request"

EXPIRED_NOTE = gettext_lazy("plazo vencido")  # stored: str() when writing


class ChangeRequestError(UserError):
    """A request that cannot be made or moved; the message is for the user, in Spanish."""


class ConflictError(ChangeRequestError):
    """The entry changed after the request was filed."""


def _history(cr: Any, from_state: str, to: str, actor: Any, comment: str) -> None:
    ChangeRequestEvent.objects.create(
        request=cr,
        from_state=from_state,
        to_state=to,
        actor=actor if getattr(actor, "pk", None) else None,
        comment=comment[:500],
    )


GATE = Gate(
    action_prefix="personnel.change_request",
    allowed={
        State.EN_SOLICITUD: frozenset(
            {State.OBSERVADO, State.ATENDIDO, State.RECHAZADO, State.ANULADO}
        ),
        State.OBSERVADO: frozenset({State.EN_SOLICITUD, State.RECHAZADO, State.ANULADO}),
    },
    what=gettext_lazy("La solicitud"),
    labels=dict(State.choices),  # type: ignore[arg-type]
    history=_history,
)


def _move(
    cr: ChangeRequest,
    to: str,
    *,
    actor: Any,
    comment: str = "",
    request: HttpRequest | None = None,
    fields: dict[str, Any] | None = None,
) -> None:
    """The one writer of a change request's state (STYLE.md rule 14)."""
    GATE.move(
        cr,
        to,
        actor=actor,
        request=request,
        comment=comment,
        fields=fields,
        unit_path=cr.unit_path,
        subject_type="servant",
        subject_id=cr.servant_id,
    )


def _check_reviewer(officer: Any, cr: ChangeRequest) -> None:
    """Rule 16: nobody reviews a request on their own file; scope as everywhere."""
    require_perm_on_servant(officer, REQUESTS_REVIEW, cr.servant)


def _locked(cr: ChangeRequest) -> ChangeRequest:
    return (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("servant__employing_unit", "servant__user")
        .get(pk=cr.pk)
    )


def _post_work(cr: ChangeRequest) -> None:
    section = SECTION_OF_KIND[cr.kind]
    work_item_post(
        kind=WORK_KIND,
        title=gettext("Solicitud de modificación, sección %(roman)s: %(kind)s")
        % {"roman": section.roman, "kind": str(KINDS[cr.kind].label).lower()},
        link=reverse("personnel:review_detail", args=[cr.uuid]),
        unit_path=handling_path(cr.unit_path, REQUESTS_REVIEW, cr.servant.user_id),
        permission=REQUESTS_REVIEW,
        source_type=SOURCE,
        source_id=str(cr.pk),
        not_for=cr.servant.user,
    )


def _notify_servant(cr: ChangeRequest, title: str) -> None:
    user = cr.servant.user
    if user is not None:
        notify(
            recipient=user, title=title, link=reverse("personnel:my_request_detail", args=[cr.uuid])
        )


@transaction.atomic
def change_request_submit(
    *,
    user: Any,
    servant: Servant,
    kind: EntryKind,
    operation: str,
    entry: Any = None,
    values: dict[str, Any] | None = None,
    comment: str = "",
    request: HttpRequest | None = None,
) -> ChangeRequest:
    """The servant asks to add, correct or remove one entry of their own file."""
    if servant.user_id != getattr(user, "pk", None):
        raise ChangeRequestError(gettext("Solo puede solicitar cambios en su propio legajo."))
    if operation not in Operation.values:
        raise ChangeRequestError(gettext("Operación no válida."))
    if operation != Operation.ADD and entry is None:
        raise ChangeRequestError(gettext("Indique el registro que desea corregir o eliminar."))
    proposed = None
    if operation != Operation.REMOVE:
        proposed = cleaned_values(kind, validate_values(kind, values or {}, instance=None))
        if operation == Operation.CORRECT and proposed == entry_values(kind, entry):
            raise ChangeRequestError(
                gettext("Los valores propuestos son iguales a los registrados.")
            )
    cr = ChangeRequest(
        servant=servant,
        section=SECTION_OF_KIND[kind.key].number,
        kind=kind.key,
        operation=operation,
        proposed=proposed,
        comment=comment[:500],
        unit_path=servant.employing_unit.path,
    )
    if entry is not None:
        cr.entry_uuid = entry.uuid
        cr.current = entry_values(kind, entry)
        cr.base_version = entry.version
    try:
        with transaction.atomic():
            cr.save()
    except IntegrityError as exc:
        raise ChangeRequestError(
            gettext(
                "Ya tiene una solicitud en trámite para este registro. Espere su respuesta o "
                "anúlela antes de enviar otra."
            )
        ) from exc
    ChangeRequestEvent.objects.create(
        request=cr, from_state="", to_state=State.EN_SOLICITUD, actor=user, comment=comment[:500]
    )
    audit_log(
        action="personnel.change_request_submitted",
        actor=user,
        request=request,
        subject_type="servant",
        subject_id=servant.pk,
        obj=cr,
        unit_path=cr.unit_path,
        after={"operation": operation, "kind": kind.key},
    )
    _post_work(cr)
    return cr


@transaction.atomic
def change_request_withdraw(
    *, user: Any, cr: ChangeRequest, request: HttpRequest | None = None
) -> ChangeRequest:
    cr = _locked(cr)
    if cr.servant.user_id != user.pk:
        raise ChangeRequestError(gettext("Solo quien la presentó puede anular la solicitud."))
    _move(
        cr, State.ANULADO, actor=user, comment=gettext("Anulada por el servidor"), request=request
    )
    work_item_close(source_type=SOURCE, source_id=str(cr.pk))
    return cr


@transaction.atomic
def change_request_resubmit(
    *,
    user: Any,
    cr: ChangeRequest,
    values: dict[str, Any] | None,
    comment: str,
    request: HttpRequest | None = None,
) -> ChangeRequest:
    """The servant answers an observation: new values (or the same) and a comment."""
    cr = _locked(cr)
    if cr.servant.user_id != user.pk:
        raise ChangeRequestError(gettext("Solo quien la presentó puede subsanar la solicitud."))
    if cr.state != State.OBSERVADO:
        raise TransitionError(gettext("Solo se puede subsanar una solicitud observada."))
    kind = KINDS[cr.kind]
    proposed = cr.proposed
    if cr.operation != Operation.REMOVE and values is not None:
        proposed = cleaned_values(kind, validate_values(kind, values))
    _move(
        cr,
        State.EN_SOLICITUD,
        actor=user,
        comment=comment or "Subsanada",
        request=request,
        fields={"proposed": proposed, "observed_until": None},
    )
    _post_work(cr)
    return cr


def _require_comment(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ChangeRequestError(gettext("Escriba %(what)s.") % {"what": what})
    return text


@transaction.atomic
def change_request_observe(
    *,
    officer: Any,
    cr: ChangeRequest,
    note: str,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> ChangeRequest:
    cr = _locked(cr)
    _check_reviewer(officer, cr)
    note = _require_comment(note, gettext("la observación para el servidor"))
    until = add_working_days(
        today or timezone.localdate(), settings.CHANGE_REQUEST_OBSERVATION_DAYS
    )
    _move(
        cr,
        State.OBSERVADO,
        actor=officer,
        comment=note,
        request=request,
        fields={"observation": note[:500], "observed_until": until},
    )
    work_item_close(source_type=SOURCE, source_id=str(cr.pk))
    _notify_servant(cr, gettext("Su solicitud de modificación fue observada"))
    return cr


@transaction.atomic
def change_request_reject(
    *, officer: Any, cr: ChangeRequest, reason: str, request: HttpRequest | None = None
) -> ChangeRequest:
    cr = _locked(cr)
    _check_reviewer(officer, cr)
    reason = _require_comment(reason, gettext("el motivo del rechazo"))
    _move(
        cr,
        State.RECHAZADO,
        actor=officer,
        comment=reason,
        request=request,
        fields={"resolution_note": reason[:500]},
    )
    work_item_close(source_type=SOURCE, source_id=str(cr.pk))
    _notify_servant(cr, gettext("Su solicitud de modificación fue rechazada"))
    return cr


def conflict_of(cr: ChangeRequest) -> str:
    """Why the request cannot be applied as filed, or "" when it can."""
    if cr.entry_uuid is None:
        return ""
    kind = KINDS[cr.kind]
    entry = get_entry(cr.servant, kind, cr.entry_uuid)
    if entry is None:
        return gettext(
            "El registro ya no existe en el legajo: fue eliminado después de la solicitud."
        )
    if entry.version != cr.base_version:
        return gettext(
            "El registro cambió después de presentada la solicitud. Revise los valores "
            "actuales; observe la solicitud o recházala."
        )
    return ""


@transaction.atomic
def change_request_approve(
    *, officer: Any, cr: ChangeRequest, note: str = "", request: HttpRequest | None = None
) -> ChangeRequest:
    """Apply the change to the file atomically, versioned, and close the request."""
    cr = _locked(cr)
    _check_reviewer(officer, cr)
    if cr.state != State.EN_SOLICITUD:
        raise TransitionError(
            gettext("La solicitud está «%(state)s»: no se puede atender.")
            % {"state": cr.get_state_display()}
        )
    conflict = conflict_of(cr)
    if conflict:
        raise ConflictError(conflict)
    kind = KINDS[cr.kind]
    why = (gettext("Solicitud de modificación atendida. %(note)s") % {"note": note}).strip()
    entry_uuid = cr.entry_uuid
    try:
        if cr.operation == Operation.ADD:
            entry = entry_create(
                actor=officer,
                servant=cr.servant,
                kind=kind,
                values=cr.proposed or {},
                note=why,
                request=request,
                change_request=cr,
            )
            entry_uuid = entry.uuid
        else:
            current = get_entry(cr.servant, kind, cr.entry_uuid)
            assert current is not None  # conflict_of() refused a missing entry
            if cr.operation == Operation.CORRECT:
                entry_update(
                    actor=officer,
                    entry=current,
                    kind=kind,
                    values=cr.proposed or {},
                    note=why,
                    request=request,
                    change_request=cr,
                )
            else:
                entry_delete(
                    actor=officer,
                    entry=current,
                    kind=kind,
                    note=why,
                    request=request,
                    change_request=cr,
                )
    except EntryValidationError as exc:
        raise ChangeRequestError(
            gettext("Los valores propuestos no son válidos: %(error)s") % {"error": exc}
        ) from exc
    _move(
        cr,
        State.ATENDIDO,
        actor=officer,
        comment=note or gettext("Cambio aplicado"),
        request=request,
        fields={"resolution_note": note[:500], "entry_uuid": entry_uuid},
    )
    work_item_close(source_type=SOURCE, source_id=str(cr.pk))
    _notify_servant(cr, gettext("Su solicitud de modificación fue atendida"))
    return cr


def expire_observed_requests(today: date | None = None) -> int:
    """Close as Rechazado «plazo vencido» the observed requests past their deadline."""
    today = today or timezone.localdate()
    closed = 0
    for cr in ChangeRequest.objects.filter(state=State.OBSERVADO, observed_until__lt=today):
        with transaction.atomic():
            locked = _locked(cr)
            if locked.state != State.OBSERVADO:
                continue
            _move(
                locked,
                State.RECHAZADO,
                actor=None,
                comment=str(EXPIRED_NOTE),
                fields={"resolution_note": str(EXPIRED_NOTE)},
            )
            _notify_servant(
                locked, gettext("Su solicitud de modificación venció sin ser subsanada")
            )
            closed += 1
    return closed
