"""The writes of the data-protection app: «Mis datos» requests, ARCO requests and their
answers, security incidents and privacy notice versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ayni.accounts.models import Role, RoleGrant, User
from ayni.accounts.permissions import (
    DATAPROTECTION_MANAGE,
    SELF_ACTION_MESSAGE,
    SelfActionError,
    has_perm,
)
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.notifications import notify
from ayni.core.states import Gate
from ayni.core.workdays import add_working_days, lima_date, received_at
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.dataprotection.models import (
    ArcoRequest,
    DataExport,
    PrivacyNoticeVersion,
    Right,
    SecurityIncident,
)
from ayni.dataprotection.terms import term_for
from ayni.org.models import OrgUnit
from ayni.personnel.selectors import own_servant

SUBJECT = "servant"

EXPORT_GATE = Gate(
    action_prefix="dataprotection.export",
    allowed={
        DataExport.State.QUEUED: frozenset({DataExport.State.RUNNING}),
        DataExport.State.RUNNING: frozenset({DataExport.State.DONE, DataExport.State.FAILED}),
    },
    what=gettext_lazy("La descarga de sus datos"),
    labels=dict(DataExport.State.choices),  # type: ignore[arg-type]
)

ARCO_GATE = Gate(
    action_prefix="dataprotection.arco",
    allowed={
        ArcoRequest.State.RECEIVED: frozenset(
            {ArcoRequest.State.ANSWERED, ArcoRequest.State.DENIED}
        )
    },
    what=gettext_lazy("La solicitud"),
    labels=dict(ArcoRequest.State.choices),  # type: ignore[arg-type]
)


class DataProtectionError(UserError):
    pass


# --- where a person's requests go ---------------------------------------------------------


def _ancestors(path: str) -> list[str]:
    """The path and its ancestors, innermost first ("/a/b/" → "/a/b/", "/a/")."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


def home_unit_path(user: Any) -> str:
    """The person's unit: their servant record's employing unit, else the sector's root."""
    servant = own_servant(user)
    if servant is not None:
        return str(servant.employing_unit.path)
    root = OrgUnit.objects.filter(kind=OrgUnit.Kind.MINEDU).values_list("path", flat=True)
    return root.first() or "/"


def officer_path_for(unit_path: str, requester_id: int | None = None) -> str:
    """The nearest unit up the tree (the unit itself first) with an active data-protection
    officer other than the requester; the outermost unit when there is none."""
    grants = RoleGrant.objects.filter(active=True, role=Role.PROTECCION_DATOS, user__is_active=True)
    if requester_id is not None:
        grants = grants.exclude(user_id=requester_id)
    staffed = set(grants.values_list("unit__path", flat=True))
    chain = _ancestors(unit_path)
    for path in chain:
        if path in staffed:
            return path
    return chain[-1] if chain else unit_path


def officers_of(path: str) -> list[User]:
    return list(
        User.objects.filter(
            role_grants__active=True,
            role_grants__role=Role.PROTECCION_DATOS,
            role_grants__unit__path=path,
            is_active=True,
        ).distinct()
    )


# --- «Mis datos» ----------------------------------------------------------------------------


def request_export(user: Any, request: HttpRequest | None = None) -> DataExport:
    """Queue a «Mis datos» download; one in preparation at a time (a second click waits)."""
    from ayni.dataprotection.tasks import build_export_task

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one at a time per person
        pending = DataExport.objects.filter(
            user=user, state__in=[DataExport.State.QUEUED, DataExport.State.RUNNING]
        ).first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(user=user)
        servant = own_servant(user)
        audit_log(
            action="dataprotection.export_requested",
            actor=user,
            request=request,
            obj=export,
            subject_type=SUBJECT if servant is not None else "",
            subject_id=servant.pk if servant is not None else None,
        )
        pk = export.pk
        transaction.on_commit(lambda: build_export_task.enqueue(pk))
    return export


