"""The cargo de recepción of a case: its PDF and its verification record."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ayni.core.models import VerificationRecord
from ayni.core.pdf import render_pdf
from ayni.core.verification import format_code
from ayni.desk.models import Case

RECEIPT = Path(__file__).resolve().parent / "pdf" / "cargo.typ"


def store_receipt(case: Case) -> None:
    """The cargo de recepción: number, reception date and time, files and hashes."""
    stamp = timezone.localtime(case.received_at)
    data = {
        "issuer": case.unit.name,
        "code": format_code(case.verification_code),
        "issued_on": stamp.strftime("%d/%m/%Y"),
        "verify_url": f"{settings.SITE_URL}/verificar/",
        "number": case.label,
        "kind": case.get_kind_display(),
        "subject": case.subject,
        "filer": case.filer_name,
        "received": stamp.strftime("%d/%m/%Y %H:%M"),
        "submitted": timezone.localtime(case.submitted_at).strftime("%d/%m/%Y %H:%M"),
        "files": [
            {"name": f.original_name, "sha256": f.sha256, "size": f.size} for f in case.files.all()
        ],
    }
    pdf = render_pdf(
        RECEIPT,
        data,
        timestamp=case.submitted_at.replace(microsecond=0),
        qr_payload=f"{settings.SITE_URL}/verificar/?c={case.verification_code}",
    )
    case.receipt_file = default_storage.save(f"desk/cargos/{case.uuid}.pdf", ContentFile(pdf))
    case.receipt_sha256 = hashlib.sha256(pdf).hexdigest()
    case.save(update_fields=["receipt_file", "receipt_sha256", "updated_at"])
    VerificationRecord.objects.create(
        code=case.verification_code,
        kind="cargo",
        issuer=case.unit.name,
        issued_at=case.submitted_at,
        pdf_sha256=case.receipt_sha256,
        summary={
            "Documento": "Cargo de recepción",
            "Expediente": case.label,
            "Recibido": data["received"],
            "Archivos": str(len(data["files"])),
        },
    )
