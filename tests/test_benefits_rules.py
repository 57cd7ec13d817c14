"""The benefit rules on hand-worked cases: the day before, the day of, the day after.

Every expected date below was worked out by hand from the file's computation
(DOMAIN.md «Tiempo de servicios»: calendar difference per stretch, 30 days carry into
a month, 12 months into a year) and the rule rows of ayni/benefits/rules_data.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ayni.benefits.rules import (
    Facts,
    ServicePeriod,
    ats_amount,
    cessation_rule,
    cts_amount,
    cts_years,
    service_at,
    years_reached_on,
)
from ayni.benefits.rules_data import RULES
from ayni.personnel.service_time import ServiceTime

D = date


def rows(regime: str, benefit: str) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(valid_to=None, **r) if "valid_to" not in r else SimpleNamespace(**r)
        for r in RULES
        if r["regime_code"] == regime and r["benefit"] == benefit
    ]


def years_on(facts: Facts, day: date, **kw: bool) -> int:
    return service_at(facts, day, **kw).years


# --- ATS: 25 and 30 years --------------------------------------------------------------


def test_ats_one_open_period_reaches_25_years_on_the_last_day_of_february() -> None:
    # 01/03/2000 → 28/02/2025 inclusive is exactly 25 años 0 meses 0 días.
    facts = Facts(entries=(ServicePeriod(D(2000, 3, 1), None),))
    assert str(service_at(facts, D(2025, 2, 27))) == "24 años 11 meses 27 días"
    assert years_on(facts, D(2025, 2, 27)) == 24  # the day before
    assert str(service_at(facts, D(2025, 2, 28))) == "25 años 0 meses 0 días"  # the day of
    assert years_on(facts, D(2025, 3, 1)) == 25  # the day after
    # asked before, on and after that day, the answer is the same date
    for today in (D(2020, 1, 1), D(2025, 2, 27), D(2025, 2, 28), D(2026, 6, 1)):
        assert years_reached_on(facts, 25, today) == D(2025, 2, 28)
    assert years_reached_on(facts, 30, D(2026, 6, 1)) == D(2030, 2, 28)


def test_ats_contract_service_counts_when_the_rule_says_so() -> None:
    # contract 01/03/2003-31/12/2003 (10 months) + appointed from 01/03/2005:
    # 290 more months from 01/03/2005 end on 30/04/2029.
    facts = Facts(
        entries=(
            ServicePeriod(D(2003, 3, 1), D(2003, 12, 31), "contrato"),
            ServicePeriod(D(2005, 3, 1), None, "nombramiento"),
        )
    )
    assert str(service_at(facts, D(2029, 4, 29))) == "24 años 11 meses 29 días"
    assert years_on(facts, D(2029, 4, 30)) == 25
    assert years_on(facts, D(2029, 5, 1)) == 25
    assert years_reached_on(facts, 25, D(2026, 12, 2)) == D(2029, 4, 30)
    # only appointed service: 25 years from 01/03/2005 end on 28/02/2030
    assert years_on(facts, D(2030, 2, 27), counts_contract=False) == 24
    assert years_reached_on(facts, 25, D(2026, 12, 2), counts_contract=False) == D(2030, 2, 28)


def test_ats_unpaid_leave_delays_the_date_and_thirty_days_carry_into_a_month() -> None:
    # appointed from 01/01/2000, unpaid leave 01/03/2011-31/05/2011:
    # 01/01/2000-28/02/2011 = 11 años 2 meses; from 01/06/2011 to 30/03/2025 = 13 años
    # 9 meses 30 días; 30 days carry into a month: 25 años exactly on 30/03/2025.
    facts = Facts(
        entries=(ServicePeriod(D(2000, 1, 1), None),),
        discounts=((D(2011, 3, 1), D(2011, 5, 31)),),
    )
    assert str(service_at(facts, D(2025, 3, 29))) == "24 años 11 meses 29 días"
    assert str(service_at(facts, D(2025, 3, 30))) == "25 años 0 meses 0 días"
    assert years_on(facts, D(2025, 3, 31)) == 25
    assert years_reached_on(facts, 25, D(2024, 1, 1)) == D(2025, 3, 30)


def test_ats_never_reached_when_service_ended_short() -> None:
    facts = Facts(
        entries=(ServicePeriod(D(1990, 4, 1), None),),
        cessations=(D(2010, 3, 31),),
        active=False,
    )
    assert str(service_at(facts, D(2026, 1, 1))) == "20 años 0 meses 0 días"
    assert years_reached_on(facts, 25, D(2026, 1, 1)) is None


def test_ats_while_on_open_unpaid_leave_cannot_be_projected() -> None:
    facts = Facts(
        entries=(ServicePeriod(D(2005, 3, 1), None),),
        discounts=((D(2026, 1, 1), None),),
    )
    assert years_reached_on(facts, 25, D(2026, 6, 1)) is None
    # 20 years were reached before the leave began: that date stays
    assert years_reached_on(facts, 20, D(2026, 6, 1)) == D(2025, 2, 28)
    assert years_on(facts, D(2026, 6, 1)) == years_on(facts, D(2036, 6, 1)) == 20


def test_ats_amounts_from_the_rule_rows() -> None:
    teacher = rows("L29944", "ats25")[0].params
    dl276_30 = rows("02", "ats30")[0].params
    assert ats_amount(Decimal("3612.60"), teacher) == Decimal("7225.20")  # two RIM
    assert ats_amount(Decimal("2800.00"), dl276_30) == Decimal("8400.00")  # three


# --- CTS -------------------------------------------------------------------------------


def st(y: int, m: int, d: int) -> ServiceTime:
    return ServiceTime(y, m, d, (), ())


def test_cts_fraction_over_six_months_counts_a_year() -> None:
    params = rows("L29944", "cts")[-1].params  # Ley 31451: 100 % RIM
    assert cts_years(st(5, 5, 29), params) == 5  # two days before
    assert cts_years(st(5, 6, 0), params) == 5  # six months exactly: not over six
    assert cts_years(st(5, 6, 1), params) == 6  # the day after
    assert cts_amount(6, Decimal("3612.60"), params) == Decimal("21675.60")


def test_cts_before_ley_31451_was_14_percent_capped_at_30_years() -> None:
    old = rows("L29944", "cts")[0]
    assert old.valid_to == D(2022, 4, 13)
    assert cts_years(st(32, 0, 0), old.params) == 30
    assert cts_amount(30, Decimal("3612.60"), old.params) == Decimal("15172.92")


# --- cessation by age ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (D(1978, 5, 14), D(2043, 12, 31)),  # the demo teacher: Ley 31451 in force
        (D(1956, 1, 20), D(2021, 1, 20)),  # turned 65 before Ley 31451: the birthday
        (D(1957, 4, 12), D(2022, 4, 12)),  # two days before Ley 31451: birthday
        (D(1957, 4, 13), D(2022, 4, 13)),  # the last day of the original text
        (D(1957, 4, 14), D(2022, 12, 31)),  # the first day of Ley 31451: 31 December
        (D(1957, 4, 15), D(2022, 12, 31)),
    ],
)
def test_teacher_cessation_by_age_follows_the_text_in_force(birth: date, expected: date) -> None:
    found = cessation_rule(rows("L29944", "cese_edad"), birth)
    assert found is not None
    assert found[1] == expected


def test_dl276_ceases_on_the_70th_birthday_and_auxiliaries_on_31_december() -> None:
    dl276 = rows("02", "cese_edad")
    aux = rows("L30493", "cese_edad")
    assert cessation_rule(dl276, D(1960, 8, 15))[1] == D(2030, 8, 15)  # type: ignore[index]
    assert cessation_rule(dl276, D(1960, 2, 29))[1] == D(2030, 2, 28)  # type: ignore[index]
    assert cessation_rule(aux, D(1960, 8, 15))[1] == D(2030, 12, 31)  # type: ignore[index]
    assert cessation_rule(aux, D(1960, 1, 1))[1] == D(2030, 12, 31)  # type: ignore[index]


def test_every_rule_row_names_its_source_and_its_regime() -> None:
    for row in RULES:
        assert row["source"].strip()
        assert row["regime_code"] in {"L29944", "L30328", "L30493", "02"}
