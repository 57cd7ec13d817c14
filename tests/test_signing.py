"""Digital signatures (issue 13): every issued document carries a PAdES signature that
pyHanko, poppler's pdfsig (against the demo root in an NSS database) and the public
verification page all accept; one changed byte, a foreign CA, a stripped or re-signed
file are each reported; key-store mistakes fail loudly at load."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from ayni.core.models import VerificationRecord
from ayni.core.signing import Level, SigningConfigError, SigningUnavailable, sign_document
from ayni.core.signing.check import SignatureState, check_signature
from ayni.core.signing.demo import DemoUnit, make_demo_pki
from ayni.core.signing.keys import load_store, reset_store
from ayni.desk.cases import case_file
from ayni.desk.demo import demo_pdf
from ayni.desk.receipts import receipt_pdf
from ayni.org.models import OrgUnit
from ayni.payroll.models import Payslip
from ayni.payroll.pdf import payslip_pdf, render_payslip
from ayni.reports.models import ServiceReport, ServiceReportRequest
from ayni.reports.services import (
    informe_annul,
    informe_issue,
    report_pdf,
    resume_generate,
    resume_pdf,
)

pytestmark = pytest.mark.django_db

PDFSIG = shutil.which("pdfsig")
CERTUTIL = shutil.which("certutil")
needs_pdfsig = pytest.mark.skipif(
    not (PDFSIG and CERTUTIL), reason="poppler-utils and libnss3-tools not installed"
)


# --- helpers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def nss_db(signing_pki, tmp_path_factory) -> Path:
    """An NSS database that trusts the test root, as a reader's would trust a real one."""
    if not (PDFSIG and CERTUTIL):
        pytest.skip("poppler-utils and libnss3-tools not installed")
    folder = tmp_path_factory.mktemp("nss")
    subprocess.run(  # noqa: S603 - a fixed tool, our arguments
        [CERTUTIL, "-N", "-d", f"sql:{folder}", "--empty-password"], check=True
    )
    subprocess.run(  # noqa: S603
        [
            CERTUTIL, "-A", "-d", f"sql:{folder}", "-n", "ayni-prueba", "-t", "CT,C,C",
            "-i", str(signing_pki.parent / "raiz.pem"),
        ],
        check=True,
    )  # fmt: skip
    return folder


