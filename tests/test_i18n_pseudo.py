"""Every visible word of the main pages passes through gettext (issue 11, «Words and numbers»).

The pages of every persona are rendered under a pseudo-locale: the translation catalogue of
the site's language is replaced by one that wraps each translated string in «⟦…⟧». The
visible text of the page (html.parser; <script> and <style> skipped) is then stripped of
the marked segments, of data (numbers, dates, amounts, codes) and of the values stored in
the database (names, unit names, catalogue labels, payslip headers: the allow-list is read
from the rows, not written by hand). Whatever is left is a string a translator could not
reach: the test names it and the page.
"""

from __future__ import annotations

import gettext as gettext_module
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from ayni.core import words as cached_words

OPEN, CLOSE = "⟦", "⟧"
CONTEXT_SEPARATOR = "\x04"


class PseudoTranslation(gettext_module.NullTranslations):
    """Each message comes back wrapped in ⟦…⟧ (the context of a pgettext is dropped)."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message.rpartition(CONTEXT_SEPARATOR)[2]}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:  # type: ignore[override]
        return self.gettext(singular if n == 1 else plural)

    def to_language(self) -> str:
        return settings.LANGUAGE_CODE

    def language(self) -> str:
        return settings.LANGUAGE_CODE


@pytest.fixture
def pseudo_locale(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    pseudo = PseudoTranslation()
    catalogues = {code: pseudo for code in (settings.LANGUAGE_CODE, "es", "en-us", "en")}
    monkeypatch.setattr(trans_real, "_translations", catalogues)
    monkeypatch.setattr(trans_real, "_default", pseudo)
    translation.activate(settings.LANGUAGE_CODE)
    cached_words.forget()  # the words cached in the real language
    yield
    translation.deactivate()
    cached_words.forget()  # and now in the pseudo one


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside <script>, <style> and <template>, plus
    the labels a phone shows through CSS (data-label) and the text of buttons and
    placeholders."""

    # <code> holds identifiers (file columns, file names, hashes): data, not prose.
    HIDDEN = {"script", "style", "template", "code"}
    ATTRIBUTES = ("data-label", "placeholder", "aria-label", "title", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.parts.append(value)
        kind = dict(attrs).get("type")
        if tag == "input" and kind in ("submit", "button") and dict(attrs).get("value"):
            self.parts.append(str(dict(attrs)["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data)


MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# Data: numbers, dates and times, amounts, codes with a digit, e-mail addresses, paths,
# section numbers in Roman numerals.
DATA = re.compile(
    r"S/\s*[-\d,.]+"
    r"|\b[IVX]+\b"
    r"|\b[\w-]+\.(csv|rem|pdf)\b"
    r"|\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b"
    r"|\b(?=[\w-]*\d)[\w./-]+\b"
    r"|/[\w/.-]*"
)
LETTER = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]")


def stored_strings() -> list[str]:
    """Every short string stored in the project's tables (and in their JSON columns):
    what a page may show without translating it, because it is data."""
    values: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            value = value.strip()
            if value and len(value) < 300:
                values.add(value)
                values.update(v.strip() for v in value.split("\n") if v.strip())
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    for model in apps.get_models():
        if not model.__module__.startswith("ayni."):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields).iterator(chunk_size=2000):
            collect(row)
    # Names as the pages compose them: the user's str() and the UGEL chooser's names are
    # built from the columns by the project's own functions.
    from ayni.org.selectors import display_name, ugel_groups

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for user in user_model.objects.all():
        values.add(str(user))
    for name in list(values):
        if name.startswith(("DRE ", "GRE ", "UGEL ")):
            values.add(display_name(name))
    for group in ugel_groups():
        values.add(str(group.label))
        values.update(str(label) for _pk, label in group.ugels)
    # Only values with words in them: a bare number is data anyway, and removing «3.00»
    # from «S/ 3.00» would leave a stray «S/».
    return sorted((v for v in values if LETTER.search(v) and len(v) > 1), key=len, reverse=True)


def unmarked(html: str, allowed: list[str]) -> list[str]:
    """The visible strings of the page that no gettext call produced."""
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    previous = None
    while previous != text:
        previous, text = text, MARKED.sub(" ", text)
    found = []
    for chunk in text.split("\n"):
        rest = chunk.strip()
        if not LETTER.search(rest):
            continue
        for value in allowed:
            if value in rest:
                rest = rest.replace(value, " ")
                if not LETTER.search(rest):
                    break
        rest = DATA.sub(" ", rest)
        if LETTER.search(rest):
            found.append(chunk.strip())
    return found


@pytest.fixture
def check_pages(
    client_for: Callable[[str], Client], pseudo_locale: None
) -> Callable[[str, list[str]], None]:
    allowed: list[str] = []

    def check(persona: str, paths: list[str]) -> None:
        if not allowed:
            allowed.extend(stored_strings())
        client = client_for(persona)
        problems = {}
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            html = response.content.decode()
            assert OPEN in html, f"{path}: the pseudo-locale is not active"
            assert "---------" not in html, f"{path}: a select opens on «---------»"
            assert not re.search(r"\w\((es|s)\)", html), f"{path}: a fake plural «(es)»"
            found = unmarked(html, allowed)
            if found:
                problems[path] = found
        assert not problems, "text not passed through gettext:\n" + "\n".join(
            f"{path}: {found}" for path, found in problems.items()
        )

    return check


def first_link(client: Client, path: str, pattern: str) -> str:
    html = client.get(path).content.decode()
    match = re.search(pattern, html)
    assert match, f"no link {pattern} on {path}"
    return match.group(0)


UUID = r"[0-9a-f-]{36}"


def test_the_pseudo_locale_marks_translated_strings(pseudo_locale: None) -> None:
    from django.utils.translation import gettext, ngettext, pgettext

    assert gettext("Ingresar") == "⟦Ingresar⟧"
    assert pgettext("menú", "Inicio") == "⟦Inicio⟧"
    assert ngettext("servidor", "servidores", 2) == "⟦servidores⟧"
    assert unmarked("<p>⟦Hola⟧ <b>Texto suelto</b></p><script>var x</script>", []) == [
        "Texto suelto"
    ]


def test_anonymous_pages(check_pages: Callable[[str, list[str]], None]) -> None:
    check_pages(
        "anonymous",
        ["/cuenta/ingresar/", "/verificar/", "/acceso/solicitar/", "/acceso/seguimiento/"],
    )


def test_servant_pages(
    check_pages: Callable[[str, list[str]], None], client_for: Callable[[str], Client]
) -> None:
    client = client_for("servant")
    payslip = first_link(client, "/mi-boleta/", rf"/mi-boleta/{UUID}/")
    check_pages(
        "servant",
        [
            "/",
            "/mi-boleta/",
            payslip,
            "/mi-legajo/",
            "/mi-legajo/historial/",
            "/mi-legajo/quien-vio/",
            "/mi-legajo/reporte/hoja-de-vida/",
            "/mi-legajo/reporte/informes/",
            "/mis-solicitudes/",
            "/mesa-de-partes/",
            "/notificaciones/",
            "/cuenta/mis-datos/",
        ],
    )


def test_escalafon_pages(
    check_pages: Callable[[str, list[str]], None], client_for: Callable[[str], Client]
) -> None:
    client = client_for("escalafon")
    servant = first_link(client, "/servidores/", rf"/servidores/{UUID}/")
    check_pages(
        "escalafon",
        [
            "/",
            "/servidores/",
            servant,
            "/escalafon/solicitudes/",
            "/escalafon/informes/",
            "/escalafon/hojas-de-vida/",
        ],
    )


def test_cesante_pages(check_pages: Callable[[str, list[str]], None]) -> None:
    check_pages("cesante", ["/", "/mi-boleta/", "/mi-legajo/", "/mi-legajo/reporte/hoja-de-vida/"])


def test_payroll_officer_pages(
    check_pages: Callable[[str, list[str]], None], client_for: Callable[[str], Client]
) -> None:
    client = client_for("planillas")
    run = first_link(client, "/planillas/", rf"/planillas/{UUID}/")
    check_pages("planillas", ["/", "/planillas/", run, "/planillas/cargar/", "/planillas/guia/"])


def test_desk_pages(
    check_pages: Callable[[str, list[str]], None], client_for: Callable[[str], Client]
) -> None:
    client = client_for("mesa_partes")
    case = first_link(client, "/mesa/", rf"/mesa/{UUID}/")
    check_pages("mesa_partes", ["/", "/mesa/", case, "/mesa/recuperar-acceso/"])


def test_supervisor_pages(check_pages: Callable[[str, list[str]], None]) -> None:
    check_pages("dre_supervisor", ["/", "/servidores/", "/auditoria/"])


def test_admin_pages(check_pages: Callable[[str, list[str]], None]) -> None:
    check_pages("admin", ["/", "/servidores/", "/auditoria/", "/ayuda/"])


def test_more_servant_pages(
    check_pages: Callable[[str, list[str]], None], client_for: Callable[[str], Client]
) -> None:
    client = client_for("servant")
    section = first_link(client, "/mi-legajo/", r"/mi-legajo/[a-z]+/")
    request = first_link(client, "/mis-solicitudes/", rf"/mis-solicitudes/{UUID}/")
    case = first_link(client, "/mesa-de-partes/", rf"/mesa-de-partes/{UUID}/")
    check_pages(
        "servant",
        [section, request, case, "/mesa-de-partes/nuevo/", "/cuenta/privacidad/", "/ayuda/"],
    )


def test_staff_forms_and_reviews(
    check_pages: Callable[[str, list[str]], None],
    client_for: Callable[[str], Client],
    servant_of,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for("escalafon")
    servant = servant_of("servant")
    review = first_link(client, "/escalafon/solicitudes/", rf"/escalafon/solicitudes/{UUID}/")
    check_pages(
        "escalafon",
        [
            review,
            f"/servidores/{servant.uuid}/legajo/pension/nuevo/",
            f"/servidores/{servant.uuid}/legajo/allowance/nuevo/",
            "/cuenta/contrasena/cambiar/",
            "/ayuda/revision/",
        ],
    )


def test_more_anonymous_pages(check_pages: Callable[[str, list[str]], None]) -> None:
    check_pages("anonymous", ["/cuenta/contrasena/olvide/", "/ayuda/verificar/"])


@pytest.fixture
def check_html(pseudo_locale: None) -> Callable[[str, str], None]:
    """The same check on a page already fetched (a POST's answer, an error page)."""
    allowed: list[str] = []

    def check(where: str, html: str) -> None:
        if not allowed:
            allowed.extend(stored_strings())
        assert OPEN in html, f"{where}: the pseudo-locale is not active"
        found = unmarked(html, allowed)
        assert not found, f"{where}: text not passed through gettext: {found}"

    return check


def test_the_confirmations_of_irreversible_acts(
    check_pages: Callable[[str, list[str]], None],
    client_for: Callable[[str], Client],
    demo_data: None,
) -> None:
    from ayni.org.models import OrgUnit
    from tests.test_payroll_documents import AUX_ROW, DRAFT_REM, HEADER, TEACHER_ROW, _import

    ugel07 = OrgUnit.objects.get(code="150108")
    draft, outcome = _import(
        ugel07, "activos", DRAFT_REM, f"{HEADER}\n{TEACHER_ROW}\n{AUX_ROW}\n", month=4
    )
    assert outcome.ok, outcome.errors
    check_pages("planillas", [f"/planillas/{draft.uuid}/publicar/"])
    informe = first_link(
        client_for("escalafon"), "/escalafon/informes/", rf"/escalafon/informes/{UUID}/"
    )
    check_pages("escalafon", [informe])


def test_the_access_request_pages_and_answers(
    check_pages: Callable[[str, list[str]], None],
    check_html: Callable[[str, str], None],
    demo_data: None,
) -> None:
    from ayni.desk.models import AccessRequest

    check_pages("anonymous", ["/acceso/enviada/", "/acceso/confirmar/"])
    request = AccessRequest.objects.select_related("case").get(doc_number="10000010")
    client = Client()
    found = client.post(
        "/acceso/seguimiento/",
        {"number": request.case.label, "doc_number": request.doc_number},
    )
    check_html("seguimiento (encontrada)", found.content.decode())
    missing = client.post("/acceso/seguimiento/", {"number": "X", "doc_number": "99999999"})
    check_html("seguimiento (no encontrada)", missing.content.decode())


def test_the_error_pages(
    check_html: Callable[[str, str], None], client_for: Callable[[str], Client]
) -> None:
    servant = client_for("servant")
    forbidden = servant.get("/planillas/")
    assert forbidden.status_code == 403
    check_html("403", forbidden.content.decode())
    missing = servant.get("/no-existe/")
    assert missing.status_code == 404
    check_html("404", missing.content.decode())
    csrf = Client(enforce_csrf_checks=True).post("/cuenta/ingresar/", {})
    assert csrf.status_code == 403
    check_html("CSRF", csrf.content.decode())


def test_the_second_factor_and_sessions_pages(
    check_pages: Callable[[str, list[str]], None], client_for: Callable[[str], Client]
) -> None:
    check_pages("escalafon", ["/cuenta/seguridad/", "/cuenta/sesiones/"])
    check_pages("escalafon", ["/cuenta/segundo-factor/verificar/?paso=1"])
    check_pages("admin", ["/cuenta/segundo-factor/restablecer/"])
    check_pages("servant", ["/cuenta/seguridad/"])
    # the enrolment page: its only unmarked text is the secret to type by hand
    client = client_for("servant")
    html = client.get("/cuenta/segundo-factor/configurar/").content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html)
    assert secret
    groups = [secret[1][i : i + 4] for i in range(0, len(secret[1]), 4)]
    assert OPEN in html
    assert unmarked(html, groups) == []
