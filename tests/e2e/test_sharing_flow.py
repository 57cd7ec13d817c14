"""Share links end to end on a phone (issue 15): the demo teacher shares a payslip from
«Mi boleta»; a bank opens the link in another browser without an account and sees the
payslip and its verification; the teacher sees the opening listed, revokes the link, and
the bank's next visit is refused. Every page fits 360 px and passes axe-core (WCAG 2.1
A/AA); screenshots are saved when AYNI_SHOTS names a folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from ayni.payroll.selectors import visible_payslips
from ayni.sharing.documents import own_document
from ayni.sharing.models import ShareLink, ShareOpening
from ayni.sharing.services import link_create
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("AYNI_SHOTS", "")


def shot(page: Page, name: str) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name} scrolls sideways: {width}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_teacher_shares_a_payslip_a_bank_opens_it_she_revokes_it(  # type: ignore[no-untyped-def]
    page: Page, new_context: Callable[[], BrowserContext], login, url, servant_of
):
    login(page, "servant")
    page.goto(url("/mi-boleta/"))
    page.locator("a.payslip-main").first.click()
    period = page.locator("h1").inner_text().split("·")[-1].strip()
    page.get_by_role("link", name="Compartir").click()
    expect(page.locator("h1")).to_have_text("Compartir un documento")
    expect(page.locator("main")).to_contain_text("Cualquier persona que tenga el enlace")
    page.get_by_label("¿Cuántos días funcionará el enlace?").select_option("3")
    page.get_by_label("¿Cuántas veces se podrá abrir?").select_option("2")
    # without the box ticked: refused in Spanish, focusable error
    page.get_by_role("button", name="Crear enlace").click()
    expect(page.locator("#understood-error")).to_have_text(
        "Marque esta casilla para crear el enlace."
    )
    page.get_by_label("¿Cuántos días funcionará el enlace?").select_option("3")
    page.get_by_label("¿Cuántas veces se podrá abrir?").select_option("2")
    page.get_by_label("Entiendo que cualquier persona que tenga el enlace").check()
    shot(page, "compartir-nuevo-360")
    page.get_by_role("button", name="Crear enlace").click()
    expect(page.locator("h1")).to_have_text("Enlace creado")
    address = page.get_by_label("Enlace para compartir").input_value()
    assert re.fullmatch(re.escape(url("/c/#")) + r"[A-Za-z0-9_-]{43}", address), address
    expect(page.locator(".share-qr svg")).to_be_visible()
    expect(page.get_by_role("button", name="Copiar enlace")).to_be_visible()
    shot(page, "compartir-creado-360")
    link = ShareLink.objects.filter(servant=servant_of("servant")).order_by("-pk").first()
    assert link is not None and link.max_openings == 2 and period in link.title

    # --- the bank: another browser, no account. The address's token follows «#», so
    # neither the server's log nor a proxy's sees it; the first page counts nothing (a
    # chat app's preview spends no opening) until «Ver el documento».
    bank = new_context().new_page()
    response = bank.goto(address)
    assert response is not None and response.status == 200
    assert "noindex" in response.headers["x-robots-tag"]
    expect(bank.locator("h1")).to_have_text("Documento compartido")
    expect(bank.locator("#share-paste")).to_be_hidden()  # the script took the token
    assert bank.url == url("/c/")  # and took it out of the address bar
    assert ShareOpening.objects.filter(link=link).count() == 0
    shot(bank, "compartir-entrada-360")
    bank.get_by_role("button", name="Ver el documento").click()
    expect(bank.locator("#verdict")).to_contain_text("Documento válido.")
    expect(bank.locator("#signature")).to_be_visible()
    expect(bank.locator("#shared-payslip")).to_contain_text(period)
    expect(bank.locator("#shared-payslip")).to_contain_text("QUISPE")
    expect(bank.get_by_role("link", name="Descargar PDF")).to_be_visible()
    shot(bank, "compartir-abierto-360")
    with bank.expect_download() as info:
        bank.get_by_role("link", name="Descargar PDF").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF-")

    # --- the teacher sees the opening, in Lima time, and revokes the link
    opening = ShareOpening.objects.get(link=link)
    lima = timezone.localtime(opening.opened_at)
    page.goto(url("/mis-enlaces/"))
    card = page.locator(f"#link-{link.uuid}")
    expect(card.locator(".state")).to_have_text("Activo")
    expect(card).to_contain_text(f"El {lima:%d/%m/%Y} a las {lima:%H:%M}")
    expect(card).to_contain_text("descargó o vio el PDF")
    expect(card.locator(".share-count")).to_have_text("1 de 2")
    shot(page, "compartir-lista-360")
    card.get_by_role("button", name="Anular enlace").click()
    expect(page.locator(".messages")).to_contain_text("ya nadie puede abrirlo")
    expect(page.locator(f"#link-{link.uuid} .state")).to_have_text("Anulado")

    # --- the bank comes back: refused, without a word of whose document it was
    bank.goto(address)
    with bank.expect_response(url("/c/ver/")) as answer:
        bank.get_by_role("button", name="Ver el documento").click()
    assert answer.value.status == 410
    expect(bank.locator("h1")).to_have_text("Este enlace ya no es válido")
    expect(bank.locator("main")).not_to_contain_text("QUISPE")
    shot(bank, "compartir-no-valido-360")
    assert ShareOpening.objects.filter(link=link).count() == 1


def test_the_sharing_pages_pass_axe(  # type: ignore[no-untyped-def]
    axe_context, login, url, persona
):
    teacher = persona("servant")
    slip = visible_payslips(teacher).first()
    _, token = link_create(
        user=teacher,
        document=own_document(teacher, "boleta", slip.uuid),
        days=1,
        max_openings=5,
    )
    page = axe_context().new_page()
    login(page, "servant")
    for path in (f"/mis-enlaces/nuevo/boleta/{slip.uuid}/", "/mis-enlaces/", "/ayuda/compartir/"):
        page.goto(url(path))
        assert axe_violations(page) == [], path
    bank = axe_context().new_page()
    for code in (token, "z" * 43):
        bank.goto(url(f"/c/#{code}"))
        assert axe_violations(bank) == [], "gate"
        bank.get_by_role("button", name="Ver el documento").click()
        bank.wait_for_load_state()
        assert axe_violations(bank) == [], code[:3]
    bank.goto(url("/c/"))  # no «#»: the field to paste the code shows
    expect(bank.locator("#share-code")).to_be_visible()
    assert axe_violations(bank) == [], "gate without a code"


def test_a_second_link_pasted_in_the_same_tab_shows_the_second_document(  # type: ignore[no-untyped-def]
    page: Page, url, persona
):
    """/c/#a then /c/#b in one tab only changes the «#»: the page must take the new code,
    never show the first document under the second address; a double click on «Ver el
    documento» is one opening."""
    teacher = persona("servant")
    slips = list(visible_payslips(teacher)[:2])
    links = []
    for slip in slips:
        link, token = link_create(
            user=teacher,
            document=own_document(teacher, "boleta", slip.uuid),
            days=1,
            max_openings=5,
        )
        links.append((link, token))
    page.goto(url(f"/c/#{links[0][1]}"))
    page.goto(url(f"/c/#{links[1][1]}"))  # same document: only the hash changes
    page.get_by_role("button", name="Ver el documento").dblclick()
    page.wait_for_url(url("/c/ver/"))
    expect(page.locator("h1")).to_have_text(links[1][0].title)
    assert ShareOpening.objects.filter(link=links[0][0]).count() == 0
    assert ShareLink.objects.get(pk=links[1][0].pk).openings_count == 1
    # from the document's page, the first link pasted: the gate again, then its document
    page.goto(url(f"/c/#{links[0][1]}"))
    page.get_by_role("button", name="Ver el documento").click()
    expect(page.locator("h1")).to_have_text(links[0][0].title)
