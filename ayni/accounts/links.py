"""Single-use, expiring links e-mailed to a person (`AccountLink`).

The code is random, only its hash is stored, and it travels after `#` in the link:
browsers never send that part, so neither Ayni's nor a proxy's access log holds it.
The page copies it into a form and POSTs it; using it marks it spent with a
conditional update, so it works once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ayni.accounts.models import AccountLink, User

P = AccountLink.Purpose
URL_NAMES = {P.EMAIL_CHANGE: "accounts:email_confirm", P.SIGN_IN: "accounts:login_link"}


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def link_create(*, user: User, purpose: str, minutes: int, new_email: str = "") -> str:
    """A new code for `purpose`; earlier unused codes of the same purpose are spent.
    Returns the link to e-mail (the code after `#`)."""
    now = timezone.now()
    AccountLink.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    code = secrets.token_urlsafe(32)
    AccountLink.objects.create(
        user=user,
        purpose=purpose,
        code_hash=_hash(code),
        new_email=new_email,
        expires_at=now + timedelta(minutes=minutes),
    )
    return f"{settings.SITE_URL}{reverse(URL_NAMES[P(purpose)])}#{code}"


def code_of(link: str) -> str:
    return link.rsplit("#", 1)[1]


def link_use(*, code: str, purpose: str) -> AccountLink | None:
    """Spend the code once; None when unknown, spent, expired or for another purpose."""
    code = code.strip()
    if not code or len(code) > 100:
        return None
    now = timezone.now()
    found = (
        AccountLink.objects.select_related("user")
        .filter(code_hash=_hash(code), purpose=purpose, used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None:
        return None
    spent = AccountLink.objects.filter(pk=found.pk, used_at__isnull=True).update(used_at=now)
    return found if spent == 1 else None
