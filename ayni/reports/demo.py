"""Demo reports: the teacher's hoja de vida and an issued informe; a pending informe
request (from the retired teacher, for his pension) in the UGEL 07 officer's queue."""

from __future__ import annotations

from ayni.accounts.models import User
from ayni.personnel.models import Servant
from ayni.reports.models import Resume, ServiceReportRequest
from ayni.reports.services import informe_issue, informe_request, resume_generate


def seed_reports_demo() -> None:
    officer = User.objects.get(login_id="01-20000001")
    teacher = Servant.objects.select_related("user").get(doc_number="10000001")
    cesante = Servant.objects.select_related("user").get(doc_number="10000003")
    if not Resume.objects.filter(servant=teacher).exists():
        resume_generate(servant=teacher, actor=officer)
    if not ServiceReportRequest.objects.filter(servant=teacher).exists():
        req = informe_request(
            user=teacher.user,
            servant=teacher,
            purpose="ascenso",
            detail="Concurso de ascenso de escala 2026",
        )
        informe_issue(officer=officer, req=req)
    if not ServiceReportRequest.objects.filter(servant=cesante).exists():
        informe_request(
            user=cesante.user,
            servant=cesante,
            purpose="pension",
            detail="Trámite de pensión ante la ONP",
        )
