"""«Mi boleta» and its download read in fixed SQL (payroll.selectors): the same payslips,
values and refusals as `visible_payslips`, the one rule for a servant's payslips."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from ayni.payroll.models import Payslip
from ayni.payroll.selectors import (
    get_payslip_file_for_user,
    visible_payslip_list,
    visible_payslips,
    visible_years,
)

pytestmark = pytest.mark.django_db

LIST_ATTRS = ("pk", "uuid", "run_id", "year", "month", "payment_date", "net")
RUN_ATTRS = ("pk", "kind", "sequence", "state", "is_additional")


def last_months(payslips: Any, months: int) -> list[Payslip]:
    """The payslips of the `months` periods ending at the newest one's, newest first."""
    ordered = list(payslips)
    if not ordered:
        return []
    newest = ordered[0].year * 12 + ordered[0].month
    return [p for p in ordered if p.year * 12 + p.month > newest - months]


def same_values(fixed: Payslip, orm: Payslip) -> None:
    for name in LIST_ATTRS:
        assert getattr(fixed, name) == getattr(orm, name), name
        assert type(getattr(fixed, name)) is type(getattr(orm, name)), name
    for name in RUN_ATTRS:
        assert getattr(fixed.run, name) == getattr(orm.run, name), name
    assert fixed.period_label == orm.period_label
    assert fixed.run.get_kind_display() == orm.run.get_kind_display()


@pytest.mark.parametrize("who", ["servant", "cesante"])
def test_the_list_and_the_years_are_what_the_orm_gives(who, persona):
    user = persona(who)
    orm = visible_payslips(user)
    years = list(orm.order_by("-year").values_list("year", flat=True).distinct())
    assert years and visible_years(user) == years
    recent = visible_payslip_list(user, months=12)
    expected_recent = last_months(orm, 12)
    assert [p.pk for p in recent] == [p.pk for p in expected_recent]
    for fixed, expected in zip(recent, expected_recent, strict=True):
        same_values(fixed, expected)
    for year in years:
        assert [p.pk for p in visible_payslip_list(user, year=year)] == [
            p.pk for p in orm.filter(year=year)
        ]


def test_unpublished_and_not_yet_paid_payslips_are_not_listed_nor_served(persona):
    user = persona("servant")
    newest, second = visible_payslip_list(user, months=12)[:2]
    Payslip.objects.filter(pk=newest.pk).update(published=False)
    Payslip.objects.filter(pk=second.pk).update(
        payment_date=timezone.localdate() + timedelta(days=1)
    )
    shown = [p.pk for p in visible_payslip_list(user, months=12)]
    assert newest.pk not in shown and second.pk not in shown
    assert shown == [p.pk for p in last_months(visible_payslips(user), 12)]
    for hidden in (newest, second):
        with pytest.raises(Http404):
            get_payslip_file_for_user(user, hidden.uuid)


def test_the_download_finds_only_the_servants_own_payslip(persona):
    mine = visible_payslip_list(persona("servant"))[0]
    found = get_payslip_file_for_user(persona("servant"), mine.uuid)
    stored = Payslip.objects.get(pk=mine.pk, year=mine.year, month=mine.month)
    assert (found.pk, found.uuid, found.year, found.month) == (
        stored.pk,
        stored.uuid,
        stored.year,
        stored.month,
    )
    assert (found.pdf_file, found.pdf_sha256) == (stored.pdf_file, stored.pdf_sha256)
    assert set(found.get_deferred_fields()) >= {"header", "lines", "servant_id", "run_id"}
    for other in ("other_servant", "planillas", "cesante"):
        with pytest.raises(Http404):
            get_payslip_file_for_user(persona(other), mine.uuid)
    for ref in (uuid.uuid4(), "no-es-un-codigo", str(mine.uuid)[:-1]):
        with pytest.raises(Http404):
            get_payslip_file_for_user(persona("servant"), ref)


def test_nobody_signed_in_reads_nothing():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert visible_years(anonymous) == [] and visible_payslip_list(anonymous) == []
    with pytest.raises(Http404):
        get_payslip_file_for_user(anonymous, uuid.uuid4())


def test_a_year_out_of_range_shows_no_payslip_and_a_word_shows_the_latest(client_for, persona):
    client = client_for("servant")
    far = client.get("/mi-boleta/?anio=123456789012345678901234567890").content.decode()
    assert far.count('<li class="payslip">') == 0
    assert "Aún no tiene boletas publicadas" in far
    word = client.get("/mi-boleta/?anio=dos-mil").content.decode()
    assert word.count('<li class="payslip">') == len(visible_payslip_list(persona("servant")))


def test_the_first_screen_holds_every_payslip_of_the_last_twelve_months(persona, servant_of):
    """«Últimos 12 meses» means months, not payslips: the demo teacher's adicionales of
    October (one annulled, one replacing it) do not push February out."""
    user = persona("servant")
    shown = visible_payslip_list(user)
    periods = sorted({(p.year, p.month) for p in shown}, reverse=True)
    assert len(periods) == 12
    newest_year, newest_month = periods[0]
    newest = newest_year * 12 + newest_month
    assert [y * 12 + m for y, m in periods] == list(range(newest, newest - 12, -1))
    assert len(shown) == 14  # 12 monthly payslips and the two adicionales
    older = Payslip.objects.filter(
        servant=servant_of("servant"), published=True, payment_date__lte=timezone.localdate()
    ).exclude(pk__in=[p.pk for p in shown])
    assert all(p.year * 12 + p.month <= newest - 12 for p in older)
