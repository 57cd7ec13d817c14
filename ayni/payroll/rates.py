"""The default contribution rates (also seeded by migrations 0002 and 0005), re-creatable.

- 0607 ONP, D.L. 19990: 13 % of the servant's income subject to ONP.
- 0804 EsSalud, Ley 26790 art. 6: the employer's 9 % of the income subject to EsSalud.
- 0610 EsSalud of a pensioner, Ley 26790 art. 6: 4 % of the pension, withheld from the
  pensioner (in force since the law, 17/05/1997).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ayni.org.models import PayrollConcept
from ayni.payroll.models import ContributionRate

DEFAULT_RATES = [
    ("0607", Decimal("0.1300"), date(2000, 1, 1)),
    ("0804", Decimal("0.0900"), date(2000, 1, 1)),
    ("0610", Decimal("0.0400"), date(1997, 5, 17)),
]


def ensure_contribution_rates() -> None:
    for code, rate, valid_from in DEFAULT_RATES:
        concept = PayrollConcept.objects.filter(code=code).first()
        if concept is not None:
            ContributionRate.objects.get_or_create(
                concept=concept, valid_from=valid_from, defaults={"rate": rate}
            )
