"""The sign-in backend: Django's ModelBackend, with the user of each request read by key
through `rowread` (the ORM's query built once, not on every request)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from ayni.core.rowread import get_by_key


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = get_by_key(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
