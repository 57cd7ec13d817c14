"""Writes of the mesa de partes: access requests, filings, routing and answers."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ayni.accounts.models import User
from ayni.accounts.permissions import (
    AUDIT_VIEW,
    DESK_MANAGE,
    PAYROLL_MANAGE,
    PERSONNEL_EDIT,
    has_perm,
)
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.models import VerificationRecord
from ayni.core.notifications import notify
from ayni.core.numbering import next_number
from ayni.core.pdf import render_pdf
from ayni.core.verification import format_code, new_code
from ayni.core.workdays import add_working_days, received_at
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.desk.models import AccessRequest, Case, CaseEvent, CaseFile
from ayni.desk.uploads import CheckedPdf, store
from ayni.org.models import OrgUnit
from ayni.personnel.models import ChangeRequest, Servant

RECEIPT = Path(__file__).resolve().parent / "pdf" / "cargo.typ"
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


def _mail(to: str, subject: str, body: str) -> None:
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=True)
    )


def _event(case: Case, to: str, actor: Any, comment: str = "", area: str = "") -> None:
    CaseEvent.objects.create(
        case=case,
        from_state=case.state if case.pk else "",
        to_state=to,
        actor=actor,
        comment=comment[:500],
        area=area or case.area,
    )


def _post_work(case: Case) -> None:
    work_item_close(source_type="case", source_id=str(case.pk))
    work_item_post(
        kind=WORK_KIND,
        title=f"{case.label}: {case.get_kind_display()}",
        link=reverse("desk:case_detail", args=[case.uuid]),
        unit_path=case.unit.path,
        permission=AREA_PERMISSION[Case.Area(case.area)],
        source_type="case",
        source_id=str(case.pk),
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
    _store_receipt(case)
    _post_work(case)
    audit_log(
        action="desk.case_received",
        actor=filer,
        obj=case,
        unit_path=unit.path,
        detail=f"{case.label}: {case.get_kind_display()}",
    )
    return case


def _store_receipt(case: Case) -> None:
    """The cargo de recepción: number, reception date and time, files and hashes."""
    stamp = timezone.localtime(case.received_at)
    data = {
        "issuer": case.unit.name,
        "code": format_code(case.verification_code),
        "issued_on": stamp.strftime("%d/%m/%Y"),
        "verify_url": f"{settings.SITE_URL}/verificar/",
        "number": case.label,
        "kind": case.get_kind_display(),
        "subject": case.subject,
        "filer": case.filer_name,
        "received": stamp.strftime("%d/%m/%Y %H:%M"),
        "submitted": timezone.localtime(case.submitted_at).strftime("%d/%m/%Y %H:%M"),
        "files": [
            {"name": f.original_name, "sha256": f.sha256, "size": f.size} for f in case.files.all()
        ],
    }
    pdf = render_pdf(
        RECEIPT,
        data,
        timestamp=case.submitted_at.replace(microsecond=0),
        qr_payload=f"{settings.SITE_URL}/verificar/?c={case.verification_code}",
    )
    case.receipt_file = default_storage.save(f"desk/cargos/{case.uuid}.pdf", ContentFile(pdf))
    case.receipt_sha256 = hashlib.sha256(pdf).hexdigest()
    case.save(update_fields=["receipt_file", "receipt_sha256", "updated_at"])
    VerificationRecord.objects.create(
        code=case.verification_code,
        kind="cargo",
        issuer=case.unit.name,
        issued_at=case.submitted_at,
        pdf_sha256=case.receipt_sha256,
        summary={
            "Documento": "Cargo de recepción",
            "Expediente": case.label,
            "Recibido": data["received"],
            "Archivos": str(len(data["files"])),
        },
    )


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
) -> Case:
    if servant.user_id != user.pk:
        raise DeskError("Solo puede presentar trámites a su nombre.")
    if kind == Case.Kind.SUPPORT:
        if (
            change_request is None
            or change_request.servant_id != servant.pk
            or not change_request.is_open
        ):
            raise DeskError("Elija una de sus solicitudes de modificación en trámite.")
        unit = servant.employing_unit  # the UGEL that reviews the request receives it
    elif change_request is not None:
        raise DeskError("Solo el sustento de una solicitud se vincula a ella.")
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
    )
    if kind == Case.Kind.INFORME:
        from ayni.reports.services import informe_request  # the reports app owns the request

        informe_request(
            user=user,
            servant=servant,
            purpose=informe_purpose or "otro",
            detail=f"Presentado por mesa de partes, {case.label}",
        )
    notify(
        recipient=user,
        title=f"Recibimos su trámite {case.label}",
        link=reverse("desk:my_case", args=[case.uuid]),
    )
    return case


@transaction.atomic
def case_complete(*, user: Any, case: Case, files: list[CheckedPdf], comment: str) -> Case:
    """The filer completes an observed filing, in the same case."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    if case.filer_id != user.pk:
        raise DeskError("Solo quien presentó el trámite puede completarlo.")
    if case.state != Case.State.OBSERVED:
        raise DeskError("Solo se completa un trámite observado.")
    for pdf in files:
        CaseFile.objects.create(
            case=case,
            stored_name=store("desk", pdf),
            original_name=pdf.original_name,
            size=len(pdf.data),
            sha256=pdf.sha256,
        )
    _event(case, Case.State.RECEIVED, user, comment or "Subsanado por el administrado")
    case.state = Case.State.RECEIVED
    case.area = Case.Area.DESK
    case.observed_until = None
    case.save()
    _post_work(case)
    return case


