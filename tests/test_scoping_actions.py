"""The persona x action matrix: every staff or personal act (POST) and download,
tried by every persona, with what it must leave behind.

Outcomes:
- "done": the act took effect (its stored result is checked) and wrote an audit
  event by that persona;
- "self": refused because it is the persona's own record (nobody is staff for
  themselves), in Spanish, and nothing changed;
- "refused": the persona sees the object but its role may not do this act; nothing changed;
- 403: the persona's roles never open this view; 404: out of scope, the same
  answer as a missing object; 302: an anonymous visitor sent to log in.
In every outcome but "done", nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ayni.core.models import AuditEvent
from ayni.desk.models import Case
from ayni.personnel.models import ChangeRequest, Servant
from ayni.reports.models import Resume, ServiceReport, ServiceReportRequest

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "servant",
    "other_servant",
    "cesante",
    "escalafon",
    "planillas",
    "mesa_partes",
    "other_ugel_officer",
    "dre_supervisor",
    "dre_escalafon",
    "admin",
    "dp_officer",
    "minedu_supervisor",
]
SELF_REFUSAL = "No puede actuar como personal sobre su propio"


@dataclass
class Act:
    """How to try one act, and how to tell whether it took effect."""

    prepare: Callable[[Any], tuple[str, dict[str, str]]]  # -> (url, POST data)
    happened: Callable[[Any], bool]
    method: str = "post"


def _teacher(ctx: Any) -> Servant:
    return ctx.servant_of("servant")


def _pending_request(ctx: Any) -> ChangeRequest:
    return ChangeRequest.objects.filter(servant=_teacher(ctx), state="en_solicitud").first()


def _officer_own_request(ctx: Any) -> ChangeRequest:
    return ChangeRequest.objects.get(servant=ctx.servant_of("escalafon"), state="en_solicitud")


def _review(ref: Callable[[Any], ChangeRequest], action: str, to: str) -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = ref(ctx)
        return f"/escalafon/solicitudes/{ctx.target.uuid}/", {
            "action": action,
            "note": "Revisado con la resolución.",
            "confirmado": "1",  # «Aprobar y aplicar» is confirmed first: this is that POST
        }

    return Act(prepare, lambda ctx: ChangeRequest.objects.get(pk=ctx.target.pk).state == to)


def _withdraw() -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = _pending_request(ctx)
        return f"/mis-solicitudes/{ctx.target.uuid}/anular/", {}

    return Act(prepare, lambda ctx: ChangeRequest.objects.get(pk=ctx.target.pk).state == "anulado")


def _entry_remove(whose: str) -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        from datetime import date

        from ayni.personnel.models import Training

        servant = ctx.servant_of(whose)
        ctx.target = Training.objects.create(
            servant=servant,
            name="Curso de prueba",
            institution="SERVIR",
            kind="curso",
            hours=20,
            date_from=date(2025, 3, 3),
            date_to=date(2025, 3, 28),
        )
        return f"/servidores/{servant.uuid}/legajo/training/{ctx.target.uuid}/eliminar/", {
            "note": "RD N.° 00001-2026-UGEL07"
        }

    def happened(ctx: Any) -> bool:
        return not type(ctx.target).objects.filter(pk=ctx.target.pk).exists()

    return Act(prepare, happened)


def _informe_issue() -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = ServiceReportRequest.objects.get(servant=ctx.servant_of("cesante"))
        return f"/escalafon/informes/{ctx.target.uuid}/", {}

    return Act(
        prepare, lambda ctx: ServiceReportRequest.objects.get(pk=ctx.target.pk).state == "emitido"
    )


def _informe_annul() -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = ServiceReport.objects.get(servant=_teacher(ctx))
        return f"/escalafon/informes/emitidos/{ctx.target.uuid}/anular/", {
            "reason": "Emitido con un error de fechas."
        }

    return Act(prepare, lambda ctx: ServiceReport.objects.get(pk=ctx.target.pk).state == "anulado")


def _resume_generate(whose: str) -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = ctx.servant_of(whose)
        ctx.before = Resume.objects.filter(servant=ctx.target).count()
        return f"/servidores/{ctx.target.uuid}/hoja-de-vida/", {}

    return Act(
        prepare, lambda ctx: Resume.objects.filter(servant=ctx.target).count() == ctx.before + 1
    )


def _support_case(ctx: Any) -> Case:
    return Case.objects.get(kind="sustento", filer=_teacher(ctx).user)


def _case_answer() -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = _support_case(ctx)
        Case.objects.filter(pk=ctx.target.pk).update(state="recibido", area="mesa_partes")
        return f"/mesa/{ctx.target.uuid}/", {"action": "route", "area": "escalafon"}

    return Act(prepare, lambda ctx: Case.objects.get(pk=ctx.target.pk).state == "derivado")


def _access_accept() -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = Case.objects.get(kind="acceso", filer_doc_number="10000010")
        return f"/mesa/{ctx.target.uuid}/", {"action": "accept"}

    return Act(prepare, lambda ctx: Case.objects.get(pk=ctx.target.pk).state == "atendido")


def _attachment_download() -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        case = _support_case(ctx)
        ctx.target = case
        return f"/mesa/{case.uuid}/archivos/{case.files.first().pk}/", {}

    def happened(ctx: Any) -> bool:
        response = ctx.response
        return response.status_code == 200 and "attachment" in response["Content-Disposition"]

    return Act(prepare, happened, method="get")


def _draft_run(ctx: Any) -> Any:
    """A new adicional run of last month for the teacher, imported and left as a draft."""
    from ayni.payroll import demo as payroll_demo
    from ayni.payroll.importer import payroll_import
    from ayni.payroll.services import run_for_upload

    teacher = _teacher(ctx)
    today = timezone.localdate()
    year, month = payroll_demo._month_back(today, 1)
    officer = ctx.persona("planillas")
    run = run_for_upload(
        ugel=teacher.employing_unit,
        year=year,
        month=month,
        kind="activos",
        payment_date=today,
        additional=True,
        actor=officer,
    )
    outcome = payroll_import(
        run=run,
        rem_name=f"0601{year}{month:02d}{payroll_demo.UGEL_07_RUC}.rem",
        rem_bytes="\r\n".join(payroll_demo._lines(teacher.doc_number, month, year)).encode(),
        master_bytes="\n".join(
            [
                payroll_demo.HEADER,
                payroll_demo._master_row(teacher, teacher.doc_number, month, year),
            ]
        ).encode(),
        actor=officer,
    )
    assert outcome.ok, outcome.errors
    return run


def _run_publish() -> Act:
    from ayni.payroll.models import PayrollRun

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = _draft_run(ctx)
        # «Publicar planilla» is confirmed first: this is that POST
        return f"/planillas/{ctx.target.uuid}/publicar/", {"confirmar": "1"}

    return Act(prepare, lambda ctx: PayrollRun.objects.get(pk=ctx.target.pk).state == "published")


def _run_annul() -> Act:
    from ayni.payroll.models import PayrollRun

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = (
            PayrollRun.objects.filter(ugel__code="150108", state="published", sequence=1)
            .order_by("-year", "-month")
            .first()
        )
        return f"/planillas/{ctx.target.uuid}/anular/", {
            "reason": "Se publicó con la fecha de pago equivocada."
        }

    return Act(prepare, lambda ctx: PayrollRun.objects.get(pk=ctx.target.pk).state == "annulled")


def _staff_payslip_download() -> Act:
    from ayni.payroll.models import Payslip

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        slip = (
            Payslip.objects.filter(servant=_teacher(ctx), run__state="published")
            .select_related("run")
            .first()
        )
        ctx.target = slip
        return f"/planillas/{slip.run.uuid}/boletas/{slip.uuid}/pdf/", {}

    def happened(ctx: Any) -> bool:
        response = ctx.response
        return response.status_code == 200 and response["Content-Type"] == "application/pdf"

    return Act(prepare, happened, method="get")


STAFF_NONE = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302}
PAYROLL = STAFF_NONE | {"planillas": "done"}
REVIEW = STAFF_NONE | {"escalafon": "done", "dre_escalafon": "done", "other_ugel_officer": 404}
EDIT = STAFF_NONE | {"escalafon": "done", "dre_escalafon": "done", "other_ugel_officer": 404}

ACTIONS: dict[str, tuple[Act, dict[str, Any]]] = {
    "approve a request": (_review(_pending_request, "approve", "atendido"), REVIEW),
    "observe a request": (_review(_pending_request, "observe", "observado"), REVIEW),
    "reject a request": (_review(_pending_request, "reject", "rechazado"), REVIEW),
    "approve one's own request": (
        _review(_officer_own_request, "approve", "atendido"),
        REVIEW | {"escalafon": "self"},
    ),
    "withdraw a request": (
        _withdraw(),
        dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": "done"},
    ),
    "remove a file entry": (_entry_remove("servant"), EDIT),
    "remove an entry of one's own file": (_entry_remove("escalafon"), EDIT | {"escalafon": "self"}),
    "issue an informe": (_informe_issue(), REVIEW),
    "annul an informe": (_informe_annul(), REVIEW),
    "generate a hoja de vida": (_resume_generate("servant"), REVIEW),
    "generate one's own hoja de vida as staff": (
        _resume_generate("escalafon"),
        REVIEW | {"escalafon": "self"},
    ),
    "route a filing": (
        _case_answer(),
        dict.fromkeys(PERSONAS, 404)
        | {
            "anonymous": 302,
            "servant": 403,
            "other_servant": 403,
            "cesante": 403,
            "escalafon": "refused",  # sees the case routed to escalafón; only the desk routes
            "dre_escalafon": "refused",
            "mesa_partes": "done",
        },
    ),
    "accept an access request": (
        _access_accept(),
        dict.fromkeys(PERSONAS, 404)
        | {
            "anonymous": 302,
            "servant": 403,
            "other_servant": 403,
            "cesante": 403,
            "mesa_partes": "done",  # access requests reach the desk only
        },
    ),
    "download a filing's attachment": (
        _attachment_download(),
        dict.fromkeys(PERSONAS, 404)
        | {
            "anonymous": 302,
            "servant": 403,
            "other_servant": 403,
            "cesante": 403,
            "escalafon": "done",  # the supporting document of a request she reviews
            "dre_escalafon": "done",
            "mesa_partes": "done",
        },
    ),
}

ACTIONS |= {
    "publish a payroll run": (_run_publish(), PAYROLL),
    "annul a published run": (_run_annul(), PAYROLL),
    "download a servant's payslip as staff": (_staff_payslip_download(), PAYROLL),
}


# Supervision (issue 12): reading the figures and downloading them; supervisors read,
# and every act above stays refused for them (403/404 in each row).
def _supervision_download(path: str) -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        return path, {}

    def happened(ctx: Any) -> bool:
        response = ctx.response
        return response.status_code == 200 and "attachment" in response["Content-Disposition"]

    return Act(prepare, happened, method="get")


def _supervision_prepare() -> Act:
    from ayni.supervision.models import ListExport

    return Act(
        lambda ctx: ("/supervision/150108/lista/solicitudes.xlsx/preparar/", {}),
        lambda ctx: ListExport.objects.exists(),
    )


SUPERVISE = STAFF_NONE | {"dre_supervisor": "done", "minedu_supervisor": "done"}
ACTIONS |= {
    "download a UGEL 07 dashboard table": (
        _supervision_download("/supervision/150108/tabla/personal-unidades.xlsx"),
        SUPERVISE,
    ),
    "download the UGEL 07 change requests list": (
        _supervision_download("/supervision/150108/lista/solicitudes.csv"),
        SUPERVISE,
    ),
    "download the MINEDU payroll runs list": (
        _supervision_download("/supervision/000000/lista/planillas.csv"),
        SUPERVISE | {"dre_supervisor": 404},
    ),
    "prepare a large list of UGEL 07 in the background": (_supervision_prepare(), SUPERVISE),
}


# Benefits (issue 16): the constancia de pagos and the benefit requests.
def _teacher_constancia(ctx: Any) -> Any:
    from ayni.benefits.constancia import MonthRange
    from ayni.benefits.services import constancia_request

    teacher = _teacher(ctx)
    today = timezone.localdate().replace(day=1)
    first = today.replace(year=today.year - 1)
    return constancia_request(user=teacher.user, servant=teacher, span=MonthRange(first, today))


def _constancia_download(kind: str) -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = _teacher_constancia(ctx)
        return f"/constancias/{ctx.target.uuid}/{kind}/", {}

    def happened(ctx: Any) -> bool:
        response = ctx.response
        return response.status_code == 200 and "attachment" in response["Content-Disposition"]

    return Act(prepare, happened, method="get")


def _constancia_issue(doc: str) -> Act:
    from ayni.benefits.models import PaymentCertificate

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        today = timezone.localdate()
        return "/planillas/constancias/", {
            "doc": doc,
            "first": f"{today.year - 1:04d}-{today.month:02d}",
            "last": f"{today.year:04d}-{today.month:02d}",
        }

    return Act(
        prepare, lambda ctx: PaymentCertificate.objects.filter(servant__doc_number=doc).exists()
    )


def _benefit_confirm() -> Act:
    from ayni.benefits.models import BenefitRequest
    from ayni.benefits.services import benefit_request_file
    from ayni.desk.demo import demo_pdf

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        teacher = _teacher(ctx)
        ctx.target = benefit_request_file(
            user=teacher.user,
            servant=teacher,
            benefit="luto",
            files={"acta": demo_pdf("Acta"), "parentesco": demo_pdf("Partida")},
            relationship="padre_madre",
            deceased_name="JUAN QUISPE",
        )
        return f"/beneficios/pedidos/{ctx.target.uuid}/", {"amount": "3000.00"}

    return Act(
        prepare,
        lambda ctx: BenefitRequest.objects.get(pk=ctx.target.pk).state == "confirmado",
    )


OWN_ONLY = dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": "done"}
ACTIONS |= {
    "download the teacher's constancia de pagos (PDF)": (
        _constancia_download("pdf"),
        OWN_ONLY | {"planillas": "done"},
    ),
    "download the teacher's constancia de pagos (XLSX)": (
        _constancia_download("xlsx"),
        OWN_ONLY | {"planillas": "done"},
    ),
    "issue the teacher's constancia de pagos as staff": (_constancia_issue("10000001"), PAYROLL),
    "issue one's own constancia de pagos as staff": (
        _constancia_issue("20000002"),
        PAYROLL | {"planillas": "self"},
    ),
    "confirm a benefit request's computation": (
        _benefit_confirm(),
        dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "planillas": "done"},
    ),
}


# Personal data rights (issue 17): «Mis datos» and the data-protection officer's desk.
def _dp_export_request() -> Act:
    from ayni.dataprotection.models import DataExport

    return Act(
        lambda ctx: ("/mis-datos-personales/descarga/", {}),
        lambda ctx: DataExport.objects.exists(),
    )


def _dp_teacher_download() -> Act:
    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        from datetime import timedelta

        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from ayni.dataprotection.models import DataExport

        name = default_storage.save("dataprotection/exports/t.zip", ContentFile(b"PK zip"))
        export = DataExport.objects.create(
            user=_teacher(ctx).user,
            state="listo",
            file_name=name,
            size=6,
            sha256="0" * 64,
            expires_at=timezone.now() + timedelta(hours=1),
        )
        return f"/mis-datos-personales/descarga/{export.uuid}/", {}

    def happened(ctx: Any) -> bool:
        response = ctx.response
        return response.status_code == 200 and "attachment" in response["Content-Disposition"]

    return Act(prepare, happened, method="get")


def _dp_arco_file() -> Act:
    from ayni.dataprotection.models import ArcoRequest

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.before = ArcoRequest.objects.count()
        return "/mis-datos-personales/arco/", {
            "right": "acceso",
            "detail": "Quiero saber qué datos míos guarda Ayni.",
        }

    return Act(prepare, lambda ctx: ArcoRequest.objects.count() == ctx.before + 1)


def _dp_arco_answer(whose: str) -> Act:
    from ayni.dataprotection.models import ArcoRequest
    from ayni.dataprotection.services import file_arco

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        if whose == "servant":
            ctx.target = ArcoRequest.objects.get(requester=_teacher(ctx).user)
        else:
            ctx.target = file_arco(
                ctx.persona(whose), right="oposicion", detail="Me opongo a un tratamiento."
            )
        data = {"decision": "atendida", "answer": "Se atiende lo que pide."}
        return f"/proteccion-de-datos/arco/{ctx.target.uuid}/", data

    return Act(prepare, lambda ctx: ArcoRequest.objects.get(pk=ctx.target.pk).state == "atendida")


def _dp_incident() -> Act:
    from ayni.dataprotection.models import SecurityIncident

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        from ayni.org.models import OrgUnit

        return "/proteccion-de-datos/incidentes/nuevo/", {
            "unit_path": OrgUnit.objects.get(kind="MINEDU").path,
            "title": "Pérdida de una laptop",
            "description": "Se perdió una laptop con datos.",
            "detected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "data_categories": "Legajos",
            "people_affected": "3",
        }

    return Act(
        prepare, lambda ctx: SecurityIncident.objects.filter(title__startswith="Pérdida").exists()
    )


def _dp_inventory() -> Act:
    def happened(ctx: Any) -> bool:
        response = ctx.response
        return response.status_code == 200 and "attachment" in response["Content-Disposition"]

    return Act(
        lambda ctx: ("/proteccion-de-datos/inventario/?formato=csv", {}), happened, method="get"
    )


ANYONE = dict.fromkeys(PERSONAS, "done") | {"anonymous": 302}
DP_OFFICER = STAFF_NONE | {"dp_officer": "done"}
ACTIONS |= {
    "ask for one's «Mis datos»": (_dp_export_request(), ANYONE),
    "download the teacher's «Mis datos»": (
        _dp_teacher_download(),
        dict.fromkeys(PERSONAS, 404) | {"anonymous": 302, "servant": "done"},
    ),
    "file an ARCO request": (_dp_arco_file(), ANYONE),
    "answer the teacher's ARCO request": (_dp_arco_answer("servant"), DP_OFFICER),
    "answer one's own ARCO request": (
        _dp_arco_answer("dp_officer"),
        DP_OFFICER | {"dp_officer": "self"},
    ),
    "register a security incident": (_dp_incident(), DP_OFFICER),
    "download the processing inventory": (_dp_inventory(), DP_OFFICER),
}
# The desk's pages refuse staff without a desk role (403) rather than hide the case (404).
for _act in ("route a filing", "accept an access request", "download a filing's attachment"):
    ACTIONS[_act][1]["dp_officer"] = 403


# Identity (issue 14): a system administrator resets a lost second factor (never their
# own); anyone closes their own other sessions, nobody someone else's.
def _factor_reset(dni: str) -> Act:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = TOTPDevice.objects.get(user__login_id=f"01-{dni}")
        return "/cuenta/segundo-factor/restablecer/", {"doc_type": "01", "doc_number": dni}

    return Act(prepare, lambda ctx: not TOTPDevice.objects.filter(pk=ctx.target.pk).exists())


def _session_close() -> Act:
    from ayni.identity.models import UserSession
    from ayni.identity.sessions import _seal

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = UserSession.objects.create(
            user=ctx.persona("servant"), key_hash="f" * 64, key_sealed=_seal("k" * 32)
        )
        return f"/cuenta/sesiones/{ctx.target.pk}/cerrar/", {}

    return Act(prepare, lambda ctx: UserSession.objects.get(pk=ctx.target.pk).ended_at is not None)


ACTIONS |= {
    "reset someone's second factor": (_factor_reset("20000002"), STAFF_NONE | {"admin": "done"}),
    "reset one's own second factor": (
        _factor_reset("20000006"),
        STAFF_NONE | {"admin": "refused"},
    ),
    "close the teacher's other session": (_session_close(), OWN_ONLY),
}


# Share links (issue 15): only the document's owner shares it or revokes its link.
def _share_payslip() -> Act:
    from ayni.payroll.models import Payslip
    from ayni.sharing.models import ShareLink

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        slip = Payslip.objects.filter(
            servant=_teacher(ctx),
            run__state="published",
            payment_date__lte=timezone.localdate(),
        ).first()
        ctx.before = ShareLink.objects.count()
        return f"/mis-enlaces/nuevo/boleta/{slip.uuid}/", {
            "days": "7",
            "max_openings": "3",
            "understood": "on",
        }

    return Act(prepare, lambda ctx: ShareLink.objects.count() == ctx.before + 1)


def _share_revoke() -> Act:
    from ayni.sharing.models import ShareLink

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        ctx.target = ShareLink.objects.filter(servant=_teacher(ctx), state="activo").first()
        return f"/mis-enlaces/{ctx.target.uuid}/anular/", {}

    return Act(prepare, lambda ctx: ShareLink.objects.get(pk=ctx.target.pk).state == "anulado")


def _share_other(kind: str) -> Act:
    """Share the teacher's issued informe, latest hoja de vida or a fresh constancia."""
    from ayni.sharing.models import ShareLink

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        teacher = _teacher(ctx)
        if kind == "informe":
            ref = ServiceReport.objects.filter(servant=teacher, state="emitido").first().uuid
        elif kind == "hoja_de_vida":
            ref = Resume.objects.filter(servant=teacher).latest("created_at").uuid
        else:
            from ayni.benefits.constancia import MonthRange
            from ayni.benefits.services import constancia_request

            last = timezone.localdate().replace(day=1)
            span = MonthRange(last.replace(year=last.year - 1), last)
            ref = constancia_request(user=teacher.user, servant=teacher, span=span).uuid
        ctx.before = ShareLink.objects.count()
        return f"/mis-enlaces/nuevo/{kind}/{ref}/", {
            "days": "7",
            "max_openings": "3",
            "understood": "on",
        }

    return Act(prepare, lambda ctx: ShareLink.objects.count() == ctx.before + 1)


