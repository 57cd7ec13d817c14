"""What each benefit request needs: the documents the form asks for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ayni.benefits.models import Benefit

# benefit → [(field name, label)], all required
REQUIRED_DOCUMENTS = {
    Benefit.LUTO: [
        ("acta", _("Acta o certificado de defunción")),
        (
            "parentesco",
            _("Documento que acredite el parentesco (partida de nacimiento o de matrimonio)"),
        ),
    ],
    Benefit.ATS25: [],
    Benefit.ATS30: [],
    Benefit.CTS: [],
}
REQUESTABLE = frozenset(REQUIRED_DOCUMENTS)
