"""Verification records: issued by the owning app, looked up on the public page.

`verify_document` gives the page ONE verdict (docs/decisions.md, «Verification verdict»):
annulled, then a PDF that is not the issued one, then expired, then superseded, then
genuine; an unknown code is its own verdict. The template maps each verdict to one
message block and one colour, so a foreign PDF can never be shown under a green
«Documento válido.».
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ayni.core.models import VerificationRecord

if TYPE_CHECKING:
    from ayni.core.signing.check import SignatureCheck

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


def verification_supersede(old_code: str, *, newer_code: str, at: datetime | None = None) -> int:
    """A newer document replaces `old_code` (a hoja de vida issued again for the same servant).

    The old record stays genuine for its date: its page says that a newer one exists and
    when it was issued (`at`, by default the newer record's `issued_at`), never its code.
    Records that `old_code` had itself replaced now point at the newest one too, so every
    earlier copy names the latest issue date. An annulled record stays annulled. Call it in
    the transaction that creates the newer record. Returns how many records now point at it.
    """
    old_code, newer_code = normalise_code(old_code), normalise_code(newer_code)
    if old_code == newer_code:
        raise ValueError("A document cannot supersede itself.")
    newer = VerificationRecord.objects.get(code=newer_code)
    when = at or newer.issued_at
    now = timezone.now()
    Status = VerificationRecord.Status
    marked = VerificationRecord.objects.filter(code=old_code, status=Status.VALID).update(
        status=Status.SUPERSEDED, superseded_by=newer_code, superseded_at=when, updated_at=now
    )
    repointed = (
        VerificationRecord.objects.filter(superseded_by=old_code)
        .exclude(code=newer_code)
        .update(superseded_by=newer_code, superseded_at=when, updated_at=now)
    )
    return marked + repointed


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


class Verdict(StrEnum):
    """What the public page says of a code (and a PDF): exactly one of these."""

    GENUINE = "genuine"  # the code exists, is in force, and the PDF (if any) is the issued one
    ALTERED = "altered"  # the code exists but the uploaded PDF is not the one issued
    ANNULLED = "annulled"
    EXPIRED = "expired"  # genuine, past its validity
    SUPERSEDED = "superseded"  # genuine for its date; a newer one was issued
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class VerificationResult:
    verdict: Verdict
    record: VerificationRecord | None = None
    pdf_checked: bool = False  # a PDF was uploaded and compared
    pdf_identical: bool = False
    newer_issued_at: datetime | None = None  # SUPERSEDED: when the newer one was issued
    # The uploaded PDF's digital signature (ayni/core/signing/check.py), if one was checked.
    # Shown beside the verdict, never instead of it: an annulled document stays annulled
    # however intact its signature.
    signature: SignatureCheck | None = None

    @property
    def code(self) -> str:
        return format_code(self.record.code) if self.record else ""

    @property
    def summary(self) -> list[tuple[str, str]]:
        """The record's public facts, as text (whatever an app stored, nothing more)."""
        if self.record is None or not isinstance(self.record.summary, dict):
            return []
        return [(str(k), str(v)) for k, v in self.record.summary.items()]


def verify_document(
    raw_code: str,
    pdf_bytes: bytes | None = None,
    *,
    today: date | None = None,
    signature: SignatureCheck | None = None,
) -> VerificationResult:
    """The single verdict for a code and, optionally, the bytes of an uploaded PDF.

    Precedence: an annulled document is annulled whatever file comes with it; otherwise a
    PDF that is not byte-identical to the issued one is ALTERED, whatever the record's
    state (an expired or superseded document may be altered too, and that is what matters
    most); then expired, superseded, genuine.
    """
    record = find_record(raw_code)
    if record is None:
        return VerificationResult(Verdict.UNKNOWN)
    checked = pdf_bytes is not None
    identical = checked and pdf_matches(record, pdf_bytes or b"")
    facts: dict[str, Any] = {
        "record": record,
        "pdf_checked": checked,
        "pdf_identical": identical,
        "signature": signature,
    }
    status = effective_status(record, today)
    Status = VerificationRecord.Status
    if status == Status.ANNULLED:
        return VerificationResult(Verdict.ANNULLED, **facts)
    if checked and not identical:
        return VerificationResult(Verdict.ALTERED, **facts)
    if status == Status.EXPIRED:
        return VerificationResult(Verdict.EXPIRED, **facts)
    if status == Status.SUPERSEDED:
        return VerificationResult(Verdict.SUPERSEDED, newer_issued_at=record.superseded_at, **facts)
    return VerificationResult(Verdict.GENUINE, **facts)


def mask_name(surnames: str, names: str) -> str:
    """«QUISPE HUAMÁN», «ROSA ELENA» → «Q***** H*****, R*** E****» for public summaries."""

    def mask(text: str) -> str:
        return " ".join(w[0] + "*" * (len(w) - 1) for w in text.split())

    return f"{mask(surnames)}, {mask(names)}"


def mask_document(document: str) -> str:
    """«DNI 10000001» → «DNI ****0001»."""
    label, _, number = document.rpartition(" ")
    return f"{label} {'*' * max(0, len(number) - 4)}{number[-4:]}".strip()
