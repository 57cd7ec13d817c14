"""The public address follows the address served: mailed links and the verification
URL printed in PDFs point at the live server's port, and work as they are."""

from __future__ import annotations

import io
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from ayni.payroll.models import Payslip
from tests.conftest import PERSONAS


def test_a_mailed_link_points_at_the_port_served(page, url, live_server):
    assert not live_server.url.endswith(":8000")
    page.goto(url("/cuenta/contrasena/olvide/"))
    main = page.locator("main")
    main.locator("#id_doc_type").select_option(label="DNI")
    main.locator("#id_doc_number").fill(PERSONAS["servant"])
    mail.outbox.clear()
    main.get_by_role("button", name="Enviar enlace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su correo")
    [message] = mail.outbox
    links = re.findall(r"https?://\S+", str(message.body))
    assert links and all(link.startswith(live_server.url + "/") for link in links), links
    page.goto(links[0])  # opened exactly as mailed
    expect(page.get_by_role("heading", level=1)).to_have_text("Nueva contraseña")


def test_a_payslip_pdf_prints_the_served_address(page, login, url, live_server, servant_of):
    login(page, "servant")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    slip = Payslip.objects.filter(
        servant=servant_of("servant"), published=True, payment_date__lte=timezone.localdate()
    ).first()
    Payslip.objects.filter(pk=slip.pk).update(pdf_file="", pdf_sha256="")  # rendered anew
    response = page.request.get(url(f"/mi-boleta/{slip.uuid}/pdf/"))
    assert response.status == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert live_server.url.split("//", 1)[1] in text.replace("\n", "")
    assert "127.0.0.1:8000" not in text
