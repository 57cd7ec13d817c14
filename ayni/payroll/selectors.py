"""Reads of payroll runs and payslips, scoped."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from ayni.accounts.permissions import PAYROLL_MANAGE, perm_paths
from ayni.core.rowread import db_param, fixed_rows, instance, read_alias, with_tables
from ayni.org.models import OrgUnit, PayrollConcept, PensionRegime
from ayni.org.selectors import under_any
from ayni.payroll.models import ContributionRate, PayrollRun, Payslip
from ayni.personnel.models import Servant


def visible_payslips(user: Any) -> QuerySet[Payslip]:
    """The servant's own published payslips whose payment day (Lima) has come (the
    servant found through the account in the same query)."""
    if not getattr(user, "is_authenticated", False):
        return Payslip.objects.none()
    return Payslip.objects.filter(
        servant__user=user, published=True, payment_date__lte=timezone.localdate()
    ).select_related("run")


def get_payslip_for_user(user: Any, ref: UUID | str) -> Payslip:
    payslip = visible_payslips(user).filter(uuid=ref).first()
    if payslip is None:
        raise Http404
    return payslip


# --- Mi boleta and its download in fixed SQL ---------------------------------------------
# The same rule as `visible_payslips` (own, published, payment day come), written once per
# process as SQL: on payment day every servant opens these two pages, and building the
# ORM's query cost more than running it. tests/test_payroll_fixed_reads.py checks that
# they give what `visible_payslips` gives.

VISIBLE = (
    "FROM {payslip} p JOIN {servant} s ON s.id = p.servant_id "
    "WHERE s.user_id = %s AND p.published AND p.payment_date <= %s"
)
WITH_RUN = VISIBLE.replace("WHERE", "JOIN {run} r ON r.id = p.run_id WHERE")
LIST_FIELDS = ("id", "uuid", "run_id", "year", "month", "payment_date", "net")
RUN_FIELDS = ("id", "kind", "sequence", "state")
FILE_FIELDS = ("id", "uuid", "year", "month", "pdf_file", "pdf_sha256")
LISTED = ", ".join([f"p.{n}" for n in LIST_FIELDS] + [f"r.{n}" for n in RUN_FIELDS])
NEWEST = "ORDER BY p.year DESC, p.month DESC, p.id DESC"
PERIOD = "p.year * 12 + p.month"  # months since year 0: one number per period
QUERIES = {
    "years": f"SELECT DISTINCT p.year {VISIBLE} ORDER BY p.year DESC",
    "year": f"SELECT {LISTED} {WITH_RUN} AND p.year = %s {NEWEST}",
    # the months back from the newest visible payslip's: (SELECT ...) has its own p and s
    "recent": f"SELECT {LISTED} {WITH_RUN} AND {PERIOD} > (SELECT MAX({PERIOD}) {VISIBLE}) - %s "
    + NEWEST,
    "file": f"SELECT {', '.join(f'p.{n}' for n in FILE_FIELDS)} {VISIBLE} AND p.uuid = %s "
    f"{NEWEST} LIMIT 1",
}


@functools.cache
def _sql(kind: str) -> str:
    """QUERIES[kind] with the tables' quoted names (once per process)."""
    return with_tables(QUERIES[kind], payslip=Payslip, servant=Servant, run=PayrollRun)


def _visible_params(user: Any, alias: str) -> list[Any]:
    return [user.pk, db_param(Payslip, "payment_date", timezone.localdate(), alias)]


def visible_years(user: Any) -> list[int]:
    """The years of the servant's visible payslips, newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    alias = read_alias(Payslip)
    return [year for (year,) in fixed_rows(Payslip, _sql("years"), _visible_params(user, alias))]


def visible_payslip_list(user: Any, *, year: int | None = None, months: int = 12) -> list[Payslip]:
    """The servant's visible payslips of `year`, or of the last `months` months counted
    from the newest one's period (adicionales included), newest first, with what «Mi
    boleta» prints of each and of its run."""
    if not getattr(user, "is_authenticated", False):
        return []
    alias = read_alias(Payslip)
    visible = _visible_params(user, alias)
    if year is None:
        sql, params = _sql("recent"), [*visible, *visible, months]
    else:
        sql, params = _sql("year"), [*visible, year]
    split = len(LIST_FIELDS)
    found = []
    for row in fixed_rows(Payslip, sql, params):
        payslip = instance(Payslip, LIST_FIELDS, row[:split], alias)
        payslip.run = instance(PayrollRun, RUN_FIELDS, row[split:], alias)
        found.append(payslip)
    return found


def get_payslip_file_for_user(user: Any, ref: UUID | str) -> Payslip:
    """A payslip of the user's for a download: only the columns that find or make the
    file (a stored PDF needs no lines, header or run)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    alias = read_alias(Payslip)
    try:
        key = db_param(Payslip, "uuid", ref, alias)
    except ValidationError:
        raise Http404 from None
    rows = fixed_rows(Payslip, _sql("file"), [*_visible_params(user, alias), key])
    if not rows:
        raise Http404
    return instance(Payslip, FILE_FIELDS, rows[0], alias)


