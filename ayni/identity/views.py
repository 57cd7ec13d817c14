"""Second factor, step-up and «Mis sesiones» pages (thin: the services do the work)."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ayni.accounts.forms import DocumentFieldsMixin
from ayni.accounts.models import User, login_id_for
from ayni.accounts.permissions import ACCOUNTS_MANAGE, has_perm, is_staff_user, require_perm
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.identity import sessions, stepup_stash, twofactor
from ayni.identity.demo import DEMO_TOTP_KEY
from ayni.identity.stepup import step_up, step_up_url

NEW_CODES = "ayni_2fa_new_codes"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return str(settings.LOGIN_REDIRECT_URL)
    return target


def _demo_code(device: Any) -> str:
    """Demo mode only, demo secret only: the code the authenticator shows now."""
    if settings.DEMO_MODE and device is not None and device.key == DEMO_TOTP_KEY:
        return twofactor.current_code(device)
    return ""


@require_http_methods(["GET", "POST"])
@one_time_form
def enrol(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if twofactor.has_second_factor(user) and not user.is_verified():
        return redirect(twofactor_verify_url(request))
    if request.method == "POST" and request.session.get(NEW_CODES):
        # a double click on «Confirmar»: the first one enrolled; show its codes
        return redirect(_with_next("identity:recovery_codes", _next(request)))
    device = twofactor.pending_device(user)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            codes = twofactor.confirm_enrolment(request, code=request.POST.get("code", ""))
        except twofactor.ThrottledError as exc:
            error, status = exc.message, 429
        except UserError as exc:
            error, status = exc.message, 400
        else:
            request.session[NEW_CODES] = codes
            return redirect(_with_next("identity:recovery_codes", _next(request)))
    secret = twofactor.secret_base32(device)
    context = {
        "qr": mark_safe(_qr(device.config_url)),  # noqa: S308 - segno's own SVG
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "error": error,
        "next": _next(request),
        "staff": is_staff_user(user),
        "demo_code": _demo_code(device),
    }
    return render(request, "identity/enrol.html", context, status=status)


def _qr(payload: str) -> str:
    """The otpauth:// QR, large enough to scan from a screen (quiet zone included)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="svg", scale=5, border=4, xmldecl=False)
    return buffer.getvalue().decode()


def _with_next(name: str, target: str) -> str:
    from django.urls import reverse
    from django.utils.http import urlencode

    return reverse(name) + "?" + urlencode({"next": target})


def twofactor_verify_url(request: HttpRequest) -> str:
    return _with_next("identity:verify", _next(request))


@require_http_methods(["GET", "POST"])
@one_time_form
def verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not twofactor.has_second_factor(user):
        return redirect(_with_next("identity:enrol", _next(request)))
    error = ""
    status = 200
    if request.method == "POST":
        try:
            device = twofactor.verify(request, code=request.POST.get("code", ""))
        except twofactor.ThrottledError as exc:
            error, status = exc.message, 429
        except UserError as exc:
            error, status = exc.message, 400
        else:
            left = twofactor.recovery_left(user)
            if device.persistent_id.startswith("otp_static") and left == 0:
                messages.warning(
                    request,
                    gettext(
                        "Usó su último código de recuperación. Genere códigos nuevos en "
                        "«Seguridad» ahora: sin ellos, si pierde su teléfono, tendrá que pedir a "
                        "la administración que restablezca su segundo factor."
                    ),
                )
            elif device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    gettext(
                        "Usó un código de recuperación; le quedan %(n)s. Si perdió su teléfono, "
                        "configure de nuevo su aplicación en «Seguridad»."
                    )
                    % {"n": left},
                )
            return redirect(_next(request))
    step_up_mode = bool(request.GET.get("paso") or user.is_verified())
    context = {
        "error": error,
        "next": _next(request),
        "step_up": step_up_mode,
        "demo_code": _demo_code(twofactor.app_device(user)),
        "minutes": settings.STEP_UP_SECONDS // 60,
        "passkeys": twofactor.passkey_count(user),
    }
    return render(request, "identity/verify.html", context, status=status)


