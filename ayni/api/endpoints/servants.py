"""Staff: servant search and a servant's whole file, in the user's (token's) scope.

Each read is an audit event the servant sees in «¿Quién vio mi legajo?», as on the
pages; through a token it names the token too.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema

from ayni.api.auth import scoped
from ayni.api.pagination import Page, page_of
from ayni.api.presenters import FileOut, ServantOut, servant_out, whole_file
from ayni.api.schemas import responses
from ayni.api.scopes import SERVANTS
from ayni.personnel.selectors import get_servant_for_user, search_servants
from ayni.personnel.services import servant_list_read_record, servant_read_record

router = Router(tags=[N_("Servidores (personal)")], auth=scoped(SERVANTS))


def read_label(request: HttpRequest, what: str) -> str:
    """What the servant reads in «¿Quién vio mi legajo?»: the act, and the token's name."""
    token = getattr(request, "api_token", None)
    if token is None:
        return gettext("%(what)s (API)") % {"what": what}
    return gettext("%(what)s (API, token «%(token)s»)") % {"what": what, "token": token.name}


class SearchIn(Schema):
    q: str = Field("", max_length=60, description=N_("Apellidos, nombres o número de documento"))


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=200)
    limite: int | None = Field(None, ge=1, le=200)


class ServantPage(Page):
    items: list[ServantOut]


@router.post("/busqueda", response=responses(ServantPage), summary=N_("Buscar servidores"))
def servant_search(
    request: HttpRequest, payload: SearchIn, page: Query[PageQuery]
) -> dict[str, Any]:
    """Busca en su ámbito por nombre o por número de documento. La búsqueda va en el
    cuerpo (POST), nunca en la dirección; la página que se devuelve queda en la
    auditoría de cada servidor que muestra."""
    servants = search_servants(request.user, payload.q)
    rows, following = page_of(servants, page.cursor, page.limite)
    servant_list_read_record(request, rows, query=payload.q)
    return {"items": [servant_out(s) for s in rows], "siguiente": following}


@router.get("/{ref}/legajo", response=responses(FileOut), summary=N_("El legajo de un servidor"))
def servant_file(request: HttpRequest, ref: UUID) -> dict[str, Any]:
    """Todas las secciones del legajo de un servidor de su ámbito (404 si no existe o
    está fuera de su alcance)."""
    servant, staff_read = get_servant_for_user(request.user, ref)
    if staff_read:
        servant_read_record(request, servant, what=read_label(request, gettext("Legajo completo")))
    return whole_file(servant)
