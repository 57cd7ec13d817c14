"""Verification records: issued by the owning app, looked up on the public page."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from ayni.core.models import VerificationRecord

# Crockford-style alphabet: no I, L, O, U, easy to read aloud and to type.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits


def new_code() -> str:
    """80 random bits as 16 Crockford base-32 characters (one system call)."""
    value = int.from_bytes(secrets.token_bytes(10), "big")
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(raw: str) -> str:
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def verification_create(
    *,
    kind: str,
    issuer: str,
    summary: dict[str, Any],
    issued_at: datetime | None = None,
    valid_until: date | None = None,
    pdf_bytes: bytes | None = None,
) -> VerificationRecord:
    return VerificationRecord.objects.create(
        code=new_code(),
        kind=kind,
        issuer=issuer,
        summary=summary,
        issued_at=issued_at or timezone.now(),
        valid_until=valid_until,
        pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest() if pdf_bytes else "",
    )


def verification_set_pdf(record: VerificationRecord, pdf_bytes: bytes) -> None:
    record.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    record.save(update_fields=["pdf_sha256", "updated_at"])


def verification_annul(record: VerificationRecord, reason: str) -> None:
    record.status = VerificationRecord.Status.ANNULLED
    record.annulled_reason = reason
    record.save(update_fields=["status", "annulled_reason", "updated_at"])


def find_record(raw_code: str) -> VerificationRecord | None:
    code = normalise_code(raw_code)
    if len(code) != CODE_LENGTH:
        return None
    return VerificationRecord.objects.filter(code=code).first()


def effective_status(record: VerificationRecord, today: date | None = None) -> str:
    if record.status == VerificationRecord.Status.ANNULLED:
        return record.status
    today = today or timezone.localdate()
    if record.valid_until and record.valid_until < today:
        return VerificationRecord.Status.EXPIRED
    return record.status


def pdf_matches(record: VerificationRecord, pdf_bytes: bytes) -> bool:
    return bool(record.pdf_sha256) and secrets.compare_digest(
        record.pdf_sha256, hashlib.sha256(pdf_bytes).hexdigest()
    )


def mask_name(surnames: str, names: str) -> str:
    """«QUISPE HUAMÁN», «ROSA ELENA» → «Q***** H*****, R*** E****» for public summaries."""

    def mask(text: str) -> str:
        return " ".join(w[0] + "*" * (len(w) - 1) for w in text.split())

    return f"{mask(surnames)}, {mask(names)}"


def mask_document(document: str) -> str:
    """«DNI 10000001» → «DNI ****0001»."""
    label, _, number = document.rpartition(" ")
    return f"{label} {'*' * max(0, len(number) - 4)}{number[-4:]}".strip()
