"""«Verificar documento» gives one verdict (issue 11, «Verification verdict»).

The original report: uploading a PDF that is not the issued one showed a green
«Documento válido.» with a red note below. Each verdict here is checked by the
Spanish text a visitor reads, and by the absence of every other verdict's text.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ayni.core.models import VerificationRecord
from ayni.core.verification import (
    Verdict,
    format_code,
    verification_annul,
    verification_create,
    verification_supersede,
    verify_document,
)
from ayni.desk.demo import demo_pdf

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")
ISSUED = demo_pdf("Hoja de vida").data
FOREIGN = demo_pdf("Hoja de vida de otra persona").data

# The one sentence that names each verdict, in bold at the top of the result.
HEADINGS = {
    Verdict.GENUINE: "Documento válido.",
    Verdict.ALTERED: "Alerta: este PDF no es el documento emitido.",
    Verdict.ANNULLED: "Documento anulado.",
    Verdict.EXPIRED: "Documento auténtico, pero vencido.",
    Verdict.SUPERSEDED: "Documento auténtico, pero existe uno más reciente.",
    Verdict.UNKNOWN: "No existe un documento con ese código.",
}
COLOUR = {
    Verdict.GENUINE: "msg-success",
    Verdict.ALTERED: "msg-error",
    Verdict.ANNULLED: "msg-error",
    Verdict.EXPIRED: "msg-warning",
    Verdict.SUPERSEDED: "msg-warning",
    Verdict.UNKNOWN: "msg-error",
}


def make_record(**extra):  # type: ignore[no-untyped-def]
    defaults = {
        "kind": "hoja_de_vida",
        "issuer": "UGEL 07 SAN BORJA",
        "summary": {"Documento": "Hoja de vida", "Titular": "Q***** H*****, R*** E****"},
        "pdf_bytes": ISSUED,
    }
    defaults.update(extra)
    return verification_create(**defaults)


def check(code: str, pdf: bytes | None = None) -> str:
    data: dict[str, object] = {"code": code}
    if pdf is not None:
        data["pdf"] = SimpleUploadedFile("documento.pdf", pdf, content_type="application/pdf")
    response = Client().post("/verificar/", data)
    assert response.status_code == 200
    return str(response.content.decode())


def result_of(page: str) -> str:
    match = re.search(r'<section[^>]*id="verify-result".*?</section>', page, re.S)
    assert match, "no result on the page"
    return match.group(0)


def assert_verdict(page: str, verdict: Verdict) -> str:
    """Exactly this verdict: its heading, its colour, and nothing of the others."""
    result = result_of(page)
    assert f'data-verdict="{verdict.value}"' in result
    assert HEADINGS[verdict] in result
    for other, heading in HEADINGS.items():
        if other != verdict:
            assert heading not in page, f"{other} text on a {verdict} page"
    # One message block, in one colour, and it comes before the document's data.
    blocks = re.findall(r'class="msg (msg-\w+)"', result)
    assert blocks == [COLOUR[verdict]]
    if "<dl" in result:
        assert result.index(HEADINGS[verdict]) < result.index("<dl")
    # The verdict comes before the form to check another document.
    assert page.index('id="verify-result"') < page.index("<form")
    return result


# --- 1. genuine -----------------------------------------------------------------


def test_a_genuine_code_alone_is_valid_and_asks_to_compare(demo_data):
    record = make_record()
    result = assert_verdict(check(format_code(record.code).lower()), Verdict.GENUINE)
    assert "Compare los datos de abajo" in result
    assert "idéntico" not in result  # no file was compared
    assert "UGEL 07 SAN BORJA" in result and "Q***** H*****, R*** E****" in result


def test_a_genuine_code_with_the_issued_pdf_is_valid_and_identical(demo_data):
    record = make_record()
    result = assert_verdict(check(record.code, ISSUED), Verdict.GENUINE)
    assert "El PDF es idéntico, byte por byte, al emitido." in result


# --- 2. the code exists, the PDF is not the issued one ----------------------------


def test_a_foreign_pdf_for_a_real_code_is_a_red_alert_never_green(demo_data):
    """The issue's replay: a real code, a sound PDF that is not the one issued."""
    record = make_record()
    page = check(record.code, FOREIGN)
    result = assert_verdict(page, Verdict.ALTERED)
    assert "Documento válido" not in page
    assert "msg-success" not in page
    assert 'role="alert"' in result
    assert "El PDF NO es idéntico al emitido: pudo ser modificado." in result
    # The public summary follows, so the reader can compare.
    assert "Datos del documento emitido con este código" in result
    assert "Q***** H*****, R*** E****" in result
    assert result.index("NO es idéntico") < result.index("Q***** H*****")


