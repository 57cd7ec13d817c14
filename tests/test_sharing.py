"""Share links (issue 15): a servant shares one of their documents with a link that a
bank or a clinic opens without an account, for a few days and a few openings."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ayni.core.models import AuditEvent, VerificationRecord
from ayni.payroll.models import Payslip
from ayni.payroll.pdf import payslip_pdf
from ayni.payroll.services import payroll_annul
from ayni.reports.models import Resume
from ayni.reports.services import resume_generate
from ayni.sharing.documents import own_document
from ayni.sharing.models import LinkStatus, ShareLink, ShareOpening
from ayni.sharing.selectors import my_link_rows, token_hash
from ayni.sharing.services import link_create, link_open
from tests.test_i18n_pseudo import OPEN, check_pages, pseudo_locale, stored_strings, unmarked  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

TOKEN_URL = re.compile(r"/c/#([A-Za-z0-9_-]{43})\b")
GONE = "Este enlace ya no es válido"


def _slip(servant: Any, n: int = 0) -> Payslip:
    return (
        Payslip.objects.filter(
            servant=servant,
            published=True,
            payment_date__lte=timezone.localdate(),
            run__state="published",
        )
        .select_related("run")
        .order_by("-payment_date")[n]
    )


def _open(client: Client, token: str) -> Any:
    """The holder presses «Ver el documento» on `/c/#<token>` (the page copies the token
    after «#» into its form)."""
    return client.post("/c/ver/", {"token": token})


def _create(client: Client, slip: Payslip, **data: Any) -> Any:
    form = {"days": "7", "max_openings": "3", "understood": "on", **data}
    return client.post(f"/mis-enlaces/nuevo/boleta/{slip.uuid}/", form)


def _new_link(client_for: Any, servant_of: Any, **data: Any) -> tuple[str, ShareLink, Payslip]:
    """The teacher shares her latest payslip from the page: (token, link, payslip)."""
    client = client_for("servant")
    slip = _slip(servant_of("servant"))
    response = _create(client, slip, **data)
    assert response.status_code == 302, response.content.decode()[:500]
    shown = client.get(response["Location"]).content.decode()
    token = TOKEN_URL.search(shown)[1]  # type: ignore[index]
    return token, ShareLink.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest()), slip


# --- creating a link ----------------------------------------------------------------------


def test_the_token_is_shown_once_and_only_its_hash_is_stored(client_for, servant_of, persona):
    client = client_for("servant")
    slip = _slip(servant_of("servant"))
    form = client.get(f"/mis-enlaces/nuevo/boleta/{slip.uuid}/").content.decode()
    assert "cualquier persona que tenga el enlace podrá ver" in form.lower()
    assert 'name="form_token"' in form and 'for="id_days"' in form
    response = _create(client, slip)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    token = TOKEN_URL.search(page)[1]  # type: ignore[index]
    assert "no se volverá a mostrar" in page and "<svg" in page  # the QR code
    assert 'id="copy-link"' in page
    link = ShareLink.objects.filter(servant=servant_of("servant"), document_uuid=slip.uuid).first()
    assert link is not None and link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ShareLink.objects.filter(pk=link.pk).values()))
    for event in AuditEvent.objects.filter(object_id=str(link.pk)):
        assert token not in f"{event.detail} {event.before} {event.after}"
    # the URL holds no personal data: the token only
    assert servant_of("servant").doc_number not in TOKEN_URL.search(page)[0]  # type: ignore[index]
    assert link.max_openings == 3 and link.openings_count == 0
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)
    event = AuditEvent.objects.get(action="sharing.link_created", object_id=str(link.pk))
    assert event.actor == persona("servant") and event.subject_id == servant_of("servant").pk
    # shown once: a reload of the page no longer has it
    again = client.get(response["Location"]).content.decode()
    assert token not in again and "ya se mostró una vez" in again