def record_download(user: Any, export: DataExport, request: HttpRequest, span: str) -> None:
    """A download (or a resumed part of one) of the owner's file."""
    audit_log(
        action="dataprotection.export_downloaded",
        actor=user,
        request=request,
        obj=export,
        detail=span,
    )


# --- ARCO -------------------------------------------------------------------------------------


def due_date_for(moment: datetime, unit_path: str, right: str) -> tuple[datetime, int, Any]:
    """(official reception, term in working days, due date) of a request filed at `moment`."""
    received = received_at(moment, unit_path)
    term = term_for(right)
    return received, term, add_working_days(lima_date(received), term)


def file_arco(
    user: Any, *, right: str, detail: str, request: HttpRequest | None = None
) -> ArcoRequest:
    if right not in Right.values:
        raise DataProtectionError(_("Elija el derecho que quiere ejercer."))
    detail = (detail or "").strip()
    if len(detail) < 10:
        raise DataProtectionError(_("Cuente en pocas palabras qué pide (al menos 10 caracteres)."))
    servant = own_servant(user)
    path = officer_path_for(home_unit_path(user), user.pk)
    received, term, due = due_date_for(timezone.now(), path, right)
    with transaction.atomic():
        arco = ArcoRequest.objects.create(
            requester=user,
            servant=servant,
            right=right,
            detail=detail[:1000],
            unit_path=path,
            received_at=received,
            term_days=term,
            due_date=due,
        )
        audit_log(
            action="dataprotection.arco_filed",
            actor=user,
            request=request,
            obj=arco,
            unit_path=path,
            subject_type=SUBJECT if servant else "",
            subject_id=servant.pk if servant else None,
            after={"right": right, "due_date": due.isoformat()},
        )
        link = reverse("dataprotection:arco_detail", args=[arco.uuid])
        post_arco_work(arco)
        for officer in officers_of(path):
            if officer.pk != user.pk:
                notify(
                    recipient=officer,
                    title=_("Nueva solicitud de derechos ARCO por atender."),
                    link=link,
                )
    return arco


def post_arco_work(arco: ArcoRequest) -> None:
    """The request on the officers' work queue (never listed to the person it concerns)."""
    work_item_post(
        kind="dataprotection.arco",
        title=_("Solicitud de derechos ARCO: %(right)s (vence el %(date)s)")
        % {"right": arco.get_right_display(), "date": arco.due_date.strftime("%d/%m/%Y")},
        link=reverse("dataprotection:arco_detail", args=[arco.uuid]),
        unit_path=arco.unit_path,
        permission=DATAPROTECTION_MANAGE,
        source_type="dataprotection.arcorequest",
        source_id=str(arco.pk),
        not_for=arco.requester,
    )


def can_answer(user: Any, arco: ArcoRequest) -> bool:
    return arco.requester_id != user.pk and has_perm(user, DATAPROTECTION_MANAGE, arco.unit_path)


def answer_arco(
    officer: Any,
    arco: ArcoRequest,
    *,
    decision: str,
    answer: str,
    request: HttpRequest | None = None,
) -> None:
    """The officer answers (atendida) or denies (denegada), with a reason. Nothing is
    deleted or changed in the person's file: the answer says what will be done."""
    if arco.requester_id == officer.pk:
        raise SelfActionError(SELF_ACTION_MESSAGE)
    if not has_perm(officer, DATAPROTECTION_MANAGE, arco.unit_path):
        raise PermissionDenied
    if decision not in (ArcoRequest.State.ANSWERED, ArcoRequest.State.DENIED):
        raise DataProtectionError(_("Elija si atiende o deniega la solicitud."))
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise DataProtectionError(_("Escriba la respuesta que recibirá la persona."))
    with transaction.atomic():
        ARCO_GATE.move(
            arco,
            decision,
            actor=officer,
            expected=ArcoRequest.State.RECEIVED,
            request=request,
            fields={
                "answer": answer[:2000],
                "answered_by": officer,
                "answered_at": timezone.now(),
            },
            unit_path=arco.unit_path,
            subject_type=SUBJECT if arco.servant_id else "",
            subject_id=arco.servant_id,
            comment=answer[:500],
        )
        work_item_close(source_type="dataprotection.arcorequest", source_id=str(arco.pk))
        notify(
            recipient=arco.requester,
            title=_("Su solicitud de derechos ARCO tiene respuesta."),
            link=reverse("dataprotection:my_data"),
        )


