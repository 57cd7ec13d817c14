"""The payslip PDF: rendered once from the snapshot, stored, reused; its hash verifiable."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from ayni.core.formats import amount
from ayni.core.models import VerificationRecord
from ayni.core.pdf import render_pdf
from ayni.core.signing import Level, sign_document
from ayni.core.stored import read_stored
from ayni.core.verification import format_code
from ayni.payroll.models import Payslip

TEMPLATE = Path(__file__).resolve().parent / "pdf" / "boleta.typ"


# What the PDF, its signature and its storage read (a deferred field would cost a query
# of its own: tests/test_query_counts.py counts the first download's).
RENDER_FIELDS = (
    *("uuid", "year", "month", "payment_date", "header", "lines", "verification_code"),
    *("gross", "deductions", "net", "taxable_base", "employer_contributions", "pdf_file"),
    *("run__published_at", "run__ugel__code", "run__ugel__name", "run__ugel__path"),
)

DATE_FIELDS = ("fecha_nacimiento", "fecha_afiliacion", "fecha_ingreso", "fecha_termino")


def _dmy(value: str) -> str:
    return f"{value[8:10]}/{value[5:7]}/{value[0:4]}" if len(value) == 10 else value


def payslip_document(payslip: Payslip) -> dict[str, object]:
    header = dict(payslip.header)
    for name in DATE_FIELDS:
        header[name] = _dmy(header.get(name) or "")
    return {
        "header": header,
        "lines": [{**line, "amount": amount(line["amount"])} for line in payslip.lines],
        "period": payslip.period_label,
        "payment_date": payslip.payment_date.strftime("%d/%m/%Y"),
        "totals": {
            "gross": amount(payslip.gross),
            "deductions": amount(payslip.deductions),
            "net": amount(payslip.net),
            "taxable": amount(payslip.taxable_base),
            "employer": amount(payslip.employer_contributions),
        },
        "code": format_code(payslip.verification_code),
        "verify_url": f"{settings.SITE_URL}/verificar/",
    }


def render_payslip(payslip: Payslip) -> bytes:
    run = payslip.run
    assert run.published_at is not None
    url = f"{settings.SITE_URL}/verificar/?c={payslip.verification_code}"
    pdf = render_pdf(
        TEMPLATE, payslip_document(payslip), timestamp=run.published_at, qr_payload=url
    )
    # B-B: no timestamp request per payslip (docs/firma.md); signed at publication time.
    return sign_document(
        pdf,
        run.ugel if run.ugel_id else None,
        level=Level.B_B,
        code=format_code(payslip.verification_code),
        signing_time=run.published_at,
    )


def payslip_pdf(payslip: Payslip) -> bytes:
    """The stored PDF; rendered and stored on first download, under a row lock so that
    two first downloads at once store one file."""
    stored = read_stored(payslip.pdf_file)
    if stored is not None:
        return stored
    with transaction.atomic():
        locked = (
            Payslip.objects.select_for_update(of=("self",))
            .select_related("run__ugel")  # the unit signs (or not): no query of its own
            .only(*RENDER_FIELDS)  # a payslip, its run and unit have about 80 columns
            .get(pk=payslip.pk, year=payslip.year, month=payslip.month)  # one partition
        )
        stored = read_stored(locked.pdf_file)
        if stored is not None:
            return stored
        pdf = render_payslip(locked)
        name = default_storage.save(
            f"payslips/{locked.year}/{locked.month:02d}/{locked.uuid}.pdf", ContentFile(pdf)
        )
        digest = hashlib.sha256(pdf).hexdigest()
        Payslip.objects.filter(pk=locked.pk, year=locked.year, month=locked.month).update(
            pdf_file=name, pdf_sha256=digest
        )
        VerificationRecord.objects.filter(code=locked.verification_code).update(pdf_sha256=digest)
        payslip.pdf_file, payslip.pdf_sha256 = name, digest
        return pdf