def test_a_double_click_creates_one_link(client_for, servant_of):
    client = client_for("servant")
    slip = _slip(servant_of("servant"))
    before = ShareLink.objects.count()
    data = {"form_token": "s" * 32}
    first, second = _create(client, slip, **data), _create(client, slip, **data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ShareLink.objects.count() == before + 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"days": "31"}, "Elija una de las opciones de la lista."),
        ({"days": "0"}, "Elija una de las opciones de la lista."),
        ({"max_openings": "51"}, "Elija una de las opciones de la lista."),
        ({"max_openings": "x" * 5000}, "Elija una de las opciones de la lista."),
        ({"understood": ""}, "Marque esta casilla"),
    ],
)
def test_bad_choices_are_refused_and_nothing_is_stored(client_for, servant_of, data, message):
    before = ShareLink.objects.count()
    response = _create(client_for("servant"), _slip(servant_of("servant")), **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ShareLink.objects.count() == before


def test_the_service_refuses_more_than_thirty_days_or_fifty_openings(persona):
    from ayni.sharing.services import SharingError

    user = persona("servant")
    doc = own_document(user, "boleta", _slip(user.servant).uuid)
    with pytest.raises(SharingError, match="de 1 a 30 días"):
        link_create(user=user, document=doc, days=31, max_openings=1)
    with pytest.raises(SharingError, match="de 1 a 50 veces"):
        link_create(user=user, document=doc, days=1, max_openings=51)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_servant", 404),  # another servant's payslip: the same 404 as a missing one
        ("cesante", 404),
        ("escalafon", 404),  # staff never share a servant's document
        ("planillas", 404),
        ("admin", 404),
        ("dre_supervisor", 404),
        ("anonymous", 302),  # to the login page
    ],
)
def test_only_the_owner_shares(client_for, servant_of, who, status):
    slip = _slip(servant_of("servant"))
    before = ShareLink.objects.count()
    client = client_for(who)
    assert client.get(f"/mis-enlaces/nuevo/boleta/{slip.uuid}/").status_code == status
    response = _create(client, slip)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/cuenta/ingresar/")
    assert ShareLink.objects.count() == before


def test_an_unknown_kind_or_document_is_404(client_for, servant_of):
    client = client_for("servant")
    slip = _slip(servant_of("servant"))
    assert client.get(f"/mis-enlaces/nuevo/planilla/{slip.uuid}/").status_code == 404
    assert client.get(f"/mis-enlaces/nuevo/informe/{slip.uuid}/").status_code == 404
    other = _slip(servant_of("other_servant"))
    assert client.get(f"/mis-enlaces/nuevo/boleta/{other.uuid}/").status_code == 404


def test_a_retired_servant_shares_too(client_for, servant_of):
    client = client_for("cesante")
    slip = _slip(servant_of("cesante"))
    page = client.get(f"/mi-boleta/{slip.uuid}/").content.decode()
    assert f'href="/mis-enlaces/nuevo/boleta/{slip.uuid}/"' in page  # «Compartir»
    response = _create(client, slip)
    assert response.status_code == 302
    assert ShareLink.objects.filter(servant=servant_of("cesante"), document_uuid=slip.uuid)


def test_an_informe_and_a_hoja_de_vida_are_shared_from_their_pages(client_for, servant_of):
    client = client_for("servant")
    reports = client.get("/mi-legajo/reporte/informes/").content.decode()
    informe = re.search(r'href="/mis-enlaces/nuevo/informe/([0-9a-f-]{36})/"', reports)
    assert informe, "no «Compartir» beside the issued informe"
    resume_page = client.get("/mi-legajo/reporte/hoja-de-vida/").content.decode()
    resume = re.search(r'href="/mis-enlaces/nuevo/hoja_de_vida/([0-9a-f-]{36})/"', resume_page)
    assert resume, "no «Compartir» beside the hoja de vida"
    for kind, ref in (("informe", informe[1]), ("hoja_de_vida", resume[1])):
        response = client.post(
            f"/mis-enlaces/nuevo/{kind}/{ref}/",
            {"days": "3", "max_openings": "1", "understood": "on"},
        )
        assert response.status_code == 302, kind
        token = TOKEN_URL.search(client.get(response["Location"]).content.decode())[1]  # type: ignore[index]
        opened = _open(Client(), token)
        assert opened.status_code == 200, kind
        assert "Documento válido." in opened.content.decode()


# --- opening a link -----------------------------------------------------------------------


def test_the_holder_sees_the_payslip_its_verification_and_the_same_pdf(
    client_for, servant_of, settings
):
    token, link, slip = _new_link(client_for, servant_of)
    bank = Client()
    response = _open(bank, token)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Documento válido." in html and 'data-verdict="genuine"' in html
    assert 'id="signature"' in html
    assert slip.period_label in html and slip.header["apellidos"] in html
    assert re.search(r'id="net">S/\s*[\d,]+\.\d\d<', html)
    code = slip.verification_code
    assert "-".join(code[i : i + 4] for i in range(0, 16, 4)) in html
    # never indexed, cached (by the browser or a proxy, for anyone) or framed
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Cache-Control"] == "no-store" and "Cookie" in response["Vary"]
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"  # its address /c/ver/ holds nothing
    # the PDF: the very bytes the servant downloads, without spending another opening
    pdf_url = re.search(r'id="download-pdf" href="([^"]+)"', html)[1].replace("&amp;", "&")  # type: ignore[index]
    pdf = bank.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    own = client_for("servant").get(f"/mi-boleta/{slip.uuid}/pdf/")
    assert pdf.content == own.content == payslip_pdf(slip)
    assert pdf["X-Robots-Tag"].startswith("noindex") and pdf["Cache-Control"] == "no-store"
    assert pdf["Referrer-Policy"] == "no-referrer"  # its address holds the ticket
    assert token not in pdf_url
    assert bank.get(pdf_url + "&ver=1")["Content-Disposition"].startswith("inline")
    link.refresh_from_db()
    assert link.openings_count == 1
    opening = ShareOpening.objects.get(link=link)
    assert opening.number == 1 and opening.pdf_fetched_at is not None
    event = AuditEvent.objects.get(action="sharing.link_opened", object_id=str(link.pk))
    assert event.actor is None and event.subject_id == slip.servant_id
    assert event.client_ip == "127.0.0.1"  # kept for security reviews, never shown to the servant


