"""A self-hosted challenge against scripted access requests: a sum signed by the
server, valid for an hour, plus a hidden field that people leave empty."""

from __future__ import annotations

import secrets

from django.core import signing

SALT = "ayni.desk.challenge"
MAX_AGE = 3600
WORDS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]


def new_challenge() -> tuple[str, str]:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"s": a + b}, salt=SALT)
    return f"¿Cuánto es {WORDS[a]} más {WORDS[b]}? (escriba el número)", token


def check_challenge(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    return answer.strip().isdigit() and int(answer.strip()) == data.get("s")