def test_one_changed_byte_is_an_alteration(demo_data):
    record = make_record()
    altered = ISSUED.replace(b"Hoja de vida", b"Hoja de vidA")
    assert_verdict(check(record.code, altered), Verdict.ALTERED)
    assert_verdict(check(record.code, ISSUED + b"\n% one more line\n"), Verdict.ALTERED)


def test_an_expired_or_superseded_document_with_a_foreign_pdf_is_an_alteration(demo_data):
    expired = make_record(valid_until=date(2020, 1, 1))
    assert_verdict(check(expired.code, FOREIGN), Verdict.ALTERED)
    old, new = make_record(), make_record()
    verification_supersede(old.code, newer_code=new.code, at=new.issued_at)
    assert_verdict(check(old.code, FOREIGN), Verdict.ALTERED)


def test_a_record_whose_pdf_was_never_stored_matches_no_upload(demo_data):
    record = make_record(pdf_bytes=None)
    assert_verdict(check(record.code, ISSUED), Verdict.ALTERED)


# --- 3. annulled -------------------------------------------------------------------


def test_an_annulled_document_says_so_with_its_reason_whatever_the_pdf(demo_data):
    record = make_record()
    verification_annul(record, "Emitido con datos errados")
    result = assert_verdict(check(record.code), Verdict.ANNULLED)
    assert "Motivo: Emitido con datos errados" in result
    assert "ya no tiene validez" in result
    assert_verdict(check(record.code, ISSUED), Verdict.ANNULLED)
    foreign = assert_verdict(check(record.code, FOREIGN), Verdict.ANNULLED)
    assert "Además, el PDF adjunto no es idéntico al emitido." in foreign


# --- 4. expired --------------------------------------------------------------------


def test_an_expired_document_is_genuine_but_expired(demo_data):
    record = make_record(valid_until=date(2020, 1, 1))
    result = assert_verdict(check(record.code), Verdict.EXPIRED)
    assert "estuvo vigente hasta el 01/01/2020" in result
    same = assert_verdict(check(record.code, ISSUED), Verdict.EXPIRED)
    assert "El PDF es idéntico, byte por byte, al emitido." in same


def test_a_document_is_in_force_on_its_last_day_in_lima(demo_data):
    today = datetime.now(LIMA).date()
    record = make_record(valid_until=today)
    assert verify_document(record.code, today=today).verdict == Verdict.GENUINE
    later = today + timedelta(days=1)
    assert verify_document(record.code, today=later).verdict == Verdict.EXPIRED


# --- 5. superseded -----------------------------------------------------------------


def test_an_earlier_hoja_de_vida_stays_genuine_and_names_the_newer_date(demo_data):
    first_at = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    newer_at = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    old = make_record(issued_at=first_at)
    new = make_record(issued_at=newer_at)
    assert verification_supersede(old.code, newer_code=new.code, at=newer_at) == 1
    result = assert_verdict(check(old.code), Verdict.SUPERSEDED)
    assert "Era correcto en la fecha en que se emitió, el 10/03/2026." in result
    assert "El 20/11/2026 se emitió uno más reciente que lo reemplaza" in result
    # The newer document's code is never shown to whoever holds the old one.
    assert new.code not in result and format_code(new.code) not in result
    same = assert_verdict(check(old.code, ISSUED), Verdict.SUPERSEDED)
    assert "El PDF es idéntico, byte por byte, al emitido." in same
    assert_verdict(check(new.code), Verdict.GENUINE)


def test_every_earlier_copy_names_the_newest_issue(demo_data):
    at = [datetime(2026, m, 5, 15, 0, tzinfo=UTC) for m in (1, 4, 9)]
    first, second, third = (make_record(issued_at=a) for a in at)
    verification_supersede(first.code, newer_code=second.code, at=at[1])
    assert verification_supersede(second.code, newer_code=third.code, at=at[2]) == 2
    for old in (first, second):
        old.refresh_from_db()
        assert old.status == VerificationRecord.Status.SUPERSEDED
        assert (old.superseded_by, old.superseded_at) == (third.code, at[2])
        assert "El 05/09/2026 se emitió uno más reciente" in check(old.code)
    # Calling it again changes nothing.
    assert verification_supersede(second.code, newer_code=third.code, at=at[2]) == 0


