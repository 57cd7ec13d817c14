"""Issue 11, «Words and numbers»: one Peruvian style on every page and PDF.

Replays what was seen: labels «Afp», «Cuspp», «Dni», «Cts (s/)»; «Documento 01 40000001»;
«---------» placeholders; «servidor(es)»; numbers as «3,301.32», «30 018», «17,1 KB» and
«3612.60» on different pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import formats as django_formats
from django.utils import translation

from ayni.core import formats
from ayni.personnel.sections import KINDS, field_label
from tests.conftest import PERSONAS

NBSP = "\u00a0"


def test_amounts_counts_and_sizes_have_one_peruvian_style() -> None:
    assert formats.soles(Decimal("3301.32")) == f"S/{NBSP}3,301.32"
    assert formats.soles("3612.6") == f"S/{NBSP}3,612.60"
    assert formats.soles(1234567.005) == f"S/{NBSP}1,234,567.01"
    assert formats.soles(None) == "" and formats.soles("x") == ""
    assert formats.count(30018) == "30,018"
    assert formats.filesize(17510) == f"17.1{NBSP}KB"
    assert formats.filesize(500) == f"500{NBSP}bytes"
    assert formats.document("01", "40000001") == "DNI 40000001"
    assert formats.document("04", "X1234") == "Carné de extranjería X1234"


def test_django_number_formats_are_the_projects_es_pe_ones() -> None:
    """intcomma, filesizeformat and localized numbers no longer write «30 018», «17,1 KB»."""
    with translation.override("es-pe"):
        assert django_formats.get_format("DECIMAL_SEPARATOR") == "."
        assert django_formats.get_format("THOUSAND_SEPARATOR") == ","
        assert django_formats.number_format(Decimal("3612.60"), 2, force_grouping=True) == (
            "3,612.60"
        )
        html = Template(
            "{% load humanize ayni_tags %}{{ n|intcomma }}|{{ n|count }}|{{ b|filesizeformat }}"
            "|{{ b|filesize }}|{{ a|soles }}|{{ year }}"
        ).render(Context({"n": 30018, "b": 17510, "a": Decimal("3301.32"), "year": 2026}))
    assert html == f"30,018|30,018|17.1{NBSP}KB|17.1{NBSP}KB|S/{NBSP}3,301.32|2026"


def test_labels_keep_acronyms_and_proper_names() -> None:
    assert field_label(KINDS["pension"], "afp") == "AFP"
    assert field_label(KINDS["pension"], "cuspp") == "CUSPP"
    assert field_label(KINDS["family"], "doc_number") == "DNI"
    assert field_label(KINDS["cessation"], "cts_amount") == "CTS (S/)"
    assert field_label(KINDS["allowance"], "amount") == "Monto (S/)"


@pytest.fixture
def escalafon(client_for: Callable[[str], Client]) -> Client:
    return client_for("escalafon")


def test_documents_read_dni_not_the_sunat_code(escalafon: Client, servant_of) -> None:  # type: ignore[no-untyped-def]
    servant = servant_of("servant")
    page = escalafon.get(f"/servidores/{servant.uuid}/").content.decode()
    assert f"DNI {PERSONAS['servant']}" in page
    assert f"01 {PERSONAS['servant']}" not in page
    listing = escalafon.post("/servidores/", {"q": PERSONAS["servant"]}).content.decode()
    assert f"DNI {PERSONAS['servant']}" in listing


def test_selects_open_on_elija_not_dashes(escalafon: Client, servant_of) -> None:  # type: ignore[no-untyped-def]
    servant = servant_of("servant")
    page = escalafon.get(f"/servidores/{servant.uuid}/legajo/pension/nuevo/").content.decode()
    assert "---------" not in page
    assert "Elija…" in page
    assert ">AFP<" in page or "AFP</label>" in page


def test_payslip_amounts_keep_s_slash_with_the_number(client_for: Callable[[str], Client]) -> None:
    client = client_for("servant")
    listing = client.get("/mi-boleta/").content.decode()
    ref = re.search(r"/mi-boleta/([0-9a-f-]{36})/", listing)
    assert ref
    page = client.get(f"/mi-boleta/{ref.group(1)}/").content.decode()
    amounts = re.findall(r"S/(.)[\d,]+\.\d\d", page)
    assert amounts and set(amounts) == {NBSP}, "«S/» is tied to its amount"
    assert not re.search(r"\d \d{3}[,.]\d\d", page), "no «30 018»-style grouping"


def test_plurals_are_real(escalafon: Client) -> None:
    page = escalafon.get("/servidores/").content.decode()
    assert "(es)" not in page and "(s)" not in page
    assert re.search(r"\d+ servidores|1 servidor\b", page)


def test_work_lists_never_say_hace_0_minutos(client_for, persona):
    from ayni.core.workqueue import work_item_post

    work_item_post(
        kind="prueba",
        title="Tarea recién llegada",
        link="/",
        unit_path="/000000/150101/150108/",
        permission="personnel.edit",
    )
    home = client_for("escalafon").get("/").content.decode()
    assert "Tarea recién llegada" in home and "hace un momento" in home
    assert "hace 0" not in home
    inbox = client_for("escalafon").get("/escalafon/solicitudes/").content.decode()
    assert "hace 0" not in inbox


@pytest.mark.django_db(transaction=True)
def test_a_notice_with_advice_mails_a_short_subject_and_the_whole_notice_in_the_body(
    client_for: Callable[[str], Client], mailoutbox: list
) -> None:
    client = client_for("servant")
    mailoutbox.clear()
    client.post(
        "/cuenta/contrasena/cambiar/",
        {
            "old_password": "ayni-demo-2026",
            "new_password1": "nueva-clave-larga-99",
            "new_password2": "nueva-clave-larga-99",
        },
    )
    (mail,) = mailoutbox
    assert mail.subject == "Ayni: su contraseña fue cambiada"
    assert "Si no fue usted, avise a la mesa de partes de su UGEL" in mail.body


@pytest.mark.django_db(transaction=True)
def test_a_long_notice_without_its_own_subject_mails_its_first_sentence(
    persona: Callable[[str], object], mailoutbox: list
) -> None:
    from ayni.core.notifications import SUBJECT_MAX, notify

    servant = persona("servant")
    mailoutbox.clear()
    notify(
        recipient=servant,
        title="Su trámite fue observado. Complete lo que falta dentro del plazo indicado",
    )
    (mail,) = mailoutbox
    assert mail.subject == "Ayni: Su trámite fue observado"
    assert len(mail.subject) <= SUBJECT_MAX


def test_djangos_own_form_messages_read_as_in_peru(client_for: Callable[[str], Client]) -> None:
    """Replay: the access form said «Introduzca una dirección de correo electrónico
    válida.» (Spain); Peru's state sites say «Ingrese»."""
    from django import forms as django_forms

    with translation.override("es-pe"):
        field = django_forms.EmailField()
        with pytest.raises(django_forms.ValidationError) as error:
            field.clean("no-es-un-correo")
        assert error.value.messages == ["Ingrese un correo electrónico válido."]
        assert str(django_forms.DateField().error_messages["invalid"]) == (
            "Ingrese una fecha válida."
        )


def test_the_compiled_catalogue_matches_its_source() -> None:
    import gettext as gettext_module
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "ayni/locale/es_PE/LC_MESSAGES"
    source = (folder / "django.po").read_text()
    pairs = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, re.M))
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)
    assert pairs and all(compiled.gettext(k) == v for k, v in pairs.items()), (
        "run msgfmt -o django.mo django.po in ayni/locale/es_PE/LC_MESSAGES"
    )
