"""«Verificar documento» with a signed PDF: the page says who signed and when, beside the
verdict; one changed byte turns both red. Screenshots at 360 px and on a desktop are kept
under /work/notes/shots/ when that folder exists."""

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


def _check(page: Page, url: Callable[[str], str], code: str, pdf: Path) -> None:
    page.goto(url("/verificar/"))
    page.get_by_label("Código de verificación").fill(code)
    page.get_by_label(re.compile(r"^Documento PDF")).set_input_files(str(pdf))
    page.get_by_role("button", name="Verificar").click()


def test_the_page_names_the_signer_and_spots_a_changed_byte(  # type: ignore[no-untyped-def]
    signing, new_context: Callable[[], BrowserContext], live_server, demo_data, url, tmp_path
):
    slip = (
        Payslip.objects.filter(servant__doc_number=PERSONAS["servant"], run__state="published")
        .order_by("-year", "-month")
        .first()
    )
    assert slip is not None
    Payslip.objects.filter(pk=slip.pk).update(pdf_file="")
    slip.pdf_file = ""
    pdf = payslip_pdf(slip)
    issued = tmp_path / "boleta.pdf"
    issued.write_bytes(pdf)
    changed = tmp_path / "boleta-cambiada.pdf"
    data = bytearray(pdf)
    data[len(pdf) // 3] ^= 1
    changed.write_bytes(bytes(data))
    code = format_code(slip.verification_code)

    page = new_context().new_page()
    _check(page, url, code, issued)
    expect(page.locator("#verdict")).to_contain_text("Documento válido.")
    signature = page.locator("#signature")
    expect(signature).to_contain_text("Firmado digitalmente por UGEL 07 SAN BORJA el ")
    expect(signature).to_contain_text("(hora de Lima)")
    expect(signature).to_contain_text("no fue modificado después de firmarse")
    expect(signature).to_contain_text("DEMOSTRACIÓN — sin validez legal")
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "firma-valida-360.png"), full_page=True)

    _check(page, url, code, changed)
    expect(page.locator("#verdict")).to_contain_text("Alerta: este PDF no es el documento emitido.")
    expect(signature).to_contain_text("el documento fue alterado después de firmarse")
    expect(page.locator("main")).not_to_contain_text("Documento válido")
    colour = signature.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(253, 234, 234)", colour  # red, like the verdict
    if SHOTS.is_dir():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(SHOTS / "firma-alterada-desktop.png"), full_page=True)
