"""Recovering an account whose owner lost the e-mail on file, at the UGEL's desk.

Four eyes: one desk officer checks the person's identity in person and records
it with the new address; a *second* desk officer of the unit (never the first,
never the account's owner) approves. Only then the e-mail changes (the account's
other sessions end), the set-password link goes to the new address and the old
address is told. Nothing reaches the new address before the approval.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ayni.accounts.activation import set_password_link
from ayni.accounts.contact import email_set, mask_email
from ayni.accounts.models import RoleGrant, User, login_id_for
from ayni.accounts.permissions import DESK_MANAGE, handling_path, has_perm, is_own, perm_paths
from ayni.accounts.services import account_group
from ayni.core import throttle
from ayni.core.audit import audit_log
from ayni.core.notifications import mail_after_commit
from ayni.core.states import Gate
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.desk.cases import DeskError
from ayni.desk.models import AccountRecovery
from ayni.org.models import OrgUnit
from ayni.org.selectors import under_any
from ayni.personnel.models import Servant

R = AccountRecovery.State
GATE = Gate(
    action_prefix="desk.recovery",
    allowed={R.PENDING: frozenset({R.APPROVED, R.REJECTED})},
    what=gettext_lazy("La recuperación de acceso"),
    labels={value: str(label) for value, label in R.choices},
)
WORK_KIND = "desk.account_recovery"


def home_unit(user: User) -> OrgUnit | None:
    """The unit whose desk answers for the account: the servant record's, else the
    unit of the person's first active role."""
    servant = Servant.objects.filter(user=user).select_related("employing_unit").first()
    if servant is not None:
        return servant.employing_unit
    grant = RoleGrant.objects.filter(user=user, active=True).select_related("unit").first()
    return grant.unit if grant is not None else None


def account_for_desk(
    request: HttpRequest, *, officer: Any, doc_type: str, doc_number: str
) -> tuple[User, OrgUnit]:
    """The account with this document, if its home unit is in the officer's desk
    scope (one answer for «none» and «not yours»); the look-up is an audited read."""
    user = User.objects.filter(login_id=login_id_for(doc_type, doc_number)).first()
    unit = home_unit(user) if user is not None else None
    if user is None or unit is None or not has_perm(officer, DESK_MANAGE, unit):
        raise DeskError(gettext("No encontramos una cuenta con ese documento en su ámbito."))
    if is_own(officer, user.pk):
        raise DeskError(gettext("No puede recuperar su propia cuenta: lo hace otro servidor."))
    servant = Servant.objects.filter(user=user).first()
    audit_log(
        action="desk.account_looked_up",
        actor=officer,
        request=request,
        obj=user,
        subject_type="servant" if servant else "",
        subject_id=servant.pk if servant else None,
        unit_path=unit.path,
        detail="recuperación de acceso",
    )
    return user, unit


@transaction.atomic
def recovery_record(
    request: HttpRequest,
    *,
    officer: Any,
    user: User,
    unit: OrgUnit,
    new_email: str,
    identity_check: str,
) -> AccountRecovery:
    """The first officer's part: the identity check, written down, and the new address."""
    identity_check = identity_check.strip()
    if len(identity_check) < 10:
        raise DeskError(
            gettext("Describa la verificación de identidad que hizo (documento visto).")
        )
    if is_own(officer, user.pk) or not has_perm(officer, DESK_MANAGE, unit):
        raise DeskError(gettext("No puede registrar esta recuperación."))
    if AccountRecovery.objects.filter(user=user, state=R.PENDING).exists():
        raise DeskError(gettext("Esta cuenta ya tiene una recuperación por aprobar."))
    recovery = AccountRecovery.objects.create(
        user=user,
        unit=unit,
        new_email=User.objects.normalize_email(new_email.strip()),
        identity_check=identity_check[:500],
        checked_by=officer,
    )
    work_item_post(
        kind=WORK_KIND,
        title=gettext("Aprobar una recuperación de acceso (la registró otro servidor)"),
        link=reverse("desk:recovery_detail", args=[recovery.uuid]),
        unit_path=handling_path(unit.path, DESK_MANAGE, user.pk),
        permission=DESK_MANAGE,
        source_type="account_recovery",
        source_id=str(recovery.pk),
        not_for=officer,  # the second officer approves
    )
    audit_log(
        action="desk.recovery_recorded",
        actor=officer,
        request=request,
        obj=recovery,
        unit_path=unit.path,
        after={"email": mask_email(recovery.new_email)},
        detail=identity_check[:255],
    )
    return recovery


