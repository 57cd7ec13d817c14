"""The facts the rules read, from the validated file and the published payslips."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from ayni.benefits.rules import Facts, ServicePeriod
from ayni.payroll.models import PayrollRun, Payslip
from ayni.personnel.models import Cessation, ChangeRequest, Entry, Leave, Sanction, Servant

REMUNERATION_CONCEPT = "2001"  # SUNAT Tabla 22, 2001 REMUNERACIÓN (the RIM of a teacher)


def latest_payslip(servant: Servant, today: date) -> Payslip | None:
    return (
        Payslip.objects.filter(
            servant=servant,
            published=True,
            payment_date__lte=today,
            run__state=PayrollRun.State.PUBLISHED,
        )
        .order_by("-year", "-month", "-payment_date", "-id")
        .first()
    )


def _concept(payslip: Payslip, code: str) -> Decimal | None:
    for line in payslip.lines or []:
        if line.get("code") == code:
            return Decimal(str(line.get("amount") or "0"))
    return None


def facts_of(servant: Servant, today: date) -> Facts:
    """Five queries: entries, cessations, leave, sanctions, the latest payslip (and one
    count of open change requests)."""
    config: dict[str, Any] = settings.SERVICE_TIME
    entries = tuple(
        ServicePeriod(start, end, action)
        for start, end, action in Entry.objects.filter(servant=servant).values_list(
            "date_from", "date_to", "action"
        )
    )
    cessations = tuple(
        Cessation.objects.filter(servant=servant).values_list("date_from", flat=True)
    )
    discounts: list[tuple[date, date | None]] = list(
        Leave.objects.filter(servant=servant, action__in=config["unpaid_leave"]).values_list(
            "date_from", "date_to"
        )
    )
    for start, end, days in Sanction.objects.filter(
        servant=servant, action__in=config["discounted_sanctions"]
    ).values_list("date_from", "date_to", "days"):
        discounts.append((start, end or (start + timedelta(days=days - 1) if days else None)))
    payslip = latest_payslip(servant, today)
    return Facts(
        entries=entries,
        cessations=cessations,
        discounts=tuple(discounts),
        birth_date=servant.birth_date,
        regime_code=servant.labor_regime.code if servant.labor_regime else "",
        active=not servant.is_retired,
        rim=_concept(payslip, REMUNERATION_CONCEPT) if payslip else None,
        total_pay=payslip.gross if payslip else None,
        pay_period=payslip.period_label if payslip else "",
        extra={
            "open_requests": ChangeRequest.objects.filter(
                servant=servant, state__in=ChangeRequest.OPEN_STATES
            ).count()
        },
    )
