"""Issue 10, items 6 and 12: uploaded PDFs and caching.

Every malformed PDF is refused in Spanish within 2 s of CPU (parsed in a limited child
process), on the anonymous access request, the servant's filing and the public
verification page alike, and nothing is stored. Uploaded files are only ever served as
inert downloads (attachment, nosniff, sandbox CSP, a name that ends in .pdf). Personal
responses carry `Cache-Control: no-store`; static assets keep their caching.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import resource
import struct
import subprocess
import sys
import time
import zlib
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ayni.core.pdfcheck import PdfRejected, inspect_pdf
from ayni.core.responses import content_disposition, download_name
from ayni.desk.cases import case_file
from ayni.desk.models import AccessRequest, Case
from ayni.desk.uploads import CheckedPdf, check_pdf
from ayni.org.models import OrgUnit
from ayni.payroll.selectors import visible_payslips
from ayni.personnel.models import Servant
from tests.test_desk import answer_for

pytestmark = pytest.mark.django_db


# --- samples, built here -------------------------------------------------------------------


def build_pdf(
    objects: list[bytes], *, trailer: bytes = b"/Root 1 0 R", prefix: bytes = b"%PDF-1.4\n"
) -> bytes:
    """A classic PDF (xref table) from numbered object bodies 1..n."""
    out = bytearray(prefix + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def sound_pdf(*, catalog_extra: bytes = b"", page_extra: bytes = b"", **kw: bytes) -> bytes:
    text = b"BT /F1 18 Tf 72 720 Td (Constancia) Tj ET"
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>",
            b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        **kw,
    )


def objstm_bomb(pages: int = 1800) -> bytes:
    """A 40 KB object-stream bomb: every page lives in one compressed object stream and
    pypdf rescans that stream's header from the start for each object it resolves, so
    reading the page tree costs pages²/2 steps (1800 pages: 10-15 s of CPU)."""
    first_page, stream_number = 3, 3 + pages
    header, payload = bytearray(), bytearray()
    for i in range(pages):
        header += b"%d %d " % (first_page + i, len(payload))
        payload += b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] >> "
    packed = zlib.compress(bytes(header) + bytes(payload))
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def emit(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    emit(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    emit(2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages)
    emit(
        stream_number,
        b"<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
        % (pages, len(header), len(packed))
        + packed
        + b"\nendstream",
    )
    xref_number = stream_number + 1
    rows = bytearray(struct.pack(">BIH", 0, 0, 65535))
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number == xref_number:
            rows += struct.pack(">BIH", 1, len(out), 0)
        else:
            rows += struct.pack(">BIH", 2, stream_number, number - first_page)
    start = len(out)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(rows))
        + bytes(rows)
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    )
    return bytes(out)


SOUND = sound_pdf()
BOMB = objstm_bomb()
JAVASCRIPT = sound_pdf(catalog_extra=b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> ")
LAUNCH = sound_pdf(page_extra=b"/AA << /O << /S /Launch /F (cmd.exe) >> >> ")
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
HTML_TAIL = SOUND + b"%" + b"-" * 4096 + b"\n" + SCRIPT + b"\n"  # past the sniffed bytes

# (file name, bytes, what the person reads)
MALFORMED = [
    ("bomba.pdf", BOMB, "es demasiado complejo para revisarlo"),
    ("sin-root.pdf", sound_pdf(trailer=b"/Info 1 0 R"), "está dañado"),
    ("root-arreglo.pdf", sound_pdf(trailer=b"/Root [1 0 R]"), "está dañado"),
    ("root-numero.pdf", sound_pdf(trailer=b"/Root 5"), "está dañado"),
    ("sin-paginas.pdf", sound_pdf().replace(b"/Pages 2 0 R", b"/Pages [2 0 R]"), "está dañado"),
    ("cortado.pdf", SOUND[: len(SOUND) // 3], "está dañado"),
    ("foto.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "no es un PDF"),
    ("pagina.pdf", b"<html><script>alert(1)</script></html>\n" + SOUND, "código de página web"),
    (
        "poliglota.pdf",
        SOUND[:9] + b"<!--<html><body><script>alert(1)</script>-->\n" + SOUND[9:],
        "código de página web",
    ),
]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored(folder: str) -> list[str]:
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def hidden_fields(page: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        if 'type="hidden"' in tag and (name := re.search(r'name="([^"]+)"', tag)):
            value = re.search(r'value="([^"]*)"', tag)
            fields[name[1]] = html.unescape(value[1]) if value else ""
    return fields


@pytest.fixture
def ugel07(demo_data) -> OrgUnit:
    return OrgUnit.objects.get(code="150108")


# --- the sample really is a bomb, and the bound holds ---------------------------------------


def test_the_bomb_costs_plain_pypdf_more_than_three_seconds_of_cpu(tmp_path):
    """Without the child's limits the sample is expensive: plain pypdf, given 3 s of CPU
    to read its pages, is killed before it finishes (measured: 10-15 s)."""
    sample = tmp_path / "bomb.pdf"
    sample.write_bytes(BOMB)
    script = (
        "import io, resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_CPU, (3, 4))\n"
        "from pypdf import PdfReader\n"
        "print(len(PdfReader(open(sys.argv[1], 'rb')).pages))\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, str(sample)], capture_output=True, timeout=60, check=False
    )
    assert done.returncode < 0, "the sample no longer costs seconds: make it bigger"
    assert done.stdout == b""


@pytest.mark.parametrize(("name", "data", "message"), MALFORMED)
def test_every_malformed_pdf_is_refused_in_spanish_within_two_seconds(name, data, message):
    before, started = child_cpu(), time.monotonic()
    with pytest.raises(Exception) as refused:
        check_pdf(upload(name, data))
    assert child_cpu() - before < 2.0
    assert time.monotonic() - started < 10
    text = " ".join(getattr(refused.value, "messages", [str(refused.value)]))
    assert message in text and f"«{name}»" in text


def test_a_sound_pdf_passes_and_actions_are_found_but_kept():
    assert inspect_pdf(SOUND).active == ()
    assert "javascript" in inspect_pdf(JAVASCRIPT).active
    assert "launch" in inspect_pdf(LAUNCH).active
    assert inspect_pdf(HTML_TAIL).pages == 1  # markup past the sniffed bytes: kept inert
    checked = check_pdf(upload("con-js.pdf", JAVASCRIPT))
    assert isinstance(checked, CheckedPdf) and "javascript" in checked.active


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(SOUND)))
    writer.encrypt(user_password="secreto", owner_password="dueño", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PdfRejected) as refused:
        inspect_pdf(out.getvalue())
    assert "protegido con contraseña" in refused.value.message("x.pdf")


def test_a_compression_bomb_stays_within_the_bounds():
    """300 MB of zeros in a 300 KB stream: refused or kept, never more than 2 s of CPU."""
    packer = zlib.compressobj(9)
    huge = b"".join(packer.compress(b"\0" * (1 << 20)) for _ in range(300)) + packer.flush()
    bomb = SOUND.replace(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode /Type /EmbeddedFile >>\nstream\n" % len(huge)
        + huge
        + b"\nendstream",
    )
    before = child_cpu()
    with contextlib.suppress(PdfRejected):  # refused or kept: pypdf inflates only what it reads
        inspect_pdf(bomb)
    assert child_cpu() - before < 2.0


# --- regression: the anonymous access request no longer 500s --------------------------------


def access_request(client: Client, ugel07: OrgUnit, document: SimpleUploadedFile):
    page = client.get("/acceso/solicitar/").content.decode()
    data = hidden_fields(page)
    data.update(
        doc_type="01",
        doc_number="10000021",
        paternal_surname="Rojas",
        maternal_surname="Lázaro",
        given_names="Milagros",
        email="mila@example.pe",
        phone="",
        region=str(ugel07.parent_id),
        unit=str(ugel07.pk),
        staff_kind="docente",
        condition="contratado",
        answer=answer_for(page),
        website="",
        document=document,
    )
    return client.post("/acceso/solicitar/", data)


@pytest.mark.parametrize(("name", "data", "message"), MALFORMED)
def test_anonymous_access_request_refuses_malformed_pdfs(ugel07, settings, name, data, message):
    settings.DESK_ACCESS_REQUESTS_PER_HOUR = 1000
    before_files, before_cpu = stored("desk/acceso"), child_cpu()
    response = access_request(Client(), ugel07, upload(name, data))
    assert response.status_code == 400
    body = response.content.decode()
    assert html.escape(message) in body or message in body
    assert 'value="Milagros"' in body  # what was typed is kept
    assert child_cpu() - before_cpu < 2.0
    assert not AccessRequest.objects.filter(doc_number="10000021").exists()
    assert stored("desk/acceso") == before_files


def test_anonymous_access_request_with_javascript_is_kept_as_an_inert_file(
    ugel07, client_for, django_capture_on_commit_callbacks
):
    response = access_request(Client(), ugel07, upload("solicitud.html", JAVASCRIPT))
    assert response.status_code == 302
    ar = AccessRequest.objects.get(doc_number="10000021")
    with default_storage.open(ar.file_name, "rb") as handle:
        assert handle.read() == JAVASCRIPT


# --- the servant's filing and the verification page -------------------------------------------


def test_a_filing_with_a_bomb_is_refused_and_files_nothing(client_for, ugel07):
    client = client_for("servant")
    page = client.get("/mesa-de-partes/nuevo/").content.decode()
    data = hidden_fields(page)
    data.update(
        unit=str(ugel07.pk),
        kind="otro",
        subject="Constancia de trabajo",
        documents=[upload("fut.pdf", SOUND), upload("bomba.pdf", BOMB)],
    )
    before_cases, before_cpu = Case.objects.count(), child_cpu()
    response = client.post("/mesa-de-partes/nuevo/", data)
    assert response.status_code == 400
    assert "«bomba.pdf» es demasiado complejo para revisarlo" in response.content.decode()
    assert child_cpu() - before_cpu < 2.5  # the sound file (0.2 s) and the bomb (≤ 2 s)
    assert Case.objects.count() == before_cases


@pytest.mark.parametrize(("name", "data", "message"), MALFORMED[:6])
def test_verification_page_refuses_malformed_pdfs(demo_data, name, data, message):
    from ayni.core.verification import verification_create

    record = verification_create(
        kind="boleta", issuer="UGEL 07 SAN BORJA", summary={"Periodo": "10-2026"}, pdf_bytes=SOUND
    )
    before = child_cpu()
    response = Client().post("/verificar/", {"code": record.code, "pdf": upload(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Documento válido." not in response.content.decode()
    assert child_cpu() - before < 2.0


# --- downloads: inert, named safely, never cached ----------------------------------------


def filed_case(servant: Servant, unit: OrgUnit, name: str, data: bytes) -> Case:
    return case_file(
        user=servant.user,
        servant=servant,
        unit=unit,
        kind=Case.Kind.OTHER,
        subject="Adjunto",
        files=[check_pdf(upload(name, data))],
    )


@pytest.mark.parametrize(
    ("name", "data", "offered"),
    [
        ("evil.html", JAVASCRIPT, "evil.pdf"),
        ("lanzar.pdf.exe", LAUNCH, "lanzar.pdf"),
        ("dibujo.svg", HTML_TAIL, "dibujo.pdf"),
        ("Resolución Nº 12.pdf", SOUND, "Resolución Nº 12.pdf"),
    ],
)
def test_uploaded_files_are_always_inert_downloads(
    client_for, servant_of, ugel07, name, data, offered
):
    case = filed_case(servant_of("servant"), ugel07, name, data)
    attachment = case.files.get()
    response = client_for("mesa_partes").get(f"/mesa/{case.uuid}/archivos/{attachment.pk}/")
    assert response.status_code == 200 and response.content == data
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(offered, safe='')}" in disposition
    assert re.search(r'filename="[\x20-\x7e]+\.pdf"', disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "name",
    [
        *("x.html", "x.htm", "x.svg", "x.js", "x.exe", "x.bat", "x.cmd", "x.sh", "x.php"),
        *("x.hta", "x.xhtml", "x.pdf.exe", "x.html.pdf", "..\\..\\x.scr", "x\u202egpj.exe", "x"),
    ],
)
def test_download_names_never_keep_an_executable_or_html_extension(name):
    assert download_name(name) == "x.pdf" or download_name(name).endswith("gpj.pdf")
    header = content_disposition(name)
    assert "filename*=UTF-8''" in header and header.count(".pdf") == 2


def test_payslip_pdf_file_page_and_attachment_are_no_store(client_for, persona, servant_of, ugel07):
    teacher = servant_of("servant")
    client = client_for("servant")
    payslip = visible_payslips(persona("servant")).first()
    assert payslip is not None and payslip.servant == teacher
    for url in (f"/mi-boleta/{payslip.uuid}/pdf/", f"/mi-boleta/{payslip.uuid}/pdf/?ver=1"):
        pdf = client.get(url)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf["Cache-Control"] == "no-store"  # it was «private, max-age=3600»
        assert "filename*=UTF-8''" in pdf["Content-Disposition"]
    assert client.get("/mi-legajo/")["Cache-Control"] == "no-store"
    assert client.get(f"/mi-boleta/{payslip.uuid}/")["Cache-Control"] == "no-store"
    case = filed_case(teacher, ugel07, "dni.pdf", SOUND)
    attachment = case.files.get()
    response = client_for("mesa_partes").get(f"/mesa/{case.uuid}/archivos/{attachment.pk}/")
    assert response["Cache-Control"] == "no-store"


def test_public_pages_and_static_assets_keep_their_caching(demo_data):
    anonymous = Client()
    assert "no-store" not in anonymous.get("/cuenta/ingresar/").get("Cache-Control", "")
    css = anonymous.get(f"{settings.STATIC_URL}ayni/ayni.css")
    assert css.status_code == 200
    assert "no-store" not in css.get("Cache-Control", "")
    # an answer to a POST (a verification result) is not kept either
    assert Client().post("/verificar/", {"code": "AAAA-BBBB-CCCC-DDDD"})["Cache-Control"] == (
        "no-store"
    )
