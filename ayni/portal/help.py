"""In-app help («Ayuda»): one short page per service, beside its screens.

Each page says what the service is for, the steps, and what each state means. The
state names come from the models' own choices (never retyped), so a renamed or new
state shows here at once; `tests/test_help.py` checks that every state of every
model named here has its explanation. The pages hold no personal data: public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ayni.accounts.permissions import is_staff_user
from ayni.benefits.models import BenefitRequest, PaymentCertificate
from ayni.core.verification import Verdict
from ayni.dataprotection.models import ArcoRequest, DataExport
from ayni.desk.models import AccessRequest, AccountRecovery, Case
from ayni.payroll.models import PayrollRun
from ayni.personnel.models import ChangeRequest
from ayni.reports.models import ServiceReport, ServiceReportRequest
from ayni.sharing.models import LinkStatus
from ayni.supervision.models import ListExport


@dataclass(frozen=True)
class StateTable:
    """One model's states with what each means for the reader of this page."""

    title: Any
    choices: list[tuple[str, Any]]  # the model's (value, label)
    meaning: dict[str, Any]  # value -> explanation

    def rows(self) -> list[tuple[Any, Any]]:
        return [(label, self.meaning.get(value, "")) for value, label in self.choices]


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: Any
    audience: str  # "servant", "staff" or "public"
    states: list[StateTable] = field(default_factory=list)


CHANGE_REQUEST_STATES = {
    ChangeRequest.State.EN_SOLICITUD: _(
        "La solicitud llegó a escalafón de su UGEL y espera su revisión. Su legajo aún no cambia."
    ),
    ChangeRequest.State.OBSERVADO: _(
        "Escalafón pidió una corrección o un documento. Puede subsanarla dentro del plazo que "
        "indica la solicitud; si vence sin respuesta, se cierra como rechazada."
    ),
    ChangeRequest.State.ATENDIDO: _(
        "Se aprobó y el cambio ya figura en el legajo. La versión anterior queda en el historial."
    ),
    ChangeRequest.State.RECHAZADO: _(
        "No se aplicó. La solicitud muestra el motivo. Puede presentar una nueva con el sustento."
    ),
    ChangeRequest.State.ANULADO: _("El propio servidor la retiró antes de que se atendiera."),
}

CASE_STATES = {
    Case.State.RECEIVED: _(
        "El documento ingresó con número de expediente y cargo de recepción. Fuera del horario "
        "de atención o en día no hábil se considera recibido el siguiente día hábil."
    ),
    Case.State.ROUTED: _("Mesa de partes lo envió al área que debe atenderlo."),
    Case.State.OBSERVED: _(
        "Falta algo (un documento, una firma, un dato). El expediente dice qué; complételo "
        "desde la misma página y vuelve a mesa de partes."
    ),
    Case.State.DONE: _("El área lo atendió. La respuesta figura en el expediente."),
    Case.State.ARCHIVED: _("Se cerró sin más trámite; el expediente indica el motivo."),
    Case.State.NOT_FILED: _(
        "La solicitud de acceso no se confirmó por correo: nunca llegó a la UGEL."
    ),
}

ACCESS_REQUEST_STATES = {
    AccessRequest.State.UNCONFIRMED: _(
        "Falta abrir el enlace que enviamos al correo indicado; hasta entonces nada llega "
        "a la UGEL."
    ),
    AccessRequest.State.RECEIVED: _(
        "Confirmada: mesa de partes de la UGEL la revisará con el PDF adjunto."
    ),
    AccessRequest.State.ACCEPTED: _(
        "La UGEL creó la cuenta; llega un correo con el enlace para elegir la contraseña."
    ),
    AccessRequest.State.REJECTED: _(
        "La UGEL no la aceptó; el correo y el seguimiento dicen por qué."
    ),
}

RECOVERY_STATES = {
    AccountRecovery.State.PENDING: _(
        "Un especialista verificó la identidad en persona; otro de la misma mesa debe aprobarla."
    ),
    AccountRecovery.State.APPROVED: _(
        "El enlace para elegir contraseña se envió al correo nuevo y se avisó al anterior."
    ),
    AccountRecovery.State.REJECTED: _("No se cambió el correo; el motivo queda registrado."),
}

