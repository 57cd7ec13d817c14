"""Writes of the mesa de partes on access requests from people without an account."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ayni.accounts.activation import AccountExistsError, account_activate, account_for_document
from ayni.accounts.models import User
from ayni.accounts.permissions import DESK_MANAGE, has_perm
from ayni.core.audit import audit_log
from ayni.core.workqueue import work_item_close
from ayni.desk.cases import DeskError, _event, _hash, _mail, _open_case
from ayni.desk.models import AccessRequest, Case
from ayni.desk.uploads import CheckedPdf, store
from ayni.personnel.models import Servant
from ayni.personnel.servant_records import NewServant, servant_create

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
    if account_for_document(ar.doc_type, ar.doc_number) is not None:
        raise AccountExistsError
    servant, _ = matching_servant(ar)
    if servant is None:
        servant = servant_create(
            person=NewServant(
                doc_type=ar.doc_type,
                doc_number=ar.doc_number,
                paternal_surname=ar.paternal_surname,
                maternal_surname=ar.maternal_surname,
                given_names=ar.given_names,
                kind=ar.staff_kind,
                condition=(
                    Servant.Condition.CONTRATADO
                    if ar.condition == "contratado"
                    else Servant.Condition.NOMBRADO
                ),
                status=(
                    Servant.Status.CESANTE if ar.condition == "cesante" else Servant.Status.ACTIVO
                ),
            ),
            unit=ar.unit,
        )
    user = account_activate(
        servant=servant,
        email=ar.email,
        phone=ar.phone,
        actor=officer,
        reason=f"Su solicitud {ar.case.label} fue aceptada",
    )
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
