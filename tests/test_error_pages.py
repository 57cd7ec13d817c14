"""Error pages in Spanish, in the site's layout, with DEBUG off (the test settings)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def _page(body: str) -> str:
    assert '<html lang="es-PE">' in body and "Ir al inicio" in body
    return body


def test_a_teacher_on_a_staff_page_gets_a_spanish_403(client_for):
    assert settings.DEBUG is False
    response = client_for("servant").get("/planillas/")
    assert response.status_code == 403
    body = _page(response.content.decode())
    assert "No tiene permiso para ver esta página" in body
    assert "Forbidden" not in body


def test_an_unknown_address_gets_a_spanish_404(client_for):
    response = client_for("servant").get("/no-existe/")
    assert response.status_code == 404
    body = _page(response.content.decode())
    assert "No encontramos esta página" in body
    assert "Not Found" not in body


def test_a_bad_host_gets_a_spanish_400():
    response = Client(HTTP_HOST="evil.example").get("/verificar/")
    assert response.status_code == 400
    assert "No pudimos entender la solicitud" in _page(response.content.decode())


def test_a_form_left_open_too_long_says_so_in_spanish(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("servant"))
    response = client.post("/mesa-de-partes/nuevo/", {"subject": "x"})
    assert response.status_code == 403
    body = _page(response.content.decode())
    assert "El formulario venció" in body and "adjúntelos de nuevo" in body
    assert "CSRF" not in body


def test_a_server_error_page_is_spanish_and_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = _page(response.content.decode())
    assert "Algo falló de nuestro lado" in body


def test_make_runs_debug_mode_still_shows_the_spanish_404(client_for, settings):
    """`make run` serves with DEBUG and demo mode on: no English technical page, no URL list."""
    settings.DEBUG = True
    settings.DEMO_MODE = True
    response = client_for("servant").get("/no-existe/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "No encontramos esta página" in body
    assert "Using the URLconf" not in body and "mi-legajo/" not in body.split("<main")[1]
