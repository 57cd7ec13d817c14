"""What a refused step-up POST had in it, kept in the session while the user confirms.

A sensitive act sent with a stale second factor is refused (nothing done). So that
what the user typed is not lost, its non-file fields are kept here under a random id,
in the session (never in a URL), for the step-up window. After the check, the page
«Identidad confirmada» (views.step_up_continue) shows what will be sent and POSTs the
kept fields, with a fresh CSRF token, a fresh one-time form token and the id in
`FIELD`, to the original path; the first such POST spends the id, so the act is done
once. A form with files cannot be kept (files are not stored): the user is sent back
to it and told to attach them again.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from ayni.core.formtoken import FIELD as FORM_TOKEN_FIELD

SESSION_KEY = "ayni_stepup_stash"
#: the hidden field of «Continuar»: the id of the stash it spends
FIELD = "paso_envio"
MAX_BYTES = 64 * 1024
MAX_KEPT = 5  # stashes per session (the oldest goes first)
NOT_KEPT = {"csrfmiddlewaretoken", FORM_TOKEN_FIELD, FIELD}
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_ID = re.compile(r"^[A-Za-z0-9_-]{20,40}$")

#: the page of the act, by URL name, and what is done there when no `action` says more
PAGES: dict[str, tuple[Any, Any]] = {
    "personnel:review_detail": (_("Solicitud de modificación"), _("Atender la solicitud")),
    "personnel:entry_new": (_("Legajo del servidor"), _("Registrar un dato del legajo")),
    "personnel:entry_edit": (_("Legajo del servidor"), _("Corregir un dato del legajo")),
    "personnel:entry_remove": (_("Legajo del servidor"), _("Eliminar un dato del legajo")),
    "payroll:run_publish": (_("Publicar planilla"), _("Publicar la planilla")),
    "reports:informe_review": (_("Informe escalafonario"), _("Emitir el informe")),
    "desk:case_detail": (_("Trámite de mesa de partes"), _("Atender el trámite")),
    "benefits:request_detail": (_("Pedido de beneficio"), _("Registrar la decisión")),
    "benefits:officer_constancias": (_("Constancias de pagos"), _("Emitir la constancia")),
    "api:token_new": (_("Crear un token de acceso"), _("Crear el token")),
    "identity:recovery_codes": (_("Seguridad"), _("Generar códigos de recuperación nuevos")),
    "identity:admin_reset": (
        _("Restablecer el segundo factor de una cuenta"),
        _("Restablecer el segundo factor"),
    ),
    "admin:accounts_user_change": (_("Administración de cuentas"), _("Guardar la cuenta")),
    "admin:accounts_user_add": (_("Administración de cuentas"), _("Crear la cuenta")),
}
ACTIONS = {
    "approve": _("Aprobar y aplicar"),
    "observe": _("Observar"),
    "reject": _("Rechazar"),
    "accept": _("Aceptar la solicitud de acceso"),
}


class TooLarge(Exception):
    """The fields are more than MAX_BYTES: not kept."""


@dataclass(frozen=True)
class Stash:
    id: str
    path: str  # where the form was sent (and «Continuar» sends it again)
    back: str  # the page of the form («Cancelar», files, expiry)
    fields: list[tuple[str, str]]
    files: bool
    at: float

    @property
    def expired(self) -> bool:
        return time.time() - self.at > settings.STEP_UP_SECONDS

    @property
    def page(self) -> str:
        return str(_labels(self.path)[0])

    @property
    def act(self) -> str:
        action = next((v for k, v in self.fields if k == "action"), "")
        return str(ACTIONS.get(action) or _labels(self.path)[1])

    @property
    def typed(self) -> list[str]:
        """Text the user wrote (a value with words in it), to show read-only."""
        return [v for k, v in self.fields if k != "action" and v.strip() and " " in v.strip()][:5]


def _labels(path: str) -> tuple[Any, Any]:
    try:
        name = resolve(urlsplit(path).path).view_name
    except Resolver404:
        name = ""
    return PAGES.get(name, (_("Formulario"), _("Enviar el formulario")))


def local_path(request: HttpRequest, url: str) -> str | None:
    """`url` as a path of this site («/…», query kept), or None: another host, a scheme
    other than ours, «//host», backslashes, control characters, or no page of ours."""
    if not url or "\\" in url or any(ord(ch) < 32 for ch in url):
        return None
    if not url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        resolve(path)
    except Resolver404:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _all(request: HttpRequest) -> dict[str, dict[str, Any]]:
    kept = request.session.get(SESSION_KEY)
    return kept if isinstance(kept, dict) else {}


def keep(request: HttpRequest, *, back: str) -> str | None:
    """Keep the refused POST's fields; its id, or None when this POST cannot be kept (not
    a form, or a path not ours). Raises TooLarge past MAX_BYTES."""
    path = local_path(request, request.get_full_path())
    if path is None or request.content_type not in FORM_TYPES:
        return None
    files = bool(request.FILES)
    fields = (
        []
        if files
        else [
            (name, value)
            for name, values in request.POST.lists()
            if name not in NOT_KEPT
            for value in values
        ]
    )
    if len(json.dumps(fields, ensure_ascii=False).encode()) > MAX_BYTES:
        raise TooLarge
    now = time.time()
    kept = {
        key: value
        for key, value in _all(request).items()
        if now - float(value.get("at", 0)) <= settings.STEP_UP_SECONDS
    }
    for old in sorted(kept, key=lambda k: kept[k]["at"])[: max(0, len(kept) - MAX_KEPT + 1)]:
        del kept[old]
    stash_id = secrets.token_urlsafe(18)
    kept[stash_id] = {
        "user": request.user.pk,
        "at": now,
        "path": path,
        "back": back,
        "fields": fields,
        "files": files,
    }
    request.session[SESSION_KEY] = kept
    return stash_id


def get(request: HttpRequest, stash_id: str) -> Stash | None:
    """This session's stash `stash_id`, made by this user (None otherwise); its paths are
    checked again to be this site's."""
    if not _ID.match(stash_id or ""):
        return None
    raw = _all(request).get(stash_id)
    if not raw or raw.get("user") != request.user.pk:
        return None
    path = local_path(request, str(raw.get("path", "")))
    back = local_path(request, str(raw.get("back", ""))) or path
    if path is None or back is None:
        return None
    return Stash(
        id=stash_id,
        path=path,
        back=back,
        fields=[(str(k), str(v)) for k, v in raw.get("fields", [])],
        files=bool(raw.get("files")),
        at=float(raw.get("at", 0)),
    )


def drop(request: HttpRequest, stash_id: str) -> bool:
    """Spend the stash; True if it was there (this session, this user)."""
    kept = _all(request)
    raw = kept.get(stash_id)
    if not raw or raw.get("user") != request.user.pk:
        return False
    del kept[stash_id]
    request.session[SESSION_KEY] = kept
    return True


def spend(request: HttpRequest) -> bool | None:
    """On a POST from «Continuar»: spend its stash. None: not such a POST; True: spent
    now (the act may go on); False: already spent, expired away, someone else's, or
    made for another path (the act must not be done)."""
    stash_id = request.POST.get(FIELD)
    if stash_id is None:
        return None
    stash = get(request, stash_id)
    if stash is None or stash.path != request.get_full_path():
        return False
    return drop(request, stash_id)
