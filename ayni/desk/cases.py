"""Writes of the mesa de partes on cases: filing, completing, routing, answering.

`CASE_GATE` is the only writer of a case's `state` (STYLE.md rule 14); `case_move`
is its door for the other desk modules (access requests). Nobody routes, answers or
resolves a case they filed (rule 16): the work goes to another officer of the unit
or to the parent unit's. A filing is one transaction; its cargo's PDF is rendered
after commit (ayni.desk.receipts).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext, gettext_lazy

from ayni.accounts.permissions import (
    AUDIT_VIEW,
    DESK_MANAGE,
    PAYROLL_MANAGE,
    PERSONNEL_EDIT,
    SELF_ACTION_MESSAGE,
    SelfActionError,
    handling_path,
    has_perm,
    is_own,
)
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.notifications import mail_after_commit, notify
from ayni.core.numbering import next_number
from ayni.core.states import Gate
from ayni.core.verification import new_code
from ayni.core.workdays import add_working_days, lima_date, lima_dmy, lima_hm, received_at
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.desk.models import Case, CaseEvent, CaseFile
from ayni.desk.receipts import out_of_hours, receipt_record
from ayni.desk.uploads import CheckedPdf, store
from ayni.org.models import OrgUnit
from ayni.personnel.models import ChangeRequest, Servant

AREA_PERMISSION = {
    Case.Area.ESCALAFON: PERSONNEL_EDIT,
    Case.Area.PLANILLAS: PAYROLL_MANAGE,
    Case.Area.RRHH: AUDIT_VIEW,
    Case.Area.DESK: DESK_MANAGE,
}
WORK_KIND = "desk.case"
INTAKE_OBSERVATION_DAYS = 2  # Ley 27444: two working days to complete a filing


class DeskError(UserError):
    """A refusal for the user, in Spanish."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _history(case: Any, from_state: str, to: str, actor: Any, comment: str) -> None:
    CaseEvent.objects.create(
        case=case,
        from_state=from_state,
        to_state=to,
        actor=actor if getattr(actor, "pk", None) else None,
        comment=comment[:500],
        area=case.area,
    )


_S = Case.State
_ANSWERS = frozenset({_S.DONE, _S.OBSERVED, _S.ARCHIVED})
CASE_GATE = Gate(
    action_prefix="desk.case",
    allowed={
        _S.RECEIVED: frozenset({_S.ROUTED}) | _ANSWERS,
        _S.ROUTED: frozenset({_S.ROUTED}) | _ANSWERS,  # re-routed to another area
        _S.OBSERVED: frozenset({_S.RECEIVED, _S.NOT_FILED}),
    },
    what=gettext_lazy("El trámite"),
    labels=dict(_S.choices),  # type: ignore[arg-type]
    history=_history,
)


def filer_servant_id(case: Case) -> int | None:
    """The servant a case is about (its filer's record), for «¿Quién vio mi legajo?»."""
    if case.filer_id is None:
        ar = getattr(case, "access_request", None)
        return ar.servant_id if ar is not None else None
    return Servant.objects.filter(user_id=case.filer_id).values_list("pk", flat=True).first()


def case_move(
    case: Case,
    to: str,
    *,
    actor: Any,
    comment: str = "",
    request: HttpRequest | None = None,
    fields: dict[str, Any] | None = None,
) -> None:
    """The one writer of a case's state: history (CaseEvent) and audit row with it."""
    servant_id = filer_servant_id(case)
    CASE_GATE.move(
        case,
        to,
        actor=actor,
        request=request,
        comment=comment,
        fields=fields,
        unit_path=case.unit.path,
        subject_type="servant" if servant_id else "",
        subject_id=servant_id,
        detail=f"{case.label}: {comment}" if comment else case.label,
    )


def refuse_own(officer: Any, case: Case) -> None:
    """Rule 16: nobody acts as staff on a case they filed."""
    if is_own(officer, case.filer_id):
        raise SelfActionError(SELF_ACTION_MESSAGE)


