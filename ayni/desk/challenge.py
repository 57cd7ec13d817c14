"""A self-hosted challenge against scripted requests on the public forms: a small sum
in words, plus a hidden field that people leave empty.

The client holds only a random key. The server keeps one row per question with an
HMAC of the answer over that key (never the answer itself, never in the token);
checking consumes the row, so a token answers once, right or wrong, and expires
after an hour.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.desk.models import Challenge

MAX_AGE = 3600
WORDS = [
    _("cero"),
    _("uno"),
    _("dos"),
    _("tres"),
    _("cuatro"),
    _("cinco"),
    _("seis"),
    _("siete"),
    _("ocho"),
    _("nueve"),
]


def _key_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _answer_hash(token: str, answer: int) -> str:
    message = f"{token}\x1f{answer}".encode()
    key = (settings.SECRET_KEY + ":ayni.desk.challenge").encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def new_challenge() -> tuple[str, str]:
    """A question for the page and the key for its hidden field."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    Challenge.objects.filter(created_at__lt=now - timedelta(seconds=MAX_AGE)).delete()
    Challenge.objects.create(
        key_hash=_key_hash(token), answer_hash=_answer_hash(token, a + b), created_at=now
    )
    question = gettext("¿Cuánto es %(a)s más %(b)s? (escriba el número)") % {
        "a": WORDS[a],
        "b": WORDS[b],
    }
    return question, token


def with_new_challenge(form: Any) -> str:
    """Give a public form (shown first, or again with errors) a fresh question: a token
    answers once, so a re-shown form needs a new one and an empty answer. Returns the
    question for the page."""
    question, token = new_challenge()
    if form.is_bound:
        data = form.data.copy()
        data["challenge"], data["answer"] = token, ""
        form.data = data
    else:
        form.initial["challenge"] = token
    return question


def check_challenge(token: str, answer: str) -> bool:
    """True once for the right answer; the key is spent whatever the answer."""
    if not token or len(token) > 64:
        return False
    with transaction.atomic():
        row = (
            Challenge.objects.select_for_update()
            .filter(
                key_hash=_key_hash(token),
                created_at__gt=timezone.now() - timedelta(seconds=MAX_AGE),
            )
            .first()
        )
        if row is None or Challenge.objects.filter(pk=row.pk).delete()[0] != 1:
            return False
    answer = answer.strip()
    if not answer.isdigit() or len(answer) > 3:
        return False
    return hmac.compare_digest(row.answer_hash, _answer_hash(token, int(answer)))
