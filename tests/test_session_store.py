"""The session engines (ayni.core.sessions): a new session's row is written once, by the
response's save, and a key already taken is refused, never overwritten."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import CreateError
from django.contrib.sessions.models import Session

pytestmark = pytest.mark.django_db


def store(key: str | None = None):  # type: ignore[no-untyped-def]
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def test_a_new_session_is_written_once_when_saved():
    session = store()
    session.cycle_key()  # what signing in does
    assert len(session.session_key) == 32
    assert not Session.objects.filter(session_key=session.session_key).exists()
    session["who"] = "docente"
    session.save()
    assert Session.objects.filter(session_key=session.session_key).count() == 1
    assert store(session.session_key)["who"] == "docente"
    session["who"] = "cesante"
    session.save()  # later saves update the same row
    assert store(session.session_key)["who"] == "cesante"


def test_a_key_already_taken_is_refused_not_overwritten():
    first = store()
    first["who"] = "primero"
    first.save()
    second = store()
    second.create()
    second._session_key = first.session_key  # a collision (165 random bits: never by chance)
    second["who"] = "segundo"
    with pytest.raises(CreateError):
        second.save()
    assert store(first.session_key)["who"] == "primero"


def test_a_key_made_but_never_saved_reads_as_no_session():
    made = store()
    made.create()
    made["who"] = "nadie"
    assert store(made.session_key).load() == {}