RUN_STATES = {
    PayrollRun.State.QUEUED: _("El archivo se recibió y espera su turno para importarse."),
    PayrollRun.State.IMPORTING: _("Se están leyendo y validando los archivos."),
    PayrollRun.State.FAILED: _(
        "El archivo tiene errores: la página los lista con su línea. Corríjalos y vuelva a cargar."
    ),
    PayrollRun.State.DRAFT: _(
        "Importada sin errores. Solo planillas la ve: revise totales y boletas antes de publicar."
    ),
    PayrollRun.State.PUBLISHED: _(
        "Los servidores ven su boleta desde la fecha de pago. Una planilla publicada ya no cambia; "
        "un error se corrige con una planilla nueva o anulándola con su motivo."
    ),
    PayrollRun.State.SUPERSEDED: _(
        "Una carga más reciente del mismo periodo la reemplazó; esta ya no se usa."
    ),
    PayrollRun.State.ANNULLED: _(
        "Se anuló con un motivo; sus boletas dejan de mostrarse y sus códigos dejan de validar."
    ),
}

INFORME_REQUEST_STATES = {
    ServiceReportRequest.State.PENDING: _(
        "Pidió el informe por mesa de partes; escalafón lo revisa y lo emite."
    ),
    ServiceReportRequest.State.ISSUED: _("Escalafón lo emitió: puede descargarlo."),
}

INFORME_STATES = {
    ServiceReport.State.ISSUED: _(
        "Vigente durante seis meses desde su emisión; cualquiera puede verificarlo con su código."
    ),
    ServiceReport.State.ANNULLED: _("Escalafón lo anuló con un motivo; ya no vale."),
}

VERDICTS = {
    Verdict.GENUINE: (
        _("Documento válido"),
        _("El código existe y, si subió el PDF, es idéntico al emitido."),
    ),
    Verdict.ALTERED: (
        _("Este PDF no es el documento emitido"),
        _("El código existe, pero el archivo fue cambiado o es otro. No lo acepte."),
    ),
    Verdict.ANNULLED: (_("Documento anulado"), _("Se emitió, pero la UGEL lo anuló.")),
    Verdict.EXPIRED: (
        _("Auténtico, pero vencido"),
        _("Se emitió así, pero su vigencia terminó."),
    ),
    Verdict.SUPERSEDED: (
        _("Auténtico, pero existe uno más reciente"),
        _("Valía en su fecha; después se emitió otro que lo reemplaza."),
    ),
    Verdict.UNKNOWN: (
        _("No existe un documento con ese código"),
        _("Revise el código; si es correcto, el documento no fue emitido por Ayni."),
    ),
}


def _table(title: Any, model_choices: list[tuple[str, Any]], meaning: dict[Any, Any]) -> StateTable:
    return StateTable(
        title=title, choices=list(model_choices), meaning={str(k): v for k, v in meaning.items()}
    )


BENEFIT_REQUEST_STATES = {
    BenefitRequest.State.SUBMITTED: _(
        "Su pedido llegó a planillas de su UGEL con el cálculo preliminar de Ayni; planillas "
        "lo revisa contra su legajo y sus boletas."
    ),
    BenefitRequest.State.CONFIRMED: _(
        "Planillas confirmó el cálculo preliminar. El pago sigue el trámite de la UGEL; "
        "puede seguirlo en el expediente de mesa de partes."
    ),
    BenefitRequest.State.CORRECTED: _(
        "Planillas corrigió el cálculo y dejó una nota con el motivo; el monto que vale es el "
        "corregido."
    ),
}
CONSTANCIA_STATES = {
    PaymentCertificate.State.QUEUED: _("Pedida: espera su turno para generarse."),
    PaymentCertificate.State.RUNNING: _(
        "Se está generando: un periodo largo toma unos minutos; puede cerrar la página y volver."
    ),
    PaymentCertificate.State.DONE: _(
        "Lista: descargue el PDF (con su código de verificación) o la hoja de cálculo."
    ),
    PaymentCertificate.State.FAILED: _(
        "No se pudo generar. Pídala de nuevo; si vuelve a fallar, avise a planillas de su UGEL."
    ),
}


SHARE_LINK_STATES = {
    LinkStatus.ACTIVE: _(
        "Funciona: quien tenga el enlace puede abrirlo hasta la fecha y el número de veces "
        "que usted eligió."
    ),
    LinkStatus.EXPIRED: _("Pasó la fecha que usted eligió: ya nadie puede abrirlo."),
    LinkStatus.USED_UP: _(
        "Se abrió todas las veces que usted permitió: ya nadie puede abrirlo otra vez."
    ),
    LinkStatus.REVOKED: _("Usted lo anuló: dejó de funcionar en ese momento."),
    LinkStatus.DOCUMENT_INVALID: _(
        "La UGEL anuló el documento o se emitió uno más reciente: el enlace dejó de "
        "funcionar. Comparta el documento nuevo."
    ),
}