def test_a_pdf_address_without_a_valid_ticket_is_refused(client_for, servant_of):
    from django.core import signing

    from ayni.sharing.services import TICKET_SALT

    token, link, _ = _new_link(client_for, servant_of)
    other_token, other, _ = _new_link(client_for, servant_of)
    page = _open(Client(), other_token).content.decode()
    opening = ShareOpening.objects.get(link=other)
    for ticket in (
        "",
        "abc",
        "W1sxLDJdXQ:forged:sig",
        "x" * 5000,
        signing.dumps([link.pk, opening.pk], salt="another.salt"),
        # an opening of one link presented as if it were of another
        signing.dumps([link.pk, opening.pk], salt=TICKET_SALT, compress=True),
    ):
        _assert_gone(Client().get("/c/pdf/", {"a": ticket}), servant_of("servant"))
    link.refresh_from_db()
    assert link.openings_count == 0
    # the other link's own ticket serves the other link's document only
    ticket = re.search(r"\?a=([^\"&]+)", page)[1]  # type: ignore[index]
    pdf = Client().get(f"/c/pdf/?a={ticket}")
    assert pdf.status_code == 200 and token not in pdf["Content-Disposition"]


def _assert_gone(response: Any, servant: Any) -> None:
    assert response.status_code == 410
    html = response.content.decode()
    assert GONE in html
    assert "noindex" in response["X-Robots-Tag"] and response["Cache-Control"] == "no-store"
    for private in (servant.doc_number, servant.paternal_surname, "Boleta de pago"):
        assert private not in html, private


def test_expired_revoked_and_used_up_links_say_the_same_and_reveal_nothing(client_for, servant_of):
    teacher = servant_of("servant")
    openings_before = ShareOpening.objects.filter(link__servant=teacher).count()
    expired, link, _ = _new_link(client_for, servant_of)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _assert_gone(_open(Client(), expired), teacher)

    revoked, link, _ = _new_link(client_for, servant_of)
    client = client_for("servant")
    assert client.post(f"/mis-enlaces/{link.uuid}/anular/").status_code == 302
    _assert_gone(_open(Client(), revoked), teacher)

    once, link, _ = _new_link(client_for, servant_of, max_openings="1")
    first = _open(Client(), once)
    assert first.status_code == 200
    _assert_gone(_open(Client(), once), teacher)  # a reload is another opening
    # the PDF of the granted opening stays reachable for its half hour
    pdf_url = re.search(r'id="download-pdf" href="([^"]+)"', first.content.decode())[1]  # type: ignore[index]
    assert Client().get(pdf_url.replace("&amp;", "&")).status_code == 200

    for wrong in ("x" * 43, "short", "A" * 200, "%00..%20", "", once + "\n", "١" * 43):
        _assert_gone(_open(Client(), wrong), teacher)
    assert ShareOpening.objects.filter(link__servant=teacher).count() == openings_before + 1


def test_a_revoked_link_no_longer_serves_its_pdf(client_for, servant_of):
    token, link, _ = _new_link(client_for, servant_of)
    page = _open(Client(), token).content.decode()
    pdf_url = re.search(r'id="download-pdf" href="([^"]+)"', page)[1].replace("&amp;", "&")  # type: ignore[index]
    client_for("servant").post(f"/mis-enlaces/{link.uuid}/anular/")
    _assert_gone(Client().get(pdf_url), servant_of("servant"))


def test_an_annulled_payslip_stops_its_links_and_cannot_be_shared(client_for, servant_of, persona):
    token, link, slip = _new_link(client_for, servant_of)
    payroll_annul(
        run=slip.run, actor=persona("planillas"), reason="Se publicó con un error de montos."
    )
    _assert_gone(_open(Client(), token), servant_of("servant"))
    rows = {r.link.pk: r for r in my_link_rows(persona("servant"))}
    assert rows[link.pk].status == LinkStatus.DOCUMENT_INVALID
    response = _create(client_for("servant"), slip)
    assert response.status_code == 400
    assert "fue anulado" in response.content.decode()


