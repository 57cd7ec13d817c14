"""Step-up keeps what was typed: a stale POST of a sensitive act is refused (nothing
done), its non-file fields kept in the session under a random id; after the code the
page «Identidad confirmada» sends them again with «Continuar», once. And the attacks:
another user's or session's id, a double click, too much text, files, an open
redirect, an expired stash."""

from __future__ import annotations

import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import include, path
from django_otp.plugins.otp_totp.models import TOTPDevice

from ayni.core.formtoken import new_token
from ayni.core.models import AuditEvent
from ayni.identity import stepup_stash
from ayni.identity.stepup import step_up
from ayni.personnel.models import ChangeRequest
from tests.conftest import FormClient
from tests.test_scoping_actions import ACTIONS, Ctx
from tests.test_twofactor import VERIFY, code_for, make_stale

pytestmark = pytest.mark.django_db

CONTINUE = "/cuenta/segundo-factor/continuar/"
OBSERVED = "personnel.change_request.observado"
# Typed by an officer: long, several lines, quotes, markup-looking text, accents.
OBSERVATION = (
    "Estimada docente: la resolución que adjuntó (RD N.° 04512-2026-UGEL07) no corresponde "
    'al cargo "Profesora de aula" que pide registrar.\r\nPor favor adjunte la resolución '
    "de nombramiento correcta & la constancia de la I.E. <N.° 1234> con su sello; "
    "revise también que la fecha de inicio coincida con el acta de adjudicación.\r\n"
    "Si tiene dudas, acérquese a la oficina de escalafón de 8:00 a 13:00 — Área de Escalafón."
)


# --- helpers ---------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: action and (name, value) of their inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": []})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["fields"].append((a["name"], a.get("value") or ""))


def continue_form(page: str) -> tuple[str, dict[str, list[str]]]:
    """The «Continuar» form of «Identidad confirmada»: where it posts and what."""
    parser = _Forms()
    parser.feed(page)
    form = next(f for f in parser.forms if stepup_stash.FIELD in dict(f["fields"]))
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    return form["action"], data


def texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def next_of(location: str) -> str:
    return unquote(parse_qs(urlsplit(location).query)["next"][0])


def pending_request(servant_of: Any) -> ChangeRequest:
    return ChangeRequest.objects.filter(servant=servant_of("servant"), state="en_solicitud")[0]


def review_url(cr: ChangeRequest) -> str:
    return f"/escalafon/solicitudes/{cr.uuid}/"


def stale_observation(client: Any, cr: ChangeRequest, text: str = OBSERVATION) -> Any:
    make_stale(client)
    return client.post(review_url(cr), {"action": "observe", "note": text})


def verify(client: Any, location: str, who: Any) -> Any:
    device = TOTPDevice.objects.get(user=who)
    return client.post(location, {"code": code_for(device)})


def observed_events(cr: ChangeRequest) -> int:
    return AuditEvent.objects.filter(action=OBSERVED, object_id=str(cr.pk)).count()


# --- the flow --------------------------------------------------------------------------


def test_an_observation_typed_before_a_stale_check_is_sent_once_after_it(
    client_for, servant_of, persona
):
    officer = persona("escalafon")
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    refused = stale_observation(client, cr)

    # refused, nothing done, audited; the text is not in any URL
    assert refused.status_code == 302
    assert refused["Location"].startswith(VERIFY)
    assert "paso=1" in refused["Location"]
    back = next_of(refused["Location"])
    assert back.startswith(CONTINUE)
    assert "resoluci" not in unquote(refused["Location"]).lower()
    assert ChangeRequest.objects.get(pk=cr.pk).state == "en_solicitud"
    assert AuditEvent.objects.filter(actor=officer, action="auth.step_up_refused").exists()
    page = client.get(refused["Location"]).content.decode()
    assert "Confirme su identidad" in page
    assert "no se hizo ningún cambio" in page
    assert "Lo que escribió quedó guardado" in page

    # the code, then «Identidad confirmada»
    done = verify(client, refused["Location"], officer)
    assert done["Location"] == back
    page_response = client.get(back)
    assert "no-store" in page_response["Cache-Control"]
    page = page_response.content.decode()
    assert "Identidad confirmada" in page
    assert "Observar" in page and "Solicitud de modificación" in page
    assert "Cancelar" in page and f'href="{review_url(cr)}"' in page
    assert "&lt;N.° 1234&gt;" in page and "<N.° 1234>" not in page  # shown, escaped
    action, data = continue_form(page)
    assert action == review_url(cr)
    assert data["note"] == [OBSERVATION] and data["action"] == ["observe"]
    assert data["form_token"] and data["csrfmiddlewaretoken"]

    sent = client.post(action, data)
    assert sent["Location"] == review_url(cr)
    cr.refresh_from_db()
    assert cr.state == "observado"
    assert cr.observation == OBSERVATION  # exactly what she typed
    assert observed_events(cr) == 1
    assert "Solicitud observada; se avisó al servidor." in texts(sent)
    # spent: the page is gone
    again = client.get(back)
    assert again.status_code == 302
    assert "ya no está disponible" in " ".join(texts(again))