ARCO_STATES = {
    ArcoRequest.State.RECEIVED: _(
        "Su solicitud llegó al oficial de protección de datos personales. Debe responderle "
        "hasta la fecha de la columna «Vence»."
    ),
    ArcoRequest.State.ANSWERED: _(
        "El oficial respondió a su pedido. La respuesta, debajo del estado, dice qué se hará "
        "y qué área lo hará."
    ),
    ArcoRequest.State.DENIED: _(
        "El oficial no aceptó su pedido y explica el motivo en la respuesta. Si no está de "
        "acuerdo, puede reclamar ante la Autoridad Nacional de Protección de Datos Personales."
    ),
}

ARCO_DESK_STATES = {
    ArcoRequest.State.RECEIVED: _(
        "Por atender: el plazo corre desde la recepción, en días hábiles. En la bandeja se "
        "marca «Vencida» cuando pasó la fecha sin respuesta."
    ),
    ArcoRequest.State.ANSWERED: _(
        "Usted (u otro oficial) registró la respuesta: la persona recibió un aviso y la ve en "
        "«Mis datos personales». Ya no se puede cambiar."
    ),
    ArcoRequest.State.DENIED: _(
        "Se denegó con su motivo, que la persona ve en «Mis datos personales». Ya no se puede "
        "cambiar; la persona puede presentar una solicitud nueva o reclamar ante la Autoridad."
    ),
}

DATA_EXPORT_STATES = {
    DataExport.State.QUEUED: _("Pedida: espera su turno para prepararse."),
    DataExport.State.RUNNING: _(
        "Se está armando el archivo; la barra muestra el avance. Puede cerrar la página y "
        "volver más tarde."
    ),
    DataExport.State.DONE: _(
        "Lista: el botón «Descargar mis datos (ZIP)» funciona solo para usted hasta la fecha y "
        "hora que indica. Después pida una descarga nueva."
    ),
    DataExport.State.FAILED: _(
        "No se pudo preparar. Pida una nueva; si vuelve a fallar, escriba al oficial de "
        "protección de datos personales."
    ),
}

LIST_EXPORT_STATES = {
    ListExport.State.QUEUED: _("Pedida: espera su turno para prepararse."),
    ListExport.State.RUNNING: _(
        "Se está escribiendo el archivo; la página muestra cuántos registros van. Puede "
        "cerrarla y volver con el mismo enlace."
    ),
    ListExport.State.DONE: _("Lista: pulse «Descargar». Solo usted puede bajar este archivo."),
    ListExport.State.FAILED: _(
        "No se pudo preparar. Vuelva a pedirla desde la lista; si se repite, avise al "
        "administrador del sistema."
    ),
}


