"""Partitioned history (issue 18): payslips by year and audit events by Lima month on
PostgreSQL, plain tables on SQLite (ayni.core.partitions, docs/particiones.md).

The PostgreSQL tests read EXPLAIN to prove that the importer's and the pages' queries
touch one partition, convert tables with data through the real migrations, and run the
maintenance from two workers at once. They skip on SQLite, where the last tests check
that the plain tables keep working.
"""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404

from ayni.core import partitions
from ayni.core.models import AuditEvent
from ayni.org.models import OrgUnit
from ayni.payroll.models import PayrollRun, Payslip
from ayni.payroll.selectors import get_payslip_for_user

LIMA = ZoneInfo("America/Lima")


def pg() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("declarative partitioning is PostgreSQL's; SQLite keeps plain tables")


def make_run(year: int, month: int, *, kind: str = "cas") -> PayrollRun:
    ugel = OrgUnit.objects.get(code="150108")
    return PayrollRun.objects.create(
        ugel=ugel,
        year=year,
        month=month,
        kind=kind,
        payment_date=date(year, month, 20),
        state=PayrollRun.State.DRAFT,
    )


def make_payslip(run: PayrollRun, servant_id: int, **extra: object) -> Payslip:
    return Payslip.objects.create(
        uuid=extra.pop("uuid", uuid.uuid4()),
        run=run,
        servant_id=servant_id,
        year=run.year,
        month=run.month,
        payment_date=run.payment_date,
        published=True,
        header={"nombre": "PRUEBA"},
        lines=[{"code": "0101", "amount": "100.00"}],
        gross=Decimal("100.00"),
        deductions=Decimal("0.00"),
        net=Decimal("100.00"),
        taxable_base=Decimal("100.00"),
        employer_contributions=Decimal("9.00"),
        **extra,
    )


def explain(queryset) -> str:  # type: ignore[no-untyped-def]
    return str(queryset.explain())


def partitions_in(plan: str, table: str) -> set[str]:
    return {name for name in partitions.existing_partitions(table) if name in plan}


# --- PostgreSQL: the tables are partitioned, the key is in every unique ------------------


def test_tables_are_partitioned_with_the_period_in_primary_key_and_uniques(db):
    pg()
    assert partitions.is_partitioned("payroll_payslip")
    assert partitions.is_partitioned("core_auditevent")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid IN ('payroll_payslip'::regclass, "
            "'core_auditevent'::regclass) AND contype IN ('p', 'u') ORDER BY 1, 2"
        )
        rows = cursor.fetchall()
    assert rows == [
        ("core_auditevent", "core_auditevent_pkey", "PRIMARY KEY (id, occurred_at)"),
        ("payroll_payslip", "payroll_payslip_pkey", "PRIMARY KEY (id, year, month)"),
        ("payroll_payslip", "uniq_payslip_run_servant", "UNIQUE (run_id, servant_id, year, month)"),
        ("payroll_payslip", "uniq_payslip_uuid", "UNIQUE (uuid, year, month)"),
    ]
    assert "core_auditevent_default" in partitions.existing_partitions("core_auditevent")
    assert "payroll_payslip_default" in partitions.existing_partitions("payroll_payslip")


# --- pruning: each of these queries reads one partition ------------------------------------


@pytest.fixture
def spread(demo_data):  # type: ignore[no-untyped-def]
    """Payslips in 2019, 2020 and 2031 and audit events in three months of 2020, with
    their partitions made by the maintenance (the rows land in DEFAULT first)."""
    pg()
    servant_id = Payslip.objects.values_list("servant_id", flat=True).first()
    runs = {year: make_run(year, 3) for year in (2019, 2020, 2031)}
    slips = {year: make_payslip(run, servant_id) for year, run in runs.items()}
    for month in (4, 5, 6):
        event = AuditEvent.objects.create(action="payroll.payslip_viewed", detail="prueba")
        AuditEvent.objects.filter(pk=event.pk).update(
            occurred_at=datetime(2020, month, 1, 0, 30, tzinfo=LIMA)  # 05:30 UTC
        )
    report = partitions.maintain()
    assert {"payroll_payslip_y2019", "payroll_payslip_y2031"} <= set(report.created)
    assert "core_auditevent_m202005" in report.created
    assert report.left_in_default == {}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE payroll_payslip")
        cursor.execute("ANALYZE core_auditevent")
    return {"runs": runs, "slips": slips, "servant_id": servant_id}