def test_a_double_click_on_continuar_does_the_act_once(client_for, servant_of, persona):
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    refused = stale_observation(client, cr)
    verify(client, refused["Location"], persona("escalafon"))
    action, data = continue_form(client.get(next_of(refused["Location"])).content.decode())
    first = client.post(action, data)
    second = client.post(action, data)  # the same form: its one-time token was spent
    assert first["Location"] == second["Location"] == review_url(cr)
    assert any("ya se había enviado" in t for t in texts(second))
    # the same page with another form token (an old tab): the stash was spent
    third = client.post(action, {**data, "form_token": [new_token()]})
    assert any("Ese envío ya se hizo" in t for t in texts(third))
    assert observed_events(cr) == 1


def test_a_payroll_publication_confirmed_after_the_code_is_published_once(
    client_for, servant_of, persona
):
    """A view guarded by @step_up: «Sí, publicar planilla» sent after the code."""
    act, _row = ACTIONS["publish a payroll run"]
    ctx = Ctx(servant_of, persona)
    url, data = act.prepare(ctx)
    client = client_for("planillas")
    make_stale(client)
    refused = client.post(url, data)
    assert not act.happened(ctx)
    verify(client, refused["Location"], persona("planillas"))
    page = client.get(next_of(refused["Location"])).content.decode()
    assert "Publicar la planilla" in page
    action, fields = continue_form(page)
    client.post(action, fields)
    assert act.happened(ctx)
    client.post(action, fields)
    client.post(action, {**fields, "form_token": [new_token()]})
    published = AuditEvent.objects.filter(
        action="payroll.run.published", actor=persona("planillas"), object_id=str(ctx.target.pk)
    )
    assert published.count() == 1


def test_the_page_before_the_code_asks_for_it(client_for, servant_of):
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    back = next_of(stale_observation(client, cr)["Location"])
    response = client.get(back)  # still stale: the code first, then back here
    assert response["Location"].startswith(VERIFY)
    assert next_of(response["Location"]) == back


def test_cancelar_leaves_the_request_untouched(client_for, servant_of, persona):
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    refused = stale_observation(client, cr)
    verify(client, refused["Location"], persona("escalafon"))
    assert client.get(review_url(cr)).status_code == 200
    assert ChangeRequest.objects.get(pk=cr.pk).state == "en_solicitud"


# --- who may use a stash ---------------------------------------------------------------


def test_another_users_or_sessions_stash_is_refused(client_for, servant_of, persona):
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    refused = stale_observation(client, cr)
    verify(client, refused["Location"], persona("escalafon"))
    back = next_of(refused["Location"])
    stash_id = back.rstrip("/").rsplit("/", 1)[1]
    _action, data = continue_form(client.get(back).content.decode())
    # the same officer in another browser, and another officer of the same scope
    for other in (client_for("escalafon"), client_for("dre_escalafon")):
        response = other.get(back)
        assert response.status_code == 302 and CONTINUE not in response["Location"]
        assert any("ya no está disponible" in t for t in texts(response))
        assert OBSERVATION not in response.content.decode()
        posted = other.post(review_url(cr), {**data, "form_token": [new_token()]})
        assert any("Ese envío ya se hizo" in t for t in texts(posted))
        assert ChangeRequest.objects.get(pk=cr.pk).state == "en_solicitud"
    # a made-up or malformed id
    for bad in ("A" * 24, "..%2F..", "x"):
        assert client.get(f"{CONTINUE}{bad}/").status_code in (302, 404)
    # the owner's stash is still there
    assert stash_id in client.session[stepup_stash.SESSION_KEY]
    assert client.get(back).status_code == 200


def test_a_stash_of_one_path_does_not_serve_another(client_for, servant_of, persona):
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    refused = stale_observation(client, cr)
    verify(client, refused["Location"], persona("escalafon"))
    _action, data = continue_form(client.get(next_of(refused["Location"])).content.decode())
    response = client.post(review_url(cr) + "?otra=1", data)  # another address
    assert any("Ese envío ya se hizo" in t for t in texts(response))
    assert ChangeRequest.objects.get(pk=cr.pk).state == "en_solicitud"


# --- too much, files, redirects, expiry ------------------------------------------------


def test_too_much_text_is_not_kept_and_the_user_returns_to_the_form(
    client_for, servant_of, persona
):
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    refused = stale_observation(client, cr, text="palabra " * 9000)  # ~72 KB
    assert next_of(refused["Location"]) == review_url(cr)  # to the form after the code
    assert stepup_stash.SESSION_KEY not in client.session
    page = client.get(refused["Location"]).content.decode()
    assert "demasiado extenso para guardarlo" in page and "64 KB" in page
    assert verify(client, refused["Location"], persona("escalafon"))["Location"] == review_url(cr)
    assert ChangeRequest.objects.get(pk=cr.pk).state == "en_solicitud"


