"""The data-protection pages under the pseudo-locale: every visible word through gettext."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ayni.dataprotection.models import ArcoRequest, SecurityIncident
from tests.test_i18n_pseudo import check_pages, pseudo_locale  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_servant_and_officer_pages(
    check_pages: Callable[[str, list[str]], None],  # noqa: F811
    client_for: Callable[[str], Client],
    persona,  # type: ignore[no-untyped-def]
) -> None:
    client_for("servant").post(
        "/mis-datos-personales/arco/",
        {"right": "acceso", "detail": "Quiero saber qué datos míos guarda Ayni."},
    )
    check_pages(
        "servant",
        ["/mis-datos-personales/", "/proteccion-de-datos/uso-de-sus-datos/", "/cuenta/privacidad/"],
    )
    arco = ArcoRequest.objects.filter(requester=persona("other_servant")).get()
    incident = SecurityIncident.objects.get()
    check_pages(
        "dp_officer",
        [
            "/",
            "/proteccion-de-datos/",
            f"/proteccion-de-datos/arco/{arco.uuid}/",
            "/proteccion-de-datos/incidentes/nuevo/",
            f"/proteccion-de-datos/incidentes/{incident.uuid}/",
            "/proteccion-de-datos/inventario/",
        ],
    )
