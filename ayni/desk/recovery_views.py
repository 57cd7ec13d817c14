"""Views of the desk's account recovery (four eyes; see ayni.desk.recovery)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ayni.accounts.contact import mask_email
from ayni.accounts.forms import DocumentFieldsMixin
from ayni.accounts.permissions import DESK_MANAGE, perm_paths
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.desk.recovery import (
    account_for_desk,
    get_recovery_for_staff,
    recoveries_in_scope,
    recovery_approve,
    recovery_record,
    recovery_reject,
)


class RecoveryForm(DocumentFieldsMixin):
    new_email = forms.EmailField(label=_("Correo nuevo (lo da la persona, en persona)"))
    identity_check = forms.CharField(
        label=_("Verificación de identidad: qué documento original vio y cómo lo comparó"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    in_person = forms.BooleanField(
        label=_("Verifiqué en persona que el documento original corresponde a quien lo presenta"),
    )


def _desk_or_403(request: HttpRequest) -> None:
    if not perm_paths(request.user, DESK_MANAGE):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@one_time_form
def recovery_start(request: HttpRequest) -> HttpResponse:
    """The first officer: look the account up (POST, no document in the URL), then
    record the identity check and the new address in the same form."""
    _desk_or_403(request)
    form = RecoveryForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, unit = account_for_desk(
                request,
                officer=request.user,
                doc_type=data["doc_type"],
                doc_number=data["doc_number"],
            )
            recovery = recovery_record(
                request,
                officer=request.user,
                user=user,
                unit=unit,
                new_email=data["new_email"],
                identity_check=data["identity_check"],
            )
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext(
                    "Registró la verificación. Otro servidor de la mesa de partes debe aprobarla; "
                    "solo entonces se envía el enlace al correo nuevo."
                ),
            )
            return redirect("desk:recovery_detail", ref=recovery.uuid)
    context["pending"] = recoveries_in_scope(request.user).filter(state="por_aprobar")[:50]
    return render(
        request,
        "desk/recovery_start.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@one_time_form
def recovery_detail(request: HttpRequest, ref: UUID) -> HttpResponse:
    _desk_or_403(request)
    recovery = get_recovery_for_staff(request.user, ref)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "approve":
                recovery_approve(request, officer=request.user, recovery=recovery)
                messages.success(
                    request,
                    gettext("Aprobada: enviamos el enlace al correo nuevo y avisamos al anterior."),
                )
            elif action == "reject":
                recovery_reject(
                    request,
                    officer=request.user,
                    recovery=recovery,
                    reason=request.POST.get("comment", "")[:300],
                )
                messages.success(
                    request,
                    gettext("Recuperación rechazada: el correo de la cuenta no cambia."),
                )
            else:
                raise UserError(gettext("Acción no válida."))
        except UserError as exc:
            messages.error(request, exc.message)
        return redirect("desk:recovery_detail", ref=recovery.uuid)
    return render(
        request,
        "desk/recovery_detail.html",
        {
            "recovery": recovery,
            "old_email": mask_email(recovery.user.email),
            "new_email": recovery.new_email,
            "i_checked": recovery.checked_by_id == request.user.pk,
        },
    )
