"""Identity document checks (DOMAIN.md «Identity numbers»)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

DNI_RE = re.compile(r"^\d{8}$")
FOREIGN_DOC_RE = re.compile(r"^[A-Z0-9]{4,15}$")


def normalise_document(doc_type: str, doc_number: str) -> str:
    """Clean and check a document number; raise ValidationError with a Spanish message."""
    number = re.sub(r"[\s.-]", "", doc_number or "").upper()
    if doc_type == "01":
        if not DNI_RE.match(number):
            raise ValidationError(gettext("El DNI debe tener exactamente 8 dígitos."), code="dni")
    elif doc_type in {"04", "07"}:
        if not FOREIGN_DOC_RE.match(number):
            raise ValidationError(
                gettext("El número de documento debe tener entre 4 y 15 letras o dígitos."),
                code="document",
            )
    else:
        raise ValidationError(gettext("Elija un tipo de documento válido."), code="doc_type")
    return number


def dni_check_character(dni: str) -> tuple[str, str]:
    """The check digit and the check letter printed on a DNI card."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    c = sum(int(d) * w for d, w in zip(dni, weights, strict=True)) % 11
    return "65432110987"[c], "KJIHGFEDCBA"[c]


def ruc_is_valid(ruc: str) -> bool:
    if not re.fullmatch(r"(10|15|17|20)\d{9}", ruc):
        return False
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    total = sum(int(d) * w for d, w in zip(ruc[:10], weights, strict=True))
    return (11 - total % 11) % 10 == int(ruc[10])
