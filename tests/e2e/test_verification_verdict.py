"""«Verificar documento» in a browser: a foreign PDF for a real code is a red alert, shown
first and never under a green «Documento válido.»; the issued PDF is the green verdict.

The code is a real demo payslip's; the foreign PDF is another servant's genuine payslip
(a sound PDF, only not the one issued with that code). Screenshots of the red verdict at
360 px and on a desktop are kept under /work/notes/shots/ when that folder exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from ayni.core.verification import format_code
from ayni.payroll.models import Payslip
from ayni.payroll.pdf import payslip_pdf
from tests.conftest import PERSONAS

SHOTS = Path("/work/notes/shots")
OTHER_VERDICTS = (
    "Documento anulado.",
    "Documento auténtico, pero vencido.",
    "Documento auténtico, pero existe uno más reciente.",
    "No existe un documento con ese código.",
)


def _payslip(who: str) -> Payslip:
    return (
        Payslip.objects.filter(servant__doc_number=PERSONAS[who], run__state="published")
        .order_by("-year", "-month")
        .first()
    )


def _check(page: Page, url: Callable[[str], str], code: str, pdf: Path) -> None:
    page.goto(url("/verificar/"))
    page.get_by_label("Código de verificación").fill(code)
    page.get_by_label(re.compile(r"^Documento PDF")).set_input_files(str(pdf))
    page.get_by_role("button", name="Verificar").click()


def _shoot(page: Page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_foreign_pdf_is_red_first_and_the_issued_one_green(  # type: ignore[no-untyped-def]
    new_context: Callable[[], BrowserContext], live_server, demo_data, url, tmp_path
):
    mine, theirs = _payslip("servant"), _payslip("other_servant")
    assert mine is not None and theirs is not None
    issued = tmp_path / "boleta.pdf"
    issued.write_bytes(payslip_pdf(mine))
    foreign = tmp_path / "boleta-ajena.pdf"
    foreign.write_bytes(payslip_pdf(theirs))
    code = format_code(mine.verification_code)

    # A foreign PDF with a real code, on a phone.
    page = new_context().new_page()
    _check(page, url, code, foreign)
    result = page.locator("#verify-result")
    alert = result.get_by_role("alert")
    expect(alert).to_contain_text("Alerta: este PDF no es el documento emitido.")
    expect(alert).to_contain_text("El PDF NO es idéntico al emitido: pudo ser modificado.")
    expect(page.locator("main")).not_to_contain_text("Documento válido")
    expect(page.locator("main .msg-success")).to_have_count(0)
    for text in OTHER_VERDICTS:
        expect(page.locator("main")).not_to_contain_text(text)
    # The alert is the first thing after the title, and red; the summary follows.
    box = alert.bounding_box()
    form = page.locator("main form").bounding_box()
    assert box and form and box["y"] < form["y"]
    assert box["y"] < 740, "the alert must be visible without scrolling on a phone"
    colour = alert.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(253, 234, 234)", colour  # --err-bg
    expect(result).to_contain_text("Datos del documento emitido con este código")
    expect(result).to_contain_text(code)
    expect(result).not_to_contain_text("QUISPE")  # the holder stays masked
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"sideways scroll at 360 px: {width}"
    _shoot(page, "verify-foreign-pdf-360.png")

    # The same on a desktop.
    page.set_viewport_size({"width": 1280, "height": 900})
    _shoot(page, "verify-foreign-pdf-desktop.png")

    # The issued PDF: green, identical, and nothing red.
    _check(page, url, code, issued)
    verdict = result.get_by_role("status")
    expect(verdict).to_contain_text("Documento válido.")
    expect(verdict).to_contain_text("El PDF es idéntico, byte por byte, al emitido.")
    expect(page.locator("main .msg-error")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Alerta")
    for text in OTHER_VERDICTS:
        expect(page.locator("main")).not_to_contain_text(text)
    _shoot(page, "verify-genuine-pdf-desktop.png")
