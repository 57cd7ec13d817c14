"""The default contribution rates (also seeded by migration 0002), re-creatable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ayni.org.models import PayrollConcept
from ayni.payroll.models import ContributionRate

DEFAULT_RATES = [
    ("0607", Decimal("0.1300"), date(2000, 1, 1)),
    ("0804", Decimal("0.0900"), date(2000, 1, 1)),
]


def ensure_contribution_rates() -> None:
    for code, rate, valid_from in DEFAULT_RATES:
        concept = PayrollConcept.objects.filter(code=code).first()
        if concept is not None:
            ContributionRate.objects.get_or_create(
                concept=concept, valid_from=valid_from, defaults={"rate": rate}
            )