# --- the desk and the areas -----------------------------------------------------------


def _can_act(user: Any, case: Case) -> bool:
    return has_perm(user, DESK_MANAGE, case.unit) or has_perm(
        user, AREA_PERMISSION[Case.Area(case.area)], case.unit
    )


@transaction.atomic
def case_route(*, officer: Any, case: Case, area: str, comment: str = "") -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    if not has_perm(officer, DESK_MANAGE, case.unit):
        raise DeskError("Solo la mesa de partes deriva los trámites.")
    if area not in (Case.Area.ESCALAFON, Case.Area.PLANILLAS, Case.Area.RRHH):
        raise DeskError("Elija el área a la que deriva el trámite.")
    if case.state not in (Case.State.RECEIVED, Case.State.ROUTED):
        raise DeskError(f"El trámite está «{case.get_state_display()}»: no se puede derivar.")
    _event(case, Case.State.ROUTED, officer, comment or "Derivado", area=area)
    case.state, case.area = Case.State.ROUTED, area
    case.save()
    _post_work(case)
    _notify_filer(case, f"Su trámite {case.label} fue derivado")
    return case


@transaction.atomic
def case_answer(*, officer: Any, case: Case, state: str, comment: str) -> Case:
    """Atendido, Observado (intake: 2 working days to complete) or Archivado."""
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    if not _can_act(officer, case):
        raise DeskError("Su función no puede atender este trámite.")
    if state not in (Case.State.DONE, Case.State.OBSERVED, Case.State.ARCHIVED):
        raise DeskError("Respuesta no válida.")
    if case.state not in (Case.State.RECEIVED, Case.State.ROUTED):
        raise DeskError(f"El trámite está «{case.get_state_display()}».")
    comment = (comment or "").strip()
    if state != Case.State.DONE and not comment:
        raise DeskError("Escriba el motivo para el administrado.")
    _event(case, state, officer, comment or "Atendido")
    case.state = state
    if state == Case.State.OBSERVED:
        case.observed_until = add_working_days(timezone.localdate(), INTAKE_OBSERVATION_DAYS)
    case.save()
    work_item_close(source_type="case", source_id=str(case.pk))
    audit_log(
        action=f"desk.case_{state}",
        actor=officer,
        obj=case,
        unit_path=case.unit.path,
        detail=comment[:200],
    )
    _notify_filer(case, f"Su trámite {case.label} está «{case.get_state_display()}»")
    return case


def _notify_filer(case: Case, title: str) -> None:
    if case.filer is not None:
        notify(recipient=case.filer, title=title, link=reverse("desk:my_case", args=[case.uuid]))
    elif hasattr(case, "access_request"):
        ar = case.access_request
        _mail(
            ar.email,
            f"Ayni: {title}",
            f"{title}.\n\nSiga su trámite con el enlace que le enviamos al confirmar su solicitud.",
        )


def expire_observed_cases(today: Any = None) -> int:
    """Observed filings not completed in time are closed as «no presentado»."""
    today = today or timezone.localdate()
    closed = 0
    for case in Case.objects.filter(state=Case.State.OBSERVED, observed_until__lt=today):
        with transaction.atomic():
            _event(case, Case.State.NOT_FILED, None, "Plazo vencido (Ley 27444)")
            case.state = Case.State.NOT_FILED
            case.save(update_fields=["state", "updated_at"])
            closed += 1
    return closed


