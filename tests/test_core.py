import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from ayni.core.models import Notification, NumberSequence, OfficeHours, VerificationRecord
from ayni.core.notifications import notify
from ayni.core.numbering import next_number
from ayni.core.verification import (
    format_code,
    verification_annul,
    verification_create,
)
from ayni.core.workdays import add_working_days, is_working_day, received_at
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.desk.demo import demo_pdf

LIMA = ZoneInfo("America/Lima")
UGEL07 = "/000000/150101/150108/"


# --- gapless numbering ------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_are_sequential_per_scope_and_year():
    assert [next_number("prueba-mesa:150108", 2026) for _ in range(3)] == [1, 2, 3]
    assert next_number("prueba-mesa:080001", 2026) == 1
    assert next_number("prueba-mesa:150108", 2027) == 1


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_back():
    next_number("prueba:150108", 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number("prueba:150108", 2026)
        raise RuntimeError("the numbered object could not be stored")
    assert next_number("prueba:150108", 2026) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_has_no_gaps_or_duplicates():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL; SQLite serialises writers anyway")
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                with transaction.atomic():
                    results.append(next_number("desk:concurrency", 2026))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(1, 81))
    assert NumberSequence.objects.get(scope="desk:concurrency").last_value == 80


# --- working-day calendar ---------------------------------------------------------


@pytest.mark.django_db
def test_working_days_skip_weekends_and_holidays(demo_data):
    assert not is_working_day(date(2026, 7, 28))  # Fiestas Patrias
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert is_working_day(date(2026, 11, 27))
    # Monday 27 July 2026 + 1 working day: 28 and 29 are holidays
    assert add_working_days(date(2026, 7, 27), 1) == date(2026, 7, 30)
    # Friday + 5 working days = next Friday
    assert add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 27)
    # Tuesday 1 Dec 2026 + 6: 8 and 9 Dec are holidays
    assert add_working_days(date(2026, 12, 1), 6) == date(2026, 12, 11)


@pytest.mark.django_db
def test_filing_outside_office_hours_counts_on_the_next_working_day(demo_data):
    inside = datetime(2026, 11, 26, 10, 0, tzinfo=LIMA)
    assert received_at(inside, UGEL07) == inside
    evening = datetime(2026, 11, 27, 18, 0, tzinfo=LIMA)  # Friday after closing
    assert received_at(evening, UGEL07) == datetime(2026, 11, 30, 8, 0, tzinfo=LIMA)
    early = datetime(2026, 11, 26, 6, 30, tzinfo=LIMA)
    assert received_at(early, UGEL07) == datetime(2026, 11, 26, 8, 0, tzinfo=LIMA)
    holiday = datetime(2026, 12, 8, 11, 0, tzinfo=LIMA)
    assert received_at(holiday, UGEL07) == datetime(2026, 12, 10, 8, 0, tzinfo=LIMA)


@pytest.mark.django_db
def test_a_unit_can_have_its_own_office_hours(demo_data):
    OfficeHours.objects.create(unit_path=UGEL07, opens=time(7, 30), closes=time(15, 0))
    at = datetime(2026, 11, 26, 15, 30, tzinfo=LIMA)
    assert received_at(at, UGEL07) == datetime(2026, 11, 27, 7, 30, tzinfo=LIMA)
    school = UGEL07 + "0312603/"
    assert received_at(at, school) == datetime(2026, 11, 27, 7, 30, tzinfo=LIMA)
    assert received_at(at, "/000000/080000/080001/") == at  # default hours until 16:30


# --- verification page ------------------------------------------------------------

PDF = demo_pdf("Boleta de pago").data


def make_record(**extra):
    defaults = {
        "kind": "boleta",
        "issuer": "UGEL 07 SAN BORJA",
        "summary": {"Titular": "Q***** H*****, R*** E****", "Periodo": "10-2026"},
        "pdf_bytes": PDF,
    }
    defaults.update(extra)
    return verification_create(**defaults)


