"""A teacher who opens a staff address or a wrong one reads what happened, in Spanish,
in the site's layout, with a way back home (DEBUG is off in the tests)."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_staff_page_and_a_wrong_address_answer_in_spanish(page, login, url):
    login(page, "servant")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    response = page.goto(url("/planillas/"))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "No tiene permiso para ver esta página"
    )
    expect(page.locator("body")).not_to_contain_text("Forbidden")

    response = page.goto(url("/esto-no-existe/"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("No encontramos esta página")
    expect(page.locator("body")).not_to_contain_text("Not Found")
    page.get_by_role("link", name="Ir al inicio").click()
    expect(page).to_have_url(url("/"))
    # no sideways scroll on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
