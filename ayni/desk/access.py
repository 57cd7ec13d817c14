"""Writes of the mesa de partes on access requests from people without an account.

An access request never changes an existing account (docs/security.md, item 1):
when the document already has one, the desk sees it plainly and can only close
the request; the applicant gets the same pages and mails as anyone else, and the
account's owner is told at the address on file. Tokens travel in the URL fragment
(`#…`), which browsers never send, so no access log holds them.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ayni.accounts.activation import AccountExistsError, account_activate, account_for_document
from ayni.accounts.models import User
from ayni.accounts.permissions import DESK_MANAGE, has_perm
from ayni.core.notifications import mail_after_commit
from ayni.core.states import Gate
from ayni.core.workqueue import work_item_close
from ayni.desk.cases import DeskError, _hash, _open_case, case_move
from ayni.desk.models import AccessRequest, Case
from ayni.desk.uploads import CheckedPdf, store
from ayni.personnel.models import Servant
from ayni.personnel.servant_records import NewServant, servant_create

S = AccessRequest.State

GATE = Gate(
    action_prefix="desk.access",
    allowed={
        S.UNCONFIRMED: frozenset({S.RECEIVED}),
        S.RECEIVED: frozenset({S.ACCEPTED, S.REJECTED}),
    },
    what=gettext_lazy("La solicitud de acceso"),
    labels={value: str(label) for value, label in S.choices},
)

# What the applicant reads when the document already had an account: the same
# words a person without one could get, naming no account. Stored: str() when writing.
EXISTING_ACCOUNT_ANSWER = gettext_lazy(
    "La UGEL no creó una cuenta con esta solicitud. Si usted es el titular del documento "
    "y no puede ingresar, use «Olvidé mi contraseña» en la página de ingreso o acérquese a "
    "la mesa de partes de su UGEL con su documento de identidad."
)


def confirm_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('desk:access_confirm')}#{token}"


def follow_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('desk:access_follow')}#{token}"


@transaction.atomic
def access_request_submit(*, data: dict[str, Any], pdf: CheckedPdf) -> tuple[AccessRequest, str]:
    """Store the request and e-mail a confirmation link; nothing reaches the UGEL yet.

    Whether the document has an account is not looked at here: every applicant
    gets the same page and the same mail at the same moment.
    """
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
    mail_after_commit(
        ar.email,
        gettext("Ayni: confirme su solicitud de acceso"),
        gettext(
            "Recibimos una solicitud de acceso a Ayni con este correo.\n\nPara enviarla a su "
            "UGEL, confírmela abriendo este enlace:\n%(link)s\n\n"
            "Si la página le pide el código, es este:\n%(code)s\n\n"
            "Si usted no la hizo, ignore este mensaje."
        )
        % {"link": confirm_link(confirm), "code": confirm},
    )
    return ar, confirm


@transaction.atomic
def access_request_confirm(token: str) -> tuple[AccessRequest, str]:
    """The e-mail is confirmed: the case gets its number and reaches the UGEL.

    When the document already has an account, its owner is told at the address on
    file (in Ayni and by e-mail); the applicant sees and receives exactly what
    everyone else does.
    """
    ar = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(confirm_token_hash=_hash(token.strip()))
        .first()
        if token.strip()
        else None
    )
    if ar is None:
        raise DeskError(gettext("El enlace o el código no es válido."))
    if ar.state != S.UNCONFIRMED:
        return ar, ""
    with default_storage.open(ar.file_name, "rb") as handle:
        data = handle.read()
    pdf = CheckedPdf(data=data, original_name=ar.file_original_name, sha256=ar.file_sha256)
    case = _open_case(
        unit=ar.unit,
        kind=Case.Kind.ACCESS,
        subject=gettext("Solicitud de acceso: %(kind)s %(condition)s")
        % {
            "kind": ar.get_staff_kind_display(),
            "condition": ar.get_condition_display().lower(),
        },
        filer=None,
        name=ar.full_name,
        doc_type=ar.doc_type,
        doc_number=ar.doc_number,
        files=[pdf],
    )
    follow = secrets.token_urlsafe(32)
    GATE.move(
        ar,
        S.RECEIVED,
        actor=None,
        fields={
            "follow_token_hash": _hash(follow),
            "case": case,
            "confirmed_at": timezone.now(),
        },
        unit_path=ar.unit.path,
        detail=case.label,
    )
    mail_after_commit(
        ar.email,
        gettext("Ayni: su solicitud es el %(case)s") % {"case": case.label},
        gettext(
            "Su solicitud de acceso llegó a %(unit)s como %(case)s.\n\n"
            "Puede seguirla con este enlace:\n%(link)s\n\no con el número de "
            "expediente y su número de documento en la página de seguimiento."
        )
        % {"unit": ar.unit.name, "case": case.label, "link": follow_link(follow)},
    )
    owner = account_for_document(ar.doc_type, ar.doc_number)
    if owner is not None:
        _tell_owner(owner)
    return ar, follow


def _tell_owner(owner: User) -> None:
    """In Ayni and at the address on file; the notice names no one and no value."""
    from ayni.core.notifications import notify

    notify(
        recipient=owner,
        title=gettext(
            "Alguien pidió una cuenta de Ayni con su número de documento. Su cuenta no "
            "cambió. Si no fue usted, avise a la mesa de partes de su UGEL"
        ),
        subject=gettext("pidieron una cuenta con su documento"),
        link=reverse("accounts:profile"),
    )


def matching_servant(ar: AccessRequest) -> tuple[Servant | None, list[str]]:
    """The servant record with the request's document, and what does not match."""
    servant = Servant.objects.filter(doc_type=ar.doc_type, doc_number=ar.doc_number).first()
    if servant is None:
        return None, []
    mismatches = []
    if servant.paternal_surname != ar.paternal_surname:
        mismatches.append(
            gettext("Apellido paterno: registro «%(record)s», solicitud «%(request)s»")
            % {"record": servant.paternal_surname, "request": ar.paternal_surname}
        )
    if servant.given_names != ar.given_names:
        mismatches.append(
            gettext("Nombres: registro «%(record)s», solicitud «%(request)s»")
            % {"record": servant.given_names, "request": ar.given_names}
        )
    if servant.employing_unit_id != ar.unit_id:
        mismatches.append(
            gettext("Unidad: registro «%(record)s», solicitud «%(request)s»")
            % {"record": servant.employing_unit, "request": ar.unit}
        )
    return servant, mismatches


