"""Every fixed word of the PDFs passes through gettext (issue 11, «Words and numbers»).

The four official documents are rendered under a pseudo-locale that marks each word of a
translated string, each word between single guillemets, so that typst may break
a line between them). The words pypdf extracts from the PDF are then either marked, data
(a word of a value stored in the database), or numbers and codes; any other word is one a
translator could not reach.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real
from pypdf import PdfReader

from ayni.core import words as cached_words
from tests.test_i18n_pseudo import PseudoTranslation, stored_strings

# Guillemets that the PDFs' font has (a missing glyph would extract as NUL).
OPEN, CLOSE = "‹", "›"


class PseudoWords(PseudoTranslation):
    def gettext(self, message: str) -> str:
        text = message.rpartition("\x04")[2]
        return " ".join(f"{OPEN}{word}{CLOSE}" for word in text.split())


@pytest.fixture
def pseudo_words(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    pseudo = PseudoWords()
    catalogues = {code: pseudo for code in (settings.LANGUAGE_CODE, "es", "en-us", "en")}
    monkeypatch.setattr(trans_real, "_translations", catalogues)
    monkeypatch.setattr(trans_real, "_default", pseudo)
    translation.activate(settings.LANGUAGE_CODE)
    cached_words.forget()  # the words cached in the real language
    yield
    translation.deactivate()
    cached_words.forget()  # and now in the pseudo one


WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]{2,}")
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# Codes: verification codes («7KQM-YSBE-…») and SUNAT's total codes («T-REMUN»).
CODE = re.compile(r"\b[A-Z0-9]{4}(?:-[A-Z0-9]{4})+\b|\bT-[A-Z]+\b")


def unreachable_words(pdf: bytes, data_words: set[str]) -> set[str]:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert OPEN in text, "the pseudo-locale did not reach the PDF"
    rest = CODE.sub(" ", MARKED.sub(" ", text))
    # Templates print some stored values in capitals (section titles): compare lower case.
    return {w for w in WORD.findall(rest) if w.lower() not in data_words}


@pytest.fixture
def data_words(demo_data: None) -> set[str]:
    words: set[str] = set()
    for value in stored_strings():
        words.update(w.lower() for w in WORD.findall(value))
    # The verification address is data, not prose.
    words.update(w.lower() for w in WORD.findall(settings.SITE_URL))
    return words


@pytest.fixture
def documents(demo_data: None) -> dict[str, Callable[[], bytes]]:
    from ayni.core.models import VerificationRecord
    from ayni.core.pdf import render_pdf
    from ayni.desk.models import Case
    from ayni.desk.receipts import RECEIPT, _files_at_filing, _receipt_data
    from ayni.payroll.models import Payslip
    from ayni.payroll.pdf import render_payslip
    from ayni.reports.models import Resume, ServiceReport
    from ayni.reports.services import _render_report, _render_resume

    def receipt() -> bytes:
        case = Case.objects.exclude(verification_code="").select_related("unit").first()
        assert case is not None
        record = VerificationRecord.objects.filter(code=case.verification_code).first()
        return render_pdf(
            RECEIPT,
            _receipt_data(case, _files_at_filing(case, record)),
            timestamp=case.submitted_at.replace(microsecond=0),
            qr_payload="x",
        )

    payslip = Payslip.objects.filter(run__published_at__isnull=False).first()
    resume = Resume.objects.first()
    report = ServiceReport.objects.first()
    assert payslip and resume and report
    return {
        "boleta": lambda: render_payslip(payslip),
        "hoja de vida": lambda: _render_resume(resume),
        "informe": lambda: _render_report(report),
        "cargo": receipt,
    }


@pytest.mark.parametrize("name", ["boleta", "hoja de vida", "informe", "cargo"])
def test_every_fixed_word_of_the_pdf_is_translatable(
    name: str,
    documents: dict[str, Callable[[], bytes]],
    data_words: set[str],
    pseudo_words: None,
) -> None:
    pdf = documents[name]()
    assert unreachable_words(pdf, data_words) == set(), name


def test_without_the_pseudo_locale_the_words_are_spanish(
    documents: dict[str, Callable[[], bytes]],
) -> None:
    text = PdfReader(io.BytesIO(documents["boleta"]())).pages[0].extract_text()
    assert "BOLETA DE PAGO" in text and "Verifique la autenticidad" in text and OPEN not in text
