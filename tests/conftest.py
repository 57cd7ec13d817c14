"""Personas and the demo data set, loaded once per test database.

The personas are the demo accounts of DESIGN.md, so tests speak of the same
people the demo shows: the teacher of UGEL 07, her colleague, the escalafón
officer of UGEL 07 and of UGEL Cusco, the two Lima supervisors, the MINEDU admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ayni.accounts.models import User
from ayni.api.demo import seed_api_demo
from ayni.core.formtoken import FIELD as FORM_TOKEN
from ayni.core.formtoken import new_token
from ayni.dataprotection.demo import seed_dataprotection_demo
from ayni.desk.demo import seed_desk_demo
from ayni.identity.demo import seed_identity_demo
from ayni.identity.testing import sign_in_verified
from ayni.org.loaders import load_catalogues, load_org_tree
from ayni.org.models import OrgUnit
from ayni.payroll.demo import seed_payroll_demo
from ayni.personnel.demo import seed_demo
from ayni.personnel.models import Servant
from ayni.reports.demo import seed_reports_demo
from ayni.sharing.demo import seed_sharing_demo
from ayni.supervision.demo import ensure_minedu_supervisor
from tests import snapshot

PERSONAS = {
    "servant": "10000001",  # docente nombrado, UGEL 07 San Borja
    "other_servant": "10000002",  # auxiliar, UGEL 07 San Borja
    "cesante": "10000003",  # docente cesante, UGEL 07 San Borja
    "cusco_servant": "10000004",  # contratado, UGEL Cusco
    "canete_servant": "10000005",  # nombrado, UGEL 08 Cañete (DRE Lima Provincias)
    "escalafon": "20000001",  # escalafón, UGEL 07 San Borja
    "planillas": "20000002",  # planillas, UGEL 07 San Borja
    "mesa_partes": "20000003",  # mesa de partes, UGEL 07 San Borja
    "other_ugel_officer": "20000004",  # escalafón, UGEL Cusco
    "dre_supervisor": "20000005",  # supervisor, DRE Lima Metropolitana
    "admin": "20000006",  # administrador, MINEDU
    "other_dre_supervisor": "20000007",  # supervisor, DRE Lima Provincias
    "dre_escalafon": "20000009",  # escalafón, DRE Lima Metropolitana (UGEL officers' own items)
    "dp_officer": "20000010",  # oficial de protección de datos personales, MINEDU
    "mesa_partes_2": "20000011",  # mesa de partes, UGEL 07 (approves the first one's recoveries)
    "minedu_supervisor": "20000008",  # supervisor, MINEDU (reads the whole sector, acts on nothing)
}


def load_everything() -> None:
    from ayni.benefits.rules_data import ensure_rules

    load_org_tree()
    load_catalogues()
    ensure_rules()  # a data migration's rows: gone after a browser test's flush
    seed_demo()
    seed_payroll_demo()
    seed_reports_demo()
    seed_desk_demo()
    seed_dataprotection_demo()
    ensure_minedu_supervisor()
    seed_identity_demo()
    seed_sharing_demo()
    seed_api_demo()
    User.objects.update(privacy_accepted_at=timezone.now())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_everything()
        snapshot.take()


@pytest.fixture
def demo_data(db) -> None:  # type: ignore[no-untyped-def]
    """The demo set; reloaded when a transactional (browser) test flushed the database."""
    if not OrgUnit.objects.exists() and not snapshot.restore():
        load_everything()


@pytest.fixture
def persona(demo_data) -> Callable[[str], User]:  # type: ignore[no-untyped-def]
    def get(name: str) -> User:
        return User.objects.get(login_id=f"01-{PERSONAS[name]}")

    return get


@pytest.fixture
def servant_of(demo_data) -> Callable[[str], Servant]:  # type: ignore[no-untyped-def]
    def get(name: str) -> Servant:
        return Servant.objects.get(doc_number=PERSONAS[name])

    return get


class FormClient(Client):
    """A client whose POSTs carry a fresh one-time form token unless the test gives one,
    as a browser does when each form is opened anew. Replays pass the same token."""

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if data is None:
            data = {}
        if isinstance(data, dict) and FORM_TOKEN not in data:
            data = {**data, FORM_TOKEN: new_token()}
        return super().post(path, data, *args, **kwargs)


@pytest.fixture
def client_for(persona) -> Callable[[str], Client]:  # type: ignore[no-untyped-def]
    """A test client logged in as the persona (or anonymous for "anonymous"); a staff
    persona's session has passed the second factor, as after a real verification."""

    def make(name: str) -> Client:
        client = FormClient()
        if name != "anonymous":
            sign_in_verified(client, persona(name))
        return client

    return make


# --- digital signatures (docs/firma.md) ------------------------------------------------
# The demo PKI, made once per test session in a temporary folder: a CA, one PKCS#12 per
# unit that issues documents in the demo (UGEL 07, UGEL Cusco, UGEL 08 Cañete) and a TSA
# key. Signing is off unless a test asks for the `signing` fixture.
SIGNING_TEST_PASSPHRASE = "prueba-sin-validez"
SIGNING_UNITS = {"150108": "UGEL 07 SAN BORJA", "080001": "UGEL CUSCO", "150201": "UGEL 08 CAÑETE"}


@pytest.fixture(scope="session")
def signing_pki(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The TOML file of the test key store (its folder holds raiz.pem, tsa.pem/.key)."""
    import os

    from ayni.core.signing.demo import PASSPHRASE_ENV, DemoUnit, make_demo_pki

    os.environ[PASSPHRASE_ENV] = SIGNING_TEST_PASSPHRASE
    units = [DemoUnit(code, name) for code, name in SIGNING_UNITS.items()]
    return make_demo_pki(
        tmp_path_factory.mktemp("firma"), units, passphrase=SIGNING_TEST_PASSPHRASE
    )


@pytest.fixture
def signing(signing_pki, settings):  # type: ignore[no-untyped-def]
    """Documents issued in this test are signed with the test PKI (B-B: no TSA)."""
    from ayni.core.signing import reset_store

    settings.SIGNING_CONFIG = str(signing_pki)
    settings.SIGNING_TSA_URL = ""
    reset_store()
    yield signing_pki
    reset_store()