def test_supersede_defaults_to_the_newer_issue_time_and_keeps_an_annulment(demo_data):
    old, new = make_record(), make_record()
    verification_supersede(format_code(old.code).lower(), newer_code=new.code)
    old.refresh_from_db()
    assert old.superseded_at == new.issued_at
    annulled, newer = make_record(), make_record()
    verification_annul(annulled, "Datos errados")
    verification_supersede(annulled.code, newer_code=newer.code)
    annulled.refresh_from_db()
    assert annulled.status == VerificationRecord.Status.ANNULLED
    assert_verdict(check(annulled.code), Verdict.ANNULLED)
    with pytest.raises(ValueError):
        verification_supersede(new.code, newer_code=new.code)
    with pytest.raises(VerificationRecord.DoesNotExist):
        verification_supersede(new.code, newer_code="ZZZZZZZZZZZZZZZZ")


# --- 6. unknown --------------------------------------------------------------------


def test_an_unknown_code_is_unknown_with_or_without_a_pdf(demo_data):
    result = assert_verdict(check("ABCD-EFGH-JKMN-PQRS"), Verdict.UNKNOWN)
    assert "Revise que lo escribió bien" in result
    assert "<dl" not in result
    assert_verdict(check("ABCD-EFGH-JKMN-PQRS", ISSUED), Verdict.UNKNOWN)
    assert_verdict(check("too short"), Verdict.UNKNOWN)


# --- the verdict function ------------------------------------------------------------


def test_verify_document_returns_one_verdict_by_precedence(demo_data):
    record = make_record(valid_until=date(2020, 1, 1))
    assert verify_document(record.code).verdict == Verdict.EXPIRED
    assert verify_document(record.code, ISSUED).pdf_identical
    assert verify_document(record.code, FOREIGN).verdict == Verdict.ALTERED
    verification_annul(record, "x")
    assert verify_document(record.code, FOREIGN).verdict == Verdict.ANNULLED
    result = verify_document("nothing")
    assert (result.verdict, result.record, result.code, result.summary) == (
        Verdict.UNKNOWN,
        None,
        "",
        [],
    )


# --- dates and personal data ---------------------------------------------------------


def test_the_issue_date_is_the_lima_date(demo_data):
    # 19:47 in Lima on 01/12 is already 02/12 in UTC.
    record = make_record(issued_at=datetime(2026, 12, 2, 0, 47, tzinfo=UTC))
    result = result_of(check(record.code))
    assert "01/12/2026" in result and "02/12/2026" not in result


@pytest.mark.parametrize("kind", ["boleta", "hoja_de_vida", "informe_escalafonario"])
def test_the_public_page_shows_no_more_personal_data_than_the_document(demo_data, kind):
    """Whatever the owning app stored: the holder masked, no document number, no birth date."""
    from ayni.personnel.models import Servant

    record = VerificationRecord.objects.filter(kind=kind).order_by("created_at").first()
    if record is None:
        pytest.skip(f"the demo set has no {kind}")
    result = result_of(check(record.code))
    for servant in Servant.objects.all():
        name = f"{servant.paternal_surname} {servant.maternal_surname} {servant.given_names}"
        for word in name.split():
            if len(word) > 2:
                assert not re.search(rf"\b{re.escape(word)}\b", result, re.I), word
        assert servant.doc_number not in result
        if servant.birth_date:
            assert f"{servant.birth_date:%d/%m/%Y}" not in result
    # Only the summary's own keys are shown: the list below is what each app stores.
    allowed = {
        "Documento",
        "Titular",
        "Periodo",
        "Documento de identidad",
        "Neto a pagar",
        "Tiempo de servicios",
        "Finalidad",
    }
    assert set(record.summary) <= allowed, set(record.summary) - allowed
    if "Documento de identidad" in record.summary:
        assert re.fullmatch(r"\w+ \*+\d{4}", record.summary["Documento de identidad"])


def test_a_new_hoja_de_vida_supersedes_the_previous_one(client_for, servant_of, persona):
    from ayni.core.models import VerificationRecord
    from ayni.reports.models import Resume
    from ayni.reports.services import resume_generate

    teacher = servant_of("servant")
    first = resume_generate(servant=teacher, actor=persona("escalafon"))
    second = resume_generate(servant=teacher, actor=persona("escalafon"))
    old = VerificationRecord.objects.get(code=first.verification_code)
    new = VerificationRecord.objects.get(code=second.verification_code)
    assert (old.status, new.status) == ("superseded", "valid")
    assert Resume.objects.filter(servant=teacher).count() >= 2
    page = client_for("anonymous").post("/verificar/", {"code": old.code}).content.decode()
    assert "Documento auténtico, pero existe uno más reciente." in page
    assert "Documento válido." not in page
