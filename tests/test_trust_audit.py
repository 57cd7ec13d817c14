"""Item 10 of the trust issue: staff reads are events the person sees, in Spanish,
list pages are one event naming everyone shown, and MINEDU sees sign-in events."""

from __future__ import annotations

import re

import pytest

from ayni.core.audit import audit_log
from ayni.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_servant_list_page_is_one_event_naming_everyone_on_it(client_for, servant_of):
    officer = client_for("escalafon")
    before = AuditEvent.objects.count()
    page = officer.get("/servidores/")
    assert page.status_code == 200
    [event] = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before]
    assert event.action == "personnel.servant_list_viewed"
    teacher = servant_of("servant")
    assert teacher.pk in event.subject_ids
    assert servant_of("cusco_servant").pk not in event.subject_ids  # not in the officer's scope
    assert teacher.paternal_surname in page.content.decode()
    seen = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "Consultó una lista de servidores" in seen


def test_a_search_by_document_is_an_event_the_person_found_sees(client_for, servant_of):
    teacher = servant_of("servant")
    officer = client_for("escalafon")
    result = officer.post("/servidores/", {"q": teacher.doc_number})
    assert teacher.paternal_surname in result.content.decode()
    event = AuditEvent.objects.filter(action="personnel.servant_searched").latest("id")
    assert event.subject_ids == [teacher.pk]
    assert teacher.doc_number not in (event.detail or "")  # the DNI is not copied into the log
    seen = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "Buscó por número de documento" in seen
    assert "personnel.servant_searched" not in seen  # the sentence, never the code
    # the colleague on the same UGEL was not shown, so does not see it
    other = client_for("other_servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "Buscó por número de documento" not in other


def test_the_audit_page_shows_sentences_and_minedu_sees_sign_in_events(client_for, persona):
    audit_log(action="auth.login", actor=persona("servant"))
    admin_page = client_for("admin").get("/auditoria/", {"action": "auth.login"}).content.decode()
    assert "Ingresó a Ayni" in admin_page
    assert "<code>auth.login</code>" not in admin_page
    dre_page = client_for("dre_supervisor").get("/auditoria/", {"action": "auth.login"})
    assert "Ingresó a Ayni" not in dre_page.content.decode()  # a DRE audits its units only


def test_a_staff_file_read_shows_who_and_what_in_spanish(client_for, servant_of):
    teacher = servant_of("servant")
    client_for("escalafon").get(f"/servidores/{teacher.uuid}/")
    seen = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "Consultó el legajo: Legajo completo" in seen


def test_the_audit_filter_names_each_action_once():
    from collections import Counter

    from ayni.core.audit_actions import choices

    sentences = Counter(sentence for _, sentence in choices())
    assert [s for s, n in sentences.items() if n > 1] == []
    assert "desk.access_accepted" not in dict(choices())  # no longer written


def test_a_payroll_run_read_tells_each_servant_about_the_run_only(client_for, servant_of):
    from ayni.payroll.models import Payslip

    slip = Payslip.objects.filter(servant=servant_of("servant"), run__sequence=1).first()
    client_for("planillas").get(f"/planillas/{slip.run.uuid}/")
    seen = client_for("servant").get("/mi-legajo/quien-vio/").content.decode()
    assert "Consultó una planilla con sus boletas: Planilla de activos de " in seen
    assert "(150108)" not in seen and "boletas mostradas" not in seen


def test_the_audit_page_names_whose_file_each_event_concerns(client_for, servant_of):
    """Replay: rows «Consultó el legajo» said who read, never whose file."""
    teacher = servant_of("servant")
    client_for("escalafon").get(f"/servidores/{teacher.uuid}/")
    client_for("escalafon").get("/servidores/")
    page = client_for("dre_supervisor").get("/auditoria/").content.decode()
    rows = re.findall(r"<tr><td data-label=\"Fecha y hora\">.*?</tr>", page, re.S)
    read = next(r for r in rows if "Consultó el legajo" in r or "legajo" in r.lower())
    assert f'data-label="Servidor">{teacher.full_name}</td>' in read
    listed = next(r for r in rows if "servidores listados" in r or "servidor listado" in r)
    assert re.search(r'data-label="Servidor">\d+ servidor(es)? listados?</td>', listed)
