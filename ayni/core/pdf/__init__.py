"""The PDF toolkit: one engine (typst) for every document, fonts shipped with the project.

Documents are rendered from immutable snapshots (a dict passed as JSON) with a
fixed timestamp, so the same snapshot always gives the same bytes. The QR code
is drawn with segno and passed in as SVG (typst has no offline QR package).
"""

from __future__ import annotations

import datetime
import io
import json
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import segno
import typst

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# Templates may import the shared layout as "/core/pdf/layout.typ" (root: the ayni package).
TEMPLATES_ROOT = Path(__file__).resolve().parent.parent.parent
_fonts: typst.Fonts | None = None
_fonts_lock = threading.Lock()


def _font_set() -> typst.Fonts:
    global _fonts
    with _fonts_lock:
        if _fonts is None:
            _fonts = typst.Fonts(
                include_system_fonts=False,
                include_embedded_fonts=False,
                font_paths=[str(FONTS_DIR)],
            )
        return _fonts


def qr_svg(payload: str) -> str:
    buffer = io.BytesIO()
    # One fixed mask pattern (any of the eight reads the same): choosing the best one
    # scores all eight and cost 3.6 of the 4.5 ms a code took, in every document.
    segno.make(payload, error="m", mask=0).save(buffer, kind="svg", border=0, dark="#000")
    return buffer.getvalue().decode()


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def render_pdf(
    template: Path,
    data: dict[str, Any],
    *,
    timestamp: datetime.datetime,
    qr_payload: str | None = None,
) -> bytes:
    """Render `template` (a .typ file path) with `data` available as `sys.inputs.data`.

    The document's fixed words come from `labels.py` through gettext, as `data.t`."""
    from ayni.core.pdf.labels import labels_for

    data = {**data, "t": labels_for(template.stem)}
    inputs = {"data": json.dumps(data, default=_default, ensure_ascii=False)}
    if qr_payload:
        inputs["qr"] = qr_svg(qr_payload)
    result = typst.compile(
        str(template),
        font_paths=_font_set(),
        ignore_system_fonts=True,
        root=str(TEMPLATES_ROOT),
        sys_inputs=inputs,
        timestamp=timestamp.replace(microsecond=0),
    )
    assert isinstance(result, bytes)
    return result