def test_a_superseded_hoja_de_vida_stops_its_links(client_for, servant_of, persona):
    client = client_for("servant")
    page = client.get("/mi-legajo/reporte/hoja-de-vida/").content.decode()
    ref = re.search(r'href="/mis-enlaces/nuevo/hoja_de_vida/([0-9a-f-]{36})/"', page)[1]  # type: ignore[index]
    response = client.post(
        f"/mis-enlaces/nuevo/hoja_de_vida/{ref}/",
        {"days": "3", "max_openings": "5", "understood": "on"},
    )
    token = TOKEN_URL.search(client.get(response["Location"]).content.decode())[1]  # type: ignore[index]
    assert _open(Client(), token).status_code == 200
    resume_generate(servant=servant_of("servant"), actor=persona("escalafon"))
    assert Resume.objects.filter(servant=servant_of("servant")).count() >= 2
    _assert_gone(_open(Client(), token), servant_of("servant"))


def test_opening_attempts_are_limited_per_address(client_for, servant_of, settings):
    settings.SHARE_OPEN_RATE_LIMIT_PER_HOUR = 5
    token, link, _ = _new_link(client_for, servant_of, max_openings="50")
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        assert _open(guesser, "y" * 43).status_code == 410
    assert _open(guesser, token).status_code == 429  # blocked, even with a good token
    assert _open(Client(REMOTE_ADDR="198.51.100.7"), token).status_code == 200
    link.refresh_from_db()
    assert link.openings_count == 1


# --- the last opening, raced --------------------------------------------------------------


def test_no_opening_past_the_maximum(persona):
    user = persona("servant")
    doc = own_document(user, "boleta", _slip(user.servant).uuid)
    link, token = link_create(user=user, document=doc, days=1, max_openings=2)
    assert [link_open(token=token) is not None for _ in range(4)] == [True, True, False, False]
    assert ShareLink.objects.get(pk=link.pk).openings_count == 2
    assert list(
        ShareOpening.objects.filter(link=link).order_by("number").values_list("number", flat=True)
    ) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_two_openings_racing_for_the_last_count_grant_exactly_one(persona):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    user = persona("servant")
    doc = own_document(user, "boleta", _slip(user.servant).uuid)
    link, token = link_create(user=user, document=doc, days=1, max_openings=3)
    ShareLink.objects.filter(pk=link.pk).update(openings_count=2)  # one opening left
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    granted: list[bool] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            barrier.wait()
            granted.append(link_open(token=token) is not None)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_it) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(granted) == [False] * (threads_n - 1) + [True]
    assert ShareLink.objects.get(pk=link.pk).openings_count == 3
    assert ShareOpening.objects.filter(link=link).count() == 1
    opened = AuditEvent.objects.filter(action="sharing.link_opened", object_id=str(link.pk))
    assert opened.count() == 1


# --- the servant's list -------------------------------------------------------------------


def test_the_list_shows_each_opening_in_lima_time_and_revokes(client_for, servant_of, persona):
    token, link, _ = _new_link(client_for, servant_of)
    _open(Client(), token)
    opening = ShareOpening.objects.get(link=link)
    lima = timezone.localtime(opening.opened_at)
    client = client_for("servant")
    html = client.get("/mis-enlaces/").content.decode()
    card = html[html.index(f'id="link-{link.uuid}"') :]
    card = card[: card.index("</li>\n  \n")] if "</li>\n  \n" in card else card[:4000]
    assert 'data-status="activo"' in html
    assert f"El {lima:%d/%m/%Y} a las {lima:%H:%M}" in card
    assert "1 de 3" in card
    assert "127.0.0.1" not in html  # who opened it is not shown
    assert 'href="/ayuda/compartir/"' in html
    response = client.post(f"/mis-enlaces/{link.uuid}/anular/")
    assert response.status_code == 302 and response["Location"] == "/mis-enlaces/"
    link.refresh_from_db()
    assert link.state == ShareLink.State.REVOKED and link.revoked_at is not None
    event = AuditEvent.objects.get(action="sharing.link.anulado", object_id=str(link.pk))
    assert event.actor == persona("servant")
    html = client.get("/mis-enlaces/").content.decode()
    assert f'action="/mis-enlaces/{link.uuid}/anular/"' not in html
    # revoking again is refused in Spanish, nothing changes
    again = client.post(f"/mis-enlaces/{link.uuid}/anular/")
    assert again.status_code == 409 and "ya no está «Activo»" in again.content.decode()


