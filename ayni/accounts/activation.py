"""Activating an account: the one place an account is created for a servant.

Used by the desk (an accepted access request) and by any other door that gives a
servant an account. It never touches an existing account: a document that already
has one is refused (`AccountExistsError`), whatever the caller believes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from ayni.accounts.models import User
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.notifications import mail_after_commit
from ayni.personnel.models import Servant


class AccountExistsError(UserError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Este documento ya tiene una cuenta en Ayni. Una solicitud no crea ni cambia "
                "una cuenta existente: el titular recupera el acceso con «Olvidé mi contraseña» "
                "o, si perdió su correo, en la mesa de partes de su UGEL."
            )
        )


def account_for_document(doc_type: str, doc_number: str) -> User | None:
    return User.objects.filter(doc_type=doc_type, doc_number=doc_number.strip().upper()).first()


def set_password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )


@transaction.atomic
def account_activate(
    *,
    servant: Servant,
    email: str,
    phone: str = "",
    actor: Any,
    reason: str,
    request: Any = None,
) -> User:
    """Create the account of a servant who has none, tie it to the record and e-mail
    a link to set the password to `email` (after commit)."""
    if servant.user_id is not None or account_for_document(servant.doc_type, servant.doc_number):
        raise AccountExistsError
    user = User.objects.create_user(
        servant.doc_type,
        servant.doc_number,
        None,
        email=email,
        phone=phone,
        full_name=f"{servant.given_names} {servant.paternal_surname} "
        f"{servant.maternal_surname}".title().strip(),
    )
    servant.user = user
    servant.save(update_fields=["user", "updated_at"])
    audit_log(
        action="auth.account_activated",
        actor=actor,
        request=request,
        obj=user,
        subject_type="servant",
        subject_id=servant.pk,
        unit_path=servant.employing_unit.path,
        detail=reason[:255],
    )
    link = set_password_link(user)
    mail_after_commit(
        email,
        gettext("Ayni: su cuenta está lista"),
        gettext(
            "%(reason)s. Para crear su contraseña abra este enlace:\n%(link)s\n\n"
            "Luego ingrese a Ayni con su tipo y número de documento."
        )
        % {"reason": reason, "link": link},
    )
    return user
