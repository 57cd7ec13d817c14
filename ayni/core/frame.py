"""The addresses every page's frame (base.html) links to, reversed once per process
instead of nine `{% url %}` and six `{% static %}` on every page (about half a
millisecond of each page's CPU)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

URLS = {
    "home": "home",
    "notifications": "portal:notifications",
    "profile": "accounts:profile",
    "password_change": "accounts:password_change",
    "security": "identity:security",
    "logout": "accounts:logout",
    "verify": "core:verify",
    "help": "portal:help",
    "open_data": "supervision:open_data",
    "privacy": "accounts:privacy",
}
STATIC = {
    "css": "ayni/ayni.css",
    "favicon_svg": "ayni/favicon.svg",
    "favicon_ico": "ayni/favicon.ico",
    "touch_icon": "ayni/apple-touch-icon.png",
    "htmx": "ayni/htmx.min.js",
    "scroll_focus": "ayni/scroll-focus.js",
}


def frame_url(key: str) -> str:
    """The address `key` of URLS or STATIC (a KeyError for any other: a typo in
    base.html fails its first render)."""
    return _addresses(get_script_prefix(), settings.STATIC_URL or "")[key]


@functools.cache
def _addresses(script_prefix: str, static_url: str) -> dict[str, str]:
    return {key: reverse(name) for key, name in URLS.items()} | {
        key: static(path) for key, path in STATIC.items()
    }
