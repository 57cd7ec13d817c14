"""Signing for the administrator: expiry notices, `signing_check`, the demo PKI command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from ayni.accounts.models import Role, RoleGrant
from ayni.core.models import Notification
from ayni.core.signing import reset_store
from ayni.core.signing.demo import PASSPHRASE_ENV, DemoUnit, make_demo_pki
from ayni.core.signing.expiry import expiring, warn_administrators

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_lived(tmp_path, settings, monkeypatch, demo_data):
    """UGEL 07's certificate ends in 30 days; UGEL Cusco's too, but its successor is in."""
    now = dt.datetime.now(dt.UTC)
    soon = now + dt.timedelta(days=30)
    toml = make_demo_pki(
        tmp_path / "pki",
        [
            DemoUnit("150108", "UGEL 07 SAN BORJA", not_after=soon),
            DemoUnit("080001", "UGEL CUSCO", not_after=soon, file_suffix="-a"),
            DemoUnit("080001", "UGEL CUSCO", not_before=soon, file_suffix="-b"),
        ],
        passphrase="caduca",
    )
    monkeypatch.setenv(PASSPHRASE_ENV, "caduca")
    settings.SIGNING_CONFIG = str(toml)
    reset_store()
    yield toml
    reset_store()


def test_administrators_hear_of_a_certificate_ending_without_successor(short_lived, persona):
    items = expiring()
    assert sorted((i.entry.unit_code, i.has_successor) for i in items) == [
        ("080001", True),
        ("150108", False),
    ]
    admins = RoleGrant.objects.filter(role=Role.ADMINISTRADOR, active=True).count()
    assert admins >= 1
    before = Notification.objects.count()
    assert warn_administrators() == admins  # only UGEL 07's, once per administrator
    titles = list(Notification.objects.order_by("-pk").values_list("title", flat=True)[:admins])
    assert all("150108" in t and "vence el" in t for t in titles)
    assert Notification.objects.count() == before + admins
    # not every day: only on the notice days (45, 30, 15, 7, 3, 1, 0 days left)
    assert warn_administrators(today=dt.date.today() + dt.timedelta(days=2)) == 0


def test_signing_check_lists_keys_and_fails_loudly(short_lived, monkeypatch):
    out = io.StringIO()
    call_command("signing_check", stdout=out)
    text = out.getvalue()
    assert "150108  UGEL 07 SAN BORJA (DEMOSTRACIÓN — sin validez legal)" in text
    assert "SIN SUCESOR" in text and "hay sucesor" in text
    monkeypatch.setenv(PASSPHRASE_ENV, "otra")
    reset_store()
    with pytest.raises(CommandError, match="clave incorrecta"):
        call_command("signing_check", stdout=io.StringIO())


def test_signing_demo_makes_the_pki_once(tmp_path, settings, monkeypatch, demo_data):
    toml = tmp_path / "firma-demo" / "firma.toml"
    settings.SIGNING_CONFIG = str(toml)
    monkeypatch.setenv(PASSPHRASE_ENV, "demo")
    out = io.StringIO()
    call_command("signing_demo", stdout=out)
    assert toml.exists() and "certificados en" in out.getvalue()
    content = toml.read_text()
    assert 'unit = "000000"' in content and 'unit = "150108"' in content
    assert "demo" not in content.replace("firma-demo", "")  # the passphrase is not written
    first = (toml.parent / "raiz.pem").read_bytes()
    call_command("signing_demo", stdout=out)
    assert (toml.parent / "raiz.pem").read_bytes() == first  # made once
    assert "ya existe" in out.getvalue()


def test_start_up_check_names_the_failing_key(short_lived, monkeypatch):
    from ayni.core.signing.checks import key_store_loads

    assert key_store_loads() == []
    monkeypatch.delenv(PASSPHRASE_ENV)
    reset_store()
    errors = key_store_loads()
    assert [e.id for e in errors] == ["ayni.signing.E001"]
    assert f"{PASSPHRASE_ENV} no está definida" in errors[0].msg
    assert "unidad 150108" in errors[0].msg


def test_a_missing_key_store_is_an_error_except_before_the_demo_made_it(tmp_path, settings):
    from ayni.core.signing.checks import key_store_loads

    settings.SIGNING_CONFIG = str(tmp_path / "no-existe.toml")
    settings.DEMO_MODE = True  # make demo migrates before signing_demo makes the file
    reset_store()
    assert key_store_loads() == []
    settings.DEMO_MODE = False
    reset_store()
    errors = key_store_loads()
    assert errors and "No se puede leer" in errors[0].msg
    reset_store()
