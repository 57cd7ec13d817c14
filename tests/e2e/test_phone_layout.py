"""At 360 px no page scrolls sideways, and «S/ 3,301.32» never wraps after «S/».

Issue 11, «Phone»: the payslip's «Aportes del empleador» spilled out of its card, the
hoja de vida list, the history and the servant list were cut off with a hidden sideways
scroll, and the DRE/admin «Servidores por unidad» table scrolled sideways. Each page is
checked for `document.documentElement.scrollWidth <= innerWidth` and for no element wider
than the viewport; a screenshot of each is saved when AYNI_SHOTS names a folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from ayni.personnel.models import Servant
from tests.conftest import PERSONAS
from tests.e2e.conftest import PHONE

SHOTS = os.environ.get("AYNI_SHOTS", "")
WIDTH = PHONE["width"]  # 360

# Elements whose right edge passes the viewport, ignoring those inside an element that
# scrolls on purpose (none should: the tables stack on a phone).
OVERFLOWING = """() => {
  const width = %d;
  const out = [];
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0) continue;  // hidden thead
    if (box.right > width + 0.5 || box.left < -0.5) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
               (el.className && typeof el.className === 'string' ? '.' + el.className : '') +
               ' ' + Math.round(box.left) + '..' + Math.round(box.right));
    }
  }
  return out.slice(0, 5);
}"""

# Every «S/ amount» rendered on the page stays on one line (the formatter joins them with
# a non-breaking space; an element holding only an amount must not wrap it).
AMOUNTS_SPLIT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue;
    const at = text.indexOf('S/');
    if (at < 0) continue;
    const range = document.createRange();
    const match = text.slice(at).match(/^S\\/\\s*[-\\d,.]+/);
    if (!match) continue;
    range.setStart(node, at);
    range.setEnd(node, at + match[0].length);
    if (range.getClientRects().length > 1) out.push(match[0]);
  }
  return out;
}"""


def check(page: Page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    # A mobile browser widens its layout viewport to fit what overflows, so innerWidth
    # alone would hide the fault: both are compared with the phone's real 360 px.
    scroll_width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    overflowing = page.evaluate(OVERFLOWING % WIDTH)
    assert scroll_width <= inner <= WIDTH, (
        f"{name}: the page scrolls sideways ({scroll_width} > {WIDTH}): {overflowing}"
    )
    assert overflowing == [], f"{name}: wider than the screen: {overflowing}"
    assert page.evaluate(AMOUNTS_SPLIT) == [], f"{name}: «S/» wraps alone"


def test_servant_pages_fit_a_phone(
    page: Page, login: Callable[..., None], url: Callable[[str], str]
) -> None:
    login(page, "servant")
    for path, name in [
        ("/", "servant-home"),
        ("/mi-boleta/", "my-payslips"),
        ("/mi-legajo/", "my-file"),
        ("/mi-legajo/historial/", "my-history"),
        ("/mi-legajo/quien-vio/", "who-viewed"),
        ("/mi-legajo/reporte/hoja-de-vida/", "my-resume"),
        ("/mis-solicitudes/", "my-requests"),
    ]:
        page.goto(url(path))
        check(page, name)
    # Each payslip the servant can open (the latest first), «Aportes del empleador» included.
    page.goto(url("/mi-boleta/"))
    links = page.locator("main a[href^='/mi-boleta/']")
    every = [str(links.nth(i).get_attribute("href")) for i in range(links.count())]
    hrefs = [h for h in every if re.fullmatch(r"/mi-boleta/[0-9a-f-]{36}/", h)][:3]
    assert hrefs, "the servant has payslips to open"
    for i, href in enumerate(hrefs):
        page.goto(url(str(href)))
        check(page, f"payslip-{i}")
    assert "S/\u00a0" in page.locator("main").inner_text()


@pytest.mark.parametrize(
    ("persona", "paths"),
    [
        (
            "escalafon",
            [
                ("/", "escalafon-home"),
                ("/servidores/", "servant-list"),
                ("/escalafon/hojas-de-vida/", "resume-batches"),
                ("/escalafon/solicitudes/", "review-inbox"),
                ("/escalafon/informes/", "informe-inbox"),
            ],
        ),
        ("dre_supervisor", [("/", "dre-home"), ("/servidores/", "dre-servant-list")]),
        ("admin", [("/", "admin-home"), ("/auditoria/", "audit")]),
        ("planillas", [("/planillas/", "run-list")]),
    ],
)
def test_staff_pages_fit_a_phone(
    page: Page,
    login: Callable[..., None],
    url: Callable[[str], str],
    persona: str,
    paths: list[tuple[str, str]],
) -> None:
    login(page, persona)
    for path, name in paths:
        page.goto(url(path))
        check(page, name)


def test_a_servants_file_fits_a_phone(
    page: Page, login: Callable[..., None], url: Callable[[str], str]
) -> None:
    login(page, "escalafon")
    servant = Servant.objects.get(doc_number=PERSONAS["servant"])
    page.goto(url(f"/servidores/{servant.uuid}/"))
    check(page, "servant-detail")