def _post_work(case: Case) -> None:
    work_item_close(source_type="case", source_id=str(case.pk))
    permission = AREA_PERMISSION[Case.Area(case.area)]
    work_item_post(
        kind=WORK_KIND,
        title=f"{case.label}: {case.get_kind_display()}",
        link=reverse("desk:case_detail", args=[case.uuid]),
        unit_path=handling_path(case.unit.path, permission, case.filer_id),
        permission=permission,
        source_type="case",
        source_id=str(case.pk),
        not_for=case.filer,
    )


def _open_case(
    *,
    unit: OrgUnit,
    kind: str,
    subject: str,
    filer: Any,
    name: str,
    doc_type: str,
    doc_number: str,
    files: list[CheckedPdf],
    change_request: ChangeRequest | None = None,
    request: HttpRequest | None = None,
) -> Case:
    now = timezone.now()
    received = received_at(now, unit.path)
    number = next_number(f"desk:{unit.code}", received.year)
    case = Case(
        unit=unit,
        year=received.year,
        number=number,
        kind=kind,
        subject=subject[:200],
        filer=filer,
        filer_name=name,
        filer_doc_type=doc_type,
        filer_doc_number=doc_number,
        submitted_at=now,
        received_at=received,
        change_request=change_request,
        verification_code=new_code(),
    )
    case.save()
    for pdf in files:
        CaseFile.objects.create(
            case=case,
            stored_name=store("desk", pdf),
            original_name=pdf.original_name,
            size=len(pdf.data),
            sha256=pdf.sha256,
        )
    CaseEvent.objects.create(
        case=case,
        to_state=Case.State.RECEIVED,
        actor=filer,
        area=Case.Area.DESK,
        comment="Recepción",
    )
    receipt_record(case)
    _post_work(case)
    audit_log(
        action="desk.case_received",
        actor=filer,
        request=request,
        obj=case,
        unit_path=unit.path,
        detail=f"{case.label}: {case.get_kind_display()}",
    )
    return case


# --- filings by logged-in servants ---------------------------------------------------


