"""Demo of the benefits app (seed_demo): the rules, a teacher a month short of 25 years
of service, and the demo teacher's constancia de pagos and luto y sepelio request."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from ayni.accounts.demo_accounts import DEMO_PASSWORD
from ayni.accounts.models import User
from ayni.benefits.constancia import MonthRange, last_paid_month
from ayni.benefits.models import BenefitRequest, PaymentCertificate
from ayni.benefits.rules_data import ensure_rules
from ayni.desk.demo import demo_pdf
from ayni.org.models import LaborRegime, OrgUnit, PensionRegime
from ayni.personnel.models import Entry, Servant
from ayni.personnel.service_time import add_months

NEAR_25 = "10000006"  # docente nombrada, 24 años 11 meses de servicio al cargar la demo
UGEL_SAN_BORJA = "150108"


def seed_near_25(today: date | None = None) -> Servant:
    """A teacher whose only period of service began 24 years 11 months before `today`:
    the daily task tells her when she completes 25 years (a month later)."""
    today = today or timezone.localdate()
    servant = Servant.objects.filter(doc_type="01", doc_number=NEAR_25).first()
    if servant is not None:
        return servant
    user, _ = User.objects.get_or_create(
        login_id=f"01-{NEAR_25}",
        defaults={
            "doc_type": "01",
            "doc_number": NEAR_25,
            "full_name": "Carmen Rosa Flores Vega",
            "email": f"demo.{NEAR_25}@ayni.example",
            "phone": "9" + NEAR_25,
            "password": make_password(DEMO_PASSWORD),
            "privacy_accepted_at": timezone.now(),
        },
    )
    servant = Servant.objects.create(
        user=user,
        doc_type="01",
        doc_number=NEAR_25,
        paternal_surname="FLORES",
        maternal_surname="VEGA",
        given_names="CARMEN ROSA",
        sex="F",
        birth_date=add_months(today, -12 * 50),
        employing_unit=OrgUnit.objects.get(code=UGEL_SAN_BORJA),
        kind=Servant.Kind.DOCENTE,
        condition=Servant.Condition.NOMBRADO,
        position="PROFESORA DE AULA",
        labor_regime=LaborRegime.objects.get(code="L29944"),
        pension_regime=PensionRegime.objects.filter(active=True).order_by("code").first(),
        weekly_hours=30,
    )
    # served from `start` through today inclusive: exactly 24 años 11 meses
    start = add_months(today + timedelta(days=1), -(24 * 12 + 11))
    Entry.objects.create(
        servant=servant,
        action=Entry.Action.NOMBRAMIENTO,
        position="PROFESORA DE AULA",
        weekly_hours=30,
        resolution_type="RD",
        resolution_number=f"00{start.year}-{start.year}-USE07",
        resolution_date=start - timedelta(days=5),
        issuing_office="USE 07",
        date_from=start,
    )
    return servant


def seed_teacher(today: date | None = None) -> None:
    """The demo teacher: a constancia de pagos of 24 months and a luto y sepelio request."""
    from ayni.benefits.services import benefit_request_file, constancia_request

    today = today or timezone.localdate()
    teacher = Servant.objects.select_related("user", "employing_unit").get(doc_number="10000001")
    if not PaymentCertificate.objects.filter(servant=teacher).exists():
        last = last_paid_month(teacher, today) or today.replace(day=1)
        span = MonthRange(add_months(last, -23), last)  # the last 24 months paid
        constancia_request(user=teacher.user, servant=teacher, span=span)
    if not BenefitRequest.objects.filter(servant=teacher, benefit="luto").exists():
        benefit_request_file(
            user=teacher.user,
            servant=teacher,
            benefit="luto",
            files={
                "acta": demo_pdf("Acta de defunción (demostración)"),
                "parentesco": demo_pdf("Partida de nacimiento (demostración)"),
            },
            relationship=BenefitRequest.Relationship.PARENT,
            deceased_name="MARÍA HUAMÁN DE QUISPE",
        )


def seed_benefits_demo() -> None:
    ensure_rules()
    seed_near_25()
    seed_teacher()
