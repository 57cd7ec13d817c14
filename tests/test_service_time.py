"""Tiempo de servicios: hand-worked cases and properties of the counted days."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ayni.personnel.service_time import Period, calendar_span, merge, service_time


def p(a: str, b: str) -> Period:
    return Period(date.fromisoformat(a), date.fromisoformat(b))


@pytest.mark.parametrize(
    ("service", "discounts", "expected"),
    [
        # the three examples of DOMAIN.md
        ([p("2000-03-01", "2000-12-31")], [], "0 años 10 meses 0 días"),
        (
            [p("2010-01-01", "2010-06-30"), p("2010-07-01", "2010-12-31")],
            [],
            "1 año 0 meses 0 días",
        ),
        ([p("2010-01-01", "2014-12-31")], [p("2011-03-01", "2011-05-31")], "4 años 9 meses 0 días"),
        # simultaneous posts never count twice
        (
            [p("2010-01-01", "2010-12-31"), p("2010-06-01", "2011-05-31")],
            [],
            "1 año 5 meses 0 días",
        ),
        # leave partly outside the service counts only where it overlaps
        (
            [p("2010-01-01", "2010-12-31")],
            [p("2009-11-01", "2010-01-31")],
            "0 años 11 meses 0 días",
        ),
        # leave entirely outside changes nothing
        ([p("2010-01-01", "2010-12-31")], [p("2012-01-01", "2012-03-31")], "1 año 0 meses 0 días"),
        # days carry into months (30) and months into years (12)
        (
            [p("2001-01-01", "2001-01-20"), p("2002-01-01", "2002-01-20")],
            [],
            "0 años 1 mes 10 días",
        ),
        (
            [p("2001-01-01", "2001-07-31"), p("2003-01-01", "2003-07-31")],
            [],
            "1 año 2 meses 0 días",
        ),
        # a single day
        ([p("2020-02-29", "2020-02-29")], [], "0 años 0 meses 1 día"),
        ([], [], "0 años 0 meses 0 días"),
    ],
)
def test_hand_worked_cases(service, discounts, expected):
    assert str(service_time(service, discounts)) == expected


def test_calendar_span_uses_civil_months():
    assert calendar_span(p("2000-03-01", "2000-12-31")) == (0, 10, 0)
    # month arithmetic clamps to the month end: 31 Jan + 1 month = 28 Feb
    assert calendar_span(p("2021-01-31", "2021-02-28")) == (0, 1, 1)
    assert calendar_span(p("2021-02-01", "2021-02-28")) == (0, 1, 0)
    assert calendar_span(p("1980-04-01", "2021-12-31")) == (41, 9, 0)


def test_discounted_periods_are_reported():
    result = service_time([p("2010-01-01", "2014-12-31")], [p("2011-03-01", "2011-05-31")])
    assert result.discounted == (p("2011-03-01", "2011-05-31"),)
    assert result.stretches == (p("2010-01-01", "2011-02-28"), p("2011-06-01", "2014-12-31"))


def test_ats_thresholds():
    total = service_time([p("1995-04-01", "2020-03-31")])
    assert str(total) == "25 años 0 meses 0 días"
    assert total.reached(25)
    assert not total.reached(30)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        p("2020-02-01", "2020-01-01")


# --- properties on the set of counted days ------------------------------------------

BASE = date(2000, 1, 1)
periods = st.builds(
    lambda start, length: Period(
        BASE + timedelta(days=start), BASE + timedelta(days=start + length)
    ),
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=0, max_value=900),
)


def counted(service, discounts=()):
    days = set()
    for stretch in service_time(service, discounts).stretches:
        days.update(stretch.start + timedelta(days=i) for i in range(stretch.days))
    return days


def naive_days(service, discounts=()):
    covered = {x.start + timedelta(days=i) for x in service for i in range(x.days)}
    removed = {x.start + timedelta(days=i) for x in discounts for i in range(x.days)}
    return covered - removed


@given(st.lists(periods, max_size=6), st.lists(periods, max_size=4), st.randoms())
def test_order_of_periods_does_not_matter(service, discounts, rnd):
    shuffled = list(service)
    rnd.shuffle(shuffled)
    assert counted(service, discounts) == counted(shuffled, list(reversed(discounts)))
    assert service_time(service, discounts) == service_time(shuffled, discounts)


@given(st.lists(periods, max_size=6), st.lists(periods, max_size=4))
def test_an_overlap_never_counts_twice(service, discounts):
    result = service_time(service, discounts)
    assert counted(service, discounts) == naive_days(service, discounts)
    assert result.counted_days == len(naive_days(service, discounts))
    assert service_time(service + service, discounts) == result


@given(st.lists(periods, max_size=6), st.lists(periods, max_size=4), periods)
def test_adding_leave_never_adds_a_counted_day(service, discounts, more):
    assert counted(service, [*discounts, more]) <= counted(service, discounts)


@given(st.lists(periods, max_size=8))
def test_merged_periods_are_disjoint_and_not_adjacent(service):
    merged = merge(service)
    for left, right in itertools.pairwise(merged):
        assert right.start > left.end + timedelta(days=1)
