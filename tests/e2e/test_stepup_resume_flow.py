"""In Chromium, at 360 px: an escalafón officer types a long observation, her second
factor has gone stale, Ayni asks for the code; after it, «Identidad confirmada» shows
what will be sent and «Continuar» observes the request with exactly her text, once."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module

from django.conf import settings as django_settings
from playwright.sync_api import BrowserContext, expect

from ayni.core.models import AuditEvent
from ayni.identity.twofactor import VERIFIED_AT
from ayni.personnel.models import ChangeRequest
from tests.e2e.conftest import totp_code

SHOTS = "/tmp/ayni-stepup-resume"  # noqa: S108 - screenshots for a person to look at
OBSERVATION = (
    "La resolución adjunta (RD N.° 04512-2026-UGEL07) no corresponde al cargo «Profesora "
    "de aula» que pide registrar.\nAdjunte la resolución de nombramiento y la constancia "
    "de la I.E. N.° 1234 con su sello; revise que la fecha de inicio coincida con el acta "
    "de adjudicación. Consultas: oficina de escalafón, de 8:00 a 13:00."
)


def test_an_observation_survives_the_second_factor(
    new_context: Callable[[], BrowserContext], live_server, demo_data, login, url, servant_of
):
    cr = ChangeRequest.objects.filter(servant=servant_of("servant"), state="en_solicitud")[0]
    page = new_context().new_page()
    login(page, "escalafon")
    page.goto(url(f"/escalafon/solicitudes/{cr.uuid}/"))
    page.locator("#note").fill(OBSERVATION)

    # twenty minutes pass while she writes: the check made at sign-in is stale
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key)
    store[VERIFIED_AT] = store[VERIFIED_AT] - 20 * 60
    store.save()

    page.get_by_role("button", name="Observar").click()
    expect(page).to_have_url(re.compile(r"/cuenta/segundo-factor/verificar/\?.*paso=1"))
    assert "resoluci" not in page.url.lower()  # her text is not in any address
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirme su identidad")
    expect(page.locator("main .messages")).to_contain_text("Lo que escribió quedó guardado")
    page.screenshot(path=f"{SHOTS}-verify-360.png", full_page=True)
    assert ChangeRequest.objects.get(pk=cr.pk).state == "en_solicitud"

    page.locator("#code").fill(totp_code("20000001", 1))
    page.get_by_role("button", name="Verificar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Identidad confirmada")
    expect(page.locator("#step-up-act")).to_have_text("Observar")
    expect(page.locator("#step-up-page")).to_have_text("Solicitud de modificación")
    typed = page.get_by_label("Texto que escribió")
    expect(typed).to_have_value(OBSERVATION)
    expect(typed).not_to_be_editable()
    expect(page.get_by_role("link", name="Cancelar")).to_have_attribute(
        "href", f"/escalafon/solicitudes/{cr.uuid}/"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=f"{SHOTS}-continue-360.png", full_page=True)

    page.get_by_role("button", name="Continuar").click()
    expect(page).to_have_url(url(f"/escalafon/solicitudes/{cr.uuid}/"))
    expect(page.locator("main .messages")).to_contain_text("Solicitud observada")
    expect(page.locator("main")).to_contain_text("Consultas: oficina de escalafón")
    page.screenshot(path=f"{SHOTS}-observed-360.png", full_page=True)
    cr.refresh_from_db()
    assert cr.state == "observado"
    # exactly her text (a browser sends a textarea's line break as CRLF, then as now)
    assert cr.observation == OBSERVATION.replace("\n", "\r\n")
    observed = AuditEvent.objects.filter(
        action="personnel.change_request.observado", object_id=str(cr.pk)
    )
    assert observed.count() == 1

    # «Atrás» to «Identidad confirmada» and «Continuar» again: nothing more is done
    page.go_back()
    page.go_back()
    if page.get_by_role("button", name="Continuar").count():
        page.get_by_role("button", name="Continuar").click()
        expect(page.locator("main .messages")).to_be_visible()
    assert observed.count() == 1