@pytest.mark.django_db
def test_verify_page_confirms_a_genuine_document_and_its_pdf(demo_data):
    record = make_record()
    client = Client()
    page = client.post("/verificar/", {"code": format_code(record.code).lower()}).content.decode()
    assert "Documento válido." in page
    assert "UGEL 07 SAN BORJA" in page
    assert "Q***** H*****, R*** E****" in page
    same = client.post(
        "/verificar/", {"code": record.code, "pdf": SimpleUploadedFile("b.pdf", PDF)}
    )
    assert "idéntico, byte por byte" in same.content.decode()
    altered = PDF.replace(b"Boleta de pago", b"Boleta de pag0")
    changed = client.post(
        "/verificar/", {"code": record.code, "pdf": SimpleUploadedFile("b.pdf", altered)}
    )
    assert "NO es idéntico" in changed.content.decode()
    assert "Documento válido." not in changed.content.decode()  # one verdict, never green
    broken = client.post(
        "/verificar/", {"code": record.code, "pdf": SimpleUploadedFile("b.pdf", PDF[:150])}
    )
    assert broken.status_code == 400
    assert "«b.pdf» está dañado o no se puede leer como PDF." in broken.content.decode()
    assert "Documento válido." not in broken.content.decode()


@pytest.mark.django_db
def test_verify_page_unknown_expired_annulled_and_non_pdf(demo_data):
    client = Client()
    assert (
        "No existe un documento con ese código"
        in client.post("/verificar/", {"code": "ABCD-EFGH-JKMN-PQRS"}).content.decode()
    )
    expired = make_record(valid_until=date(2020, 1, 1))
    assert "vencido" in client.post("/verificar/", {"code": expired.code}).content.decode()
    annulled = make_record()
    verification_annul(annulled, "Emitido con datos errados")
    body = client.post("/verificar/", {"code": annulled.code}).content.decode()
    assert "Documento anulado." in body
    assert "Emitido con datos errados" in body
    png = SimpleUploadedFile("boleta.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    refused = client.post("/verificar/", {"code": annulled.code, "pdf": png}).content.decode()
    assert "El archivo no es un PDF." in refused


@pytest.mark.django_db
def test_verify_page_is_rate_limited(demo_data, settings):
    settings.VERIFY_RATE_LIMIT_PER_HOUR = 3
    client = Client()
    statuses = [
        client.post("/verificar/", {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code for _ in range(4)
    ]
    assert statuses[:2] == [200, 200]
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_verification_codes_are_long_and_unique(demo_data):
    codes = {make_record().code for _ in range(50)}
    assert len(codes) == 50
    assert all(len(code) == 16 for code in codes)
    assert VerificationRecord.objects.count() >= 50


# --- work queue and notifications ---------------------------------------------------


@pytest.mark.django_db
def test_work_item_reaches_holders_of_the_permission_in_scope(client_for, servant_of):
    item = work_item_post(
        kind="reports.informe_request",
        title="Tarea de prueba del equipo",
        link="/x/",
        unit_path=UGEL07,
        permission="reports.issue",
        source_type="test",
        source_id="1",
    )
    again = work_item_post(
        kind="reports.informe_request",
        title="Tarea de prueba del equipo",
        link="/x/",
        unit_path=UGEL07,
        permission="reports.issue",
        source_type="test",
        source_id="1",
    )
    assert again.pk == item.pk
    assert "Tarea de prueba del equipo" in client_for("escalafon").get("/").content.decode()
    for other in ("other_ugel_officer", "dre_supervisor", "planillas"):
        assert "Tarea de prueba del equipo" not in client_for(other).get("/").content.decode()
    assert work_item_close(source_type="test", source_id="1") == 1
    assert "Tarea de prueba del equipo" not in client_for("escalafon").get("/").content.decode()


@pytest.mark.django_db
def test_notification_email_carries_a_link_and_no_personal_values(
    persona, django_capture_on_commit_callbacks
):
    user = persona("servant")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipient=user, title="Su solicitud fue atendida", link="/mi-legajo/")
        assert mail.outbox == []  # sent only after commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "/mi-legajo/" in body
    assert user.doc_number not in body
    assert "QUISPE" not in body.upper()
    client = Client()
    client.force_login(user)
    page = client.get("/notificaciones/").content.decode()
    assert "Su solicitud fue atendida" in page
    client.post("/notificaciones/leidas/")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


# --- security headers ---------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(demo_data):
    response = Client().get("/cuenta/ingresar/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "cdn" not in response.content.decode().lower()
