"""Demo filings: the teacher's supporting document for her observed request, a filing
about a payslip, a confirmed access request waiting at UGEL 07's desk, another one
made with the document of someone who already has an account (the desk sees it and
cannot create it), and an account recovery waiting for the second desk officer."""

from __future__ import annotations

import hashlib

from ayni.desk.access import access_request_confirm, access_request_submit
from ayni.desk.cases import case_file
from ayni.desk.models import AccessRequest, Case
from ayni.desk.uploads import CheckedPdf
from ayni.org.models import OrgUnit
from ayni.personnel.models import ChangeRequest, Servant


def demo_pdf(title: str) -> CheckedPdf:
    """A small, valid one-page PDF (what a scanned document would be)."""
    text = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    data = bytes(out)
    name = title.lower().replace(" ", "-")[:40] + ".pdf"
    return CheckedPdf(data=data, original_name=name, sha256=hashlib.sha256(data).hexdigest())


def seed_desk_demo() -> None:
    ugel = OrgUnit.objects.get(code="150108")
    teacher = Servant.objects.select_related("user").get(doc_number="10000001")
    if not Case.objects.filter(filer=teacher.user).exists():
        observed = ChangeRequest.objects.filter(servant=teacher, state="observado").first()
        if observed is not None:
            case_file(
                user=teacher.user,
                servant=teacher,
                unit=ugel,
                kind=Case.Kind.SUPPORT,
                subject="Copia del diploma de bachiller",
                change_request=observed,
                files=[demo_pdf("Diploma de bachiller")],
            )
        case_file(
            user=teacher.user,
            servant=teacher,
            unit=ugel,
            kind=Case.Kind.PAYSLIP,
            subject="Descuento de cuota sindical que no autoricé",
            files=[demo_pdf("Reclamo sobre boleta")],
        )
    if not AccessRequest.objects.filter(doc_number="10000010").exists():
        _, token = access_request_submit(
            data={
                "doc_type": "01",
                "doc_number": "10000010",
                "paternal_surname": "Huamán",
                "maternal_surname": "Soto",
                "given_names": "Gladys",
                "email": "gladys@ayni.example",
                "phone": "987654321",
                "unit": ugel,
                "staff_kind": "docente",
                "condition": "contratado",
            },
            pdf=demo_pdf("FUT, contrato y DNI"),
        )
        access_request_confirm(token)
    _seed_request_for_existing_account(ugel)
    _seed_pending_recovery(ugel)


def _seed_request_for_existing_account(ugel: OrgUnit) -> None:
    """An outsider asks for access with the auxiliar's real document and names."""
    holder = Servant.objects.get(doc_number="10000002")
    if AccessRequest.objects.filter(doc_number=holder.doc_number).exists():
        return
    _, token = access_request_submit(
        data={
            "doc_type": holder.doc_type,
            "doc_number": holder.doc_number,
            "paternal_surname": holder.paternal_surname,
            "maternal_surname": holder.maternal_surname,
            "given_names": holder.given_names,
            "email": "otra.persona@correo.example",
            "phone": "912345678",
            "unit": ugel,
            "staff_kind": "auxiliar",
            "condition": "nombrado",
        },
        pdf=demo_pdf("FUT y DNI"),
    )
    access_request_confirm(token)


def _seed_pending_recovery(ugel: OrgUnit) -> None:
    """The retired teacher lost her old e-mail: the first desk officer checked her DNI at
    the window; the second (20000011) approves it."""
    from ayni.accounts.models import User
    from ayni.desk.models import AccountRecovery
    from ayni.desk.recovery import recovery_record

    user = User.objects.get(login_id="01-10000003")
    if AccountRecovery.objects.filter(user=user).exists():
        return
    recovery_record(
        None,  # type: ignore[arg-type]  # the demo load: no request, no address
        officer=User.objects.get(login_id="01-20000003"),
        user=user,
        unit=ugel,
        new_email="cesante.nuevo@ayni.example",
        identity_check="DNI original visto en ventanilla; la firma coincide con la ficha.",
    )
