"""The legal answer term of each ARCO right, in working days (data, not code).

Source: the reglamento of Ley N.° 29733 approved by D.S. N.° 016-2024-JUS (in force
since 30 March 2025). The terms could not be read from the reglamento's own text while
building this (docs/decisions.md, «Protección de datos personales»): the figures below
are the ones the previous reglamento (D.S. N.° 003-2013-JUS) set and that public summaries
of the 2024 reglamento repeat: access 20 working days, rectification, cancellation and
opposition 10 working days. No article number is cited on purpose until the text is
checked; a change here changes every due date computed afterwards (stored requests keep
the term they were filed with, `ArcoRequest.term_days`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ayni.dataprotection.models import Right

SOURCE = _("Reglamento de la Ley N.° 29733, aprobado por D.S. N.° 016-2024-JUS")


@dataclass(frozen=True)
class RightTerm:
    right: str
    working_days: int
    what: str | Promise
    how: str | Promise  # to the person
    officer: str | Promise  # to the officer who answers


TERMS: dict[str, RightTerm] = {
    Right.ACCESS: RightTerm(
        Right.ACCESS,
        20,
        _("Saber qué datos suyos trata Ayni, de dónde vienen, para qué y a quién se comunican."),
        _(
            "Puede descargar ahora mismo todo lo que Ayni guarda sobre usted con «Descargar mis "
            "datos». Si además quiere una respuesta del oficial, presente esta solicitud."
        ),
        _(
            "Responda qué datos trata Ayni, su origen, finalidad y destinatarios. La persona "
            "puede descargar todos sus datos en «Mis datos personales»."
        ),
    ),
    Right.RECTIFICATION: RightTerm(
        Right.RECTIFICATION,
        10,
        _("Corregir datos inexactos, incompletos o desactualizados."),
        _(
            "Los datos de su legajo se corrigen con una solicitud de modificación desde «Mi "
            "legajo» (con su sustento), que revisa el equipo de escalafón de su UGEL. Use esta "
            "solicitud solo para otros datos, o si su solicitud de modificación no fue atendida."
        ),
        _(
            "Si pide corregir datos del legajo, indíquele que use «Solicitar corrección» en "
            "«Mi legajo»: la revisa escalafón con su sustento y queda en el historial."
        ),
    ),
    Right.CANCELLATION: RightTerm(
        Right.CANCELLATION,
        10,
        _("Pedir que se supriman datos que ya no son necesarios para su finalidad."),
        _(
            "El oficial de protección de datos evalúa su pedido y le responde. Nada se borra de "
            "forma automática: el legajo y las boletas deben conservarse por ley."
        ),
        _(
            "Nada se borra de forma automática: el legajo, las boletas y los documentos "
            "emitidos se conservan por ley. Explique qué se suprimirá, si corresponde, y quién "
            "lo hará."
        ),
    ),
    Right.OPPOSITION: RightTerm(
        Right.OPPOSITION,
        10,
        _("Oponerse a un tratamiento por un motivo legítimo de su situación personal."),
        _(
            "El oficial de protección de datos evalúa su pedido y le responde. Ningún "
            "tratamiento de su legajo se detiene de forma automática."
        ),
        _(
            "Ningún tratamiento se detiene de forma automática: explique si procede y qué "
            "área lo aplicará."
        ),
    ),
}


def term_for(right: str) -> int:
    return TERMS[right].working_days
