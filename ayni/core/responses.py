"""File responses shared by the apps' views.

Two kinds, never mixed:

- `pdf_response` / `stored_pdf_response`: PDFs Ayni rendered itself (payslips, informes,
  hojas de vida, receipts). They may be shown inline.
- `upload_response` / `stored_upload_response`: files people uploaded (desk filings,
  access-request documents). Always a download, whatever they contain: `attachment`,
  `nosniff` and a sandboxing Content-Security-Policy, so neither a PDF with JavaScript nor
  a PDF/HTML polyglot is ever rendered by a browser in Ayni's origin.

Both carry `Cache-Control: no-store` (personal data) and an RFC 6266 name
(`filename*=UTF-8''...` with an ASCII fallback) that always ends in `.pdf`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import HttpResponse

NO_STORE = "no-store"
UPLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'; form-action 'none'"

# Extensions a download must never keep: executables, scripts, markup, shortcuts.
_DANGEROUS = """
    pdf html htm xhtml xht shtml svg svgz xml xsl xslt mht mhtml js mjs jse vbs vbe wsf wsh
    hta exe com scr pif msi msp dll cpl bat cmd ps1 psm1 sh bash zsh csh ksh php php3 php4
    php5 phtml phar jsp jspx asp aspx cgi pl py rb jar swf lnk url desktop scf reg inf
    application appref-ms gadget msc vb jnlp app dmg pkg deb rpm apk
"""
DANGEROUS_EXTENSIONS = frozenset(_DANGEROUS.split())
_EXTENSION = re.compile(r"\.([A-Za-z0-9][A-Za-z0-9-]{0,9})$")
_NOT_NAME = re.compile(r"[\x00-\x1f\x7f/\\\"<>:|?*;]")
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9 ._()-]")


def download_name(filename: str, *, default: str = "documento") -> str:
    """The name a download is offered under: its base name without control or direction
    characters, the last extension dropped and any dangerous one left behind it too
    (`a.html` → `a.pdf`, `b.pdf.exe` → `b.pdf`, `c.html.pdf` → `c.pdf`), ending in .pdf."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if not unicodedata.category(c).startswith("C"))
    stem = _NOT_NAME.sub("_", base).strip(" .")
    if (match := _EXTENSION.search(stem)) is not None:
        stem = stem[: match.start()].rstrip(" .")
    while (match := _EXTENSION.search(stem)) is not None and (
        match[1].lower() in DANGEROUS_EXTENSIONS
    ):
        stem = stem[: match.start()].rstrip(" .")
    return f"{(stem or default)[:150]}.pdf"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266: an ASCII `filename` for old clients and the exact `filename*` in UTF-8."""
    name = download_name(filename)
    ascii_name = _NOT_ASCII_NAME.sub(
        "_", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    )
    if not ascii_name.removesuffix(".pdf").strip(" ._"):
        ascii_name = "documento.pdf"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF that Ayni rendered; `inline` to show it in the browser's viewer."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = NO_STORE
    return response


def stored_pdf_response(name: str, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF Ayni rendered and kept in the default storage, served under `filename`."""
    with default_storage.open(name, "rb") as handle:
        return pdf_response(handle.read(), filename, inline=inline)


def upload_response(data: bytes, filename: str) -> HttpResponse:
    """A file someone uploaded: always an inert download, never rendered by Ayni."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=False)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    response["Cache-Control"] = NO_STORE
    return response


def stored_upload_response(name: str, filename: str) -> HttpResponse:
    """An uploaded file kept in the default storage, as an inert download."""
    with default_storage.open(name, "rb") as handle:
        return upload_response(handle.read(), filename)
