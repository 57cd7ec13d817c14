"""The fixed words of the constancia de pagos PDF (registered in ayni.core.pdf.labels)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def constancia_labels() -> dict[str, str]:
    return {
        "title": _("CONSTANCIA DE PAGOS"),
        "intro": _(
            "{issuer} deja constancia de que, según las planillas publicadas en Ayni, el "
            "servidor que se indica percibió los pagos siguientes."
        ),
        "holder": _("Apellidos y nombres"),
        "document": _("Documento"),
        "regime": _("Régimen laboral"),
        "range": _("Periodo"),
        "months": _("Detalle por mes"),
        "period": _("Periodo"),
        "payroll": _("Planilla"),
        "income": _("Ingresos"),
        "deductions": _("Descuentos"),
        "net": _("Neto"),
        "total": _("Total"),
        "concepts": _("Totales por concepto"),
        "code": _("Código"),
        "concept": _("Concepto"),
        "kind": _("Tipo"),
        "amount": _("Monto"),
        "no_pay": _("Meses del periodo sin pagos publicados"),
        "note": _(
            "Montos en soles, tomados de las boletas publicadas (planillas anuladas excluidas). "
            "Documento emitido electrónicamente; su autenticidad se verifica con el código "
            "impreso al pie."
        ),
    }
