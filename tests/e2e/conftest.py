"""Browser fixtures: one headless Debian Chromium per session, a fresh phone-sized
context per test, driven with Playwright's sync API against pytest-django's
`live_server`.

Each test runs on a transactional database that is flushed afterwards; the
`demo_data` fixture reloads the org tree and the demo accounts when it finds the
database empty, so every browser test starts from the same demo set.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Iterator

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django
# would otherwise refuse ORM calls made from the test (fixtures, assertions).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Response,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.conftest import PERSONAS

CHROMIUM = os.environ.get("AYNI_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE: ViewportSize = {"width": 360, "height": 740}
DEMO_PASSWORD = "ayni-demo-2026"
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e/ is an e2e test, marked or not."""
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Factory of isolated browser sessions (own cookies), phone-sized, es-PE, Lima time.

    Any server error (5xx) seen by any of them fails the test, naming the request,
    so a broken page is reported as such rather than as a missing element.
    """
    contexts: list[BrowserContext] = []
    server_errors: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def make() -> BrowserContext:
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="es-PE",
            timezone_id="America/Lima",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("response", on_response)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not server_errors, f"server errors: {server_errors}"


@pytest.fixture
def page(new_context: Callable[[], BrowserContext], live_server, demo_data) -> Page:  # type: ignore[no-untyped-def]
    return new_context().new_page()


@pytest.fixture
def url(live_server) -> Callable[[str], str]:  # type: ignore[no-untyped-def]
    """Absolute URL on the live server for a path such as "/cuenta/ingresar/"."""

    def make(path: str) -> str:
        return live_server.url + path

    return make


def fill_login(page: Page, dni: str, password: str) -> None:
    """Fill and submit the login form (the one inside <main>) on the current page."""
    main = page.locator("main")
    main.locator("#id_doc_type").select_option(label="DNI")
    main.locator("#id_doc_number").fill(dni)
    main.locator("#id_password").fill(password)
    main.locator("form").get_by_role("button", name="Ingresar").click()


@pytest.fixture
def login(url: Callable[[str], str]) -> Callable[..., None]:
    """Open the login page and sign in as a persona name or a DNI."""

    def do(page: Page, who: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(url("/cuenta/ingresar/"))
        fill_login(page, PERSONAS.get(who, who), password)
        pass_second_factor(page, PERSONAS.get(who, who))

    return do


def totp_code(dni: str, steps_ahead: int = 0) -> str:
    """The code the account's authenticator shows now (the demo staff share the published
    demo secret; an account enrolled during the test has its own)."""
    device = TOTPDevice.objects.filter(user__login_id=f"01-{dni}", confirmed=True).latest("pk")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def pass_second_factor(page: Page, dni: str) -> None:
    """After the password, if Ayni asks for the second factor: enrol (read the secret
    from the page, as a phone scanning the QR would) or type the current code."""
    page.wait_for_load_state()
    if "/segundo-factor/configurar/" in page.url:
        secret = page.locator("#enrol-secret").get_attribute("data-secret") or ""
        code = f"{TOTP(base64.b32decode(secret)).token():06d}"
        page.locator("#code").fill(code)
        page.get_by_role("button", name="Confirmar").click()
        page.get_by_role("link", name="Ya los guardé, continuar").click()
        page.wait_for_load_state()
    elif "/segundo-factor/verificar/" in page.url:
        for _attempt in range(2):
            page.locator("#code").fill(totp_code(dni))
            page.get_by_role("button", name="Verificar").click()
            page.wait_for_load_state()
            if "/segundo-factor/verificar/" not in page.url:
                return
            time.sleep(30 - time.time() % 30 + 0.5)  # this step's code was spent: the next


@pytest.fixture(autouse=True)
def _public_address_is_the_served_one(settings, live_server) -> None:  # type: ignore[no-untyped-def]
    """As `make run PORT=…` does: links in mails and PDFs point at the address served
    (the live server's random port), never at a default."""
    settings.SITE_URL = live_server.url


# --- accessibility: axe-core (vendored, tests/e2e/vendor/, MPL-2.0) -------------------

AXE_JS = os.path.join(os.path.dirname(__file__), "vendor", "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING = ("serious", "critical")


@pytest.fixture
def axe_context(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, demo_data
) -> Iterator[Callable[..., BrowserContext]]:
    """Like `new_context`, but the page's CSP (script-src 'self') is bypassed so that the
    test can inject axe-core; only the accessibility tests use it."""
    contexts: list[BrowserContext] = []

    def make(width: int = PHONE["width"], height: int = PHONE["height"]) -> BrowserContext:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="es-PE",
            timezone_id="America/Lima",
            bypass_csp=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


AXE_RUN = """tags => axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
})"""


def _axe_node(node: dict) -> str:  # type: ignore[type-arg]
    target = node["target"][0] if node["target"] else "?"
    summary = (node.get("failureSummary") or "").strip().splitlines()
    return f"{target} ({summary[-1].strip() if summary else ''})"


def axe_violations(page: Page) -> list[str]:
    """Run axe-core (WCAG 2.1 A and AA) on the page as it is; the serious and critical
    violations, one line each: rule, impact, help, and the first offending nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE_JS)
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    return [
        f"{v['id']} [{v['impact']}] {v['help']}: "
        + "; ".join(_axe_node(node) for node in v["nodes"][:3])
        for v in result["violations"]
        if v.get("impact") in AXE_BLOCKING
    ]
