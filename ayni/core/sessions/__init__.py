"""Session engines: Django's database and cached-database stores, less one write.

Django's stores write a new session's row as soon as its key is made (a lookup that the
key is free, then an INSERT in its own transaction) and again when the response is saved
(an UPDATE in another). Signing in does both on every login. Here the key is made
without the lookup (32 characters of 36: 165 bits of the system's random source, as
Django's own) and the row is written once, by the response's save, as an INSERT that
still refuses a duplicate key (CreateError) rather than overwrite a session.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils import timezone
from django.utils.crypto import get_random_string

from ayni.core.rowread import get_by_key


class KeyReadMixin:
    """The session's row read by key through `rowread` (the ORM's query built once, not
    on every request); an expired or missing row is no session, as in Django's store."""

    def _get_session_from_db(self) -> Any:
        store: Any = self
        row = get_by_key(store.model, store.session_key, column="session_key")
        if row is None or row.expire_date <= timezone.now():
            store._session_key = None
            return None
        return row


class DeferredCreateMixin:
    _insert_pending = False

    def create(self) -> None:
        store: Any = self
        store._session_key = get_random_string(32, VALID_KEY_CHARS)
        if not hasattr(store, "_session_cache"):
            store._session_cache = {}  # nothing to load for a key not yet written
        store._insert_pending = True
        store.modified = True

    def save(self, must_create: bool = False) -> None:
        store: Any = self
        if store.session_key is None:
            self.create()
        super().save(must_create=must_create or store._insert_pending)  # type: ignore[misc]
        store._insert_pending = False
