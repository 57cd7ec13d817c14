"""The one way Ayni writes numbers, amounts, file sizes and identity documents.

Every page (through the template filters in ayni_tags) and every PDF (through the
context builders) calls these functions, so a payslip on screen and in print read the
same: «S/ 3,301.32», «30,018», «17.1 KB», «DNI 40000001». The separators come from the
project's es-PE format module (ayni/formats/es_PE/formats.py) and do not depend on the
language active in the thread that renders (tasks render PDFs with none).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import numberformat
from django.utils.translation import gettext, gettext_lazy

from ayni.formats.es_PE import formats as es_pe

NBSP = "\u00a0"

# SUNAT, Tabla 3 (tipo de documento de identidad): the codes Ayni accepts.
DOCUMENT_TYPES = {
    "01": gettext_lazy("DNI"),
    "04": gettext_lazy("Carné de extranjería"),
    "07": gettext_lazy("Pasaporte"),
}


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _format(number: Decimal | int, places: int | None) -> str:
    return numberformat.format(
        number,
        es_pe.DECIMAL_SEPARATOR,
        decimal_pos=places,
        grouping=es_pe.NUMBER_GROUPING,
        thousand_sep=es_pe.THOUSAND_SEPARATOR,
        force_grouping=True,
        use_l10n=False,
    )


def amount(value: Any) -> str:
    """3301.324 → «3,301.32» (two decimals, rounded half-up as money is); "" if not a number."""
    number = _decimal(value)
    if number is None:
        return ""
    return _format(number.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"), 2)


def soles(value: Any) -> str:
    """3301.32 → «S/ 3,301.32», with a non-breaking space so «S/» never wraps alone."""
    text = amount(value)
    return f"S/{NBSP}{text}" if text else ""


def count(value: Any) -> str:
    """30018 → «30,018»."""
    number = _decimal(value)
    if number is None:
        return ""
    return _format(int(number), None)


def filesize(value: Any) -> str:
    """17510 → «17.1 KB» (1 KB = 1024 bytes, one decimal above a kilobyte)."""
    number = _decimal(value)
    if number is None:
        return ""
    size = float(number)
    if size < 1024:
        return f"{int(size)}{NBSP}" + gettext("bytes")
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{_format(Decimal(f'{size:.1f}'), 1)}{NBSP}{unit}"
    raise AssertionError("unreachable")


def document(doc_type: str, number: str) -> str:
    """("01", "40000001") → «DNI 40000001»: the SUNAT Tabla 3 name, never its code."""
    label = DOCUMENT_TYPES.get(doc_type)
    return f"{label} {number}" if label else f"{number}"
