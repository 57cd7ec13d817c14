"""SESSION_ENGINE without a cache: rows in the database (see the package's docstring)."""

from __future__ import annotations

from django.contrib.sessions.backends import db

from ayni.core.sessions import DeferredCreateMixin, KeyReadMixin


class SessionStore(KeyReadMixin, DeferredCreateMixin, db.SessionStore):
    pass
