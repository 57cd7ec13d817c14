"""The daily alerts: sent when the clock passes the date, once, with what to do next."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from ayni.benefits.alerts import _send, send_benefit_alerts
from ayni.benefits.demo import NEAR_25, seed_near_25
from ayni.benefits.models import BenefitAlert
from ayni.benefits.tasks import benefit_alerts_task
from ayni.core.models import Notification
from ayni.core.workdays import add_working_days
from ayni.desk.cases import case_answer
from ayni.desk.demo import demo_pdf
from ayni.desk.models import Case

pytestmark = pytest.mark.django_db
LIMA = ZoneInfo("America/Lima")
SEEDED = date(2026, 12, 2)  # the near-25 teacher is seeded «today» = this day


def at(day: date, hour: int = 6) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LIMA)


def notes(user, text: str) -> list[Notification]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(recipient=user, title__contains=text))


def test_24_years_11_months_gets_the_25_year_notice_when_the_clock_passes_the_date(
    django_capture_on_commit_callbacks,
) -> None:
    servant = seed_near_25(SEEDED)
    # seeded with 24 años 11 meses through 02/12/2026: 25 años on 02/01/2027 (hand-worked:
    # service from 03/01/2002; 03/01/2002 → 03/01/2027 is 25 years, the last day is 02/01)
    assert servant.doc_number == NEAR_25
    for day, expected in ((date(2027, 1, 1), 0), (date(2027, 1, 2), 1), (date(2027, 1, 3), 1)):
        with (
            time_machine.travel(at(day), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            benefit_alerts_task.call()
        assert len(notes(servant.user, "Cumplió 25 años")) == expected, day
    note = notes(servant.user, "Cumplió 25 años")[0]
    assert "«¿Cumplo los requisitos?»" in note.title and note.link == "/beneficios/"
    sent = [m for m in mail.outbox if servant.user.email in m.to]
    assert len(sent) == 1  # the day after sent nothing more
    # the e-mail points to the notice and carries no personal values
    assert "25" not in sent[0].subject and "25 años" not in sent[0].body
    assert "/beneficios/" in sent[0].body


def test_running_twice_or_two_workers_at_once_send_once() -> None:
    servant = seed_near_25(SEEDED)
    day = date(2027, 1, 2)
    first = send_benefit_alerts(day)
    again = send_benefit_alerts(day)
    assert first["ats"] >= 1 and again["ats"] == 0  # (other demo servants passed 25 long ago)
    # a second worker that listed the same servant before the first one wrote: the
    # unique alert row refuses its insert and it sends nothing
    assert _send(servant, "ats25", "otro aviso", "/beneficios/") is False
    assert BenefitAlert.objects.filter(servant=servant, key="ats25").count() == 1
    assert len(notes(servant.user, "Cumplió 25 años")) == 1


def test_cessation_a_year_away(servant_of) -> None:
    teacher = servant_of("servant")  # born 14/05/1978: ceases 31/12/2043
    assert send_benefit_alerts(date(2042, 12, 30))["cese"] == 0  # the day before
    assert send_benefit_alerts(date(2042, 12, 31))["cese"] == 1  # a year before, to the day
    assert send_benefit_alerts(date(2043, 1, 1))["cese"] == 0  # sent already
    [note] = notes(teacher.user, "cese por límite de edad")
    assert "31/12/2043" in note.title and "pida las correcciones" in note.title


def test_observed_benefit_filing_near_its_term(persona, servant_of) -> None:
    from ayni.benefits.services import benefit_request_file

    teacher = servant_of("servant")
    req = benefit_request_file(
        user=teacher.user,
        servant=teacher,
        benefit="luto",
        files={"acta": demo_pdf("Acta"), "parentesco": demo_pdf("Partida")},
        relationship="hijo",
        deceased_name="PEDRO QUISPE",
    )
    case_answer(
        officer=persona("planillas"), case=req.case, state=Case.State.OBSERVED, comment="Ilegible"
    )
    req.case.refresh_from_db()
    term = req.case.observed_until
    assert term is not None
    today = date.today()
    assert send_benefit_alerts(today)["observados"] == 0  # two working days left
    day_before = [
        d
        for d in (date.fromordinal(term.toordinal() - k) for k in range(1, 6))
        if add_working_days(d, 1) >= term
    ][-1]
    assert send_benefit_alerts(day_before)["observados"] == 1
    assert send_benefit_alerts(term)["observados"] == 0  # once
    [note] = notes(teacher.user, "está observado")
    assert req.case.label in note.title and "complételo" in note.title


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_notice(demo_data) -> None:
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    servant = seed_near_25(SEEDED)
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(send_benefit_alerts(date(2027, 1, 2)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(notes(servant.user, "Cumplió 25 años")) == 1
    assert BenefitAlert.objects.filter(servant=servant, key="ats25").count() == 1
