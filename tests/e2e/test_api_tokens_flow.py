"""Issue 15 end to end: a payroll officer creates an API token behind the second factor,
sees it once, uses it, and revokes it in Chromium; and the curl script of docs/api.md,
run as written against the live server, uploads and publishes a payroll run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import BrowserContext, expect

from ayni.api.api import api
from ayni.api.models import AccessToken
from ayni.api.tokens import digest_of
from ayni.core.models import AuditEvent, VerificationRecord
from ayni.identity.twofactor import VERIFIED_AT
from ayni.payroll.models import PayrollRun
from tests.api_helpers import REM_NAME, make_token
from tests.e2e.conftest import axe_violations, totp_code
from tests.test_payroll import GOOD_REM, MASTER

BASH = shutil.which("bash") or "/bin/bash"
SHOTS = "/tmp/ayni-api"  # noqa: S108 - screenshots for a person to look at
DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_script() -> str:
    """The bash block that follows the «guion:publicar-planilla» marker, as written."""
    text = DOCS.read_text(encoding="utf-8")
    after = text.split("<!-- guion:publicar-planilla", 1)[1]
    match = re.search(r"```bash\n(.*?)```", after, re.S)
    assert match, "docs/api.md has no script after its marker"
    return match[1]


def http_get(address: str, secret: str) -> tuple[int, dict[str, str]]:
    """A GET from a plain HTTP client (the standard library's), token in the header."""
    request = Request(address, headers={"Authorization": f"Bearer {secret}"})  # noqa: S310
    try:
        with urlopen(request, timeout=30) as response:  # noqa: S310 - the live server
            return response.status, dict(response.headers)
    except HTTPError as error:
        return error.code, dict(error.headers)


def test_the_documented_curl_script_uploads_and_publishes(
    live_server, demo_data, persona, tmp_path
):
    officer = persona("planillas")
    token = make_token(officer, ["planillas:cargar", "planillas:publicar"], name="Guion curl")
    (tmp_path / REM_NAME).write_bytes(GOOD_REM.encode())
    (tmp_path / "maestro.csv").write_bytes(MASTER)
    script = tmp_path / "publicar-planilla.sh"
    script.write_text(documented_script(), encoding="utf-8")
    env = {
        **os.environ,
        "AYNI_URL": live_server.url,
        "AYNI_TOKEN": token,
        "REM": str(tmp_path / REM_NAME),
        "MAESTRO": str(tmp_path / "maestro.csv"),
        "UGEL": "150108",
        "ANIO": "2030",
        "MES": "1",
        "FECHA_PAGO": "2030-01-20",
    }
    done = subprocess.run(  # noqa: S603 - our own documented script, on loopback
        [BASH, str(script)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Borrador con 2 boletas." in done.stdout and "Estado: published" in done.stdout
    run = PayrollRun.objects.get(ugel__code="150108", year=2030, month=1)
    assert run.state == PayrollRun.State.PUBLISHED and run.published_by == officer
    uses = AuditEvent.objects.filter(action="api.token_used", detail__startswith="Guion curl")
    assert uses.count() >= 3  # upload, status, publish
    # the same script again: the period is published; the upload is refused (422), not
    # published twice, and the script stops on the problem document
    again = subprocess.run(  # noqa: S603
        [BASH, str(script)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert again.returncode != 0 and "Estado:" not in again.stdout
    assert "Ayni respondió 422" in again.stderr and "ya está publicada" in again.stderr
    assert PayrollRun.objects.filter(ugel__code="150108", year=2030, month=1).count() == 1


def test_create_a_token_with_step_up_see_it_once_and_revoke_it(
    new_context: Callable[[], BrowserContext], live_server, demo_data, login, url
):
    page = new_context().new_page()
    login(page, "planillas")
    page.goto(url("/cuenta/seguridad/"))
    page.get_by_role("link", name="Mis tokens de acceso").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tokens de acceso a la API")
    # the demo's tokens: one active, one revoked, with their last use
    expect(page.locator("#token-list")).to_contain_text("Sistema de planillas UGEL 07")
    expect(page.locator("#token-list")).to_contain_text("Revocado")

    # the second factor was checked at sign-in: make it stale, as 20 minutes later
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key)
    store[VERIFIED_AT] = store[VERIFIED_AT] - 20 * 60
    store.save()
    page.get_by_role("link", name="Crear un token").click()
    expect(page).to_have_url(re.compile(r"/cuenta/segundo-factor/verificar/\?.*paso=1"))
    page.locator("#code").fill(totp_code("20000002", 1))
    page.get_by_role("button", name="Verificar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crear un token de acceso")

    page.get_by_label("Nombre del token").fill("Integración de prueba e2e")
    page.get_by_label(re.compile(r"Cargar planillas")).check()
    page.get_by_label(re.compile(r"UGEL 07")).check()
    page.get_by_label("Vence en").select_option("7d")
    page.get_by_role("button", name="Crear el token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Token creado")
    page.screenshot(path=f"{SHOTS}-created-360.png", full_page=True)
    secret = page.locator("#token-secret").inner_text().strip()
    token = AccessToken.objects.get(name="Integración de prueba e2e")
    assert token.digest == digest_of(secret) and token.scopes == ["planillas:cargar"]

    # it works, from a real HTTP client, in the header only
    status, _headers = http_get(url("/api/v1/planillas"), secret)
    assert status == 200

    page.get_by_role("link", name="Listo, ya lo copié").click()
    expect(page.locator("#token-list")).to_contain_text("Integración de prueba e2e")
    assert secret not in page.content()  # shown once: never again
    row = page.locator("#token-list tr", has_text="Integración de prueba e2e")
    expect(row).to_contain_text("1 uso")
    page.screenshot(path=f"{SHOTS}-list-360.png", full_page=True)
    row.get_by_role("button", name="Revocar").click()
    expect(page.locator("main .messages")).to_contain_text("revocado")
    expect(page.locator("#token-list tr", has_text="Integración de prueba e2e")).to_contain_text(
        "Revocado"
    )
    status, headers = http_get(url("/api/v1/planillas"), secret)
    assert status == 401 and headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/api/v1/docs"])
def test_the_interactive_docs_show_every_operation_in_chromium(
    new_context: Callable[[], BrowserContext], live_server, demo_data, url, path
):
    page = new_context().new_page()
    page.goto(url(path))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ayni API")
    operations = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    expect(page.locator(".opblock")).to_have_count(operations)
    expect(page.get_by_text("Publicar una planilla en borrador")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}-docs-1280.png")


#: Swagger UI's own English labels (ayni/api/static/api/swagger-es.js relabels them).
ENGLISH_LABELS = {
    "Try it out", "Cancel", "Execute", "Clear", "Reset", "Authorize", "Authorized",
    "Available authorizations", "Logout", "Close", "Value:", "Name:", "In:", "Parameters",
    "No parameters", "Request body", "Responses", "Code", "Description", "Details", "Links",
    "No links", "Media type", "Media Type", "Controls", "Example Value", "Edit Value",
    "Schema", "Schemas", "Model", "Server response", "Response body", "Response headers",
    "Request URL", "Request duration", "Download", "Download file", "Undocumented",
    "Send empty value", "Available values", "Default value", "required", "query", "path",
    "Expand operation", "Collapse operation", "Copy to clipboard", "Apply credentials",
    "OK", "Accepted", "Bad Request", "Unauthorized", "Forbidden", "Not Found", "Conflict",
    "Unprocessable Entity", "Too Many Requests", "Error: Unauthorized", "Error: Not Found",
    "authorization button unlocked", "authorization button locked", "auth-bearer-value",
    "Expand all", "Collapse all", "Examples", "Example",
}  # fmt: skip

VISIBLE_WORDS = """() => {
  const out = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    const text = node.nodeValue.trim();
    if (!text || !el || el.closest("pre, code, textarea, script")) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.height) out.add(text);
  }
  for (const el of document.querySelectorAll("[title], [aria-label], [placeholder]")) {
    for (const name of ["title", "aria-label", "placeholder"]) {
      const value = el.getAttribute(name);
      if (value) out.add(value.trim());
    }
  }
  return [...out];
}"""


def test_the_docs_speak_spanish_after_probar_and_ejecutar_at_360px(
    new_context: Callable[[], BrowserContext], live_server, demo_data, url
):
    """Swagger UI's own words (its buttons, headings, the live answer, the authorization
    dialog) are Spanish, from Ayni's own static file, on a phone-sized screen."""
    page = new_context().new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url("/api/v1/docs"))
    operation = page.locator(".opblock", has_text="Estado de una planilla y sus errores")
    operation.locator(".opblock-summary-control").click()
    page.get_by_role("button", name="Probar", exact=True).click()
    operation.get_by_placeholder("ref").fill("00000000-0000-4000-8000-000000000000")
    page.get_by_role("button", name="Ejecutar", exact=True).click()
    expect(operation.locator(".live-responses-table")).to_contain_text("401")
    expect(operation).to_contain_text("Respuesta del servidor")
    operation.screenshot(path=f"{SHOTS}-docs-operation-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".btn.authorize").first.click()
    expect(page.locator(".modal-ux")).to_contain_text("Autorizaciones disponibles")
    page.screenshot(path=f"{SHOTS}-docs-authorize-360.png")
    shown = set(page.evaluate(VISIBLE_WORDS))
    assert not shown & ENGLISH_LABELS, sorted(shown & ENGLISH_LABELS)
    assert {"Cancelar", "Ejecutar", "Parámetros", "Respuestas", "Autorizar"} <= shown
    page.locator(".modal-ux .btn-done").first.click()
    operation.get_by_role("button", name="Cancelar", exact=True).click()
    shown = set(page.evaluate(VISIBLE_WORDS))
    assert not shown & ENGLISH_LABELS, sorted(shown & ENGLISH_LABELS)
    # every file from Ayni itself: no CDN
    assert all(u.startswith(live_server.url) for u in requested), requested


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the live server's in-memory SQLite test database answers two writers at once "
    "with «table is locked» at once (no busy wait): a test-database limit, not the app's; "
    "the race is proven on PostgreSQL (make test-pg)",
)
def test_two_clients_publishing_the_same_run_at_once_publish_it_once(
    live_server, demo_data, persona
):
    """Two integrations, each with its own token, publish one draft at the same moment:
    one publishes it, the other is told it moved on (409); one set of verification
    records, one audit event."""
    officer = persona("planillas")
    token = make_token(officer, ["planillas:cargar", "planillas:publicar"], name="Uno")
    second = make_token(officer, ["planillas:cargar", "planillas:publicar"], name="Dos")
    boundary = "ayni-limite"
    fields = {"ugel": "150108", "anio": "2030", "mes": "1", "tipo": "activos"}
    fields["fecha_pago"] = "2030-01-20"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for name, filename, data in (
        ("rem", REM_NAME, GOOD_REM.encode()),
        ("maestro", "m.csv", MASTER),
    ):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    upload = Request(  # noqa: S310 - the live server
        live_server.url + "/api/v1/planillas",
        data=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urlopen(upload, timeout=60) as response:  # noqa: S310
        assert response.status == 202
    run = PayrollRun.objects.get(ugel__code="150108", year=2030, month=1)
    assert run.state == PayrollRun.State.DRAFT

    def publish(secret: str) -> int:
        request = Request(  # noqa: S310
            f"{live_server.url}/api/v1/planillas/{run.uuid}/publicar",
            data=b"",
            method="POST",
            headers={"Authorization": f"Bearer {secret}"},
        )
        try:
            with urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status
        except HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(publish, (token, second)))
    assert answers == [200, 409]
    run.refresh_from_db()
    assert run.state == PayrollRun.State.PUBLISHED
    codes = run.payslips.values_list("verification_code", flat=True)
    assert VerificationRecord.objects.filter(code__in=list(codes)).count() == 2
    assert (
        AuditEvent.objects.filter(action="payroll.run.published", object_id=str(run.pk)).count()
        == 1
    )


def test_the_token_pages_pass_axe(axe_context, login, url):
    page = axe_context().new_page()
    login(page, "planillas")
    problems: list[str] = []
    for path in ("/cuenta/tokens/", "/cuenta/tokens/nuevo/", "/ayuda/api/"):
        page.goto(url(path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        problems += [f"{path}: {line}" for line in axe_violations(page)]
    assert not problems, "\n".join(problems)