def pdfsig(pdf: bytes, nss: Path, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(  # noqa: S603
        [PDFSIG, "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=False
    )
    return done.stdout + done.stderr


def assert_pdfsig_trusted(pdf: bytes, nss: Path, tmp_path: Path, signer: str) -> None:
    out = pdfsig(pdf, nss, tmp_path)
    assert "Signature Type: ETSI.CAdES.detached" in out, out
    assert "Signature Validation: Signature is Valid." in out, out
    assert "Certificate Validation: Certificate is Trusted." in out, out
    assert "Total document signed" in out, out
    assert f"Common Name: {signer} (DEMOSTRACIÓN — sin validez legal)" in out, out


def flip_signed_byte(pdf: bytes) -> bytes:
    """One byte inside the signed range (in the page content, before the signature)."""
    data = bytearray(pdf)
    data[len(pdf) // 3] ^= 0x01
    return bytes(data)


def first_revision(pdf: bytes) -> bytes:
    """The PDF as rendered, before the signature's incremental update: signature stripped."""
    end = pdf.index(b"%%EOF") + len(b"%%EOF")
    return pdf[:end] + b"\n"


def page_one_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    text = page.extract_text()
    for annot in page.get("/Annots") or []:  # the signature's appearance stream
        ap = annot.get_object().get("/AP", {}).get("/N")
        if ap is not None:
            text += "\n" + "\n".join(stream_strings(ap.get_object(), reader))
    return text


def stream_strings(stream: object, reader: PdfReader) -> list[str]:
    """The strings shown (Tj) in a content stream and the form XObjects it draws."""
    from pypdf.generic import ContentStream

    found: list[str] = []
    for operands, operator in ContentStream(stream, reader).operations:
        if operator == b"Tj":
            found.append(str(operands[0]))
        elif operator == b"Do":
            inner = stream.get("/Resources", {}).get("/XObject", {}).get(operands[0])  # type: ignore[attr-defined]
            if inner is not None:
                found += stream_strings(inner.get_object(), reader)
    return found


def verify_page(code: str, pdf: bytes | None) -> tuple[str, str, str]:
    data: dict[str, object] = {"code": code}
    if pdf is not None:
        data["pdf"] = SimpleUploadedFile("documento.pdf", pdf, content_type="application/pdf")
    response = Client().post("/verificar/", data)
    body = response.content.decode()
    verdict = re.search(r'data-verdict="([a-z-]+)"', body)
    signature = re.search(r'data-signature="([a-z-]+)"', body)
    return (
        verdict.group(1) if verdict else "",
        signature.group(1) if signature else "",
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)),
    )


@pytest.fixture
def payslip(demo_data) -> Payslip:
    slip = (
        Payslip.objects.filter(published=True, servant__doc_number="10000001")
        .select_related("run__ugel")
        .order_by("-payment_date")
        .first()
    )
    assert slip is not None
    Payslip.objects.filter(pk=slip.pk).update(pdf_file="", pdf_sha256="")
    slip.pdf_file = ""
    return slip


# --- every issued document is signed, and the independent validators agree --------------


def test_payslip_is_signed_b_b_and_pdfsig_trusts_it(signing, payslip, nss_db, tmp_path):
    pdf = payslip_pdf(payslip)
    assert_pdfsig_trusted(pdf, nss_db, tmp_path, "UGEL 07 SAN BORJA")
    # the stored hash, the verification record's and the served bytes are the signed ones
    payslip.refresh_from_db()
    digest = hashlib.sha256(pdf).hexdigest()
    assert payslip.pdf_sha256 == digest
    assert VerificationRecord.objects.get(code=payslip.verification_code).pdf_sha256 == digest
    check = check_signature(pdf)
    assert check.state == SignatureState.VALID
    assert check.organisation == "UGEL 07 SAN BORJA"
    assert check.signed_at == payslip.run.published_at.replace(microsecond=0)
    assert not check.timestamp  # B-B: no timestamp request per payslip
    text = page_one_text(pdf)
    assert "Firmado digitalmente por: UGEL 07 SAN BORJA" in text
    assert "Documento emitido a trav" in text
    assert "Copia aut" in text and "DS 070-2013-PCM, art. 25" in text
    code = payslip.verification_code
    assert "-".join(code[i : i + 4] for i in range(0, 16, 4)) in text


def test_signing_the_same_snapshot_twice_gives_the_same_bytes(signing, payslip):
    first = render_payslip(payslip)
    assert check_signature(first).state == SignatureState.VALID
    assert render_payslip(payslip) == first


def test_informe_hoja_de_vida_and_receipt_are_signed(
    signing, persona, servant_of, nss_db, tmp_path
):
    req = ServiceReportRequest.objects.get(servant=servant_of("cesante"), state="pendiente")
    report = informe_issue(officer=persona("escalafon"), req=req)
    informe = report_pdf(report)
    assert_pdfsig_trusted(informe, nss_db, tmp_path, "UGEL 07 SAN BORJA")

    resume = resume_generate(servant=servant_of("servant"), actor=persona("escalafon"))
    hoja = resume_pdf(resume)
    assert_pdfsig_trusted(hoja, nss_db, tmp_path, "UGEL 07 SAN BORJA")

    ugel07 = OrgUnit.objects.get(code="150108")
    case = case_file(
        user=persona("servant"),
        servant=servant_of("servant"),
        unit=ugel07,
        kind="otro",
        subject="Constancia",
        files=[demo_pdf("x")],
    )
    case.receipt_file = ""
    Case = type(case)
    Case.objects.filter(pk=case.pk).update(receipt_file="")
    cargo = receipt_pdf(case)
    assert_pdfsig_trusted(cargo, nss_db, tmp_path, "UGEL 07 SAN BORJA")
    for pdf, code in (
        (informe, report.verification_code),
        (hoja, resume.verification_code),
        (cargo, case.verification_code),
    ):
        assert (
            VerificationRecord.objects.get(code=code).pdf_sha256 == hashlib.sha256(pdf).hexdigest()
        )
        verdict, signature, text = verify_page(code, pdf)
        assert (verdict, signature) == ("genuine", "valid"), text
        assert "Firmado digitalmente por UGEL 07 SAN BORJA" in text


# --- attacks -----------------------------------------------------------------------------


def test_one_changed_byte_is_reported_by_pdfsig_and_the_page(signing, payslip, nss_db, tmp_path):
    pdf = payslip_pdf(payslip)
    bad = flip_signed_byte(pdf)
    out = pdfsig(bad, nss_db, tmp_path)
    assert "Signature is Valid" not in out
    assert "Digest Mismatch" in out, out
    verdict, signature, text = verify_page(payslip.verification_code, bad)
    assert verdict == "altered"
    assert signature == "broken"
    assert "el documento fue alterado después de firmarse" in text


def test_a_pdf_signed_by_another_ca_is_not_trusted(signing, payslip, tmp_path, nss_db):
    other = make_demo_pki(
        tmp_path / "otra", [DemoUnit("150108", "UGEL 07 SAN BORJA")], passphrase="otra-clave"
    )
    import os

    from ayni.core.signing.demo import PASSPHRASE_ENV

    original = os.environ[PASSPHRASE_ENV]
    os.environ[PASSPHRASE_ENV] = "otra-clave"
    try:
        foreign = load_store(other).keys["150108"][0]
    finally:
        os.environ[PASSPHRASE_ENV] = original
    from ayni.core.signing import _sign

    unsigned = first_revision(payslip_pdf(payslip))
    forged = _sign(unsigned, foreign, payslip.run.published_at, "Firmado", None, Level.B_B)
    out = pdfsig(forged, nss_db, tmp_path)
    assert "Signature is Valid." in out  # intact ...
    assert "Certificate is Trusted" not in out  # ... but not from a trusted root
    assert check_signature(forged).state == SignatureState.UNTRUSTED
    verdict, signature, text = verify_page(payslip.verification_code, forged)
    assert (verdict, signature) == ("altered", "untrusted")
    assert "no es de una entidad reconocida" in text


def test_stripped_and_resigned_copies_are_not_the_issued_document(signing, payslip):
    pdf = payslip_pdf(payslip)
    stripped = first_revision(pdf)
    assert check_signature(stripped).state == SignatureState.UNSIGNED
    verdict, signature, text = verify_page(payslip.verification_code, stripped)
    assert (verdict, signature) == ("altered", "unsigned")
    assert "Este PDF no tiene firma digital" in text

    # altered (a different net pay), then signed again with the genuine key: the file
    # verifies as signed by the UGEL, but it is not the document issued with this code
    altered = stripped.replace(b"/Title", b"/Titlf", 1)
    assert altered != stripped
    resigned = sign_document(altered, payslip.run.ugel, level=Level.B_B, code="X")
    assert check_signature(resigned).state == SignatureState.VALID
    verdict, _, _ = verify_page(payslip.verification_code, resigned)
    assert verdict == "altered"


def test_a_change_saved_after_signing_is_reported(signing, payslip, nss_db, tmp_path):
    """An incremental update (what a PDF editor saves): the signed revision is intact,
    but the file a bank receives is not what was signed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf = payslip_pdf(payslip)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    edited = out.getvalue()
    assert check_signature(edited).state == SignatureState.ADDED_AFTER
    assert "Not total document signed" in pdfsig(edited, nss_db, tmp_path)
    verdict, signature, text = verify_page(payslip.verification_code, edited)
    assert (verdict, signature) == ("altered", "added-after")
    assert "fue modificado después de firmarse" in text


def test_an_annulled_informe_stays_annulled_with_an_intact_signature(signing, persona):
    report = ServiceReport.objects.filter(state="emitido").select_related("unit").first()
    assert report is not None
    ServiceReport.objects.filter(pk=report.pk).update(pdf_file="")
    report.pdf_file = ""
    pdf = report_pdf(report)
    informe_annul(officer=persona("escalafon"), report=report, reason="Error en los datos")
    verdict, signature, text = verify_page(report.verification_code, pdf)
    assert (verdict, signature) == ("annulled", "valid")
    assert "Documento anulado" in text


def test_malformed_and_huge_uploads_are_refused_or_unreadable(signing, payslip):
    assert check_signature(b"%PDF-1.7\n1 0 obj garbage").state in (
        SignatureState.UNREADABLE,
        SignatureState.UNSIGNED,
    )
    response = Client().post(
        "/verificar/",
        {
            "code": payslip.verification_code,
            "pdf": SimpleUploadedFile("x.pdf", b"%PDF-1.7\n1 0 obj garbage"),
        },
    )
    assert response.status_code == 400
    # a signature whose /Contents is huge garbage: read in the child, refused as broken
    pdf = payslip_pdf(payslip)
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    end = pdf.index(b">", start)
    junk = pdf[:start] + b"f" * (end - start) + pdf[end:]
    assert check_signature(junk).state in (SignatureState.BROKEN, SignatureState.UNREADABLE)


# --- the key store --------------------------------------------------------------------


def test_a_missing_or_wrong_passphrase_is_a_clear_error(signing_pki, monkeypatch, tmp_path):
    from ayni.core.signing.demo import PASSPHRASE_ENV

    monkeypatch.delenv(PASSPHRASE_ENV)
    with pytest.raises(SigningConfigError, match=f"{PASSPHRASE_ENV} no está definida"):
        load_store(signing_pki)
    monkeypatch.setenv(PASSPHRASE_ENV, "no-es-la-clave")
    with pytest.raises(SigningConfigError, match=r"clave incorrecta o archivo dañado"):
        load_store(signing_pki)
    bad = tmp_path / "firma.toml"
    bad.write_text('[[key]]\nunit = "150108"\npkcs12 = "no-existe.p12"\npassphrase_env = "X"\n')
    monkeypatch.setenv("X", "y")
    with pytest.raises(SigningConfigError, match="no se puede leer"):
        load_store(bad)


def test_a_school_signs_with_its_ugel_and_the_block_names_both(signing, demo_data):
    school = OrgUnit.objects.get(code="0312603")  # I.E. 7072, under UGEL 07
    pdf = sign_document(demo_pdf("x").data, school, level=Level.B_B, code="ABCD-EFGH")
    check = check_signature(pdf)
    assert check.state == SignatureState.VALID
    assert check.organisation == "UGEL 07 SAN BORJA"
    text = page_one_text(pdf)
    assert school.name.split()[0] in text and "UGEL 07 SAN BORJA" in text
    assert "unidad superior" in text


def test_a_unit_without_any_certificate_issues_unsigned_or_is_refused(
    signing, demo_data, settings, caplog
):
    lonely = OrgUnit.objects.filter(kind="UGEL").exclude(code__in=["150108", "080001", "150201"])
    unit = lonely.first()
    assert unit is not None
    original = demo_pdf("x").data
    assert sign_document(original, unit, level=Level.B_B, code="X") == original
    assert "sin certificado vigente" in caplog.text
    settings.SIGNING_REQUIRED = True
    with pytest.raises(SigningUnavailable):
        sign_document(original, unit, level=Level.B_B, code="X")


def test_rotation_picks_the_certificate_valid_at_the_signing_time(
    signing_pki, settings, demo_data, tmp_path, monkeypatch
):
    now = dt.datetime.now(dt.UTC)
    old_until = now - dt.timedelta(days=30)
    toml = make_demo_pki(
        tmp_path / "rot",
        [
            DemoUnit("150108", "UGEL 07 ANTIGUO", not_after=old_until, file_suffix="-2025"),
            DemoUnit("150108", "UGEL 07 NUEVO", not_before=old_until, file_suffix="-2026"),
        ],
        passphrase="rotacion",
    )
    from ayni.core.signing.demo import PASSPHRASE_ENV

    monkeypatch.setenv(PASSPHRASE_ENV, "rotacion")
    settings.SIGNING_CONFIG = str(toml)
    reset_store()
    try:
        ugel = OrgUnit.objects.get(code="150108")
        roots = [str(toml.parent / "raiz.pem")]
        recent = sign_document(demo_pdf("x").data, ugel, level=Level.B_B, code="X")
        assert check_signature(recent, roots).organisation == "UGEL 07 NUEVO"
        earlier = now - dt.timedelta(days=60)
        old = sign_document(
            demo_pdf("x").data, ugel, level=Level.B_B, code="X", signing_time=earlier
        )
        assert check_signature(old, roots).organisation == "UGEL 07 ANTIGUO"
    finally:
        reset_store()


# --- B-T: a real RFC 3161 service on loopback ------------------------------------------


@pytest.fixture(scope="module")
def tsa_url(signing_pki):
    from ayni.core.signing.tsa import serve

    server, url = serve(signing_pki.parent)
    yield url
    server.shutdown()
    server.server_close()


def test_reports_are_b_t_with_a_timestamp_and_payslips_stay_b_b(
    signing, tsa_url, settings, persona, servant_of, payslip, nss_db, tmp_path
):
    settings.SIGNING_TSA_URL = tsa_url
    reset_store()
    req = ServiceReportRequest.objects.get(servant=servant_of("cesante"), state="pendiente")
    informe = report_pdf(informe_issue(officer=persona("escalafon"), req=req))
    check = check_signature(informe)
    assert check.state == SignatureState.VALID
    assert check.timestamp is not None and check.timestamp_ok
    assert abs((check.timestamp - dt.datetime.now(dt.UTC)).total_seconds()) < 120
    assert_pdfsig_trusted(informe, nss_db, tmp_path, "UGEL 07 SAN BORJA")
    verdict, signature, text = verify_page(
        ServiceReport.objects.latest("pk").verification_code, informe
    )
    assert (verdict, signature) == ("genuine", "valid")
    assert "certificada por un sello de tiempo" in text
    # the payslip is B-B even with a TSA configured: no request per payslip
    assert check_signature(payslip_pdf(payslip)).timestamp is None


def test_a_silent_timestamp_authority_falls_back_to_b_b(signing, settings, demo_data, caplog):
    import socket

    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{port}/"
    reset_store()
    ugel = OrgUnit.objects.get(code="150108")
    pdf = sign_document(demo_pdf("x").data, ugel, level=Level.B_T, code="X")
    check = check_signature(pdf)
    assert check.state == SignatureState.VALID and check.timestamp is None
    assert "sello de tiempo no disponible" in caplog.text


# --- PKCS#11: the key in a token (SoftHSM2), as an IOFE certificate on an HSM would be ---

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")


def test_a_key_in_a_pkcs11_token_signs(tmp_path, monkeypatch, demo_data, settings):
    util = shutil.which("softhsm2-util")
    if not util or not SOFTHSM_MODULE.exists():
        pytest.skip("softhsm2 not installed")
    from cryptography.hazmat.primitives import serialization

    from ayni.core.signing.demo import issue, make_ca

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    now = dt.datetime.now(dt.UTC)
    ca_key, ca_cert = make_ca(tmp_path, now=now)
    key, cert = issue(
        ca_key,
        ca_cert,
        common="UGEL 07 SAN BORJA (DEMOSTRACIÓN — sin validez legal)",
        org="UGEL 07 SAN BORJA",
        not_before=now - dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=30),
    )
    pem = tmp_path / "key.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    run = {"check": True, "capture_output": True}
    subprocess.run(  # noqa: S603
        [util, "--init-token", "--free", "--label", "ayni", "--pin", "1234", "--so-pin", "5678"],
        **run,  # type: ignore[call-overload]
    )
    imported = [util, "--import", str(pem), "--token", "ayni", "--label", "firma"]
    subprocess.run(  # noqa: S603
        [*imported, "--id", "01", "--pin", "1234"],
        **run,  # type: ignore[call-overload]
    )
    pem.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(str(SOFTHSM_MODULE)).get_token(token_label="ayni")
    with token.open(rw=True, user_pin="1234") as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "firma",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    toml = tmp_path / "firma.toml"
    toml.write_text(
        'trust_roots = ["raiz.pem"]\n\n[[key]]\nunit = "150108"\n'
        f'pkcs11_module = "{SOFTHSM_MODULE}"\ntoken_label = "ayni"\nkey_label = "firma"\n'
        'pin_env = "AYNI_TEST_PIN"\n'
    )
    monkeypatch.setenv("AYNI_TEST_PIN", "0000")
    with pytest.raises(SigningConfigError, match="no se pudo abrir el token «ayni»"):
        load_store(toml)
    monkeypatch.setenv("AYNI_TEST_PIN", "1234")
    settings.SIGNING_CONFIG = str(toml)
    reset_store()
    try:
        ugel = OrgUnit.objects.get(code="150108")
        pdf = sign_document(demo_pdf("x").data, ugel, level=Level.B_B, code="X")
        check = check_signature(pdf, [str(tmp_path / "raiz.pem")])
        assert check.state == SignatureState.VALID
        assert check.organisation == "UGEL 07 SAN BORJA"
    finally:
        reset_store()
