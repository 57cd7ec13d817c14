"""Files in S3-compatible storage (issue 18): with AWS_STORAGE_BUCKET_NAME and
AWS_S3_ENDPOINT_URL set, every stored file goes to the bucket. Tested against moto in
server mode on loopback (a real HTTP S3 peer, boto3 on the wire), through the real views.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ayni.desk.demo import demo_pdf
from ayni.desk.models import Case
from ayni.org.models import OrgUnit
from ayni.payroll.models import Payslip
from tests.pgcluster import free_port

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "ayni-prueba"
pytestmark = pytest.mark.django_db

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "prueba",
    "AWS_SECRET_ACCESS_KEY": "prueba-secreta",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def s3_server():  # type: ignore[no-untyped-def]
    pytest.importorskip("moto.server", reason="moto[server] is in the [dev] extras")
    import boto3
    from moto.server import ThreadedMotoServer

    saved = {k: os.environ.get(k) for k in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    try:
        yield endpoint, client
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def storages_from_settings(endpoint: str) -> dict:
    """STORAGES as ayni/settings.py builds it from the environment, in a fresh process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ayni.settings",
        "DEBUG": "1",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def bucket(s3_server, settings):  # type: ignore[no-untyped-def]
    endpoint, client = s3_server
    storages = storages_from_settings(endpoint)
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": storages["default"]}

    def objects() -> dict[str, bytes]:
        listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return {
            o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listing
        }

    objects.client = client  # type: ignore[attr-defined]
    return objects


def test_settings_store_in_the_bucket_only_when_configured(s3_server):
    endpoint, _ = s3_server
    options = storages_from_settings(endpoint)["default"]["OPTIONS"]
    assert options["bucket_name"] == BUCKET and options["endpoint_url"] == endpoint
    assert options["default_acl"] == "private" and options["file_overwrite"] is False


def test_payslip_pdf_is_stored_in_the_bucket_and_served_from_it(bucket, client_for, servant_of):
    slip = Payslip.objects.filter(servant=servant_of("servant")).order_by("-pk").first()
    client = client_for("servant")
    first = client.get(f"/mi-boleta/{slip.uuid}/pdf/")
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    slip.refresh_from_db()
    stored = bucket()
    assert stored[slip.pdf_file] == first.content
    # the next download reads the bucket: what is there is what is served
    marked = first.content + b"\n%ayni-s3\n"
    bucket.client.put_object(Bucket=BUCKET, Key=slip.pdf_file, Body=marked)
    again = client.get(f"/mi-boleta/{slip.uuid}/pdf/")
    assert again.status_code == 200 and again.content == marked


def test_a_stored_download_asks_the_bucket_once_and_a_lost_file_is_made_again(
    bucket, client_for, servant_of
):
    from django.core.files.storage import default_storage

    slip = Payslip.objects.filter(servant=servant_of("servant")).order_by("-pk").first()
    client = client_for("servant")
    first = client.get(f"/mi-boleta/{slip.uuid}/pdf/").content
    sent: list[str] = []
    events = default_storage.connection.meta.client.meta.events
    events.register("before-send.s3", lambda request, **_: sent.append(request.method))
    again = client.get(f"/mi-boleta/{slip.uuid}/pdf/")
    assert again.content == first
    # the open checks the object (HEAD), boto3 asks its size (HEAD) and reads it (GET); no
    # «exists?» of ours before them (it was one request more)
    assert sent == ["HEAD", "HEAD", "GET"]
    slip.refresh_from_db()
    bucket.client.delete_object(Bucket=BUCKET, Key=slip.pdf_file)  # lost from the bucket
    sent.clear()
    remade = client.get(f"/mi-boleta/{slip.uuid}/pdf/")
    assert remade.status_code == 200 and remade.content == first  # same snapshot, same bytes
    slip.refresh_from_db()
    assert bucket()[slip.pdf_file] == first and "PUT" in sent


def test_desk_upload_is_stored_in_the_bucket_and_read_back_by_the_officer(bucket, client_for):
    ugel07 = OrgUnit.objects.get(code="150108")
    pdf = demo_pdf("Solicitud guardada en S3").data
    response = client_for("servant").post(
        "/mesa-de-partes/nuevo/",
        {
            "unit": ugel07.pk,
            "kind": "otro",
            "subject": "Constancia en el almacenamiento S3",
            "documents": [SimpleUploadedFile("solicitud.pdf", pdf, "application/pdf")],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(subject="Constancia en el almacenamiento S3")
    attachment = case.files.get()
    stored = bucket()
    assert stored[attachment.stored_name] == pdf
    download = client_for("mesa_partes").get(f"/mesa/{case.uuid}/archivos/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download) == pdf if download.streaming else download.content == pdf


def test_a_taken_name_is_not_overwritten(bucket):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    first = default_storage.save("reports/mismo.pdf", ContentFile(b"%PDF-1 primero"))
    second = default_storage.save("reports/mismo.pdf", ContentFile(b"%PDF-1 segundo"))
    assert first != second
    stored = bucket()
    assert stored[first] == b"%PDF-1 primero" and stored[second] == b"%PDF-1 segundo"