def test_nobody_revokes_or_sees_someone_elses_links(client_for, servant_of):
    token, link, _ = _new_link(client_for, servant_of)
    for who in ("other_servant", "cesante", "escalafon", "admin"):
        client = client_for(who)
        assert client.post(f"/mis-enlaces/{link.uuid}/anular/").status_code == 404
        assert client.get(f"/mis-enlaces/{link.uuid}/").status_code == 404
        assert link.title not in client.get("/mis-enlaces/").content.decode() or who == "cesante"
    link.refresh_from_db()
    assert link.state == ShareLink.State.ACTIVE
    assert _open(Client(), token).status_code == 200


def test_the_demo_teacher_and_cesante_have_links_in_every_state(client_for):
    for who in ("servant", "cesante"):
        html = client_for(who).get("/mis-enlaces/").content.decode()
        for status in ("activo", "anulado", "vencido"):
            assert f'data-status="{status}"' in html, (who, status)
        assert "Veces que lo abrieron" in html


def test_the_list_takes_the_same_queries_for_three_links_or_ten(client_for, persona):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    client = client_for("servant")
    client.get("/mis-enlaces/")  # the session's first page writes its own rows
    with CaptureQueriesContext(conn) as three:
        client.get("/mis-enlaces/")
    user = persona("servant")
    for n in range(7):
        doc = own_document(user, "boleta", _slip(user.servant, n % 3).uuid)
        _, token = link_create(user=user, document=doc, days=2, max_openings=5)
        link_open(token=token)
    with CaptureQueriesContext(conn) as ten:
        html = client.get("/mis-enlaces/").content.decode()
    assert html.count('share-link"') == 10
    assert len(ten) == len(three)


def test_the_sharing_pages_pass_through_gettext(check_pages, client_for, servant_of, persona):  # noqa: F811
    slip = _slip(servant_of("servant"))
    link = ShareLink.objects.filter(servant=servant_of("servant")).first()
    check_pages(
        "servant",
        [
            "/mis-enlaces/",
            f"/mis-enlaces/nuevo/boleta/{slip.uuid}/",
            f"/mis-enlaces/{link.uuid}/",  # type: ignore[union-attr]
            "/ayuda/compartir/",
        ],
    )
    user = persona("servant")
    _, token = link_create(
        user=user, document=own_document(user, "boleta", slip.uuid), days=1, max_openings=5
    )
    # The holder's page: the verification record's labels are stored data (JSON keys, as
    # /verificar/ shows them); everything else goes through gettext.
    html = _open(Client(), token).content.decode()
    assert OPEN in html
    summary = VerificationRecord.objects.get(code=slip.verification_code).summary
    assert unmarked(html, [*sorted(summary, key=len, reverse=True), *stored_strings()]) == []


def test_a_constancia_de_pagos_is_shared_from_its_page(client_for, servant_of, persona):
    from ayni.benefits.constancia import MonthRange
    from ayni.benefits.services import constancia_request

    teacher = servant_of("servant")
    last = timezone.localdate().replace(day=1)
    cert = constancia_request(
        user=persona("servant"),
        servant=teacher,
        span=MonthRange(last.replace(year=last.year - 1), last),
    )
    client = client_for("servant")
    page = client.get(f"/constancias/{cert.uuid}/").content.decode()
    assert f'href="/mis-enlaces/nuevo/constancia/{cert.uuid}/"' in page
    response = client.post(
        f"/mis-enlaces/nuevo/constancia/{cert.uuid}/",
        {"days": "5", "max_openings": "2", "understood": "on"},
    )
    token = TOKEN_URL.search(client.get(response["Location"]).content.decode())[1]  # type: ignore[index]
    bank = Client()
    html = _open(bank, token).content.decode()
    assert "Documento válido." in html and "Constancia de pagos" in html
    pdf_url = re.search(r'id="download-pdf" href="([^"]+)"', html)[1].replace("&amp;", "&")  # type: ignore[index]
    assert bank.get(pdf_url).content == client.get(f"/constancias/{cert.uuid}/pdf/").content
    # a planillas officer sees the constancia, but is offered no «Compartir» and cannot share it
    officer = client_for("planillas")
    assert "/mis-enlaces/nuevo/" not in officer.get(f"/constancias/{cert.uuid}/").content.decode()
    assert officer.get(f"/mis-enlaces/nuevo/constancia/{cert.uuid}/").status_code == 404


def test_her_links_are_in_her_personal_data_export_without_their_hash(persona):
    from ayni.dataprotection.export import collect

    data, _ = collect(persona("servant"))
    rows = data["otros_registros"]["enlaces compartidos (sharing.sharelink)"]
    assert len(rows) == 3 and {r["state"] for r in rows} == {"Activo", "Anulado"}
    assert all("token_hash" not in r for r in rows)