@transaction.atomic
def case_file(
    *,
    user: Any,
    servant: Servant,
    unit: OrgUnit,
    kind: str,
    subject: str,
    files: list[CheckedPdf],
    change_request: ChangeRequest | None = None,
    informe_purpose: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """One transaction: the case, its files, its cargo's record and, for an «informe»
    filing, the informe request. A refusal (e.g. a second pending informe with the same
    purpose) is checked before anything is written and leaves nothing behind."""
    if servant.user_id != user.pk:
        raise DeskError(gettext("Solo puede presentar trámites a su nombre."))
    if kind == Case.Kind.SUPPORT:
        if (
            change_request is None
            or change_request.servant_id != servant.pk
            or not change_request.is_open
        ):
            raise DeskError(gettext("Elija una de sus solicitudes de modificación en trámite."))
        unit = servant.employing_unit  # the UGEL that reviews the request receives it
    elif change_request is not None:
        raise DeskError(gettext("Solo el sustento de una solicitud se vincula a ella."))
    if kind == Case.Kind.INFORME:
        from ayni.reports.services import informe_check  # the reports app owns the request

        informe_check(servant=servant, purpose=informe_purpose or "otro")
    case = _open_case(
        unit=unit,
        kind=kind,
        subject=subject,
        filer=user,
        name=servant.full_name,
        doc_type=servant.doc_type,
        doc_number=servant.doc_number,
        files=files,
        change_request=change_request,
        request=request,
    )
    if kind == Case.Kind.INFORME:
        from ayni.reports.services import informe_request

        informe_request(
            user=user,
            servant=servant,
            purpose=informe_purpose or "otro",
            detail=gettext("Presentado por mesa de partes, %(case)s") % {"case": case.label},
            request=request,
        )
    notify(
        recipient=user,
        title=gettext("Recibimos su trámite %(case)s") % {"case": case.label},
        link=reverse("desk:my_case", args=[case.uuid]),
    )
    return case


@transaction.atomic
def case_complete(
    *,
    user: Any,
    case: Case,
    files: list[CheckedPdf],
    comment: str,
    request: HttpRequest | None = None,
) -> Case:
    """The filer completes an observed filing, in the same case."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    if case.filer_id != user.pk:
        raise DeskError(gettext("Solo quien presentó el trámite puede completarlo."))
    if case.state != Case.State.OBSERVED:
        raise DeskError(gettext("Solo se completa un trámite observado."))
    for pdf in files:
        CaseFile.objects.create(
            case=case,
            stored_name=store("desk", pdf),
            original_name=pdf.original_name,
            size=len(pdf.data),
            sha256=pdf.sha256,
        )
    case_move(
        case,
        Case.State.RECEIVED,
        actor=user,
        comment=comment or gettext("Subsanado por el administrado"),
        request=request,
        fields={"area": Case.Area.DESK, "observed_until": None},
    )
    _post_work(case)
    return case


# --- the desk and the areas -----------------------------------------------------------


def _can_act(user: Any, case: Case) -> bool:
    return has_perm(user, DESK_MANAGE, case.unit) or has_perm(
        user, AREA_PERMISSION[Case.Area(case.area)], case.unit
    )


@transaction.atomic
def case_route(
    *,
    officer: Any,
    case: Case,
    area: str,
    comment: str = "",
    request: HttpRequest | None = None,
) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    refuse_own(officer, case)
    if not has_perm(officer, DESK_MANAGE, case.unit):
        raise DeskError(gettext("Solo la mesa de partes deriva los trámites."))
    if area not in (Case.Area.ESCALAFON, Case.Area.PLANILLAS, Case.Area.RRHH):
        raise DeskError(gettext("Elija el área a la que deriva el trámite."))
    if case.state not in (Case.State.RECEIVED, Case.State.ROUTED):
        raise DeskError(
            gettext("El trámite está «%(state)s»: no se puede derivar.")
            % {"state": case.get_state_display()}
        )
    case_move(
        case,
        Case.State.ROUTED,
        actor=officer,
        comment=comment or gettext("Derivado"),
        request=request,
        fields={"area": area},
    )
    _post_work(case)
    _notify_filer(case, gettext("Su trámite %(case)s fue derivado") % {"case": case.label})
    return case


@transaction.atomic
def case_answer(
    *,
    officer: Any,
    case: Case,
    state: str,
    comment: str,
    request: HttpRequest | None = None,
) -> Case:
    """Atendido, Observado (intake: 2 working days to complete) or Archivado."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    refuse_own(officer, case)
    if not _can_act(officer, case):
        raise DeskError(gettext("Su función no puede atender este trámite."))
    if state not in (Case.State.DONE, Case.State.OBSERVED, Case.State.ARCHIVED):
        raise DeskError(gettext("Respuesta no válida."))
    if case.state not in (Case.State.RECEIVED, Case.State.ROUTED):
        raise DeskError(
            gettext("El trámite está «%(state)s».") % {"state": case.get_state_display()}
        )
    comment = (comment or "").strip()
    if state != Case.State.DONE and not comment:
        raise DeskError(gettext("Escriba el motivo para el administrado."))
    fields: dict[str, Any] = {}
    if state == Case.State.OBSERVED:
        # An answer is never dated before the official reception: observed early (the
        # desk may work before opening), the two days count from the reception day.
        start = max(lima_date(timezone.now()), lima_date(case.received_at))
        fields["observed_until"] = add_working_days(start, INTAKE_OBSERVATION_DAYS)
    case_move(
        case,
        state,
        actor=officer,
        comment=comment or gettext("Atendido"),
        request=request,
        fields=fields,
    )
    work_item_close(source_type="case", source_id=str(case.pk))
    _notify_filer(
        case,
        gettext("Su trámite %(case)s está «%(state)s»")
        % {"case": case.label, "state": case.get_state_display()},
    )
    return case


def case_read_record(request: HttpRequest, case: Case, *, file: CaseFile | None = None) -> None:
    """A staff read of a case or of one of its files: an event the person sees in
    «¿Quién vio mi legajo?» (item 10)."""
    servant_id = filer_servant_id(case)
    audit_log(
        action="desk.file_downloaded" if file is not None else "desk.case_viewed",
        request=request,
        subject_type="servant" if servant_id else "",
        subject_id=servant_id,
        obj=file if file is not None else case,
        unit_path=case.unit.path,
        detail=case.label,
    )


def _notify_filer(case: Case, title: str) -> None:
    if case.filer is not None:
        notify(recipient=case.filer, title=title, link=reverse("desk:my_case", args=[case.uuid]))
    elif hasattr(case, "access_request"):
        ar = case.access_request
        mail_after_commit(
            ar.email,
            gettext("Ayni: %(title)s") % {"title": title},
            gettext(
                "%(title)s.\n\nSiga su trámite con el enlace que le enviamos al confirmar su "
                "solicitud."
            )
            % {"title": title},
        )


def expire_observed_cases(today: Any = None) -> int:
    """Observed filings not completed in time are closed as «no presentado»."""
    today = today or lima_date(timezone.now())
    closed = 0
    for case in Case.objects.filter(
        state=Case.State.OBSERVED, observed_until__lt=today
    ).select_related("unit"):
        with transaction.atomic():
            moved = CASE_GATE.try_move(
                case,
                Case.State.NOT_FILED,
                actor=None,
                expected=Case.State.OBSERVED,
                comment=gettext("Plazo vencido (Ley 27444)"),
                unit_path=case.unit.path,
                detail=case.label,
            )
            closed += moved
    return closed


# --- times, as the filer and the desk see them -------------------------------------------

RECEPTION_NOTE = "Recepción"  # the comment of a case's first event


def case_times(case: Case, now: Any = None) -> dict[str, Any]:
    """The real times of a filing, on Lima's clock, and the one sentence that says them.

    Never a relative time in the future: before the official reception, the page says
    when it will happen («se recibirá oficialmente el …»).
    """
    now = now or timezone.now()
    late = out_of_hours(case)
    pending = case.received_at > now
    submitted = _at(case.submitted_at)
    received = _at(case.received_at)
    ago = _ago(case.submitted_at if pending else case.received_at, now)
    if not late:
        sentence = gettext("Presentado y recibido el %(submitted)s.") % {"submitted": submitted}
    elif pending:
        sentence = gettext(
            "Presentado el %(submitted)s; se recibirá oficialmente el %(received)s "
            "(fuera del horario de atención)."
        ) % {"submitted": submitted, "received": received}
    else:
        sentence = gettext(
            "Presentado el %(submitted)s; recibido oficialmente el %(received)s "
            "(fuera del horario de atención)."
        ) % {"submitted": submitted, "received": received}
    short = f"{lima_dmy(case.received_at)} {lima_hm(case.received_at)}"
    waiting = pending and case.state == Case.State.RECEIVED
    return {
        "submitted": submitted,
        "received": received,
        # Before the official reception, nothing says «Recibido»: the state reads
        # «Presentado, por recibir» and the time «se recibirá …».
        "received_short": gettext("se recibirá el %(when)s") % {"when": short}
        if pending
        else short,
        "received_label": gettext("Se recibirá oficialmente (día y hora hábil)")
        if pending
        else gettext("Recibido oficialmente (día y hora hábil)"),
        "state": gettext("Presentado, por recibir") if waiting else case.get_state_display(),
        "out_of_hours": late,
        "pending": pending,
        "sentence": sentence,
        "ago": ago,
        "inbox_note": _inbox_note(late, pending, ago),
    }


def _at(moment: Any) -> str:
    """«02/12/2026 a las 19:47», on Lima's clock."""
    return gettext("%(day)s a las %(time)s") % {"day": lima_dmy(moment), "time": lima_hm(moment)}


def _inbox_note(late: bool, pending: bool, ago: str) -> str:
    if pending:
        if ago:
            return gettext(
                "presentado %(ago)s, fuera del horario de atención; aún no se recibe oficialmente"
            ) % {"ago": ago}
        return gettext("presentado fuera del horario de atención; aún no se recibe oficialmente")
    if late:
        if ago:
            return gettext("recibido %(ago)s (presentado fuera del horario de atención)") % {
                "ago": ago
            }
        return gettext("recibido (presentado fuera del horario de atención)")
    return ago


def _ago(moment: Any, now: Any) -> str:
    """«hace 5 minutos» for a past moment; «hace un momento» under a minute; nothing for
    a moment still to come (never «hace 0 minutos» for a future reception)."""
    if moment > now:
        return ""
    if (now - moment).total_seconds() < 60:
        return gettext("hace un momento")
    return gettext("hace %(time)s") % {"time": timesince(moment, now)}


def case_timeline(case: Case) -> list[dict[str, Any]]:
    """The case's history in the order things happened (real times, Lima's clock).

    The filing, then (when filed out of hours) the official reception as its own line,
    and every act at the time it was done. An act done before the official reception is
    shown where it happened, with a note; an answer given then is dated at the
    reception (what the filer may rely on), as decided in docs/decisions.md.
    """
    rows: list[dict[str, Any]] = []
    late = out_of_hours(case)
    events = list(case.events.select_related("actor").order_by("at", "id"))
    for index, ev in enumerate(events):
        first = index == 0 and not ev.from_state and ev.to_state == Case.State.RECEIVED
        note = ""
        if first:
            title = gettext("Presentado") if late else gettext("Presentado y recibido")
            comment = "" if ev.comment == RECEPTION_NOTE else ev.comment
            if late:
                note = gettext(
                    "Fuera del horario de atención: se recibe en el siguiente momento hábil."
                )
        else:
            title = str(Case.State(ev.to_state).label)
            comment = ev.comment
            if ev.at < case.received_at:
                note = gettext("Hecho antes de la hora oficial de recepción (%(at)s).") % {
                    "at": _at(case.received_at)
                }
                if ev.to_state in _ANSWERS:
                    note += " " + gettext("La respuesta se tiene por dada el %(at)s.") % {
                        "at": _at(case.received_at)
                    }
        rows.append(
            {
                "at": ev.at,
                "title": title,
                "when": f"{lima_dmy(ev.at)} {lima_hm(ev.at)}",
                "area": ev.get_area_display() if ev.area else "",
                "actor": str(ev.actor) if ev.actor else gettext("Sistema"),
                "comment": comment,
                "note": note,
                "official": False,
            }
        )
    if late:
        pending = case.received_at > timezone.now()
        rows.append(
            {
                "at": case.received_at,
                # a future moment is said as such, never as something that happened
                "title": gettext("Se recibirá oficialmente")
                if pending
                else gettext("Recibido oficialmente"),
                "when": f"{lima_dmy(case.received_at)} {lima_hm(case.received_at)}",
                "area": str(Case.Area.DESK.label),
                "actor": gettext("Sistema"),
                "comment": "",
                "note": gettext(
                    "Primer momento hábil tras la presentación (TUO de la Ley N.° 27444)."
                ),
                "official": True,
            }
        )
        # stable: an act at the very opening minute stays after the reception line
        rows.sort(key=lambda r: (r["at"], not r["official"]))
    return rows


def answered_at(case: Case) -> Any:
    """When the case was answered, as the filer may rely on it: the answer's real time,
    or the official reception when the desk answered before it. None while open."""
    answers = case.events.filter(to_state__in=_ANSWERS).order_by("-at", "-id")
    last = answers.values_list("at", flat=True).first()
    if last is None or case.state not in _ANSWERS:
        return None
    return max(last, case.received_at)
