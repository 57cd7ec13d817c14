"""The fixed words of the «Mis datos» summary PDF (registered in ayni.core.pdf.labels)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def mis_datos_labels() -> dict[str, str]:
    return {
        "heading": _("MIS DATOS PERSONALES"),
        "intro": _(
            "Resumen de los datos personales que el Sistema Ayni guarda sobre usted, "
            "preparado a su pedido (Ley N.° 29733, derecho de acceso). El detalle completo "
            "está en el archivo datos.json y en los documentos de esta descarga."
        ),
        "holder": _("Titular"),
        "account": _("Usuario"),
        "generated": _("Preparado el"),
        "counts": _("Qué contiene esta descarga"),
        "what": _("Datos"),
        "how_many": _("Cantidad"),
        "reads": _("Lecturas de sus datos por el personal («¿Quién vio mi legajo?»)"),
        "changes": _("Cambios de sus datos hechos por el personal"),
        "signins": _("Ingresos y salidas de su cuenta (los últimos 100)"),
        "when": _("Fecha y hora (Lima)"),
        "who": _("Quién"),
        "did": _("Qué hizo"),
        "footer": _("Resumen de datos personales · {name} · preparado el {date}"),
        "rights": _(
            "Puede pedir la rectificación, cancelación u oposición al tratamiento de sus "
            "datos en Ayni, en «Mis datos personales (Ley 29733)»."
        ),
    }
