"""Public operations: the organisation tree and document verification."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema

from ayni.api.pagination import Page, page_of
from ayni.api.problems import ApiProblem
from ayni.api.schemas import PUBLIC_ERRORS, responses
from ayni.core import throttle
from ayni.core.verification import Verdict, verify_document
from ayni.org.models import OrgUnit

router = Router(tags=[N_("Público")])


class UnitOut(Schema):
    codigo: str
    nombre: str
    tipo: str
    padre: str | None


class UnitPage(Page):
    items: list[UnitOut]


class UnitFilter(Schema):
    padre: str | None = Field(None, max_length=10, description=N_("Código de la unidad madre"))
    tipo: OrgUnit.Kind | None = Field(None, description=N_("MINEDU, DRE, UGEL o IE"))
    cursor: str | None = Field(None, max_length=200)
    limite: int | None = Field(None, ge=1, le=200)


@router.get(
    "/unidades",
    response=responses(UnitPage, errors=PUBLIC_ERRORS),
    auth=None,
    summary=N_("Árbol de unidades (MINEDU, DRE, UGEL, instituciones)"),
)
def unit_tree(request: HttpRequest, filters: Query[UnitFilter]) -> dict[str, object]:
    """Las unidades del sector, de la más alta a las instituciones educativas; con
    `padre` solo las hijas directas de esa unidad."""
    units = OrgUnit.objects.select_related("parent")
    if filters.padre:
        units = units.filter(parent__code=filters.padre)
    if filters.tipo:
        units = units.filter(kind=filters.tipo)
    rows, following = page_of(units, filters.cursor, filters.limite, ascending=True)
    return {
        "items": [
            {
                "codigo": u.code,
                "nombre": u.name,
                "tipo": u.kind,
                "padre": u.parent.code if u.parent else None,
            }
            for u in rows
        ],
        "siguiente": following,
    }


class VerifyIn(Schema):
    codigo: str = Field(..., min_length=1, max_length=40, description=N_("Código del documento"))
    sha256: str | None = Field(
        None,
        pattern=r"^[0-9a-fA-F]{64}$",
        description=N_("Opcional: el SHA-256 del PDF recibido, para saber si es el emitido"),
    )


class Fact(Schema):
    dato: str
    valor: str


class VerifyOut(Schema):
    veredicto: Verdict
    codigo: str
    emisor: str | None
    emitido: str | None
    resumen: list[Fact]
    pdf_comparado: bool
    pdf_identico: bool


@router.post(
    "/verificacion",
    response=responses(VerifyOut, errors=PUBLIC_ERRORS),
    auth=None,
    summary=N_("Verificar un documento por su código (y el hash de su PDF)"),
)
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, object]:
    """El mismo veredicto y el mismo límite de consultas por hora que la página
    «Verificar documento»: anulado, luego PDF alterado, vencido, reemplazado o válido."""
    limit = throttle.hourly_for_address(request, "verify", settings.VERIFY_RATE_LIMIT_PER_HOUR)
    if throttle.register_hit(limit):
        raise ApiProblem(
            429,
            gettext("Hizo demasiadas consultas desde esta conexión. Inténtelo dentro de una hora."),
            headers={"Retry-After": "3600"},
        )
    result = verify_document(payload.codigo)
    verdict = result.verdict
    checked = payload.sha256 is not None and result.record is not None
    identical = False
    if checked and result.record is not None:
        identical = bool(result.record.pdf_sha256) and secrets.compare_digest(
            result.record.pdf_sha256, (payload.sha256 or "").lower()
        )
        # The page's precedence: annulled whatever the file; then a file that is not the
        # issued one; then expired, superseded, genuine.
        if verdict != Verdict.ANNULLED and not identical:
            verdict = Verdict.ALTERED
    record = result.record
    return {
        "veredicto": verdict,
        "codigo": result.code,
        "emisor": record.issuer if record else None,
        "emitido": record.issued_at.isoformat() if record else None,
        "resumen": [{"dato": k, "valor": v} for k, v in result.summary],
        "pdf_comparado": checked,
        "pdf_identico": identical,
    }
