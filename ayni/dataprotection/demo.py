"""Demo data for personal data rights (issue 17).

- 20000010, data-protection officer of MINEDU (DESIGN.md): the nearest officer of every
  demo servant, so the ARCO requests of the demo reach that desk.
- The demo teacher (10000001) has one ARCO request in term; the auxiliar (10000002) one
  past its term (the desk lists it first); one incident inside its 48-hour clock.
- For the retention dry run: an access request never confirmed, 40 days old, and a spent
  e-mail link of the teacher's, 45 days old.
Idempotent.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ayni.accounts.demo_accounts import DEMO_PASSWORD
from ayni.accounts.models import AccountLink, Role, RoleGrant, User
from ayni.core.workdays import add_working_days, lima_date
from ayni.dataprotection.models import ArcoRequest, Right, SecurityIncident
from ayni.dataprotection.services import post_arco_work
from ayni.dataprotection.terms import term_for
from ayni.desk.demo import demo_pdf
from ayni.desk.models import AccessRequest
from ayni.desk.uploads import store
from ayni.org.models import LaborRegime, OrgUnit, PensionRegime
from ayni.personnel.models import Servant

OFFICER = "20000010"
STALE_DNI = "40000099"


def ensure_dataprotection_officer() -> User:
    minedu = OrgUnit.objects.get(kind=OrgUnit.Kind.MINEDU)
    user, _ = User.objects.get_or_create(
        login_id=f"01-{OFFICER}",
        defaults={
            "doc_type": "01",
            "doc_number": OFFICER,
            "full_name": "Rocío Elizabeth Paredes Villanueva",
            "email": f"demo.{OFFICER}@ayni.example",
            "phone": "9" + OFFICER,
            "password": make_password(DEMO_PASSWORD),
            "privacy_accepted_at": timezone.now(),
        },
    )
    Servant.objects.get_or_create(
        doc_type="01",
        doc_number=OFFICER,
        defaults={
            "user": user,
            "paternal_surname": "PAREDES",
            "maternal_surname": "VILLANUEVA",
            "given_names": "ROCÍO ELIZABETH",
            "sex": "F",
            "birth_date": date(1981, 9, 3),
            "employing_unit": minedu,
            "kind": Servant.Kind.ADMINISTRATIVO,
            "condition": Servant.Condition.NOMBRADO,
            "position": "OFICIAL DE PROTECCIÓN DE DATOS PERSONALES",
            "labor_regime": LaborRegime.objects.filter(code="02").first(),
            "pension_regime": PensionRegime.objects.filter(code="02").first(),
            "weekly_hours": 40,
        },
    )
    RoleGrant.objects.get_or_create(user=user, role=Role.PROTECCION_DATOS, unit=minedu)
    return user


def _seed_past_term(now: datetime) -> None:
    """Something for the retention dry run to list: an access request never confirmed
    (40 days old, with its upload) and a spent e-mail link (45 days old)."""
    if AccessRequest.objects.filter(doc_number=STALE_DNI).exists():
        return
    ar = AccessRequest.objects.create(
        doc_type="01",
        doc_number=STALE_DNI,
        paternal_surname="SALAS",
        maternal_surname="PINO",
        given_names="MARGOT",
        email="margot.salas@example.com",
        unit=OrgUnit.objects.get(code="150108"),
        staff_kind=AccessRequest.StaffKind.DOCENTE,
        condition=AccessRequest.Condition.CONTRATADO,
        confirm_token_hash=hashlib.sha256(b"demo-retention-confirm").hexdigest(),
        follow_token_hash=hashlib.sha256(b"demo-retention-follow").hexdigest(),
        file_name=store("desk/acceso", demo_pdf("DNI")),
        file_original_name="dni.pdf",
        file_sha256="0" * 64,
    )
    old = now - timedelta(days=40)
    AccessRequest.objects.filter(pk=ar.pk).update(created_at=old, updated_at=old)
    teacher = User.objects.filter(login_id="01-10000001").first()
    if teacher is not None:
        AccountLink.objects.create(
            user=teacher,
            purpose=AccountLink.Purpose.EMAIL_CHANGE,
            code_hash=hashlib.sha256(b"demo-retention-link").hexdigest(),
            new_email="rosa.quispe.antiguo@example.com",
            created_at=now - timedelta(days=45),
            expires_at=now - timedelta(days=45) + timedelta(hours=1),
            used_at=now - timedelta(days=45) + timedelta(minutes=5),
        )


@transaction.atomic
def seed_dataprotection_demo() -> None:
    officer = ensure_dataprotection_officer()
    _seed_past_term(timezone.now())
    minedu = OrgUnit.objects.get(kind=OrgUnit.Kind.MINEDU)
    if ArcoRequest.objects.exists():
        return
    now = timezone.now()
    for doc, right, days_ago, detail in [
        (
            "10000001",
            Right.OPPOSITION,
            2,
            "Me opongo a que mi número de celular se muestre al personal de la institución "
            "educativa; solo debería verlo la UGEL.",
        ),
        (
            "10000002",
            Right.CANCELLATION,
            25,
            "Pido que se suprima de Ayni la copia de mi DNI que adjunté a una solicitud de "
            "acceso rechazada en 2025.",
        ),
    ]:
        servant = Servant.objects.filter(doc_number=doc).select_related("user").first()
        if servant is None or servant.user is None:
            continue
        received = now - timedelta(days=days_ago)
        term = term_for(right)
        arco = ArcoRequest.objects.create(
            requester=servant.user,
            servant=servant,
            right=right,
            detail=detail,
            unit_path=minedu.path,
            received_at=received,
            term_days=term,
            due_date=add_working_days(lima_date(received), term),
        )
        post_arco_work(arco)
    SecurityIncident.objects.create(
        unit_path=minedu.path,
        title="Correo con una lista de servidores enviado a un destinatario equivocado",
        description="Un especialista envió por error una hoja de cálculo con nombres y DNI "
        "de 42 servidores a una dirección externa. Se pidió su eliminación.",
        detected_at=now - timedelta(hours=10),
        data_categories="Nombres, DNI, UGEL",
        people_affected=42,
        measures="Se pidió al destinatario eliminar el correo; se recordó no enviar datos "
        "personales por correo.",
        registered_by=officer,
    )
