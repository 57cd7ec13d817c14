"""The verification shown to whoever opens a link: the public verification page's
verdict (ayni.core.verification.verify_document) on the document's code AND on the very
PDF the link serves, with its digital signature checked in the sandboxed child."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from ayni.core.signing.check import SignatureCheck, SignatureState, check_signature
from ayni.core.verification import VerificationResult, verify_document
from ayni.sharing.documents import SharedDocument

SIGNATURE_CACHE_SECONDS = 3600


def _signature(pdf: bytes, digest: str) -> SignatureCheck:
    """The signature check of one file (by its hash): the child process once an hour."""
    key = f"sharing:signature:{digest}"
    known = cache.get(key)
    if isinstance(known, SignatureCheck):
        return known
    result = check_signature(pdf)
    if result.state != SignatureState.UNREADABLE:  # a busy machine's timeout: try again next time
        cache.set(key, result, SIGNATURE_CACHE_SECONDS)
    return result


def document_verification(document: SharedDocument) -> VerificationResult:
    pdf = document.pdf()
    signature = _signature(pdf, hashlib.sha256(pdf).hexdigest())
    return verify_document(document.verification_code, pdf, signature=signature)