def existing_account(ar: AccessRequest) -> User | None:
    """The account the request's document already has (shown plainly to the desk)."""
    return account_for_document(ar.doc_type, ar.doc_number)


def _locked_received(ar: AccessRequest, officer: Any) -> AccessRequest:
    ar = (
        AccessRequest.objects.select_for_update(of=("self",))
        .select_related("case__unit", "unit")
        .get(pk=ar.pk)
    )
    if ar.state != S.RECEIVED or ar.case is None:
        raise DeskError(gettext("La solicitud ya fue resuelta o no está confirmada."))
    if not has_perm(officer, DESK_MANAGE, ar.unit):
        raise DeskError(gettext("Solo la mesa de partes de la UGEL resuelve esta solicitud."))
    return ar


def _close_case(case: Case, to: str, officer: Any, comment: str, request: Any) -> None:
    """The access request's case moves through the case gate (its history and audit)."""
    case_move(case, to, actor=officer, comment=comment, request=request)
    work_item_close(source_type="case", source_id=str(case.pk))


@transaction.atomic
def access_request_accept(*, officer: Any, ar: AccessRequest, request: Any = None) -> User:
    """Create the account (never for a document that has one), tie it to the servant
    record (created, flagged, when none matches) and e-mail a link to set the password."""
    ar = _locked_received(ar, officer)
    if existing_account(ar) is not None:
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
    assert ar.case is not None
    case = ar.case
    user = account_activate(
        servant=servant,
        email=ar.email,
        phone=ar.phone,
        actor=officer,
        request=request,
        reason=gettext("Su solicitud %(case)s fue aceptada") % {"case": case.label},
    )
    GATE.move(
        ar,
        S.ACCEPTED,
        actor=officer,
        request=request,
        fields={"servant": servant},
        unit_path=ar.unit.path,
        subject_type="servant",
        subject_id=servant.pk,
        detail=case.label,
    )
    _close_case(
        case, Case.State.DONE, officer, gettext("Solicitud aceptada: cuenta creada"), request
    )
    return user


@transaction.atomic
def access_request_reject(
    *, officer: Any, ar: AccessRequest, reason: str, request: Any = None
) -> AccessRequest:
    reason = (reason or "").strip()
    if not reason:
        raise DeskError(gettext("Escriba el motivo del rechazo."))
    ar = _locked_received(ar, officer)
    return _reject(ar, officer=officer, public_reason=reason, note=reason, request=request)


@transaction.atomic
def access_request_close_existing(
    *, officer: Any, ar: AccessRequest, request: Any = None
) -> AccessRequest:
    """The document already has an account: close the request, changing nothing.

    The applicant reads a neutral answer (`EXISTING_ACCOUNT_ANSWER`); the owner was
    told at confirmation.
    """
    ar = _locked_received(ar, officer)
    if existing_account(ar) is None:
        raise DeskError(gettext("Este documento no tiene cuenta: acepte o rechace la solicitud."))
    return _reject(
        ar,
        officer=officer,
        public_reason=str(EXISTING_ACCOUNT_ANSWER),
        note=gettext("El documento ya tiene una cuenta: no se creó ni cambió ninguna cuenta"),
        request=request,
    )


def _reject(
    ar: AccessRequest, *, officer: Any, public_reason: str, note: str, request: Any
) -> AccessRequest:
    assert ar.case is not None
    case = ar.case
    GATE.move(
        ar,
        S.REJECTED,
        actor=officer,
        request=request,
        fields={"reject_reason": public_reason[:300]},
        unit_path=ar.unit.path,
        comment=note,
        detail=f"{case.label}: {note}",
    )
    _close_case(
        case,
        Case.State.ARCHIVED,
        officer,
        gettext("Rechazada: %(reason)s") % {"reason": note},
        request,
    )
    mail_after_commit(
        ar.email,
        gettext("Ayni: su solicitud %(case)s fue rechazada") % {"case": case.label},
        gettext(
            "Su solicitud de acceso fue rechazada. Revise el motivo en la página de "
            "seguimiento, con el número %(case)s y su número de documento:\n%(link)s\n\n"
            "Este es un mensaje automático de Ayni; no lo responda."
        )
        % {"case": case.label, "link": f"{settings.SITE_URL}{reverse('desk:access_follow')}"},
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
    token = token.strip()
    if not token:
        return None
    return (
        AccessRequest.objects.select_related("case", "unit")
        .filter(follow_token_hash=_hash(token))
        .first()
    )
