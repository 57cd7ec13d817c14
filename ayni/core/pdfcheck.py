"""Untrusted PDFs are parsed in a child process with hard CPU, memory and time limits.

pypdf is pure Python: a crafted file (an object stream whose every object makes the
parser rescan it, a page tree that fans out, a compression bomb) costs seconds or
gigabytes, and a damaged one raises whatever the parser happens to hit. So the web
process never parses an uploaded PDF itself: `inspect_pdf` hands the bytes to
`pdfcheck_child.py` in a fresh interpreter (`python -I`, nothing of Django) whose
RLIMIT_CPU and RLIMIT_AS are lowered before it reads its input, and waits for it with a
wall-clock timeout. Whatever goes wrong there is a refusal with a Spanish sentence.

Before any parsing, the bytes must start with `%PDF-` and carry no HTML in the part
browsers sniff: a PDF/HTML polyglot is refused outright (docs/decisions.md).
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CHILD = Path(__file__).with_name("pdfcheck_child.py")
CPU_SECONDS = 1  # soft RLIMIT_CPU; SIGKILL one second later
MEMORY_BYTES = 768 * 1024 * 1024  # RLIMIT_AS of the child
WALL_SECONDS = 10.0  # a busy machine: the CPU limit is the real bound
SNIFF_BYTES = 2048  # browsers sniff the first 1445 bytes; a little more

# Markup a browser would take for HTML, SVG or script. Only tags of two letters or more:
# single letters («<a », «<b>») turn up by chance in compressed data.
HTML_MARKUP = re.compile(
    rb"<\s*(?:!doctype|!--|html|head|body|script|iframe|frameset|svg|object|embed|meta|"
    rb"style|title|img|link|base|form|table|div|font|h1|br|xmp|plaintext)[\s/>]",
    re.IGNORECASE,
)

MESSAGES = {  # gettext_lazy: read when shown, in the language of the moment
    "not-pdf": _("«%(name)s» no es un PDF (se revisa el contenido, no el nombre)."),
    "polyglot": (
        _(
            "«%(name)s» no es un PDF limpio: contiene código de página web. Imprímalo o "
            "escanéelo de nuevo como PDF."
        )
    ),
    "damaged": _("«%(name)s» está dañado o no se puede leer como PDF."),
    "no-root": _("«%(name)s» está dañado o no se puede leer como PDF: le falta su catálogo."),
    "no-pages": _(
        "«%(name)s» está dañado o no se puede leer como PDF: le falta su lista de páginas."
    ),
    "empty": _("«%(name)s» no tiene páginas."),
    "encrypted": _("«%(name)s» está protegido con contraseña. Adjúntelo sin contraseña."),
    "too-complex": (
        _(
            "«%(name)s» es demasiado complejo para revisarlo o está dañado. Imprímalo o "
            "escanéelo de nuevo como PDF."
        )
    ),
}


UNSAFE_NAME = re.compile(r"[^\w .()\-]", re.UNICODE)


def clean_name(name: str) -> str:
    """The base name only, without path characters or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = UNSAFE_NAME.sub("_", base).strip(" .") or "documento.pdf"
    return base[:150]


class PdfRejected(ValueError):
    """A PDF refused; `message(name)` is the Spanish sentence for the person."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def message(self, name: str) -> str:
        return str(MESSAGES.get(self.code, MESSAGES["damaged"])) % {"name": name}


@dataclass(frozen=True)
class PdfInspection:
    pages: int
    active: tuple[str, ...]  # JavaScript, launch and other actions found, if any


def check_prefix(data: bytes) -> None:
    """Cheap checks on the bytes alone: a PDF header first, no HTML where browsers sniff."""
    if HTML_MARKUP.search(data[:SNIFF_BYTES]):
        raise PdfRejected("polyglot")
    if not data.startswith(b"%PDF-"):
        raise PdfRejected("not-pdf")


def inspect_pdf(data: bytes) -> PdfInspection:
    """Parse `data` in the limited child; raise PdfRejected unless it is a sound PDF."""
    check_prefix(data)
    try:
        done = subprocess.run(  # noqa: S603 - our interpreter, our script, no shell
            [sys.executable, "-I", str(CHILD), str(CPU_SECONDS), str(MEMORY_BYTES)],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
            env={},
        )
    except subprocess.TimeoutExpired as exc:
        raise PdfRejected("too-complex") from exc
    try:
        result = json.loads(done.stdout.decode("ascii").strip().splitlines()[-1])
    except (ValueError, IndexError, UnicodeDecodeError):
        # Killed by its limits (negative return code) or died otherwise: refused.
        logger.info("pdfcheck child ended with %s and no answer", done.returncode)
        raise PdfRejected("too-complex") from None
    if not result.get("ok"):
        raise PdfRejected(str(result.get("error", "damaged")))
    active = tuple(str(a) for a in result.get("active", []))
    if active:
        logger.info("PDF with active content kept as an inert attachment: %s", ", ".join(active))
    return PdfInspection(pages=int(result["pages"]), active=active)
