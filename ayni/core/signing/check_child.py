"""The child process that validates the signatures of one untrusted PDF, under limits.

Run as `python -I check_child.py CPU_SECONDS MEMORY_BYTES ROOT.pem...`, the PDF on
stdin. Like `ayni/core/pdfcheck_child.py` it imports nothing of Ayni or Django (the
standard library and pyHanko only), lowers its CPU, memory and file limits before it
reads a byte, never fetches anything over the network (no OCSP, CRL or AIA: the
trust roots are the files named), and prints one line of JSON:

    {"ok": true, "signatures": [{"intact": ..., "valid": ..., "trusted": ..., ...}]}
    {"ok": false, "error": "damaged" | "too-complex"}
"""

from __future__ import annotations

import json
import resource
import sys


def limit(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _name(cert: object) -> dict[str, str]:
    subject = cert.subject.native  # type: ignore[attr-defined]
    return {
        "common_name": str(subject.get("common_name", "")),
        "organisation": str(subject.get("organization_name", "")),
    }


def describe(sig: object, context: object) -> dict[str, object]:
    from pyhanko.sign.validation import validate_pdf_signature

    status = validate_pdf_signature(
        sig,  # type: ignore[arg-type]
        signer_validation_context=context,  # type: ignore[arg-type]
        ts_validation_context=context,  # type: ignore[arg-type]
    )
    ts = status.timestamp_validity
    coverage = status.coverage.name if status.coverage is not None else ""
    modification = status.modification_level.name if status.modification_level else ""
    return {
        **_name(status.signing_cert),
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "revoked": bool(getattr(status, "revoked", False)),
        "signing_time": status.signer_reported_dt.isoformat() if status.signer_reported_dt else "",
        "timestamp": ts.timestamp.isoformat() if ts is not None else "",
        "timestamp_ok": bool(ts is not None and ts.intact and ts.valid and ts.trusted),
        "coverage": coverage,  # ENTIRE_FILE: nothing was added after signing
        "modification": modification,  # NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER
        "docmdp_ok": bool(status.docmdp_ok) if status.docmdp_ok is not None else True,
        "subfilter": str(sig.sig_object.get("/SubFilter", "")),  # type: ignore[attr-defined]
        "reason": str(sig.sig_object.get("/Reason", "")),  # type: ignore[attr-defined]
    }


def check(data: bytes, roots: list[str]) -> dict[str, object]:
    import io
    import logging

    logging.disable(logging.CRITICAL)
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    trust = []
    for path in roots:
        with open(path, "rb") as handle:
            raw = handle.read()
        if pem.detect(raw):
            raw = pem.unarmor(raw)[2]
        trust.append(x509.Certificate.load(raw))
    context = ValidationContext(trust_roots=trust, allow_fetching=False)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except MemoryError:
        return {"ok": False, "error": "too-complex"}
    except Exception:
        return {"ok": False, "error": "damaged"}
    found = []
    for sig in signatures[:4]:
        try:
            found.append(describe(sig, context))
        except MemoryError:
            return {"ok": False, "error": "too-complex"}
        except Exception as exc:  # a signature that cannot even be read: broken
            found.append({"broken": True, "detail": type(exc).__name__})
    return {"ok": True, "signatures": found}


def main() -> None:
    cpu_seconds, memory_bytes = int(sys.argv[1]), int(sys.argv[2])
    roots = sys.argv[3:]
    limit(cpu_seconds, memory_bytes)
    result = check(sys.stdin.buffer.read(), roots)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
