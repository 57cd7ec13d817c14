from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from ayni.accounts.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from ayni.accounts.forms import DocumentPasswordResetForm, LoginForm
from ayni.accounts.services import (
    LoginResult,
    login_attempt,
    logout_record,
    password_reset_completed,
    password_reset_throttled,
    privacy_accept,
)
from ayni.core.audit import audit_log

INVALID_MESSAGE = "Tipo de documento, número o contraseña incorrectos."
LOCKED_MESSAGE = (
    "Hay demasiados intentos fallidos desde esta conexión. Espere {minutes} "
    "minutos antes de intentarlo de nuevo, o restablezca su contraseña."
)


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
            return redirect(target)
        locked = result is LoginResult.LOCKED
        error = (
            LOCKED_MESSAGE.format(minutes=settings.LOGIN_LOCKOUT_SECONDS // 60)
            if locked
            else INVALID_MESSAGE
        )
    context = {
        "form": form,
        "error": error,
        "locked": locked,
        "next": request.GET.get("next", ""),
        "demo_accounts": DEMO_ACCOUNTS if settings.DEMO_MODE else [],
        "demo_password": DEMO_PASSWORD if settings.DEMO_MODE else "",
    }
    return render(request, "accounts/login.html", context, status=429 if locked else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout_record(request)
    logout(request)
    messages.success(request, "Cerró su sesión. ¡Hasta pronto!")
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def privacy_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("accept") != "1":
            messages.error(request, "Para usar Ayni debe aceptar el aviso de privacidad.")
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
            messages.error(request, "Hizo demasiadas solicitudes. Inténtelo dentro de una hora.")
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


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        audit_log(action="auth.password_changed", request=self.request)
        messages.success(self.request, "Su contraseña fue cambiada.")
        return response