def _share_open(what: str) -> Act:
    """Whoever holds a live link opens it (no account needed), or fetches its PDF."""
    from ayni.sharing.documents import own_document
    from ayni.sharing.models import ShareOpening
    from ayni.sharing.services import link_create, link_open

    def prepare(ctx: Any) -> tuple[str, dict[str, str]]:
        from ayni.payroll.models import Payslip

        user = ctx.persona("servant")
        slip = Payslip.objects.filter(
            servant=_teacher(ctx), run__state="published", payment_date__lte=timezone.localdate()
        ).first()
        doc = own_document(user, "boleta", slip.uuid)
        ctx.target, token = link_create(user=user, document=doc, days=1, max_openings=5)
        if what == "open":
            return "/c/ver/", {"token": token}
        opened = link_open(token=token)  # an opening of the last half hour
        return f"/c/pdf/?a={opened.ticket}", {}  # type: ignore[union-attr]

    def happened(ctx: Any) -> bool:
        if what == "open":
            return ShareOpening.objects.filter(link=ctx.target).count() == 1
        return ctx.response.status_code == 200 and ctx.response.content.startswith(b"%PDF-")

    return Act(prepare, happened, method="open" if what == "open" else "get")


HOLDER = dict.fromkeys(PERSONAS, "done")  # the link is the key: account or none
ACTIONS |= {
    "share the teacher's payslip": (_share_payslip(), OWN_ONLY),
    "share the teacher's informe": (_share_other("informe"), OWN_ONLY),
    "share the teacher's hoja de vida": (_share_other("hoja_de_vida"), OWN_ONLY),
    "share the teacher's constancia": (_share_other("constancia"), OWN_ONLY),
    "revoke the teacher's share link": (_share_revoke(), OWN_ONLY),
    "open a share link": (_share_open("open"), HOLDER),
    "download a share link's PDF": (_share_open("pdf"), HOLDER),
}


