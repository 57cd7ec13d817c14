"""Digital signatures of issued documents: PAdES baseline (ETSI.CAdES.detached), pyHanko.

One entry point for every document that Ayni issues (docs/firma.md):

    sign_document(pdf_bytes, unit, *, level, code, signing_time=None) -> bytes

`unit` is the issuing OrgUnit; it signs with its own certificate or, when it has none
valid at the signing time, with its nearest ancestor's (the visible block then names
both). `level` is `Level.B_B` or `Level.B_T`; B-T asks the configured timestamp
authority and falls back to B-B (logged) when none is configured or it does not answer.
`signing_time` is the document's own fixed timestamp: with an RSA key the same document
signed at the same time gives the same bytes. When signing is not configured, or no
certificate covers the unit, the bytes come back unsigned (logged; a refusal instead when
settings.SIGNING_REQUIRED); the verification code and hash still verify them.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from ayni.core.signing.keys import (
    KeyEntry,
    KeyStore,
    SigningConfigError,
    get_store,
    reset_store,
    unit_chain,
    utcnow,
)

if TYPE_CHECKING:
    from ayni.org.models import OrgUnit

__all__ = [
    "KeyStore",
    "Level",
    "SigningConfigError",
    "SigningUnavailable",
    "get_store",
    "reset_store",
    "sign_document",
]

logger = logging.getLogger(__name__)

REASON = "Documento emitido a través de Ayni"
LOCATION = "Perú"
FIELD_NAME = "FirmaAyni"
# Room for the CMS container is reserved up front (KeyEntry.reserve, from the sizes of
# the certificates it embeds), so that signing is one pass; a timestamp token adds the
# TSA's certificates and its own signature.
TIMESTAMP_RESERVE = 12288
# The visible block: page 1, in the band below the footer that every template leaves
# blank (the shared layout's QR footer ends 1.27 cm above the edge, the payslip's bottom
# margin is 1.4 cm), clear of the 4 mm that printers cannot reach. Points from the
# bottom-left corner of an A4 page; the templates are not changed.
BOX = (45, 10, 550, 37)


class Level(StrEnum):
    B_B = "B-B"
    B_T = "B-T"


class SigningUnavailable(RuntimeError):
    """No certificate covers the unit and settings.SIGNING_REQUIRED is on."""


def _lima(at: datetime) -> str:
    from ayni.core.workdays import lima_dmy, lima_hm

    return f"{lima_dmy(at)} {lima_hm(at)}"


def stamp_text(
    *, unit_name: str, signer_name: str | None, at: datetime, code: str, verify_url: str
) -> str:
    """The visible block's lines (Spanish, through gettext)."""
    if signer_name:
        first = _(
            "Firmado digitalmente por: %(unit)s, con el certificado de su unidad superior, "
            "%(parent)s"
        ) % {"unit": unit_name, "parent": signer_name}
    else:
        first = _("Firmado digitalmente por: %(unit)s") % {"unit": unit_name}
    lines = [
        first,
        _(
            "Fecha y hora: %(when)s (hora de Lima) · Motivo: %(reason)s · "
            "Código de verificación: %(code)s"
        )
        % {"when": _lima(at), "reason": _(REASON), "code": code},
        _(
            "Copia auténtica imprimible de un documento electrónico (DS 070-2013-PCM, art. 25), "
            "verificable en %(url)s"
        )
        % {"url": verify_url},
    ]
    return "\n".join(lines)


def _timestamper(store: KeyStore, level: Level) -> Any:
    if level != Level.B_T or not store.tsa_url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(store.tsa_url, timeout=10)


