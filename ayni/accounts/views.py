from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ayni.accounts.contact import email_change_confirm, email_change_request, phone_change
from ayni.accounts.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from ayni.accounts.forms import (
    DocumentPasswordResetForm,
    EmailChangeForm,
    LoginForm,
    PhoneChangeForm,
)
from ayni.accounts.services import (
    LoginResult,
    login_attempt,
    login_with_link,
    logout_record,
    password_changed,
    password_reset_completed,
    password_reset_throttled,
    privacy_accept,
)
from ayni.core import throttle
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.core.words import per_language
from ayni.identity.demo import DEMO_TOTP_SECRET
from ayni.identity.oidc import is_enabled as oidc_enabled
from ayni.identity.sessions import end_current, signed_in

INVALID_MESSAGE = _("Tipo de documento, número o contraseña incorrectos.")
GUARDED_MESSAGE = _(
    "Por seguridad, esta cuenta recibió muchos intentos fallidos de ingreso desde varias "
    "conexiones. Si escribió la contraseña correcta, le enviamos al correo registrado un "
    "enlace para completar el ingreso; si no le llega, use «Olvidé mi contraseña»."
)
LOCKED_MESSAGE = _(
    "Hay demasiados intentos fallidos desde esta conexión. Espere %(minutes)s "
    "minutos antes de intentarlo de nuevo, o restablezca su contraseña."
)


