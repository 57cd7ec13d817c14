"""Accessibility (issue 11): the main pages of every persona pass axe-core's WCAG 2.1 A
and AA rules with no serious or critical violation, on a 360 px phone and a desktop.

axe-core is vendored for the tests (tests/e2e/vendor/, MPL-2.0) and injected into the
page; the site's CSP (script-src 'self') is bypassed in that browser context only.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

DESKTOP = (1280, 900)


class Checker:
    """Visit pages, run axe on each, and report every violation at the end."""

    def __init__(self, page: Page, url: Callable[[str], str]) -> None:
        self.page = page
        self.url = url
        self.found: list[str] = []
        self.checked: list[str] = []

    def check(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        self.checked.append(name)
        for line in axe_violations(self.page):
            self.found.append(f"{name} ({self.page.url}): {line}")

    def visit(self, path: str, name: str) -> None:
        self.page.goto(self.url(path))
        self.check(name)

    def follow_first(self, selector: str, name: str) -> None:
        link = self.page.locator(selector).first
        expect(link).to_be_visible()
        link.click()
        self.check(name)

    def assert_clean(self) -> None:
        assert self.checked
        assert not self.found, "WCAG 2.1 AA violations:\n" + "\n".join(self.found)


@pytest.fixture(params=["phone", "desktop"])
def checker(request, axe_context, url) -> Checker:  # type: ignore[no-untyped-def]
    context = axe_context(*DESKTOP) if request.param == "desktop" else axe_context()
    return Checker(context.new_page(), url)


def test_public_pages(checker: Checker) -> None:
    checker.visit("/cuenta/ingresar/", "login")
    checker.visit("/verificar/", "verify")
    checker.visit("/acceso/solicitar/", "access request")
    checker.visit("/no-existe-esta-pagina/", "error 404")
    checker.visit("/ayuda/", "help index")
    checker.visit("/ayuda/mesa-de-partes/", "help page")
    checker.assert_clean()


def test_servant_pages(checker: Checker, login) -> None:  # type: ignore[no-untyped-def]
    login(checker.page, "servant")
    checker.check("servant home")
    checker.visit("/mi-legajo/", "Mi legajo")
    checker.visit("/mi-legajo/academica/", "Mi legajo, a section")
    checker.visit("/mis-solicitudes/", "my requests")
    checker.visit("/mi-boleta/", "Mi boleta")
    checker.follow_first("main a[href^='/mi-boleta/']:not([href$='/pdf/'])", "a payslip")
    checker.visit("/mi-legajo/reporte/hoja-de-vida/", "hoja de vida")
    checker.visit("/mi-legajo/reporte/informes/", "informes")
    checker.visit("/mesa-de-partes/", "my filings")
    checker.visit("/mesa-de-partes/nuevo/", "new filing")
    checker.assert_clean()


def test_escalafon_pages(checker: Checker, login) -> None:  # type: ignore[no-untyped-def]
    login(checker.page, "escalafon")
    checker.check("staff home")
    checker.visit("/escalafon/solicitudes/", "review inbox")
    checker.follow_first("main table a[href^='/escalafon/solicitudes/']", "review detail")
    approve = checker.page.get_by_role("button", name="Aprobar y aplicar")
    if approve.count():
        approve.click()
        expect(checker.page.locator("#confirm-approve")).to_be_visible()
        checker.check("approve confirmation")
    checker.assert_clean()


def test_desk_pages(checker: Checker, login) -> None:  # type: ignore[no-untyped-def]
    login(checker.page, "mesa_partes")
    checker.check("desk home")
    checker.visit("/mesa/", "desk inbox")
    checker.follow_first("main table a[href^='/mesa/']", "a case")
    checker.assert_clean()


def test_payroll_pages(checker: Checker, login) -> None:  # type: ignore[no-untyped-def]
    login(checker.page, "planillas")
    checker.visit("/planillas/", "payroll runs")
    checker.follow_first("main table a[href^='/planillas/']", "a payroll run")
    checker.assert_clean()


def test_audit_page(checker: Checker, login) -> None:  # type: ignore[no-untyped-def]
    login(checker.page, "admin")
    checker.check("admin home")
    checker.visit("/auditoria/", "audit")
    checker.assert_clean()