def runs_in_scope(user: Any) -> QuerySet[PayrollRun]:
    return PayrollRun.objects.filter(
        under_any(perm_paths(user, PAYROLL_MANAGE), "ugel__path")
    ).select_related("ugel")


def get_run_for_user(user: Any, ref: UUID | str) -> PayrollRun:
    run = runs_in_scope(user).filter(uuid=ref).first()
    if run is None:
        raise Http404
    return run


def _run_payslips(run: PayrollRun) -> QuerySet[Payslip]:
    """The run's payslips, with its period: PostgreSQL reads one partition."""
    return Payslip.objects.filter(run=run, year=run.year, month=run.month)


def stored_pdf_count(run: PayrollRun) -> int:
    """How many of a published run's payslips already have their PDF stored: the run's
    payslips less those still without one (an index holds only those, so once the run is
    rendered this reads nothing, where counting the stored ones read every payslip)."""
    if run.state != PayrollRun.State.PUBLISHED:
        return 0
    # no period in this filter: the partial index then answers alone (index-only, the
    # pages being all-visible after the publication's VACUUM); other partitions hold none
    pending = Payslip.objects.filter(run=run, pdf_file="").count()
    if pending == 0 and not _run_payslips(run).exists():
        return 0  # a run's summary without its payslips (synthetic supervision data)
    return max(0, run.payslip_count - pending)


def ugels_for_upload(user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(
        under_any(perm_paths(user, PAYROLL_MANAGE)), kind=OrgUnit.Kind.UGEL
    )


SAMPLE = 50


def run_sample(run: PayrollRun) -> list[Payslip]:
    """The first payslips of a run for its page, by the names the master file gave
    (the payslip's snapshot), never the names Ayni records for those documents."""
    if run.state not in (
        PayrollRun.State.DRAFT,
        PayrollRun.State.PUBLISHED,
        PayrollRun.State.ANNULLED,
    ):
        return []
    return list(
        _run_payslips(run)
        .only("uuid", "run_id", "servant_id", "header", "gross", "deductions", "net", "published")
        # the order of the index payslip_run_names: the first page is read, not sorted
        .order_by("header__apellidos", "header__nombres", "id")[:SAMPLE]
    )


def period_runs(run: PayrollRun) -> list[PayrollRun]:
    """The other runs (uploads, adicionales) of the same UGEL, period and kind."""
    return list(
        PayrollRun.objects.filter(
            ugel_id=run.ugel_id, year=run.year, month=run.month, kind=run.kind
        )
        .exclude(pk=run.pk)
        .order_by("sequence", "created_at")
    )


def run_totals(run: PayrollRun) -> dict[str, Any]:
    """What publishing a run commits to: its payslips and their totals (one query)."""
    totals = run.payslips.aggregate(
        servants=Count("pk"),
        gross=Sum("gross"),
        deductions=Sum("deductions"),
        net=Sum("net"),
        employer=Sum("employer_contributions"),
    )
    zero = Decimal("0.00")
    return {k: (v if v is not None else zero) for k, v in totals.items()}


# --- the payroll officer's guide ----------------------------------------------------------

GUIDE_CONCEPTS = ("2001", "2004", "2005", "2006", "2009", "0601", "0606", "0608", "0702", "0703")


def guide_concepts() -> list[PayrollConcept]:
    """A few concepts of Tabla 22 that every UGEL's .rem carries, as examples."""
    return list(PayrollConcept.objects.filter(code__in=GUIDE_CONCEPTS).order_by("code"))


def guide_regimes() -> list[PensionRegime]:
    return list(PensionRegime.objects.filter(active=True).order_by("code"))


def guide_rates() -> list[dict[str, Any]]:
    """The rates in force today, one per computed concept («4 %», since when)."""
    today = timezone.localdate()
    current: dict[str, ContributionRate] = {}
    for rate in (
        ContributionRate.objects.filter(valid_from__lte=today)
        .select_related("concept")
        .order_by("concept__code", "-valid_from")
    ):
        current.setdefault(rate.concept.code, rate)
    return [
        {
            "code": code,
            "name": rate.concept.name,
            "percent": f"{(rate.rate * 100).normalize():f} %",
            "valid_from": rate.valid_from,
        }
        for code, rate in current.items()
    ]
