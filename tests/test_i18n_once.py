"""`{% translate %}` of a constant looked up once per language (core.templatetags.i18n_once):
every form of the tag renders what Django's own tag renders, in each language, on first
and later renders; a swapped catalogue is seen after `words.forget()`."""

from __future__ import annotations

import gettext as gettext_module

import pytest
from django.template import Context, Engine, Template
from django.utils import translation
from django.utils.translation import trans_real

from ayni.core import words

SOURCE = (
    "{% load i18n %}"
    '{% translate "Ingresar" %}|{% translate "Salir" as salir %}{{ salir }}|'
    '{% translate "Ayuda"|upper %}|{% translate "Mayo" context "mes" %}|'
    '{% translate "nada" noop %}|{% translate palabra %}|{% trans "a < b & c" %}|'
    "{% blocktranslate count n=2 %}{{ n }} aviso{% plural %}{{ n }} avisos{% endblocktranslate %}"
)


class Marked(gettext_module.NullTranslations):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def to_language(self) -> str:  # what get_language() reports, as Django's catalogues do
        return self.language

    def gettext(self, message: str) -> str:
        return f"[{message.rpartition(chr(4))[2]}]"


def djangos(autoescape: bool) -> str:
    engine = Engine(libraries={"i18n": "django.templatetags.i18n"}, autoescape=autoescape)
    return engine.from_string(SOURCE).render(Context({"palabra": "Avisos"}, autoescape=autoescape))


def ours(autoescape: bool) -> str:
    template = Template(SOURCE)
    assert type(template.nodelist[1]).__name__ == "TranslateOnceNode"
    return template.render(Context({"palabra": "Avisos"}, autoescape=autoescape))


@pytest.fixture
def marked_language(monkeypatch):
    catalogues = dict(trans_real._translations)
    catalogues["xx"] = Marked("xx")
    monkeypatch.setattr(trans_real, "_translations", catalogues)
    words.forget()
    yield "xx"
    words.forget()


@pytest.mark.parametrize("autoescape", [True, False])
def test_every_form_renders_as_djangos_tag_in_each_language(marked_language, autoescape):
    for language in ("es-pe", marked_language, "es-pe", marked_language):
        with translation.override(language):
            expected = djangos(autoescape)
            assert ours(autoescape) == expected  # the first render asks Django's node
            assert ours(autoescape) == expected  # later ones reuse its answer
    with translation.override(marked_language):
        assert ours(autoescape).startswith("[Ingresar]|[Salir]|[AYUDA]|[Mayo]|nada|[Avisos]|")
    with translation.override("es-pe"):
        assert ours(autoescape).startswith("Ingresar|Salir|AYUDA|Mayo|nada|Avisos|")


def test_a_swapped_catalogue_is_seen_after_forget(monkeypatch):
    with translation.override("es-pe"):
        assert ours(True).startswith("Ingresar|")
        catalogues = dict(trans_real._translations)
        catalogues["es-pe"] = Marked("es-pe")
        monkeypatch.setattr(trans_real, "_translations", catalogues)
        monkeypatch.setattr(trans_real._active, "value", Marked("es-pe"), raising=False)
        assert ours(True).startswith("Ingresar|")  # kept for the life of the process
        words.forget()
        assert ours(True).startswith("[Ingresar]|")
    words.forget()
