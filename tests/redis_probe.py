"""One Ayni process of tests/test_redis_shared.py: runs the actions given as JSON in argv[1]
through Django's test client (its own cookie jar) and prints their results as JSON.

Actions: ["setup"], ["login", doc, password], ["use_cookie", value], ["whoami"],
["spoil_session_rows"], ["cache_add", key].
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.redis_settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def main() -> None:
    client = Client(raise_request_exception=False)
    results: list[Any] = []
    for action, *args in json.loads(sys.argv[1]):
        if action == "setup":
            from tests.conftest import load_everything

            call_command("migrate", verbosity=0, skip_checks=True)
            load_everything()
            results.append("ok")
        elif action == "login":
            doc, password = args
            response = client.post(
                "/cuenta/ingresar/", {"doc_type": "01", "doc_number": doc, "password": password}
            )
            cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
            results.append(
                {"status": response.status_code, "cookie": cookie.value if cookie else ""}
            )
        elif action == "use_cookie":
            client.cookies[settings.SESSION_COOKIE_NAME] = args[0]
        elif action == "whoami":
            response = client.get("/mi-boleta/")
            results.append({"status": response.status_code, "url": response.get("Location", "")})
        elif action == "spoil_session_rows":  # the database copy no longer decodes
            from django.contrib.sessions.models import Session

            results.append(Session.objects.update(session_data="estropeado"))
        elif action == "cache_add":
            results.append(cache.add(args[0], os.getpid(), 60))
        else:
            raise SystemExit(f"unknown action {action}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