def test_a_runs_payslips_read_one_partition(spread):
    run = spread["runs"][2020]
    plan = explain(Payslip.objects.of_run(run))
    assert partitions_in(plan, "payroll_payslip") == {"payroll_payslip_y2020"}
    assert list(Payslip.objects.of_run(run)) == [spread["slips"][2020]]
    # without the period PostgreSQL cannot prune: every partition is probed
    plan = explain(Payslip.objects.filter(run=run))
    assert len(partitions_in(plan, "payroll_payslip")) > 2


def test_a_servants_payslips_for_a_month_read_one_partition(spread):
    query = Payslip.objects.filter(servant_id=spread["servant_id"], year=2031, month=3)
    assert partitions_in(explain(query), "payroll_payslip") == {"payroll_payslip_y2031"}
    assert list(query) == [spread["slips"][2031]]


def test_an_audit_month_reads_one_partition(spread):
    # the audit page's filter: from the first day 00:00 to the last day 23:59:59.999999, Lima
    since = datetime.combine(date(2020, 5, 1), time.min, tzinfo=LIMA)
    until = datetime.combine(date(2020, 5, 31), time.max, tzinfo=LIMA)
    query = AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lte=until)
    assert partitions_in(explain(query), "core_auditevent") == {"core_auditevent_m202005"}
    assert query.count() == 1
    # the first half hour of 1 May in Lima is 30 April in UTC and still May's partition
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_auditevent_m202005")
        assert cursor.fetchone()[0] == 1


def test_a_payslip_is_found_by_uuid_alone_and_stays_unique_per_run_and_servant(spread):
    slip = spread["slips"][2019]
    assert Payslip.objects.get(uuid=slip.uuid) == slip
    with pytest.raises(IntegrityError), transaction.atomic():
        make_payslip(spread["runs"][2019], spread["servant_id"])
    # the same uuid in the same period is refused; uuid4's 122 random bits keep it unique
    # across periods (docs/decisions.md, issue 18)
    other = Payslip.objects.exclude(servant_id=spread["servant_id"]).first()
    assert other is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        make_payslip(spread["runs"][2019], other.servant_id, uuid=slip.uuid)


def test_the_servant_opens_a_payslip_of_any_partition_by_its_uuid(spread, persona, servant_of):
    """The payslip page and its PDF link find a payslip by uuid alone: every year's
    partition is probed through its (uuid, year, month) index."""
    servant = servant_of("servant")
    slip = make_payslip(make_run(2019, 4), servant.pk)
    assert get_payslip_for_user(persona("servant"), slip.uuid) == slip
    plan = explain(Payslip.objects.filter(uuid=slip.uuid))
    assert "Index Cond: (uuid = " in plan  # (one-row partitions are read whole)
    with pytest.raises(Http404):
        get_payslip_for_user(persona("other_servant"), slip.uuid)


# --- the DEFAULT partition and the maintenance -----------------------------------------


