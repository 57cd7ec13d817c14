"""Upload checks: PDF by content, parseable, size and count limits from settings;
stored under generated names with their SHA-256; the original name kept as data."""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from pypdf import PdfReader
from pypdf.errors import PdfReadError

UNSAFE = re.compile(r"[^\w .()\-]", re.UNICODE)


@dataclass(frozen=True)
class CheckedPdf:
    data: bytes
    original_name: str
    sha256: str


def clean_name(name: str) -> str:
    """The base name only, without path characters or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = UNSAFE.sub("_", base).strip(" .") or "documento.pdf"
    return base[:150]


def check_pdf(upload: UploadedFile) -> CheckedPdf:
    limit = settings.DESK_MAX_UPLOAD_MB * 1024 * 1024
    name = clean_name(upload.name or "")
    if upload.size is not None and upload.size > limit:
        raise ValidationError(f"«{name}» pesa más de {settings.DESK_MAX_UPLOAD_MB} MB.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"«{name}» pesa más de {settings.DESK_MAX_UPLOAD_MB} MB.")
    if not data.startswith(b"%PDF-"):
        raise ValidationError(f"«{name}» no es un PDF (se revisa el contenido, no el nombre).")
    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) < 1:
            raise ValidationError(f"«{name}» no tiene páginas.")
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"«{name}» está dañado o no se puede leer como PDF.") from exc
    return CheckedPdf(data=data, original_name=name, sha256=hashlib.sha256(data).hexdigest())


def check_pdfs(uploads: list[UploadedFile]) -> list[CheckedPdf]:
    if not uploads:
        raise ValidationError("Adjunte al menos un PDF.")
    if len(uploads) > settings.DESK_MAX_FILES:
        raise ValidationError(f"Puede adjuntar como máximo {settings.DESK_MAX_FILES} archivos.")
    return [check_pdf(u) for u in uploads]


def store(folder: str, pdf: CheckedPdf) -> str:
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.pdf", ContentFile(pdf.data))
