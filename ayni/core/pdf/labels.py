"""The fixed words of each PDF, through gettext (issue 11: every user-facing string can be
translated). A template reads them as `d.t.<key>`; the keys are the same in every language.
A sentence with a value in it keeps a `{name}` placeholder that the template fills with
typst's `str.replace`, so that a translator sees the whole sentence."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ayni.core.words import per_language


def _layout() -> dict[str, str]:
    """The shared layout (layout.typ) of reports and receipts."""
    return {
        "ministry": _("MINISTERIO DE EDUCACIÓN"),
        "system": _("Sistema Ayni"),
        "qr_alt": _("Código QR de verificación"),
        "issued_on": _("Emitido el {date}"),
        "code": _("Código de verificación:"),
        "verify_at": _("Verifique en {url}"),
        "page": _("Página {n} de {total}"),
        "no_rows": _("sin registros."),
        "none": pgettext("campo vacío", "—"),
        "full_name": _("Apellidos y nombres"),
        "document": _("Documento"),
        "sex": _("Sexo"),
        "regime": _("Régimen laboral"),
        "level": _("Nivel o escala"),
        "birth": _("Fecha de nacimiento"),
        "school": _("Institución educativa"),
        "post_code": _("Código de plaza"),
        "post": _("Cargo"),
        "hours": _("Jornada laboral"),
        "condition": _("Condición y situación"),
        "service_time": _("Tiempo de servicios"),
    }


def _payslip() -> dict[str, str]:
    return {
        "title": _("Boleta de pago {period}"),
        "ministry": _("MINISTERIO DE EDUCACIÓN"),
        "ruc": _("RUC {ruc}"),
        "heading": _("BOLETA DE PAGO"),
        "run": _("Planilla: {name}"),
        "surnames": _("Apellidos"),
        "names": _("Nombres"),
        "id_document": _("Documento de identidad"),
        "birth": _("Fecha de nacimiento"),
        "school": _("Establecimiento"),
        "modular_code": _("Código modular"),
        "post": _("Cargo"),
        "staff_type": _("Tipo de servidor"),
        "level": _("Nivel magisterial / grupo ocupacional"),
        "hours": _("Jornada (horas)"),
        "service_time": _("Tiempo de servicio"),
        "from_file": _("(según legajo)"),
        "regime": _("Régimen laboral"),
        "start": _("Fecha de ingreso"),
        "end": _("Fecha de término"),
        "account": _("Cuenta (Banco de la Nación)"),
        "payment_date": _("Fecha de pago"),
        "pension": _("Régimen pensionario"),
        "cuspp": _("CUSPP"),
        "affiliation": _("Fecha de afiliación"),
        "run_type": _("Tipo de planilla"),
        "incomes": _("INGRESOS (+)"),
        "deductions": _("DESCUENTOS (−)"),
        "employer": _("APORTES DEL EMPLEADOR"),
        "employer_total": _("Total aportes"),
        "gross": _("T-REMUN (total ingresos)"),
        "total_deductions": _("T-DSCTO (total descuentos)"),
        "net": _("T-LIQUI (neto a pagar)"),
        "taxable": _("MImponible:"),
        "permanent_note": _("Leyenda permanente"),
        "monthly_note": _("Leyenda mensual"),
        "computed": _(
            "* Calculado por Ayni según la tasa vigente del periodo: el archivo PLAME (.rem) "
            "no lo declara."
        ),
        "qr_alt": _("Código QR para verificar esta boleta"),
        "code": _("Código de verificación"),
        "verify": _(
            "Verifique la autenticidad de esta boleta en {url} con este código o escaneando "
            "el código QR."
        ),
        "issued_by": _("Documento emitido electrónicamente por {unit} a través de Ayni."),
    }


def _resume() -> dict[str, str]:
    return {
        "heading": _("HOJA DE VIDA"),
        "as_of": _(
            "Generada del legajo validado tal como estaba el {date}; el tiempo de servicios "
            "está calculado a esa fecha."
        ),
    }


def _informe() -> dict[str, str]:
    return {
        "heading": _("INFORME ESCALAFONARIO"),
        "number": _("N.° {number}"),
        "purpose": _("Finalidad: {purpose} · Vigente hasta el {date}"),
        "intro": _(
            "El equipo de Escalafón y Legajos de {unit} informa, según el legajo personal "
            "validado, lo siguiente:"
        ),
        "service_time": _("Tiempo de servicios: {total}"),
        "periods": _("Periodos de servicio:"),
        "discounts": _("Descuentos (licencias sin goce, sanciones):"),
        "no_discounts": _("Sin descuentos."),
        "ats": _("Asignación por tiempo de servicios:"),
        "ats_25": _("25 años:"),
        "ats_30": _("30 años:"),
        "meets": _("cumple"),
        "does_not_meet": _("no cumple"),
        "validity": _(
            "Este informe tiene una vigencia de seis meses desde su emisión. Documento emitido "
            "electrónicamente; su autenticidad y vigencia se verifican con el código impreso "
            "al pie."
        ),
    }


def _receipt() -> dict[str, str]:
    return {
        "heading": _("CARGO DE RECEPCIÓN"),
        "kind": _("Tipo de trámite"),
        "filer": _("Presentado por"),
        "subject": _("Asunto"),
        "submitted": _("Presentado"),
        "received": _("Recibido oficialmente (día y hora hábil)"),
        "out_of_hours": _("(presentado fuera del horario de atención)"),
        "unit": _("Unidad"),
        "files": _("Documentos recibidos"),
        "number": _("N.°"),
        "file": _("Archivo"),
        "size": _("Tamaño"),
        "hash": _("SHA-256"),
        "rule": _(
            "Los documentos presentados fuera del horario de atención o en día no hábil se "
            "consideran recibidos en el siguiente momento hábil: la apertura de ese día si es "
            "hábil, o la del día hábil siguiente (TUO de la Ley N.° 27444). La huella SHA-256 "
            "permite comprobar que un archivo es el mismo que se recibió."
        ),
    }


# Keyed by the template's file name without «.typ». Other apps add their documents here.
LABELS: dict[str, Callable[[], dict[str, str]]] = {
    "boleta": _payslip,
    "hoja_de_vida": _resume,
    "informe": _informe,
    "cargo": _receipt,
    "mis_datos": lambda: import_module("ayni.dataprotection.labels").mis_datos_labels(),
}


def labels_for(template: str) -> dict[str, str]:
    """The labels of the shared layout plus those of `template` (its file name's stem),
    translated once per language (a copy: the caller may change it)."""
    return dict(_labels_for(template, get_language()))


@per_language
def _labels_for(template: str, language: str | None) -> dict[str, str]:
    words = _layout()
    builder = LABELS.get(template)
    if builder is not None:
        words.update(builder())
    return words
