#!/usr/bin/env python
"""Ayni's command line (`manage.py <command>`).

Like `make`, it reads the project's `.env` file when there is one (variables already
set in the environment win). A checkout with no production configuration at all (no
SECRET_KEY, DATABASE_URL or SITE_URL, neither in the environment nor in `.env`) is a
developer's copy on its SQLite database under var/: there, as `make run` does, DEBUG
defaults to 1, so that `manage.py import_payroll …` works as the README writes it. Any
production setting turns that default off, and with DEBUG off the settings still
require SECRET_KEY and SITE_URL (docs/decisions.md).
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
PRODUCTION_SETTINGS = ("SECRET_KEY", "DATABASE_URL", "SITE_URL")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; comments, blank lines and anything else are skipped."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key.isidentifier():
            values[key] = value
    return values


def configure_environment() -> None:
    for key, value in read_env_file(BASE_DIR / ".env").items():
        os.environ.setdefault(key, value)
    development = not any(os.environ.get(name) for name in PRODUCTION_SETTINGS)
    if development and not os.environ.get("DEBUG"):
        os.environ["DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayni.settings")


if __name__ == "__main__":
    configure_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
