"""A system check: the key store loads (every file, passphrase and token), or start-up
says which entry fails. Runs with runserver, migrate and `manage.py check`."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register


@register("signing")
def key_store_loads(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from ayni.core.signing.keys import SigningConfigError, get_store

    try:
        get_store()
    except SigningConfigError as exc:
        return [Error(str(exc), hint="Vea docs/firma.md.", id="ayni.signing.E001")]
    return []
