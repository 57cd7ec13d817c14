"""Upload checks: PDF by content, parsed under hard limits in a child process
(core.pdfcheck), size and count limits from settings; stored under generated names with
their SHA-256; the original name kept as data. Uploaded files are only ever served as
inert downloads (core.responses.upload_response)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from ayni.core.pdfcheck import PdfRejected, clean_name, inspect_pdf

__all__ = ["CheckedPdf", "check_pdf", "check_pdfs", "clean_name", "store"]


@dataclass(frozen=True)
class CheckedPdf:
    data: bytes
    original_name: str
    sha256: str
    active: tuple[str, ...] = ()  # actions found (JavaScript, launch...): kept inert


def too_big(name: str) -> str:
    return gettext("«%(name)s» pesa más de %(mb)d MB.") % {
        "name": name,
        "mb": settings.DESK_MAX_UPLOAD_MB,
    }


def check_pdf(upload: UploadedFile) -> CheckedPdf:
    limit = settings.DESK_MAX_UPLOAD_MB * 1024 * 1024
    name = clean_name(upload.name or "")
    if upload.size is not None and upload.size > limit:
        raise ValidationError(too_big(name))
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(too_big(name))
    try:
        inspection = inspect_pdf(data)
    except PdfRejected as exc:
        raise ValidationError(exc.message(name)) from exc
    return CheckedPdf(
        data=data,
        original_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        active=inspection.active,
    )


def check_pdfs(uploads: list[UploadedFile]) -> list[CheckedPdf]:
    if not uploads:
        raise ValidationError(gettext("Adjunte al menos un PDF."))
    if len(uploads) > settings.DESK_MAX_FILES:
        raise ValidationError(
            gettext("Puede adjuntar como máximo %(n)d archivos.") % {"n": settings.DESK_MAX_FILES}
        )
    return [check_pdf(u) for u in uploads]


def store(folder: str, pdf: CheckedPdf) -> str:
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.pdf", ContentFile(pdf.data))
