"""Share links: the servant's pages (create, shown once, list, revoke) and the public
page whoever holds a link opens (no account)."""

from __future__ import annotations

import io
import secrets
from collections import OrderedDict
from urllib.parse import urlencode
from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ayni.core import throttle
from ayni.core.formtoken import one_time_form
from ayni.core.responses import pdf_response
from ayni.sharing.documents import SharedDocument, own_document
from ayni.sharing.forms import ShareForm
from ayni.sharing.models import DocumentKind
from ayni.sharing.selectors import get_my_link, my_link_rows
from ayni.sharing.services import SharingError, link_create, link_open, link_revoke, opening_pdf
from ayni.sharing.verify import document_verification

SHOWN_ONCE = "sharing.new_tokens"  # session: {link uuid: token}, popped when shown
OPEN_RATE_DEFAULT = 60  # openings (or tries) an hour from one address
ROBOTS = ", ".join(("noindex", "nofollow", "noarchive"))  # X-Robots-Tag, not words for people


# --- the servant -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@one_time_form
def link_new(request: HttpRequest, kind: str, ref: UUID) -> HttpResponse:
    """«Compartir»: choose days and openings for one of one's own documents."""
    if kind not in DocumentKind.values:
        raise Http404
    document = own_document(request.user, kind, ref)
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link, token = link_create(
                user=request.user,
                document=document,
                days=form.cleaned_data["days"],
                max_openings=form.cleaned_data["max_openings"],
                request=request,
            )
        except SharingError as exc:
            form.add_error(None, exc.message)
        else:
            tokens = request.session.get(SHOWN_ONCE, {})
            tokens[str(link.uuid)] = token
            request.session[SHOWN_ONCE] = tokens
            return redirect("sharing:link_created", ref=link.uuid)
    return render(
        request,
        "sharing/new.html",
        {"form": form, "document": document, "back": _back_url(document)},
        status=400 if request.method == "POST" else 200,
    )


def _back_url(document: SharedDocument) -> str:
    if document.kind == DocumentKind.PAYSLIP:
        return reverse("payroll:payslip_detail", args=[document.uuid])
    if document.kind == DocumentKind.INFORME:
        return reverse("reports:my_reports")
    if document.kind == DocumentKind.RESUME:
        return reverse("reports:my_resume")
    return reverse("benefits:constancia", args=[document.uuid])


def _qr_svg(payload: str) -> str:
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(
        buffer, kind="svg", border=4, xmldecl=False, omitsize=True, svgclass="share-qr-code"
    )
    return buffer.getvalue().decode()


@require_GET
def link_created(request: HttpRequest, ref: UUID) -> HttpResponse:
    """The new link, in full, once: the token leaves the session as it is shown."""
    link = get_my_link(request.user, ref)
    tokens = request.session.get(SHOWN_ONCE, {})
    token = tokens.pop(str(link.uuid), None)
    request.session[SHOWN_ONCE] = tokens
    context: dict[str, object] = {"link": link}
    if token:
        address = settings.SITE_URL.rstrip("/") + reverse("sharing:open") + "#" + token
        context |= {"address": address, "qr": mark_safe(_qr_svg(address))}  # noqa: S308 - segno's SVG
    return render(request, "sharing/created.html", context)


@require_GET
def my_links(request: HttpRequest) -> HttpResponse:
    """«Mis enlaces compartidos»: each link, its state, its openings; revoke."""
    return render(request, "sharing/my_links.html", {"rows": my_link_rows(request.user)})


@require_POST
@one_time_form
def link_revoke_view(request: HttpRequest, ref: UUID) -> HttpResponse:
    link = get_my_link(request.user, ref)
    link_revoke(user=request.user, link=link, request=request)
    messages.success(
        request,
        gettext("Anuló el enlace de «%(title)s»: ya nadie puede abrirlo.") % {"title": link.title},
    )
    return redirect("sharing:my_links")


# --- whoever holds the link ----------------------------------------------------------------