@require_GET
@never_cache
def step_up_continue(request: HttpRequest, stash_id: str) -> HttpResponse:
    """«Identidad confirmada»: what the refused form will send, and «Continuar», which
    POSTs the kept fields to the original path (a fresh CSRF and form token; the stash
    spent by that POST). Only this session's own stash, within the step-up window."""
    stash = stepup_stash.get(request, stash_id)
    if stash is None:
        messages.error(
            request,
            gettext(
                "Ese envío ya no está disponible: ya se hizo, venció o es de otra sesión. "
                "No se hizo ningún cambio; vuelva a abrir el formulario."
            ),
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    if stash.expired:
        stepup_stash.drop(request, stash.id)
        messages.error(
            request,
            gettext(
                "Pasaron más de %(minutes)s minutos y lo que escribió ya no se guarda. No se "
                "hizo ningún cambio: vuelva a escribirlo en el formulario."
            )
            % {"minutes": settings.STEP_UP_SECONDS // 60},
        )
        return redirect(stash.back)
    if not twofactor.is_fresh(request):
        return redirect(step_up_url(request.path))
    if stash.files:
        stepup_stash.drop(request, stash.id)
        messages.warning(
            request,
            gettext(
                "Su identidad está confirmada. Los archivos no se guardan mientras confirma: "
                "adjúntelos de nuevo y envíe el formulario otra vez."
            ),
        )
        return redirect(stash.back)
    return render(
        request,
        "identity/step_up_continue.html",
        {"stash": stash, "field": stepup_stash.FIELD},
    )


@require_http_methods(["GET", "POST"])
@one_time_form
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once: just after enrolment, or renewed (step-up)."""
    if request.method == "POST":
        refusal = step_up_check(request)
        if refusal is not None:
            return refusal
        request.session[NEW_CODES] = twofactor.renew_recovery_codes(request)
        return redirect("identity:recovery_codes")
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("identity:security")
    return render(request, "identity/recovery_codes.html", {"codes": codes, "next": _next(request)})


def step_up_check(request: HttpRequest) -> HttpResponse | None:
    from ayni.identity.stepup import step_up_refusal

    return step_up_refusal(request, return_to="/cuenta/seguridad/")


@require_GET
def security(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    device = twofactor.app_device(user)
    context = {
        "device": device,
        "recovery_left": twofactor.recovery_left(user),
        "staff": is_staff_user(user),
        "sessions_count": sessions.active_sessions(user).count(),
        "can_reset": has_perm(user, ACCOUNTS_MANAGE),
        "passkeys": twofactor.passkey_count(user),
    }
    return render(request, "identity/security.html", context)


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    records = list(sessions.active_sessions(request.user))
    current = sessions.current_record_id(request)
    return render(
        request,
        "identity/sessions.html",
        {"records": records, "current": current, "others": [r for r in records if r.pk != current]},
    )


@require_POST
@one_time_form
def session_close(request: HttpRequest, record_id: int) -> HttpResponse:
    if not sessions.close_session(request, record_id=record_id):
        raise Http404
    messages.success(request, gettext("La sesión se cerró."))
    return redirect("identity:sessions")


@require_POST
@one_time_form
def sessions_close_others(request: HttpRequest) -> HttpResponse:
    count = sessions.close_others(request)
    messages.success(request, gettext("Se cerraron sus otras sesiones (%(n)s).") % {"n": count})
    return redirect("identity:sessions")


class ResetForm(DocumentFieldsMixin):
    pass


@require_perm(ACCOUNTS_MANAGE)
@step_up
@require_http_methods(["GET", "POST"])
@one_time_form
def admin_reset(request: HttpRequest) -> HttpResponse:
    """A system administrator removes a lost second factor (audited, owner notified)."""
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_id = login_id_for(form.cleaned_data["doc_type"], form.cleaned_data["doc_number"])
        target = User.objects.filter(login_id=login_id).first()
        try:
            if target is None:
                raise twofactor.TwoFactorError(gettext("No hay una cuenta con ese documento."))
            twofactor.admin_reset(request, target=target)
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext(
                    "Se restableció el segundo factor de la cuenta; avisamos a su titular. "
                    "En su próximo ingreso lo configurará de nuevo."
                ),
            )
            return redirect("identity:admin_reset")
    return render(
        request,
        "identity/admin_reset.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