# --- incidents -------------------------------------------------------------------------------


def _require_officer(user: Any, unit_path: str) -> None:
    if not has_perm(user, DATAPROTECTION_MANAGE, unit_path):
        raise PermissionDenied


def register_incident(
    officer: Any,
    *,
    unit_path: str,
    title: str,
    description: str,
    detected_at: datetime,
    data_categories: str,
    people_affected: int,
    measures: str,
    request: HttpRequest | None = None,
) -> SecurityIncident:
    _require_officer(officer, unit_path)
    if detected_at > timezone.now():
        raise DataProtectionError(_("La fecha de detección no puede estar en el futuro."))
    with transaction.atomic():
        incident = SecurityIncident.objects.create(
            unit_path=unit_path,
            title=title,
            description=description,
            detected_at=detected_at,
            data_categories=data_categories,
            people_affected=people_affected,
            measures=measures,
            registered_by=officer,
        )
        audit_log(
            action="dataprotection.incident_registered",
            actor=officer,
            request=request,
            obj=incident,
            unit_path=unit_path,
        )
    return incident


def incident_step(
    officer: Any,
    incident: SecurityIncident,
    *,
    step: str,
    measures: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Record that the authority or the people affected were told, or new measures."""
    _require_officer(officer, incident.unit_path)
    now = timezone.now()
    with transaction.atomic():
        rows = SecurityIncident.objects.filter(pk=incident.pk)
        if step == "authority":
            moved = rows.filter(authority_notified_at__isnull=True).update(
                authority_notified_at=now, updated_at=now
            )
            action = "dataprotection.incident_authority_notified"
        elif step == "people":
            moved = rows.filter(people_notified_at__isnull=True).update(
                people_notified_at=now, updated_at=now
            )
            action = "dataprotection.incident_people_notified"
        elif step == "measures":
            measures = (measures or "").strip()
            if not measures:
                raise DataProtectionError(_("Escriba las medidas adoptadas."))
            moved = rows.update(measures=measures[:2000], updated_at=now)
            action = "dataprotection.incident_updated"
        else:
            raise DataProtectionError(_("Acción desconocida."))
        if not moved:
            return  # already recorded (a double click)
        audit_log(
            action=action,
            actor=officer,
            request=request,
            obj=incident,
            unit_path=incident.unit_path,
        )


# --- privacy notice versions ------------------------------------------------------------------


def current_privacy_version() -> PrivacyNoticeVersion | None:
    return (
        PrivacyNoticeVersion.objects.filter(published_at__lte=timezone.now())
        .order_by("-published_at", "-id")
        .first()
    )


def publish_privacy_version(
    actor: Any, *, version: str, changes: str, request: HttpRequest | None = None
) -> PrivacyNoticeVersion:
    """A new version of the notice: everyone is asked to accept it at their next page."""
    with transaction.atomic():
        notice = PrivacyNoticeVersion.objects.create(
            version=version, changes=changes, published_at=timezone.now()
        )
        asked = User.objects.filter(privacy_accepted_at__isnull=False).update(
            privacy_accepted_at=None
        )
        audit_log(
            action="dataprotection.privacy_published",
            actor=actor,
            request=request,
            obj=notice,
            detail=f"{version}: {asked}",
        )
    return notice


def export_expiry(now: datetime) -> datetime:
    from datetime import timedelta

    return now + timedelta(hours=settings.DATAPROTECTION_EXPORT_HOURS)