def test_at_most_twenty_live_links_at_once(client_for, servant_of, persona):
    user = persona("servant")
    doc = own_document(user, "boleta", _slip(user.servant).uuid)
    live = ShareLink.objects.filter(  # the demo's active link
        servant=user.servant, state="activo", expires_at__gt=timezone.now()
    ).count()
    for _ in range(20 - live):
        link_create(user=user, document=doc, days=1, max_openings=1)
    response = _create(client_for("servant"), _slip(servant_of("servant")))
    assert response.status_code == 400
    assert "Ya tiene 20 enlaces que todavía se pueden abrir" in response.content.decode()
    # a used-up link no longer counts
    first = ShareLink.objects.filter(servant=user.servant, max_openings=1).first()
    ShareLink.objects.filter(pk=first.pk).update(openings_count=1)  # type: ignore[union-attr]
    assert _create(client_for("servant"), _slip(servant_of("servant"))).status_code == 302


# --- attacks and walks (the second pass) ----------------------------------------------------


def _gate(client: Client) -> str:
    """The link's first page: its random visit value, as the form carries it."""
    html = client.get("/c/").content.decode()
    return re.search(r'name="visita" value="([^"]+)"', html)[1]  # type: ignore[index]


def test_the_links_first_page_counts_nothing_so_a_chat_preview_spends_no_opening(
    client_for, servant_of
):
    token, link, _ = _new_link(client_for, servant_of, max_openings="1")
    events = AuditEvent.objects.count()
    for agent in ("WhatsApp/2.23.20.0", "Mozilla/5.0 (compatible; Microsoft Safe Links)", ""):
        page = Client(HTTP_USER_AGENT=agent).get("/c/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Ver el documento" in html and "Código del enlace" in html
        assert "noindex" in page["X-Robots-Tag"] and page["Cache-Control"] == "no-store"
        assert page["X-Frame-Options"] == "DENY"
    # a GET of the opening's own address (a bookmark, a crawler) goes to the first page
    assert Client().get("/c/ver/")["Location"] == "/c/"
    link.refresh_from_db()
    assert link.openings_count == 0 and AuditEvent.objects.count() == events
    # the bank, after the preview, still has its one opening
    assert _open(Client(), token).status_code == 200


def test_the_address_holds_the_token_after_a_hash_only(client_for, servant_of):
    client = client_for("servant")
    slip = _slip(servant_of("servant"))
    page = client.get(_create(client, slip)["Location"]).content.decode()
    address = re.search(r'id="share-address"[^>]*>([^<]+)<', page)[1]  # type: ignore[index]
    assert re.fullmatch(r"https?://[^/]+/c/#[A-Za-z0-9_-]{43}", address), address
    # without JavaScript the holder pastes the part after «#» (or all of it)
    token = address.split("#", 1)[1]
    for pasted in (token, f"#{token}", f"  {token} "):
        bank = Client()
        response = bank.post("/c/ver/", {"token": "", "codigo": pasted, "visita": _gate(bank)})
        assert response.status_code == 200 and "Documento válido." in response.content.decode()


def test_a_double_click_or_a_reload_of_the_result_is_one_opening(client_for, servant_of):
    token, link, _ = _new_link(client_for, servant_of, max_openings="2")
    bank = Client()
    visit = _gate(bank)
    first = bank.post("/c/ver/", {"token": token, "visita": visit})
    second = bank.post("/c/ver/", {"token": token, "visita": visit})  # double click / reload
    assert first.status_code == second.status_code == 200
    assert "Esta es la apertura 1 de 2" in second.content.decode()
    link.refresh_from_db()
    assert link.openings_count == 1
    assert ShareOpening.objects.filter(link=link).count() == 1
    assert (
        AuditEvent.objects.filter(action="sharing.link_opened", object_id=str(link.pk)).count() == 1
    )
    # opening the link again (a new first page) is another opening; then it is used up
    assert bank.post("/c/ver/", {"token": token, "visita": _gate(bank)}).status_code == 200
    link.refresh_from_db()
    assert link.openings_count == 2
    # the last opening's double click still shows the document, not «ya no es válido»
    last = Client()
    visit = _gate(last)
    assert last.post("/c/ver/", {"token": token, "visita": visit}).status_code == 410
    # a visit value alone opens nothing: the page of an old visit of another link
    other, _, _ = _new_link(client_for, servant_of)
    _assert_gone(
        Client().post("/c/ver/", {"token": "z" * 43, "visita": visit}), servant_of("servant")
    )
    assert _open(Client(), other).status_code == 200


def test_a_revoked_link_does_not_reopen_through_its_old_visit(client_for, servant_of):
    token, link, _ = _new_link(client_for, servant_of)
    bank = Client()
    visit = _gate(bank)
    assert bank.post("/c/ver/", {"token": token, "visita": visit}).status_code == 200
    client_for("servant").post(f"/mis-enlaces/{link.uuid}/anular/")
    _assert_gone(bank.post("/c/ver/", {"token": token, "visita": visit}), servant_of("servant"))


@pytest.mark.django_db(transaction=True)
def test_one_page_sent_by_racing_requests_counts_once(persona):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    user = persona("servant")
    doc = own_document(user, "boleta", _slip(user.servant).uuid)
    link, token = link_create(user=user, document=doc, days=1, max_openings=5)
    threads_n = 6
    barrier = threading.Barrier(threads_n)
    numbers: list[int | None] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            barrier.wait()
            opened = link_open(token=token, visit="the-same-page-value-0123456789")
            numbers.append(opened.opening.number if opened else None)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_it) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert numbers == [1] * threads_n  # every click shows the one opening
    assert ShareLink.objects.get(pk=link.pk).openings_count == 1
    assert ShareOpening.objects.filter(link=link).count() == 1
    opened = AuditEvent.objects.filter(action="sharing.link_opened", object_id=str(link.pk))
    assert opened.count() == 1