def test_an_unknown_period_lands_in_default_and_the_maintenance_moves_it(demo_data):
    pg()
    servant_id = Payslip.objects.values_list("servant_id", flat=True).first()
    slip = make_payslip(make_run(2035, 7), servant_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM payroll_payslip_default WHERE year = 2035")
        assert cursor.fetchall() == [(slip.pk,)]
    dry = partitions.maintain(dry_run=True)
    assert "payroll_payslip_y2035" in dry.created
    assert "payroll_payslip_y2035" not in partitions.existing_partitions("payroll_payslip")
    report = partitions.maintain()
    assert "payroll_payslip_y2035" in report.created
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, uuid FROM payroll_payslip_y2035")
        assert cursor.fetchall() == [(slip.pk, slip.uuid)]
        cursor.execute("SELECT count(*) FROM payroll_payslip_default WHERE year = 2035")
        assert cursor.fetchone()[0] == 0
    assert Payslip.objects.get(uuid=slip.uuid).net == Decimal("100.00")
    # run again: nothing to do
    assert partitions.maintain().created == []


def test_the_months_ahead_get_their_partitions(db):
    pg()
    report = partitions.maintain(ahead=14, today=date(2040, 11, 15))
    names = set(partitions.existing_partitions("core_auditevent"))
    expected = {
        f"core_auditevent_m{2040 + (10 + n) // 12}{(10 + n) % 12 + 1:02d}" for n in range(15)
    }
    assert expected <= names
    assert {"payroll_payslip_y2040", "payroll_payslip_y2041", "payroll_payslip_y2042"} <= set(
        report.created
    )
    # an event written in a month ahead goes to its own partition, not to DEFAULT
    event = AuditEvent.objects.create(action="payroll.payslip_viewed")
    AuditEvent.objects.filter(pk=event.pk).update(
        occurred_at=datetime(2041, 2, 28, 23, 0, tzinfo=LIMA)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM core_auditevent_m204102")
        assert cursor.fetchall() == [(event.pk,)]


def test_a_queued_runs_year_gets_its_partition_before_its_payslips(demo_data):
    pg()
    make_run(2012, 5)
    assert "payroll_payslip_y2012" in partitions.maintain().created
    servant_id = Payslip.objects.values_list("servant_id", flat=True).first()
    slip = make_payslip(PayrollRun.objects.get(year=2012), servant_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM payroll_payslip_y2012")
        assert cursor.fetchall() == [(slip.pk,)]


def test_back_creates_the_past_months(db):
    pg()
    report = partitions.maintain(ahead=0, back=2, today=date(2011, 1, 10))
    assert {"core_auditevent_m201011", "core_auditevent_m201012", "core_auditevent_m201101"} <= set(
        report.created
    )
    assert {"payroll_payslip_y2010", "payroll_payslip_y2011"} <= set(report.created)


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_maintenance_at_once_create_each_partition_once():
    pg()
    results: list[list[str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            results.append(partitions.maintain(ahead=6, today=date(2050, 1, 1)).created)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        created = sorted(name for names in results for name in names)
        assert created == sorted(set(created))  # nobody created a partition twice
        assert "core_auditevent_m205007" in created
        assert "payroll_payslip_y2050" in created
    finally:
        _drop_partitions_from(2050)


def _drop_partitions_from(year: int) -> None:
    with connection.cursor() as cursor:
        for table in (partitions.AUDIT_TABLE, partitions.PAYSLIP_TABLE):
            for name in partitions.existing_partitions(table):
                digits = name.removeprefix(table + "_")[1:5]
                if digits.isdigit() and int(digits) >= year:
                    cursor.execute(f'DROP TABLE "{name}"')


# --- archive: an old audit month is detached in one catalogue change -----------------------


def test_detaching_an_old_audit_month_takes_its_rows_out_and_keeps_the_table(db):
    pg()
    for month in (1, 2):
        event = AuditEvent.objects.create(action="payroll.payslip_viewed", detail=f"mes {month}")
        AuditEvent.objects.filter(pk=event.pk).update(
            occurred_at=datetime(2018, month, 10, tzinfo=LIMA)
        )
    partitions.maintain()
    assert partitions.detachable("core_auditevent", date(2018, 2, 1)) == ["core_auditevent_m201801"]
    assert partitions.detach("core_auditevent", date(2018, 2, 1), dry_run=True).detached == [
        "core_auditevent_m201801"
    ]
    assert AuditEvent.objects.filter(occurred_at__year=2018).count() == 2
    report = partitions.detach("core_auditevent", date(2018, 2, 1))
    assert report.detached == ["core_auditevent_m201801"]
    assert list(
        AuditEvent.objects.filter(occurred_at__year=2018).values_list("detail", flat=True)
    ) == ["mes 2"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT detail FROM core_auditevent_m201801")  # kept for pg_dump -t
        assert cursor.fetchall() == [("mes 1",)]
    assert "core_auditevent_m201801" not in partitions.existing_partitions("core_auditevent")


def test_the_command_lists_creates_and_detaches(db):
    pg()
    out = StringIO()
    call_command("partitions", "--ahead", "2", "--dry-run", stdout=out)
    assert "Particiones al día." in out.getvalue() or "se crearía" in out.getvalue()
    event = AuditEvent.objects.create(action="payroll.payslip_viewed")
    AuditEvent.objects.filter(pk=event.pk).update(occurred_at=datetime(2017, 6, 5, tzinfo=LIMA))
    out = StringIO()
    call_command("partitions", "--detach-audit-before", "2017-07", stdout=out)
    text = out.getvalue()
    assert "Partición core_auditevent_m201706: creada" in text
    assert "Partición core_auditevent_m201706: separada de core_auditevent" in text
    assert "pg_dump -t core_auditevent_m201706" in text
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    with pytest.raises(CommandError, match="Mes no válido"):
        call_command("partitions", "--detach-audit-before", "junio")
    with pytest.raises(CommandError, match="negativo"):
        call_command("partitions", "--ahead", "-1")


# --- the migrations keep the rows -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migrations_convert_tables_with_rows_and_keep_them(demo_data):
    pg()
    before = [("payroll", "0005_pensioner_essalud_rate"), ("core", "0004_work_item_not_for")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        assert not partitions.is_partitioned("payroll_payslip")
        assert not partitions.is_partitioned("core_auditevent")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, uuid, year, month, lines::text, net FROM payroll_payslip ORDER BY id"
            )
            slips = cursor.fetchall()
            cursor.execute(
                "SELECT id, occurred_at, action, subject_ids FROM core_auditevent ORDER BY id"
            )
            events = cursor.fetchall()
            # rows written on the old schema, in a year no partition exists for yet
            cursor.execute(
                "INSERT INTO core_auditevent (occurred_at, action, subject_type, object_type, "
                "object_id, unit_path, detail, subject_ids) VALUES ('2016-08-08 10:00-05', "
                "'payroll.payslip_viewed', '', '', '', '', 'antiguo', ARRAY[1, 2]) RETURNING id"
            )
            events.append(
                (
                    cursor.fetchone()[0],
                    datetime(2016, 8, 8, 15, tzinfo=ZoneInfo("UTC")),
                    "payroll.payslip_viewed",
                    [1, 2],
                )
            )
        assert len(slips) > 100
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert partitions.is_partitioned("payroll_payslip")
        assert partitions.is_partitioned("core_auditevent")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, uuid, year, month, lines::text, net FROM payroll_payslip ORDER BY id"
            )
            assert cursor.fetchall() == slips
            cursor.execute(
                "SELECT id, occurred_at, action, subject_ids FROM core_auditevent ORDER BY id"
            )
            assert cursor.fetchall() == events
            cursor.execute("SELECT count(*) FROM payroll_payslip_default")
            assert cursor.fetchone()[0] == 0  # each year present got its partition
            cursor.execute("SELECT count(*) FROM core_auditevent_m201608")
            assert cursor.fetchone()[0] == 1
        # the ids go on from where they were
        new = AuditEvent.objects.create(action="payroll.payslip_viewed")
        assert new.pk > max(e[0] for e in events)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# --- both engines ------------------------------------------------------------------------


def test_nothing_references_a_partitioned_table_with_a_database_foreign_key():
    """A foreign key to a partitioned table needs a unique constraint on the referenced
    columns, and ours all carry the period: a future reference to a payslip or an audit
    event must be `db_constraint=False` (or name the uuid, like sharing's links)."""
    offenders = [
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if f.is_relation
        and f.concrete
        and f.related_model in (Payslip, AuditEvent)
        and getattr(f, "db_constraint", False)
    ]
    assert offenders == []


def test_sqlite_keeps_plain_tables_and_the_maintenance_does_nothing(demo_data):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite side of the partitioning")
    assert partitions.maintain().created == []
    assert partitions.detach("core_auditevent", date(2100, 1, 1)).detached == []
    assert not partitions.is_partitioned("payroll_payslip")
    out = StringIO()
    call_command("partitions", stdout=out)
    assert "no es PostgreSQL" in out.getvalue()
    servant_id = Payslip.objects.values_list("servant_id", flat=True).first()
    run = make_run(2031, 3)
    slip = make_payslip(run, servant_id)
    assert Payslip.objects.get(uuid=slip.uuid) == slip
    assert list(Payslip.objects.of_run(run)) == [slip]
    with pytest.raises(IntegrityError), transaction.atomic():
        make_payslip(run, servant_id)


def test_partition_bounds_are_lima_months_and_calendar_years():
    part = partitions.audit_partition(date(2026, 12, 9))
    assert part.name == "core_auditevent_m202612"
    assert part.bounds == "FROM ('2026-12-01 00:00:00-05:00') TO ('2027-01-01 00:00:00-05:00')"
    assert partitions.payslip_partition(2026).bounds == "FROM (2026, 1) TO (2027, 1)"