def _private(response: HttpResponse, *, referrer: str = "same-origin") -> HttpResponse:
    """Never indexed, never cached (by the browser or a proxy), never framed (the site's
    X-Frame-Options and frame-ancestors). The pages' address is `/c/`, with no secret, so
    they keep the site's same-origin Referrer-Policy (no-referrer there would make the
    browser send «Origin: null» with the form and fail the CSRF check); the PDF's address
    holds its ticket, so it is sent nowhere."""
    response["X-Robots-Tag"] = ROBOTS
    response["Referrer-Policy"] = referrer
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Cookie"])
    return response


def _gone(request: HttpRequest) -> HttpResponse:
    """The same page for a link that is unknown, revoked, expired, used up or whose
    document is no longer valid: it says nothing of whose document it was."""
    return _private(render(request, "sharing/gone.html", status=410))


def _throttled(request: HttpRequest) -> bool:
    limit = getattr(settings, "SHARE_OPEN_RATE_LIMIT_PER_HOUR", OPEN_RATE_DEFAULT)
    return throttle.hit_hourly(request, "share-open", limit)


@login_not_required
@require_GET
def open_gate(request: HttpRequest) -> HttpResponse:
    """The address of a link is `/c/#<token>`: the token travels after «#», which browsers
    never send, so no access log, proxy or Referer holds it. This page counts nothing (a
    messaging app's preview or a mail scanner fetching the address spends no opening); its
    button POSTs the token to `open_link` (copied from the address by a static script, or
    pasted without JavaScript) (docs/decisions.md, issue 15)."""
    return _private(render(request, "sharing/gate.html", {"visit": secrets.token_urlsafe(24)}))


@login_not_required
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest) -> HttpResponse:
    """One opening: the holder sees the document and its verification. Its own address
    (`/c/ver/`), so that pasting another link in the same tab loads the gate again
    instead of only changing the «#» of this page. A GET (a bookmark) goes to the gate."""
    if request.method == "GET":
        return redirect("sharing:open")
    if _throttled(request):
        return _private(render(request, "429.html", status=429))
    token = request.POST.get("token", "").strip() or request.POST.get("codigo", "").strip()
    opened = link_open(
        token=token.lstrip("#")[:100],
        visit=request.POST.get("visita", "")[:64],
        request=request,
    )
    if opened is None:
        return _gone(request)
    document = opened.document
    context: dict[str, object] = {
        "link": opened.link,
        "opening": opened.opening,
        "document": document,
        "result": document_verification(document),
        "pdf_url": reverse("sharing:open_pdf") + "?" + urlencode({"a": opened.ticket}),
    }
    if document.kind == DocumentKind.PAYSLIP:
        context |= _payslip_context(document)
    return _private(render(request, "sharing/open.html", context))


def _payslip_context(document: SharedDocument) -> dict[str, object]:
    slip = document.obj
    titles = {
        "INGRESO": gettext("Ingresos"),
        "DESCUENTO": gettext("Descuentos"),
        "APORTE_EMPLEADOR": gettext("Aportes del empleador"),
    }
    groups: OrderedDict[str, list[dict[str, object]]] = OrderedDict(
        (title, []) for title in titles.values()
    )
    for line in slip.lines:
        groups[titles.get(line["kind"], titles["DESCUENTO"])].append(line)
    return {"p": slip, "h": slip.header, "groups": groups}


@login_not_required
@require_GET
def open_pdf(request: HttpRequest) -> HttpResponse:
    """The document's PDF for an opening of the last half hour (its signed ticket names the
    link and the opening); without a valid ticket, the same refusal as the link's."""
    if _throttled(request):
        return _private(render(request, "429.html", status=429))
    found = opening_pdf(ticket=request.GET.get("a", "")[:300])
    if found is None:
        return _gone(request)
    document, pdf = found
    response = pdf_response(pdf, document.filename, inline=bool(request.GET.get("ver")))
    return _private(response, referrer="no-referrer")
