"""The MINEDU supervisor drills down from the sector to one UGEL on a phone (issue 12)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ayni.supervision.aggregates import refresh
from ayni.supervision.demo import seed_supervision_demo

pytestmark = pytest.mark.e2e


def test_minedu_supervisor_drills_down_to_a_ugel(page: Page, login, url):
    seed_supervision_demo()
    refresh()
    login(page, "minedu_supervisor")
    expect(page).to_have_url(url("/"))
    page.get_by_role("link", name="Tablero de supervisión").click()
    expect(page).to_have_url(url("/supervision/000000/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("MINISTERIO DE EDUCACIÓN")
    expect(page.locator(".sv-fresh")).to_contain_text("Cifras calculadas el")
    chart = page.locator("#personal-unidades svg[role=img]")
    expect(chart.locator("title")).to_have_text("Servidores por unidad")

    personnel = page.locator("#personal-unidades table")
    personnel.get_by_role("link", name="DRE Lima Metropolitana").click()
    expect(page).to_have_url(url("/supervision/150101/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("DRE Lima Metropolitana")
    # the DRE's own staff is a row of its own, and the rows add up to the total
    expect(page.locator("#personal-unidades")).to_contain_text(
        "DRE Lima Metropolitana (la propia unidad)"
    )
    # nothing wider than the phone: tables stack, charts scale to their box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    pending = page.locator("#planillas-pendientes")
    expect(pending).to_contain_text("UGEL 03 Breña")
    expect(pending).to_contain_text("Cargada, sin publicar")

    page.locator("#personal-unidades table").get_by_role("link", name="UGEL 03 Breña").click()
    expect(page).to_have_url(url("/supervision/150104/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("UGEL 03 Breña")
    crumbs = page.get_by_role("navigation", name="Ruta")
    expect(crumbs.get_by_role("link", name="MINISTERIO DE EDUCACIÓN")).to_be_visible()
    expect(crumbs.get_by_role("link", name="DRE Lima Metropolitana")).to_be_visible()
    oldest = page.locator("#solicitudes-antiguas")
    expect(oldest).to_contain_text("UGEL 03 Breña")

    # the list behind the figure, read-only
    page.get_by_role("link", name="Ver las solicitudes (solo lectura)").click()
    expect(page).to_have_url(url("/supervision/150104/lista/solicitudes/"))
    expect(page.locator("main")).to_contain_text("2 registros")
    expect(page.locator("main form[method=post]")).to_have_count(0)

    crumbs = page.get_by_role("navigation", name="Ruta")
    crumbs.get_by_role("link", name="DRE Lima Metropolitana").click()
    expect(page).to_have_url(url("/supervision/150101/"))


@pytest.mark.parametrize("size", [(360, 740), (1280, 900)], ids=["phone", "desktop"])
def test_supervision_pages_pass_axe(axe_context, login, url, size):
    from tests.e2e.conftest import axe_violations

    seed_supervision_demo()
    refresh()
    page = axe_context(*size).new_page()
    login(page, "minedu_supervisor")
    found = []
    for path in (
        "/supervision/000000/",
        "/supervision/150101/",
        "/supervision/150104/",
        "/supervision/150101/lista/solicitudes/",
        "/datos-abiertos/",
    ):
        page.goto(url(path))
        page.wait_for_load_state("load")
        found += [f"{path}: {line}" for line in axe_violations(page)]
    assert not found, "WCAG 2.1 AA violations:\n" + "\n".join(found)