def _pages() -> dict[str, HelpPage]:
    requests = _table(
        _("Estados de una solicitud"), ChangeRequest.State.choices, CHANGE_REQUEST_STATES
    )
    cases = _table(_("Estados de un expediente"), Case.State.choices, CASE_STATES)
    access = _table(
        _("Estados de una solicitud de acceso"), AccessRequest.State.choices, ACCESS_REQUEST_STATES
    )
    arco_title = _("Estados de una solicitud de derechos ARCO")
    pages = [
        HelpPage("mi-legajo", _("Mi legajo"), "servant"),
        HelpPage("solicitudes", _("Solicitudes de modificación"), "servant", [requests]),
        HelpPage(
            "mi-boleta",
            _("Mi boleta"),
            "servant",
            [_table(_("Estados de una planilla"), PayrollRun.State.choices, RUN_STATES)],
        ),
        HelpPage(
            "reportes",
            _("Hoja de vida e informe escalafonario"),
            "servant",
            [
                _table(
                    _("Estados de un pedido de informe"),
                    ServiceReportRequest.State.choices,
                    INFORME_REQUEST_STATES,
                ),
                _table(_("Estados de un informe"), ServiceReport.State.choices, INFORME_STATES),
            ],
        ),
        HelpPage(
            "compartir",
            _("Compartir un documento con un enlace"),
            "servant",
            [_table(_("Estados de un enlace"), LinkStatus.choices, SHARE_LINK_STATES)],
        ),
        HelpPage("mesa-de-partes", _("Mesa de partes virtual"), "servant", [cases, access]),
        HelpPage(
            "beneficios",
            _("Beneficios y constancia de pagos"),
            "servant",
            [
                _table(
                    _("Estados de un pedido de beneficio"),
                    BenefitRequest.State.choices,
                    BENEFIT_REQUEST_STATES,
                ),
                _table(
                    _("Estados de una constancia de pagos"),
                    PaymentCertificate.State.choices,
                    CONSTANCIA_STATES,
                ),
            ],
        ),
        HelpPage(
            "verificar",
            _("Verificar un documento"),
            "public",
            [
                StateTable(
                    title=_("Qué puede responder la verificación"),
                    choices=[(v.value, VERDICTS[v][0]) for v in Verdict],
                    meaning={v.value: VERDICTS[v][1] for v in Verdict},
                )
            ],
        ),
        HelpPage("servidores", _("Servidores y legajos (personal de la UGEL)"), "staff"),
        HelpPage("revision", _("Revisión de solicitudes de modificación"), "staff", [requests]),
        HelpPage(
            "planillas",
            _("Planillas"),
            "staff",
            [_table(_("Estados de una planilla"), PayrollRun.State.choices, RUN_STATES)],
        ),
        HelpPage(
            "mesa",
            _("Mesa de partes (personal de la UGEL)"),
            "staff",
            [
                cases,
                access,
                _table(
                    _("Estados de una recuperación de acceso"),
                    AccountRecovery.State.choices,
                    RECOVERY_STATES,
                ),
            ],
        ),
        HelpPage("auditoria", _("Auditoría"), "staff"),
        HelpPage("api", _("API y tokens de acceso"), "servant"),  # issue 15
        HelpPage("seguridad", _("Seguridad de mi cuenta"), "servant"),
        HelpPage(
            "mis-datos",
            _("Mis datos personales"),
            "servant",
            [
                _table(arco_title, ArcoRequest.State.choices, ARCO_STATES),
                _table(
                    _("Estados de una descarga de sus datos"),
                    DataExport.State.choices,
                    DATA_EXPORT_STATES,
                ),
            ],
        ),
        HelpPage(
            "proteccion-de-datos",
            _("Protección de datos personales (oficial de protección de datos)"),
            "staff",
            [_table(arco_title, ArcoRequest.State.choices, ARCO_DESK_STATES)],
        ),
        HelpPage(
            "supervision",
            _("Supervisión (DRE y MINEDU)"),
            "staff",
            [
                _table(
                    _("Estados de una descarga grande"),
                    ListExport.State.choices,
                    LIST_EXPORT_STATES,
                )
            ],
        ),
    ]
    return {page.slug: page for page in pages}


PAGES = _pages()


@login_not_required
@require_GET
def help_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "help/index.html",
        {
            "servant_pages": [p for p in PAGES.values() if p.audience in ("servant", "public")],
            # the staff guides are listed to staff only (their links open staff pages)
            "staff_pages": [p for p in PAGES.values() if p.audience == "staff"]
            if is_staff_user(request.user)
            else [],
        },
    )


@login_not_required
@require_GET
def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = PAGES.get(slug)
    if page is None:
        raise Http404
    return render(request, f"help/{slug}.html", {"page": page, "facts": _facts()})


def _facts() -> dict[str, Any]:
    """The configured figures a guide quotes (minutes, hours, limits, terms), never retyped."""
    from ayni.dataprotection.models import Right
    from ayni.dataprotection.terms import TERMS
    from ayni.identity.twofactor import RECOVERY_COUNT
    from ayni.supervision.aggregates import term_days
    from ayni.supervision.opendata import THRESHOLD
    from ayni.supervision.views import FRESH_MINUTES, sync_rows

    return {
        "step_up_minutes": settings.STEP_UP_SECONDS // 60,
        "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        "max_hours": settings.SESSION_COOKIE_AGE // 3600,
        "recovery_codes": RECOVERY_COUNT,
        "otp_failures": settings.OTP_MAX_FAILURES,
        "lockout_minutes": settings.OTP_LOCKOUT_SECONDS // 60,
        "export_hours": settings.DATAPROTECTION_EXPORT_HOURS,
        "incident_hours": settings.DATAPROTECTION_INCIDENT_NOTICE_HOURS,
        "fresh_minutes": FRESH_MINUTES,
        "term_days": term_days(),
        "sync_rows": sync_rows(),
        "largest_reserved": THRESHOLD - 1,
        "reserve_threshold": THRESHOLD,
        "arco_terms": [(Right(key).label, term) for key, term in TERMS.items()],
    }


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico on their own; the icon is a static file."""
    return redirect(static("ayni/favicon.ico"))