@per_language
def _blank_login_fields(language: str | None) -> str:
    """The sign-in form's three fields, empty: the page every visitor opens first, and
    Django's widget templates were a third of its rendering."""
    return render_to_string("accounts/_login_fields.html", {"form": LoginForm()})


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    error = ""
    locked = False
    if request.method == "POST" and form.is_valid():
        result = login_attempt(
            request,
            doc_type=form.cleaned_data["doc_type"],
            doc_number=form.cleaned_data["doc_number"],
            password=form.cleaned_data["password"],
        )
        if result is LoginResult.OK:
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, require_https=request.is_secure()
            ):
                target = settings.LOGIN_REDIRECT_URL
            response = redirect(target)
            signed_in(request, response)  # «Mis sesiones»; a new device is notified
            return response
        locked = result is LoginResult.LOCKED
        error = (
            str(LOCKED_MESSAGE) % {"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60}
            if locked
            else str(GUARDED_MESSAGE)
            if result is LoginResult.GUARDED
            else str(INVALID_MESSAGE)
        )
    context = {
        "form": form,
        # the empty form is the same for everyone: its fields rendered once per language
        "blank_fields": "" if form.is_bound else _blank_login_fields(get_language()),
        "error": error,
        "locked": locked,
        "next": request.GET.get("next", ""),
        "demo_accounts": DEMO_ACCOUNTS if settings.DEMO_MODE else [],
        "demo_password": DEMO_PASSWORD if settings.DEMO_MODE else "",
        "demo_totp_secret": DEMO_TOTP_SECRET if settings.DEMO_MODE else "",
        "gobpe": oidc_enabled(),
    }
    return render(request, "accounts/login.html", context, status=429 if locked else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout_record(request)
    end_current(request)
    logout(request)
    messages.success(request, gettext("Cerró su sesión. ¡Hasta pronto!"))
    return redirect("accounts:login")


@login_not_required
@require_http_methods(["GET", "POST"])
def privacy_view(request: HttpRequest) -> HttpResponse:
    """The notice, readable by anyone before giving their data (an access request asks for
    a document and its copy); accepting it is for a signed-in user."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect("accounts:login")
        return render(request, "accounts/privacy.html", {"anonymous": True})
    if request.method == "POST":
        if request.POST.get("accept") != "1":
            messages.error(request, gettext("Para usar Ayni debe aceptar el aviso de privacidad."))
        else:
            privacy_accept(request, request.user)
            return redirect("home")
    user: Any = request.user
    return render(request, "accounts/privacy.html", {"accepted": user.privacy_accepted_at})


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset_view(request: HttpRequest) -> HttpResponse:
    form = DocumentPasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if password_reset_throttled(request):
            messages.error(
                request, gettext("Hizo demasiadas solicitudes. Inténtelo dentro de una hora.")
            )
            return render(request, "accounts/password_reset.html", {"form": form}, status=429)
        form.save()
        audit_log(action="auth.password_reset_requested", request=request)
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        password_reset_completed(self.request, form.user)
        return response


@method_decorator(one_time_form, name="dispatch")  # type: ignore[arg-type]
class PasswordChange(auth_views.PasswordChangeView):
    """Django keeps this session (update_session_auth_hash); the others end."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        password_changed(self.request, form.user)
        messages.success(
            self.request, gettext("Su contraseña fue cambiada. Sus otras sesiones se cerraron.")
        )
        return response


@login_not_required
@require_http_methods(["GET", "POST"])
def login_link_view(request: HttpRequest) -> HttpResponse:
    """The sign-in link of a guarded account: its code travels after `#` (never
    logged); the page copies it into the form and the button POSTs it."""
    error = ""
    if request.method == "POST":
        limit = throttle.hourly_for_address(request, "login-link", 30)
        if throttle.register_hit(limit):
            error = gettext("Demasiados intentos desde esta conexión. Espere una hora.")
        elif login_with_link(request, code=request.POST.get("code", "")[:100]):
            response = redirect(settings.LOGIN_REDIRECT_URL)
            signed_in(request, response)
            return response
        else:
            error = gettext("El enlace no es válido, ya se usó o venció. Ingrese de nuevo.")
    context = {
        "title": gettext("Completar el ingreso"),
        "button": gettext("Ingresar a Ayni"),
        "error": error,
    }
    return render(request, "accounts/code_form.html", context, status=400 if error else 200)


@require_GET
def profile_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {"email_form": EmailChangeForm(), "phone_form": PhoneChangeForm()},
    )


@require_http_methods(["GET", "POST"])
@one_time_form
def email_change_view(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            email_change_request(
                request,
                user=request.user,  # type: ignore[arg-type]
                password=form.cleaned_data["password"],
                new_email=form.cleaned_data["new_email"],
            )
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext(
                    "Le enviamos un enlace al correo nuevo. El cambio se hace cuando lo abra "
                    "(vale 24 horas). Avisamos también a su correo actual."
                ),
            )
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/contact_form.html",
        {"form": form, "title": gettext("Cambiar mi correo")},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def email_confirm_view(request: HttpRequest) -> HttpResponse:
    """The new address's link: the code after `#` is POSTed by the page."""
    error = ""
    if request.method == "POST":
        limit = throttle.hourly_for_address(request, "email-confirm", 30)
        if throttle.register_hit(limit):
            error = gettext("Demasiados intentos desde esta conexión. Espere una hora.")
        else:
            try:
                email_change_confirm(request, code=request.POST.get("code", "")[:100])
            except UserError as exc:
                error = exc.message
            else:
                messages.success(
                    request,
                    gettext(
                        "Su correo fue cambiado. Sus otras sesiones se cerraron y avisamos al "
                        "correo anterior."
                    ),
                )
                return redirect(
                    "accounts:profile" if request.user.is_authenticated else "accounts:login"
                )
    context = {
        "title": gettext("Confirmar mi correo nuevo"),
        "button": gettext("Confirmar"),
        "error": error,
    }
    return render(request, "accounts/code_form.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@one_time_form
def phone_change_view(request: HttpRequest) -> HttpResponse:
    form = PhoneChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_change(
                request,
                user=request.user,  # type: ignore[arg-type]
                password=form.cleaned_data["password"],
                phone=form.cleaned_data["phone"],
            )
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("Su teléfono fue cambiado."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/contact_form.html",
        {"form": form, "title": gettext("Cambiar mi teléfono")},
        status=400 if request.method == "POST" else 200,
    )