def test_unknown_and_revoked_links_get_the_very_same_answer(client_for, servant_of):
    token, link, _ = _new_link(client_for, servant_of)
    client_for("servant").post(f"/mis-enlaces/{link.uuid}/anular/")
    revoked = Client().post("/c/ver/", {"token": token})
    unknown = Client().post("/c/ver/", {"token": secrets.token_urlsafe(32)})
    malformed = Client().post("/c/ver/", {"token": "' OR 1=1 --"})
    assert revoked.status_code == unknown.status_code == malformed.status_code == 410
    assert revoked.content == unknown.content == malformed.content
    same = ("Content-Type", "Cache-Control", "X-Robots-Tag", "Referrer-Policy", "Vary")
    assert [revoked.get(h) for h in same] == [unknown.get(h) for h in same]


def _old_ticket(link: ShareLink, opening: ShareOpening, minutes: int) -> str:
    import time

    from django.core import signing

    from ayni.sharing.services import TICKET_SALT

    class Back(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - minutes * 60)

    return Back(salt=TICKET_SALT).sign_object([link.pk, opening.pk], compress=True)


def test_the_pdf_ticket_ends_with_its_half_hour_its_link_and_its_owners_account(
    client_for, servant_of, persona
):
    token, link, _ = _new_link(client_for, servant_of)
    assert _open(Client(), token).status_code == 200
    opening = ShareOpening.objects.get(link=link)
    assert Client().get("/c/pdf/", {"a": _old_ticket(link, opening, 29)}).status_code == 200
    _assert_gone(Client().get("/c/pdf/", {"a": _old_ticket(link, opening, 31)}), link.servant)
    fresh = _old_ticket(link, opening, 0)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _assert_gone(Client().get("/c/pdf/", {"a": fresh}), link.servant)


def test_a_deactivated_account_stops_its_links_a_retired_servant_keeps_hers(
    client_for, servant_of, persona
):
    token, link, _ = _new_link(client_for, servant_of)
    assert _open(Client(), token).status_code == 200
    ticket = _old_ticket(link, ShareOpening.objects.get(link=link), 0)
    teacher = persona("servant")
    type(teacher).objects.filter(pk=teacher.pk).update(is_active=False)
    _assert_gone(_open(Client(), token), servant_of("servant"))
    _assert_gone(Client().get("/c/pdf/", {"a": ticket}), servant_of("servant"))
    type(teacher).objects.filter(pk=teacher.pk).update(is_active=True)
    assert Client().get("/c/pdf/", {"a": ticket}).status_code == 200
    # the cesante (retired, account active) shares and her link opens
    client = client_for("cesante")
    response = _create(client, _slip(servant_of("cesante")))
    retired = TOKEN_URL.search(client.get(response["Location"]).content.decode())[1]  # type: ignore[index]
    opened = _open(Client(), retired)
    assert opened.status_code == 200 and "Documento válido." in opened.content.decode()


def test_no_log_line_nor_audit_row_holds_the_token_or_the_servants_identity(
    client_for, servant_of, caplog
):
    import logging

    caplog.set_level(logging.DEBUG)
    teacher = servant_of("servant")
    token, link, _ = _new_link(client_for, servant_of)
    html = _open(Client(), token).content.decode()
    pdf_url = re.search(r'id="download-pdf" href="([^"]+)"', html)[1].replace("&amp;", "&")  # type: ignore[index]
    Client().get(pdf_url)
    client_for("servant").post(f"/mis-enlaces/{link.uuid}/anular/")
    _open(Client(), token)  # 410: logged by django.request as «Gone: /c/ver/»
    Client().get(pdf_url)  # 410 too
    assert "/c/ver/" in caplog.text  # the refusals were logged, by their address only
    assert token not in caplog.text and token_hash(token) not in caplog.text
    rows = AuditEvent.objects.filter(object_id=str(link.pk), action__startswith="sharing.")
    assert {r.action for r in rows} == {
        "sharing.link_created",
        "sharing.link_opened",
        "sharing.link.anulado",
    }
    for row in rows:
        text = f"{row.detail} {row.before} {row.after}"
        for secret in (token, token_hash(token), teacher.doc_number, teacher.paternal_surname):
            assert secret not in text, (row.action, secret)


