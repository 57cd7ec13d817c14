"""The cargo de recepción of a case: its verification record, then its PDF after commit.

`receipt_record` runs inside the filing's transaction (the code verifies from the
start); `receipt_pdf` renders the PDF from the filing's data and stores it, called
after commit by a task or by the first download that finds it missing. A filing
rolled back therefore leaves no cargo in storage.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from ayni.core.formats import filesize
from ayni.core.models import VerificationRecord
from ayni.core.pdf import render_pdf
from ayni.core.signing import Level, sign_document
from ayni.core.stored import read_stored
from ayni.core.verification import format_code
from ayni.core.workdays import lima_dmy, lima_hm
from ayni.desk.models import Case


def out_of_hours(case: Case) -> bool:
    """Filed outside office hours or on a non-working day: received later, officially."""
    return (case.received_at - case.submitted_at).total_seconds() >= 1


RECEIPT = Path(__file__).resolve().parent / "pdf" / "cargo.typ"


def _files_at_filing(case: Case, record: VerificationRecord | None) -> list[Any]:
    """The files the cargo lists: those filed with the case, not those added on completing
    an observed filing (the record counted them at filing)."""
    files = list(case.files.order_by("uploaded_at", "id"))
    if record is not None and str(record.summary.get("Archivos", "")).isdigit():
        files = files[: int(record.summary["Archivos"])]
    return files


def _at(moment: Any) -> str:
    """«02/12/2026 a las 19:47», on Lima's clock."""
    return gettext("%(day)s a las %(time)s") % {"day": lima_dmy(moment), "time": lima_hm(moment)}


def _receipt_data(case: Case, files: list[Any]) -> dict[str, Any]:
    """Every date on Lima's clock. The cargo is issued when the filing is made (its
    «Emitido el», like the verification page); the official reception (the next working
    moment for a filing out of hours) is printed as such, with its own label."""
    late = out_of_hours(case)
    return {
        "issuer": case.unit.name,
        "code": format_code(case.verification_code),
        "issued_on": lima_dmy(case.submitted_at),
        "verify_url": f"{settings.SITE_URL}/verificar/",
        "number": case.label,
        "kind": case.get_kind_display(),
        "subject": case.subject,
        "filer": case.filer_name,
        "received": _at(case.received_at),
        "submitted": _at(case.submitted_at),
        "out_of_hours": late,
        # the size as every page writes it («595 bytes», «17.1 KB»)
        "files": [
            {"name": f.original_name, "sha256": f.sha256, "size": filesize(f.size)} for f in files
        ],
    }


def receipt_record(case: Case) -> VerificationRecord:
    """In the filing's transaction: the cargo's verification record; the PDF follows."""
    files = list(case.files.all())
    record = VerificationRecord.objects.create(
        code=case.verification_code,
        kind="cargo",
        issuer=case.unit.name,
        issued_at=case.submitted_at,
        summary={
            "Documento": "Cargo de recepción",
            "Expediente": case.label,
            "Presentado": f"{lima_dmy(case.submitted_at)} {lima_hm(case.submitted_at)}",
            "Recibido oficialmente": f"{lima_dmy(case.received_at)} {lima_hm(case.received_at)}",
            "Archivos": str(len(files)),
        },
    )
    case_pk = case.pk
    from ayni.desk.tasks import render_receipt_task  # the task module imports this one

    transaction.on_commit(lambda: render_receipt_task.enqueue(case_pk))
    return record


def receipt_pdf(case: Case) -> bytes:
    """The stored cargo; rendered and stored on first need, under a row lock so that two
    first downloads store one file."""
    stored = read_stored(case.receipt_file)
    if stored is not None:
        return stored
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
        stored = read_stored(locked.receipt_file)
        if stored is not None:
            return stored
        record = VerificationRecord.objects.filter(code=locked.verification_code).first()
        pdf = render_pdf(
            RECEIPT,
            _receipt_data(locked, _files_at_filing(locked, record)),
            timestamp=locked.submitted_at.replace(microsecond=0),
            qr_payload=f"{settings.SITE_URL}/verificar/?c={locked.verification_code}",
        )
        pdf = sign_document(
            pdf,
            locked.unit,
            level=Level.B_T,
            code=format_code(locked.verification_code),
            signing_time=locked.submitted_at.replace(microsecond=0),
        )
        name = default_storage.save(f"desk/cargos/{locked.uuid}.pdf", ContentFile(pdf))
        digest = hashlib.sha256(pdf).hexdigest()
        Case.objects.filter(pk=locked.pk).update(receipt_file=name, receipt_sha256=digest)
        VerificationRecord.objects.filter(code=locked.verification_code).update(pdf_sha256=digest)
        case.receipt_file, case.receipt_sha256 = name, digest
        return pdf
