"""Sign-in with ID GOB.PE against a real OpenID Connect provider (pyop) that the test
starts on loopback: discovery, a signed ID token checked against its JWKS, the code
exchanged over HTTP, PKCE, userinfo. Never a mock of the protocol."""

from __future__ import annotations

import datetime
import ipaddress
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ayni.accounts.models import User
from ayni.core.models import AuditEvent
from ayni.identity.oidc import ACR_KEY
from tests.conftest import FormClient

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/cuenta/gobpe/retorno/"
CA = ""  # the provider's TLS certificate, set by the `provider` fixture
USERS = {
    "maria": {"sub": "gobpe-maria", "doc_type": "DNI", "doc_number": "10000001"},
    "oficial": {"sub": "gobpe-oficial", "doc_type": "DNI", "doc_number": "20000001"},
    "nadie": {"sub": "gobpe-nadie", "doc_type": "DNI", "doc_number": "10009999"},
    "raro": {"sub": "gobpe-raro", "doc_type": "DNI", "doc_number": "1000 0001 9"},
}


def _tls_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the provider's TLS; the client trusts it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "op.pem", folder / "op.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("oidc")
    cert, key = _tls_certificate(folder)
    global CA
    CA = str(cert)
    config = folder / "op.json"
    config.write_text(
        json.dumps(
            {
                "client_id": "ayni-prueba",
                "client_secret": "secreto-de-prueba",
                "redirect_uri": CALLBACK,
                "users": USERS,
                "cert": str(cert),
                "key": str(key),
            }
        )
    )
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.oidc.provider", str(config)],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    base = process.stdout.readline().strip()
    assert base.startswith("https://127.0.0.1:"), base
    yield base
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=10)


@pytest.fixture
def gobpe(provider, settings) -> str:  # type: ignore[no-untyped-def]
    settings.OIDC_RP_CLIENT_ID = "ayni-prueba"
    settings.OIDC_RP_CLIENT_SECRET = "secreto-de-prueba"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    settings.OIDC_VERIFY_SSL = CA  # the provider's self-signed certificate
    return provider


def sign_in(client: FormClient, provider: str, who: str, acr: str) -> object:
    """Ayni → the provider's login form → the person and level chosen → back to Ayni."""
    start = client.get("/cuenta/gobpe/ingresar/")
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{provider}/authorize?")
    assert "code_challenge=" in authorize  # PKCE
    form = requests.get(authorize, timeout=10, verify=CA)
    assert form.status_code == 200, form.text
    request = re.search(r'name="request" value="([^"]+)"', form.text)
    assert request
    back = requests.post(
        f"{provider}/authorize",
        data={"request": request[1].replace("&amp;", "&"), "user": who, "acr": acr},
        allow_redirects=False,
        timeout=10,
        verify=CA,
    )
    assert back.status_code == 302, back.text
    target = urlsplit(back.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == CALLBACK
    return client.get(f"{target.path}?{target.query}")


def test_the_provider_publishes_its_configuration(provider):
    config = requests.get(
        f"{provider}/.well-known/openid-configuration", timeout=10, verify=CA
    ).json()
    assert config["issuer"] == provider
    assert "certificate_dnie" in config["acr_values_supported"]
    assert requests.get(f"{provider}/jwks", timeout=10, verify=CA).json()["keys"][0]["kty"] == "RSA"


def test_a_servant_signs_in_with_gobpe(gobpe, persona):
    client = FormClient()
    assert "Ingresar con ID GOB.PE" in client.get("/cuenta/ingresar/").content.decode()
    response = sign_in(client, gobpe, "maria", "one_factor")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/mi-legajo/").status_code == 200
    assert client.session[ACR_KEY] == "one_factor"
    event = AuditEvent.objects.get(action="auth.login_gobpe")
    assert event.actor == persona("servant")
    assert event.detail == "acr=one_factor"


def test_staff_with_one_factor_still_gives_the_local_code(gobpe):
    client = FormClient()
    sign_in(client, gobpe, "oficial", "one_factor")
    response = client.get("/escalafon/solicitudes/")
    assert response["Location"].startswith("/cuenta/segundo-factor/verificar/")


@pytest.mark.parametrize("acr", ["two_factor", "certificate_dnie", "certificate_token"])
def test_staff_with_a_strong_level_needs_no_local_code(gobpe, acr):
    client = FormClient()
    sign_in(client, gobpe, "oficial", acr)
    assert client.get("/escalafon/solicitudes/").status_code == 200


def test_a_document_without_account_goes_to_the_access_request(gobpe):
    before = User.objects.count()
    client = FormClient()
    response = sign_in(client, gobpe, "nadie", "certificate_dnie")
    assert response["Location"] == "/cuenta/gobpe/fallo/"
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == "/acceso/solicitar/"
    assert "su documento no tiene una cuenta en Ayni" in page.content.decode()
    assert User.objects.count() == before  # never creates an account
    assert client.get("/mi-legajo/")["Location"].startswith("/cuenta/ingresar/")


def test_a_malformed_document_signs_nobody_in(gobpe):
    client = FormClient()
    response = sign_in(client, gobpe, "raro", "certificate_dnie")
    assert response["Location"] == "/cuenta/gobpe/fallo/"
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == "/cuenta/ingresar/"
    assert "No se pudo ingresar con ID GOB.PE" in page.content.decode()
    assert client.get("/mi-legajo/")["Location"].startswith("/cuenta/ingresar/")


def test_a_replayed_callback_is_refused(gobpe):
    client = FormClient()
    start = client.get("/cuenta/gobpe/ingresar/")
    form = requests.get(start["Location"], timeout=10, verify=CA)
    request = re.search(r'name="request" value="([^"]+)"', form.text)
    assert request
    back = requests.post(
        f"{gobpe}/authorize",
        data={"request": request[1].replace("&amp;", "&"), "user": "maria", "acr": "two_factor"},
        allow_redirects=False,
        timeout=10,
        verify=CA,
    )
    target = urlsplit(back.headers["Location"])
    callback = f"{target.path}?{target.query}"
    thief = FormClient()  # another browser: no state in its session
    assert thief.get(callback)["Location"] == "/cuenta/gobpe/fallo/"
    assert thief.get("/mi-legajo/")["Location"].startswith("/cuenta/ingresar/")
    assert client.get(callback)["Location"] == "/"  # the rightful browser, once
    client.post("/cuenta/salir/")
    assert client.get(callback).status_code in (302, 400)
    assert client.get("/mi-legajo/")["Location"].startswith("/cuenta/ingresar/")


def test_switched_off_without_configuration(settings):
    settings.OIDC_RP_CLIENT_ID = ""
    client = FormClient()
    assert client.get("/cuenta/gobpe/ingresar/").status_code == 404
    assert "ID GOB.PE" not in client.get("/cuenta/ingresar/").content.decode()