def test_csrf_is_checked_on_every_sharing_post(client_for, servant_of, persona):
    token, link, slip = _new_link(client_for, servant_of)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(persona("servant"))
    before = ShareLink.objects.count()
    refused = strict.post(
        f"/mis-enlaces/nuevo/boleta/{slip.uuid}/",
        {"days": "7", "max_openings": "3", "understood": "on", "form_token": "c" * 32},
    )
    assert refused.status_code == 403 and ShareLink.objects.count() == before
    assert strict.post(f"/mis-enlaces/{link.uuid}/anular/").status_code == 403
    link.refresh_from_db()
    assert link.state == ShareLink.State.ACTIVE
    bank = Client(enforce_csrf_checks=True)
    assert bank.post("/c/ver/", {"token": token}).status_code == 403
    link.refresh_from_db()
    assert link.openings_count == 0
    # with the first page's cookie and field, the bank's browser gets through
    html = bank.get("/c/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]  # type: ignore[index]
    opened = bank.post("/c/ver/", {"token": token, "csrfmiddlewaretoken": csrf})
    assert opened.status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"days": "-1"},
        {"days": "10" * 15},  # 10^30-ish
        {"days": "1e30"},
        {"days": "7.0"},
        {"days": "siete"},
        {"days": "٧"},  # an Arabic-Indic seven: int() would take it, the list does not
        {"days": "７"},  # a full-width seven
        {"max_openings": "0"},
        {"max_openings": "-3"},
        {"max_openings": "3\x00"},
    ],
)
def test_odd_numbers_are_refused_in_spanish(client_for, servant_of, data):
    before = ShareLink.objects.count()
    response = _create(client_for("servant"), _slip(servant_of("servant")), **data)
    assert response.status_code == 400
    assert "Elija una de las opciones de la lista." in response.content.decode()
    assert ShareLink.objects.count() == before


def test_missing_fields_are_refused_in_spanish(client_for, servant_of):
    slip = _slip(servant_of("servant"))
    before = ShareLink.objects.count()
    response = client_for("servant").post(
        f"/mis-enlaces/nuevo/boleta/{slip.uuid}/", {"understood": "on", "form_token": "m" * 32}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Este campo es obligatorio.") == 2
    assert ShareLink.objects.count() == before


def test_a_replayed_form_token_creates_nothing_new_and_never_shows_the_token_again(
    client_for, servant_of
):
    client = client_for("servant")
    slip = _slip(servant_of("servant"))
    first = _create(client, slip, form_token="r" * 32)
    token = TOKEN_URL.search(client.get(first["Location"]).content.decode())[1]  # type: ignore[index]
    count = ShareLink.objects.count()
    replay = _create(client, slip, form_token="r" * 32)
    assert replay["Location"] == first["Location"] and ShareLink.objects.count() == count
    assert token not in client.get(replay["Location"]).content.decode()
    # another servant replaying her form value gets her own result, never the teacher's
    other = client_for("other_servant")
    response = other.post(
        f"/mis-enlaces/nuevo/boleta/{slip.uuid}/",
        {"days": "7", "max_openings": "3", "understood": "on", "form_token": "r" * 32},
    )
    assert response.status_code == 400 and ShareLink.objects.count() == count
    assert first["Location"] not in response.content.decode()
    assert "ya se está procesando" in response.content.decode()


def test_no_sharing_page_can_be_framed(client_for, servant_of):
    token, _, slip = _new_link(client_for, servant_of)
    client = client_for("servant")
    pages = [
        client.get("/mis-enlaces/"),
        client.get(f"/mis-enlaces/nuevo/boleta/{slip.uuid}/"),
        Client().get("/c/"),
        _open(Client(), token),
        _open(Client(), "q" * 43),
    ]
    for response in pages:
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_staff_see_an_empty_list_and_no_one_elses_link(client_for, servant_of):
    _new_link(client_for, servant_of)
    for who in ("escalafon", "planillas", "admin", "dre_supervisor"):
        html = client_for(who).get("/mis-enlaces/").content.decode()
        assert "Aún no ha compartido ningún documento." in html, who
        assert "Boleta de pago" not in html, who
