"""Validate the digital signature of an uploaded PDF, in the sandboxed child.

`check_signature(data)` runs `check_child.py` in a fresh interpreter with hard CPU and
memory limits (as `ayni.core.pdfcheck` does for parsing), against the trust roots of
the key store, and returns a `SignatureCheck`: who signed, when, whether the signature
is intact and chains to a trusted root, and whether anything was added after it. The
web process never parses the untrusted file itself.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from ayni.core.signing.keys import SigningConfigError, get_store

logger = logging.getLogger(__name__)

CHILD = Path(__file__).with_name("check_child.py")
CPU_SECONDS = 4  # importing pyHanko is most of it
MEMORY_BYTES = 1024 * 1024 * 1024
WALL_SECONDS = 15.0


class SignatureState(StrEnum):
    """What the page says of the signature: exactly one of these."""

    VALID = "valid"  # intact, trusted, nothing added after it
    ADDED_AFTER = "added-after"  # intact, trusted, but the file was changed after signing
    BROKEN = "broken"  # the signed bytes were changed: the signature does not match
    UNTRUSTED = "untrusted"  # intact, but not from a certificate that the page trusts
    UNSIGNED = "unsigned"  # no signature at all
    UNREADABLE = "unreadable"  # the file could not be checked (damaged, too complex)


@dataclass(frozen=True)
class SignatureCheck:
    state: SignatureState
    signer: str = ""  # the certificate's common name
    organisation: str = ""
    signed_at: datetime | None = None  # as the signer states it (B-B)
    timestamp: datetime | None = None  # from the timestamp authority (B-T), if any
    timestamp_ok: bool = False

    @property
    def when(self) -> datetime | None:
        return self.timestamp if self.timestamp_ok and self.timestamp else self.signed_at


def _when(raw: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def _state(sig: dict[str, object]) -> SignatureState:
    if sig.get("broken") or not sig.get("intact") or not sig.get("valid"):
        return SignatureState.BROKEN
    if not sig.get("trusted") or sig.get("revoked"):
        return SignatureState.UNTRUSTED
    if sig.get("coverage") != "ENTIRE_FILE" or not sig.get("docmdp_ok", True):
        return SignatureState.ADDED_AFTER
    return SignatureState.VALID


def summarise(answer: dict[str, object]) -> SignatureCheck:
    """The child's answer as one state (the first signature is Ayni's)."""
    if not answer.get("ok"):
        return SignatureCheck(SignatureState.UNREADABLE)
    signatures = answer.get("signatures") or []
    assert isinstance(signatures, list)
    if not signatures:
        return SignatureCheck(SignatureState.UNSIGNED)
    first = signatures[0]
    state = _state(first)
    if len(signatures) > 1 and state == SignatureState.VALID:
        state = SignatureState.ADDED_AFTER  # another signature was added afterwards
    return SignatureCheck(
        state,
        signer=str(first.get("common_name", "")),
        organisation=str(first.get("organisation", "")),
        signed_at=_when(first.get("signing_time")),
        timestamp=_when(first.get("timestamp")),
        timestamp_ok=bool(first.get("timestamp_ok")),
    )


def trust_root_files() -> list[str]:
    try:
        store = get_store()
    except SigningConfigError:
        logger.exception("Firma: no se pudo cargar la configuración para verificar")
        return []
    return list(store.trust_root_files) if store else []


def check_signature(data: bytes, roots: list[str] | None = None) -> SignatureCheck:
    """Validate the signatures of `data` in the limited child process."""
    roots = trust_root_files() if roots is None else roots
    try:
        done = subprocess.run(  # noqa: S603 - our interpreter, our script, no shell
            [sys.executable, "-I", str(CHILD), str(CPU_SECONDS), str(MEMORY_BYTES), *roots],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
            env={},
        )
    except subprocess.TimeoutExpired:
        return SignatureCheck(SignatureState.UNREADABLE)
    try:
        answer = json.loads(done.stdout.decode("ascii").strip().splitlines()[-1])
    except (ValueError, IndexError, UnicodeDecodeError):
        logger.info("signature child ended with %s and no answer", done.returncode)
        return SignatureCheck(SignatureState.UNREADABLE)
    return summarise(answer)