# --- access requests ----------------------------------------------------------------


@transaction.atomic
def access_request_submit(*, data: dict[str, Any], pdf: CheckedPdf) -> tuple[AccessRequest, str]:
    """Store the request and e-mail a confirmation link; nothing reaches the UGEL yet."""
    confirm, follow = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    ar = AccessRequest.objects.create(
        doc_type=data["doc_type"],
        doc_number=data["doc_number"],
        paternal_surname=data["paternal_surname"].upper(),
        maternal_surname=data.get("maternal_surname", "").upper(),
        given_names=data["given_names"].upper(),
        email=data["email"],
        phone=data.get("phone", ""),
        unit=data["unit"],
        staff_kind=data["staff_kind"],
        condition=data["condition"],
        confirm_token_hash=_hash(confirm),
        follow_token_hash=_hash(follow),
        file_name=store("desk/acceso", pdf),
        file_original_name=pdf.original_name,
        file_sha256=pdf.sha256,
    )
    link = settings.SITE_URL + reverse("desk:access_confirm", args=[confirm])
    _mail(
        ar.email,
        "Ayni: confirme su solicitud de acceso",
        f"Recibimos una solicitud de acceso a Ayni con este correo.\n\nPara enviarla a su "
        f"UGEL, confírmela abriendo este enlace:\n{link}\n\nSi usted no la hizo, ignore "
        "este mensaje.",
    )
    return ar, confirm


@transaction.atomic
def access_request_confirm(token: str) -> tuple[AccessRequest, str]:
    """The e-mail is confirmed: the case gets its number and reaches the UGEL."""
    ar = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(confirm_token_hash=_hash(token))
        .first()
    )
    if ar is None:
        raise DeskError("El enlace no es válido.")
    if ar.state != AccessRequest.State.UNCONFIRMED:
        return ar, ""
    with default_storage.open(ar.file_name, "rb") as handle:
        data = handle.read()
    pdf = CheckedPdf(data=data, original_name=ar.file_original_name, sha256=ar.file_sha256)
    case = _open_case(
        unit=ar.unit,
        kind=Case.Kind.ACCESS,
        subject=f"Solicitud de acceso: {ar.get_staff_kind_display()} "
        f"{ar.get_condition_display().lower()}",
        filer=None,
        name=ar.full_name,
        doc_type=ar.doc_type,
        doc_number=ar.doc_number,
        files=[pdf],
    )
    follow = secrets.token_urlsafe(32)
    ar.follow_token_hash = _hash(follow)
    ar.case = case
    ar.state = AccessRequest.State.RECEIVED
    ar.confirmed_at = timezone.now()
    ar.save()
    link = settings.SITE_URL + reverse("desk:access_follow_link", args=[follow])
    _mail(
        ar.email,
        f"Ayni: su solicitud es el {case.label}",
        f"Su solicitud de acceso llegó a {ar.unit.name} como {case.label}.\n\n"
        f"Puede seguirla con este enlace:\n{link}\n\no con el número de expediente y su "
        "número de documento en la página de seguimiento.",
    )
    return ar, follow


def matching_servant(ar: AccessRequest) -> tuple[Servant | None, list[str]]:
    """The servant record with the request's document, and what does not match."""
    servant = Servant.objects.filter(doc_type=ar.doc_type, doc_number=ar.doc_number).first()
    if servant is None:
        return None, []
    mismatches = []
    if servant.paternal_surname != ar.paternal_surname:
        mismatches.append(
            f"Apellido paterno: registro «{servant.paternal_surname}», "
            f"solicitud «{ar.paternal_surname}»"
        )
    if servant.given_names != ar.given_names:
        mismatches.append(
            f"Nombres: registro «{servant.given_names}», solicitud «{ar.given_names}»"
        )
    if servant.employing_unit_id != ar.unit_id:
        mismatches.append(f"Unidad: registro «{servant.employing_unit}», solicitud «{ar.unit}»")
    return servant, mismatches