def _pdf_signer(entry: KeyEntry, at: datetime, text: str, timestamper: Any) -> Any:
    from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    class FixedTimeSigner(signers.PdfSigner):
        """The document's own timestamp as the signing time (deterministic bytes)."""

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = at
            return session

    style = TextStampStyle(
        stamp_text=text,
        background=None,
        border_width=1,
        text_box_style=TextBoxStyle(
            font=SimpleFontEngineFactory("Helvetica", 0.5),
            font_size=6,
            leading=7,
            box_layout_rule=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MIN,
                y_align=AxisAlignment.ALIGN_MIN,
                margins=Margins(0, 0, 0, 0),
            ),
        ),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=5),
            inner_content_scaling=InnerScaling.SHRINK_TO_FIT,  # only a very long name
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=REASON,
        location=LOCATION,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    return FixedTimeSigner(
        meta,
        signer=entry.signer,
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=0, box=BOX),
    )


def _writer(pdf_bytes: bytes) -> Any:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class QuietWriter(IncrementalPdfFileWriter):
        """Leaves the document's metadata as rendered: no «modified now» date."""

        def _update_meta(self) -> None:
            return None

    writer = QuietWriter(io.BytesIO(pdf_bytes), strict=False)
    # The second half of the ID names this revision: derived from its bytes, not random.
    first = writer._document_id[0]
    writer._document_id = generic.ArrayObject(
        [first, generic.ByteStringObject(hashlib.sha256(pdf_bytes).digest()[:16])]
    )
    return writer


def sign_document(
    pdf_bytes: bytes,
    unit: OrgUnit | None,
    *,
    level: Level,
    code: str,
    signing_time: datetime | None = None,
) -> bytes:
    """The PDF signed with the certificate of `unit` (or its nearest ancestor's).

    `code` is the formatted verification code printed in the visible block. Returns the
    bytes unchanged when signing is not configured or no certificate covers the unit."""
    store = get_store()
    if store is None:
        return pdf_bytes
    if unit is None:  # an unsaved document without its unit (benchmarks): nobody to sign
        logger.warning("Firma: documento sin unidad emisora; sin firma")
        return pdf_bytes
    now = utcnow()
    at = signing_time or now
    chain = unit_chain(unit.path)
    choice = store.choose(chain, at)
    if choice is None and at != now:
        # No certificate valid at the document's date (rotated since): sign now.
        at = now
        choice = store.choose(chain, at)
    if choice is None:
        if getattr(settings, "SIGNING_REQUIRED", False):
            raise SigningUnavailable(
                f"Ningún certificado vigente para {unit.code} ni sus unidades superiores."
            )
        logger.warning("Firma: %s (%s) sin certificado vigente; sin firma", unit.name, unit.code)
        return pdf_bytes
    code_used, entry = choice
    signer_name = None
    if code_used != unit.code:
        from ayni.org.models import OrgUnit

        signer_unit = OrgUnit.objects.filter(code=code_used).only("name").first()
        signer_name = signer_unit.name if signer_unit else entry.organisation
    text = stamp_text(
        unit_name=unit.name,
        signer_name=signer_name,
        at=at,
        code=code,
        verify_url=f"{settings.SITE_URL}/verificar/",
    )
    timestamper = _timestamper(store, level)
    try:
        return _sign(pdf_bytes, entry, at, text, timestamper, level)
    except Exception as exc:
        if timestamper is None:
            raise
        # The timestamp authority did not answer: B-B now, rather than no document.
        logger.warning("Firma: sello de tiempo no disponible (%s); se firma en B-B", exc)
        return _sign(pdf_bytes, entry, at, text, None, Level.B_B)


def _sign(
    pdf_bytes: bytes, entry: KeyEntry, at: datetime, text: str, timestamper: Any, level: Level
) -> bytes:
    signer = _pdf_signer(entry, at, text, timestamper)
    reserved = entry.reserve + (TIMESTAMP_RESERVE if timestamper is not None else 0)

    def run() -> bytes:
        out = io.BytesIO()
        signer.sign_pdf(_writer(pdf_bytes), bytes_reserved=reserved, output=out)
        return out.getvalue()

    # pyHanko's sync API runs its own event loop; a caller already inside one (an async
    # view, a browser test's thread) gets it run in a helper thread instead.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
