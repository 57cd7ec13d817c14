from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ayni.core.notifications import unread_count


def ayni(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "unread_notifications": unread_count(user) if user and user.is_authenticated else 0,
    }
