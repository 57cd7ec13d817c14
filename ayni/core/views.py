from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ayni.core import throttle
from ayni.core.forms import VerifyForm
from ayni.core.pdfcheck import PdfRejected, clean_name, inspect_pdf
from ayni.core.signing.check import check_signature
from ayni.core.verification import find_record, pdf_matches, verify_document


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """«Verificar documento»: public; a bank or clinic checks a code (and a PDF)."""
    initial = {"code": request.GET.get("c", "")}
    form = VerifyForm(request.POST or None, request.FILES or None, initial=initial)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        limit = throttle.hourly_for_address(request, "verify", settings.VERIFY_RATE_LIMIT_PER_HOUR)
        if throttle.register_hit(limit):
            context["error"] = _(
                "Hizo demasiadas consultas desde esta conexión. Inténtelo dentro de una hora."
            )
            return render(request, "core/verify.html", context, status=429)
        code = form.cleaned_data["code"]
        pdf = form.cleaned_data.get("pdf")
        data: bytes | None = None
        signature = None
        if pdf is not None:
            data = pdf.read()
            record = find_record(code)
            if record is None or not pdf_matches(record, data):
                # Not the very file Ayni issued: parse it, under hard limits, before
                # answering; a malformed or hostile file is refused, not compared.
                try:
                    inspect_pdf(data)
                except PdfRejected as exc:
                    form.add_error("pdf", exc.message(clean_name(pdf.name or "")))
                    return render(request, "core/verify.html", context, status=400)
            # Who signed it, and whether it changed since: checked in the sandboxed child.
            signature = check_signature(data)
        context["result"] = verify_document(code, data, signature=signature)
    return render(request, "core/verify.html", context)