@transaction.atomic
def access_request_accept(*, officer: Any, ar: AccessRequest) -> User:
    """Create or activate the account, tie it to the servant record (created, flagged, when
    none matches) and e-mail a link to set the password."""
    ar = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("case__unit", "unit")
        .get(pk=ar.pk)
    )
    if ar.state != AccessRequest.State.RECEIVED or ar.case is None:
        raise DeskError("La solicitud ya fue resuelta o no está confirmada.")
    if not has_perm(officer, DESK_MANAGE, ar.unit):
        raise DeskError("Solo la mesa de partes de la UGEL resuelve esta solicitud.")
    servant, _ = matching_servant(ar)
    if servant is None:
        servant = Servant.objects.create(
            doc_type=ar.doc_type,
            doc_number=ar.doc_number,
            paternal_surname=ar.paternal_surname,
            maternal_surname=ar.maternal_surname,
            given_names=ar.given_names,
            email=ar.email,
            phone=ar.phone,
            employing_unit=ar.unit,
            kind=ar.staff_kind,
            condition=("contratado" if ar.condition == "contratado" else "nombrado"),
            status=("cesante" if ar.condition == "cesante" else "activo"),
            needs_completion=True,
        )
        work_item_post(
            kind="personnel.complete_record",
            title=f"Completar la ficha del servidor {servant.full_name}",
            link=reverse("personnel:servant_detail", args=[servant.uuid]),
            unit_path=ar.unit.path,
            permission=PERSONNEL_EDIT,
            source_type="servant",
            source_id=str(servant.pk),
        )
    user = User.objects.filter(doc_type=ar.doc_type, doc_number=ar.doc_number).first()
    if user is None:
        user = User.objects.create_user(
            ar.doc_type,
            ar.doc_number,
            None,
            email=ar.email,
            full_name=f"{ar.given_names} {ar.paternal_surname} "
            f"{ar.maternal_surname}".title().strip(),
        )
    else:
        user.is_active = True
        user.email = ar.email
        user.save(update_fields=["is_active", "email"])
    if servant.user_id is None:
        servant.user = user
        servant.save(update_fields=["user", "updated_at"])
    ar.servant = servant
    ar.state = AccessRequest.State.ACCEPTED
    ar.save()
    case = ar.case
    _event(case, Case.State.DONE, officer, "Solicitud aceptada: cuenta creada")
    case.state = Case.State.DONE
    case.save(update_fields=["state", "updated_at"])
    work_item_close(source_type="case", source_id=str(case.pk))
    audit_log(
        action="desk.access_accepted",
        actor=officer,
        obj=ar,
        unit_path=ar.unit.path,
        subject_type="servant",
        subject_id=servant.pk,
        detail=case.label,
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    _mail(
        ar.email,
        "Ayni: su cuenta está lista",
        f"Su solicitud {case.label} fue aceptada. Para crear su contraseña abra este "
        f"enlace:\n{link}\n\nLuego ingrese a Ayni con su tipo y número de documento.",
    )
    return user


@transaction.atomic
def access_request_reject(*, officer: Any, ar: AccessRequest, reason: str) -> AccessRequest:
    reason = (reason or "").strip()
    if not reason:
        raise DeskError("Escriba el motivo del rechazo.")
    ar = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("case__unit", "unit")
        .get(pk=ar.pk)
    )
    if ar.state != AccessRequest.State.RECEIVED or ar.case is None:
        raise DeskError("La solicitud ya fue resuelta o no está confirmada.")
    ar.state = AccessRequest.State.REJECTED
    ar.reject_reason = reason[:300]
    ar.save()
    case = ar.case
    _event(case, Case.State.ARCHIVED, officer, f"Rechazada: {reason}")
    case.state = Case.State.ARCHIVED
    case.save(update_fields=["state", "updated_at"])
    work_item_close(source_type="case", source_id=str(case.pk))
    audit_log(
        action="desk.access_rejected",
        actor=officer,
        obj=ar,
        unit_path=ar.unit.path,
        detail=reason[:200],
    )
    _mail(
        ar.email,
        f"Ayni: su solicitud {case.label} fue rechazada",
        "Su solicitud de acceso fue rechazada. Revise el motivo en la página de seguimiento.",
    )
    return ar


def follow_by_number(*, number: str, doc_number: str) -> AccessRequest | None:
    """Case number and document together: a number alone reveals nothing."""
    digits = "".join(c for c in number if c.isdigit() or c == "-")
    try:
        seq, year = (int(x) for x in digits.split("-")[:2])
    except ValueError:
        return None
    return (
        AccessRequest.objects.select_related("case", "unit")
        .filter(case__number=seq, case__year=year, doc_number=doc_number.strip().upper())
        .first()
    )


def follow_by_token(token: str) -> AccessRequest | None:
    return (
        AccessRequest.objects.select_related("case", "unit")
        .filter(follow_token_hash=_hash(token))
        .first()
    )
