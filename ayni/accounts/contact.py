"""The contact of an account: its e-mail and phone (`User.email`, `User.phone`).

Only the owner changes them, logged in and confirming the password. A new e-mail
takes effect when the link sent to it is opened (single-use, 24 hours); the old
address is told when it is asked and when it is done, and the account's other
sessions end (the session hash covers the e-mail). The phone changes at once and
the address on file is told. Notices name no value.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from ayni.accounts.links import link_create, link_use
from ayni.accounts.models import AccountLink, User
from ayni.core import throttle
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.notifications import mail_after_commit, notify

EMAIL_LINK_MINUTES = 24 * 60


class ContactError(UserError):
    pass


def mask_email(address: str) -> str:
    """«j***@example.pe»: enough for an auditor to tell two addresses apart."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def check_password_for_change(user: User, password: str) -> None:
    """The owner's password, with a ceiling of 10 wrong tries an hour per account."""
    limit = throttle.Limit(
        key=throttle.hashed("contact-password", str(user.pk)),
        max_count=10,
        window_seconds=3600,
        block_seconds=3600,
    )
    if throttle.is_blocked(limit):
        raise ContactError(
            gettext("Demasiados intentos con una contraseña incorrecta. Espere una hora.")
        )
    if not user.check_password(password):
        throttle.register_hit(limit)
        raise ContactError(gettext("La contraseña no es correcta."))


@transaction.atomic
def email_change_request(
    request: HttpRequest, *, user: User, password: str, new_email: str
) -> None:
    check_password_for_change(user, password)
    new_email = User.objects.normalize_email(new_email.strip())
    if new_email.lower() == user.email.lower():
        raise ContactError(gettext("Ese ya es el correo de su cuenta."))
    link = link_create(
        user=user,
        purpose=AccountLink.Purpose.EMAIL_CHANGE,
        minutes=EMAIL_LINK_MINUTES,
        new_email=new_email,
    )
    mail_after_commit(
        new_email,
        gettext("Ayni: confirme su correo nuevo"),
        gettext(
            "Se pidió usar este correo para una cuenta de Ayni. Para confirmarlo abra este "
            "enlace (vale 24 horas y una sola vez):\n%(link)s\n\nSi la página le pide el "
            "código, es este:\n%(code)s\n\nSi usted no lo pidió, ignore este mensaje.\n\n"
            "Este es un mensaje automático de Ayni; no lo responda."
        )
        % {"link": link, "code": link.rsplit("#", 1)[1]},
    )
    if user.email:
        notify(
            recipient=user,
            title=gettext(
                "Se pidió cambiar el correo de su cuenta. Si no fue usted, cambie su "
                "contraseña y avise a la mesa de partes de su UGEL"
            ),
            subject=gettext("pedido de cambio de correo"),
            link=reverse("accounts:profile"),
        )
    audit_log(
        action="auth.email_change_requested",
        actor=user,
        request=request,
        obj=user,
        after={"email": mask_email(new_email)},
    )


@transaction.atomic
def email_change_confirm(request: HttpRequest, *, code: str) -> User:
    link = link_use(code=code, purpose=AccountLink.Purpose.EMAIL_CHANGE)
    if link is None:
        raise ContactError(
            gettext("El enlace no es válido, ya se usó o venció. Pida el cambio de nuevo.")
        )
    user = User.objects.select_for_update().get(pk=link.user_id)
    email_set(
        request,
        user=user,
        new_email=link.new_email,
        actor=user,
        action="auth.email_changed",
    )
    return user


def email_set(
    request: HttpRequest | None, *, user: User, new_email: str, actor: Any, action: str
) -> None:
    """Set the e-mail, tell the old address, end the other sessions.

    Used by the owner's confirmed change and by the desk's approved recovery."""
    old = user.email
    user.email = new_email
    user.save(update_fields=["email"])
    audit_log(
        action=action,
        actor=actor,
        request=request,
        obj=user,
        before={"email": mask_email(old)},
        after={"email": mask_email(new_email)},
    )
    notify(
        recipient=user,
        title=gettext("El correo de su cuenta fue cambiado"),
        link=reverse("accounts:profile"),
        email=False,
    )
    if old:
        mail_after_commit(
            old,
            gettext("Ayni: el correo de su cuenta fue cambiado"),
            gettext(
                "El correo de su cuenta de Ayni fue cambiado; desde ahora los avisos irán a la "
                "dirección nueva. Si usted no lo hizo, acérquese a la mesa de partes de su UGEL "
                "con su documento de identidad.\n\n"
                "Este es un mensaje automático de Ayni; no lo responda."
            ),
        )
    if request is not None and getattr(request, "user", None) == user:
        update_session_auth_hash(request, user)  # keep this session, end the others


@transaction.atomic
def phone_change(request: HttpRequest, *, user: User, password: str, phone: str) -> None:
    check_password_for_change(user, password)
    user.phone = phone.strip()
    user.save(update_fields=["phone"])
    audit_log(action="auth.phone_changed", actor=user, request=request, obj=user)
    notify(
        recipient=user,
        title=gettext(
            "Se cambió el teléfono de su cuenta. Si no fue usted, cambie su contraseña y "
            "avise a la mesa de partes de su UGEL"
        ),
        subject=gettext("cambio de teléfono"),
        link=reverse("accounts:profile"),
    )