CASES = [(act, who) for act in ACTIONS for who in PERSONAS]


class Ctx:
    def __init__(self, servant_of: Any, persona: Any) -> None:
        self.servant_of = servant_of
        self.persona = persona
        self.target: Any = None
        self.before: Any = None
        self.response: Any = None


@pytest.mark.parametrize(("act", "who"), CASES, ids=[f"{a}-{w}" for a, w in CASES])
def test_action_matrix(act, who, client_for, servant_of, persona):
    action, expected_row = ACTIONS[act]
    expected = expected_row[who]
    ctx = Ctx(servant_of, persona)
    url, data = action.prepare(ctx)
    client = client_for(who)
    started = timezone.now()
    response = client.get(url) if action.method == "get" else client.post(url, data)
    ctx.response = response
    happened = action.happened(ctx)
    if expected == "done":
        assert happened, f"{who} could not {act}: {response.status_code}"
        if action.method == "post":
            assert response.status_code == 302
            assert AuditEvent.objects.filter(actor=persona(who), occurred_at__gte=started).exists()
        if action.method == "open":  # answered by the page, audited on the object
            assert response.status_code == 200
            assert AuditEvent.objects.filter(
                object_id=str(ctx.target.pk), occurred_at__gte=started
            ).exists()
        return
    assert not happened, f"{who} must not {act}"
    if expected == 302:
        assert response.status_code == 302
        assert response["Location"].startswith("/cuenta/ingresar/")
    elif expected == "self" and response.status_code == 404:
        pass  # own items are left out of the officer's staff scope: the same 404 as missing
    elif expected in ("self", "refused"):
        assert response.status_code in (302, 400, 403)
        shown = response.content.decode()
        if response.status_code == 302:
            shown = client.get(response["Location"]).content.decode()
        if expected == "self":
            assert SELF_REFUSAL in shown
    else:
        assert response.status_code == expected