def recoveries_in_scope(officer: Any) -> QuerySet[AccountRecovery]:
    return (
        AccountRecovery.objects.filter(under_any(perm_paths(officer, DESK_MANAGE), "unit__path"))
        .exclude(user=officer)
        .select_related("user", "unit", "checked_by", "decided_by")
    )


def get_recovery_for_staff(officer: Any, ref: Any) -> AccountRecovery:
    recovery = recoveries_in_scope(officer).filter(uuid=ref).first()
    if recovery is None:
        raise Http404
    return recovery


def _check_second_officer(officer: Any, recovery: AccountRecovery) -> None:
    if getattr(officer, "pk", None) == recovery.checked_by_id:
        raise DeskError(
            gettext(
                "Usted registró la verificación: la aprueba otro servidor de la mesa de partes."
            )
        )
    if is_own(officer, recovery.user_id):
        raise DeskError(gettext("No puede aprobar la recuperación de su propia cuenta."))
    if not has_perm(officer, DESK_MANAGE, recovery.unit):
        raise DeskError(gettext("Solo la mesa de partes de la unidad aprueba esta recuperación."))


@transaction.atomic
def recovery_approve(
    request: HttpRequest, *, officer: Any, recovery: AccountRecovery
) -> AccountRecovery:
    """The second officer's part: the e-mail changes, the link goes to the new address,
    the old one is told, the account's other sessions end and its lockouts lift."""
    recovery = (
        AccountRecovery.objects.select_for_update().select_related("unit").get(pk=recovery.pk)
    )
    _check_second_officer(officer, recovery)
    GATE.move(
        recovery,
        R.APPROVED,
        actor=officer,
        request=request,
        fields={"decided_by": officer, "decided_at": timezone.now()},
        unit_path=recovery.unit.path,
    )
    user = User.objects.select_for_update().get(pk=recovery.user_id)
    email_set(
        request,
        user=user,
        new_email=recovery.new_email,
        actor=officer,
        action="auth.email_changed_by_recovery",
    )
    throttle.clear_group(account_group(user.login_id))
    # The way back in is the link to the verified address: the old password (perhaps
    # known to whoever took the old mailbox) stops working.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    link = set_password_link(user)  # after the e-mail and password change: the token covers it
    mail_after_commit(
        recovery.new_email,
        gettext("Ayni: recupere el acceso a su cuenta"),
        gettext(
            "La mesa de partes de su UGEL verificó su identidad y registró este correo para su "
            "cuenta de Ayni. Para crear una contraseña nueva abra este enlace:\n%(link)s\n\n"
            "Luego ingrese con su tipo y número de documento.\n\n"
            "Este es un mensaje automático de Ayni; no lo responda."
        )
        % {"link": link},
    )
    work_item_close(source_type="account_recovery", source_id=str(recovery.pk))
    return recovery


@transaction.atomic
def recovery_reject(
    request: HttpRequest, *, officer: Any, recovery: AccountRecovery, reason: str
) -> AccountRecovery:
    reason = (reason or "").strip()
    if not reason:
        raise DeskError(gettext("Escriba el motivo."))
    recovery = (
        AccountRecovery.objects.select_for_update().select_related("unit").get(pk=recovery.pk)
    )
    if not has_perm(officer, DESK_MANAGE, recovery.unit) or is_own(officer, recovery.user_id):
        raise DeskError(gettext("No puede resolver esta recuperación."))
    GATE.move(
        recovery,
        R.REJECTED,
        actor=officer,
        request=request,
        fields={
            "decided_by": officer,
            "decided_at": timezone.now(),
            "decision_comment": reason[:300],
        },
        unit_path=recovery.unit.path,
        comment=reason,
    )
    work_item_close(source_type="account_recovery", source_id=str(recovery.pk))
    return recovery
