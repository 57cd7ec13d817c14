"""SESSION_ENGINE with REDIS_URL: rows in the database, read through the cache (see the
package's docstring)."""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db

from ayni.core.sessions import DeferredCreateMixin, KeyReadMixin


class SessionStore(KeyReadMixin, DeferredCreateMixin, cached_db.SessionStore):
    pass