@step_up
def _upload(request: HttpRequest) -> HttpResponse:
    """A step-up form with a file (as a payroll upload would be)."""

    class Upload(forms.Form):
        period = forms.CharField()
        rem = forms.FileField()

    form = Upload(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        UPLOADS.append(form.cleaned_data["period"])
        return HttpResponse("ok")
    return HttpResponse("<form method='post' enctype='multipart/form-data'></form>")


UPLOADS: list[str] = []
urlpatterns = [path("prueba/carga/", _upload, name="upload_test"), path("", include("ayni.urls"))]


@pytest.mark.urls("tests.test_stepup_resume")
def test_a_form_with_files_asks_to_attach_them_again(client_for, persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    UPLOADS.clear()
    client = client_for("planillas")
    make_stale(client)
    rem = SimpleUploadedFile("PLANILLA.rem", b"0" * 2000, content_type="text/plain")
    refused = client.post("/prueba/carga/", {"period": "2026-11", "rem": rem})
    assert refused["Location"].startswith(VERIFY)
    page = client.get(refused["Location"]).content.decode()
    assert "Los archivos adjuntos no se pueden guardar" in page
    back = next_of(refused["Location"])
    assert verify(client, refused["Location"], persona("planillas"))["Location"] == back
    returned = client.get(back)
    assert returned["Location"] == "/prueba/carga/"  # to the form, not a resend
    assert any("adjúntelos de nuevo" in t for t in texts(returned))
    assert UPLOADS == []
    assert client.get(back).status_code == 302  # spent
    assert b"Continuar" not in client.get(back, follow=True).content


def test_the_paths_kept_are_this_sites_only(client_for, persona):
    request = RequestFactory().get("/")
    for bad in (
        "https://evil.example/robar/",
        "//evil.example/robar/",
        "/\\evil.example/robar/",
        "///evil.example/",
        "javascript:alert(1)",
        "/escalafon/\nsolicitudes/",
        "/no-existe/en/ayni/",
        "",
    ):
        assert stepup_stash.local_path(request, bad) is None, bad
    assert stepup_stash.local_path(request, "http://testserver/cuenta/seguridad/?a=1") == (
        "/cuenta/seguridad/?a=1"
    )
    # a POST with no safe way back (Referer of another site): back to its own path
    admin = client_for("admin")
    make_stale(admin)
    target = persona("servant")
    change = f"/admin/accounts/user/{target.pk}/change/"
    refused = admin.post(
        change, {"full_name": "Nombre Cambiado Aquí"}, HTTP_REFERER="https://evil.example/x/"
    )
    assert "evil" not in unquote(refused["Location"])
    verify(admin, refused["Location"], persona("admin"))
    page = admin.get(next_of(refused["Location"])).content.decode()
    assert "evil" not in page
    action, _data = continue_form(page)
    assert action == change
    assert "Guardar la cuenta" in page
    target.refresh_from_db()
    assert target.full_name != "Nombre Cambiado Aquí"
    # and the verification page never leaves the site
    response = admin.post(VERIFY + "?next=https://evil.example/", {"code": "000000"})
    assert "evil" not in response.get("Location", "")


def test_a_stash_pointing_elsewhere_is_not_shown(client_for, servant_of, persona):
    """Defence in depth: even a session holding another site's path shows nothing."""
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    refused = stale_observation(client, cr)
    verify(client, refused["Location"], persona("escalafon"))
    back = next_of(refused["Location"])
    session = client.session
    for kept in session[stepup_stash.SESSION_KEY].values():
        kept["path"] = "https://evil.example/robar/"
    session.save()
    response = client.get(back)
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_an_expired_stash_is_not_sent(client_for, servant_of, persona, settings):
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    refused = stale_observation(client, cr)
    verify(client, refused["Location"], persona("escalafon"))
    session = client.session
    for kept in session[stepup_stash.SESSION_KEY].values():
        kept["at"] = time.time() - settings.STEP_UP_SECONDS - 60
    session.save()
    response = client.get(next_of(refused["Location"]))
    assert response["Location"] == review_url(cr)
    assert any("Pasaron más de 15 minutos" in t for t in texts(response))
    assert not client.session[stepup_stash.SESSION_KEY]
    assert ChangeRequest.objects.get(pk=cr.pk).state == "en_solicitud"


def test_a_session_keeps_few_stashes(client_for, servant_of):
    client = client_for("escalafon")
    cr = pending_request(servant_of)
    for i in range(stepup_stash.MAX_KEPT + 3):
        stale_observation(client, cr, text=f"Observación número {i}")
    assert len(client.session[stepup_stash.SESSION_KEY]) == stepup_stash.MAX_KEPT


def test_the_continue_page_needs_a_signed_in_user():
    response = FormClient().get(f"{CONTINUE}{'A' * 24}/")
    assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]
