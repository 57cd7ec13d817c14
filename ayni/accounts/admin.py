"""Users and roles in the admin site. Every change of an e-mail, an account flag or a
role writes a security audit event (seen by MINEDU's administrators); an e-mail
change also tells the old address and ends the account's sessions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from ayni.accounts.contact import mask_email
from ayni.accounts.models import RoleGrant, User
from ayni.core.audit import audit_log
from ayni.core.notifications import mail_after_commit
from ayni.identity.stepup import step_up_refusal


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    raw_id_fields = ("unit", "granted_by")
    extra = 0


def _grant_state(grant: RoleGrant) -> dict[str, Any]:
    return {"role": grant.role, "unit": grant.unit.code, "active": grant.active}


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("login_id", "full_name", "is_active", "date_joined")
    search_fields = ("login_id", "full_name")
    list_filter = ("is_active", "is_staff")
    fields = (
        "doc_type",
        "doc_number",
        "full_name",
        "email",
        "phone",
        "is_active",
        "is_staff",
        "privacy_accepted_at",
    )
    readonly_fields = ("privacy_accepted_at",)
    inlines = [RoleGrantInline]

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Saving an account (its roles among it): second factor again when stale."""
        if request.method == "POST" and (refusal := step_up_refusal(request)):
            return refusal
        return super().changeform_view(request, *args, **kwargs)

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        old = User.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if old is None:
            audit_log(
                action="auth.account_changed_by_admin",
                request=request,
                obj=obj,
                detail="cuenta creada",
            )
            return
        if old.email != obj.email:
            audit_log(
                action="auth.email_changed_by_admin",
                request=request,
                obj=obj,
                before={"email": mask_email(old.email)},
                after={"email": mask_email(obj.email)},
            )
            if old.email:
                mail_after_commit(
                    old.email,
                    gettext("Ayni: el correo de su cuenta fue cambiado"),
                    gettext(
                        "Un administrador de Ayni cambió el correo de su cuenta. Si usted no lo "
                        "pidió, acérquese a la mesa de partes de su UGEL.\n\n"
                        "Este es un mensaje automático de Ayni; no lo responda."
                    ),
                )
        flags = ("is_active", "is_staff", "doc_type", "doc_number", "full_name", "phone")
        changed = [f for f in flags if getattr(old, f) != getattr(obj, f)]
        if changed:
            audit_log(
                action="auth.account_changed_by_admin",
                request=request,
                obj=obj,
                before={f: str(getattr(old, f)) for f in changed if f != "phone"},
                after={f: str(getattr(obj, f)) for f in changed if f != "phone"},
                detail=", ".join(changed),
            )

    @transaction.atomic
    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        before = {
            g.pk: _grant_state(g)
            for g in RoleGrant.objects.filter(user=form.instance).select_related("unit")
        }
        super().save_formset(request, form, formset, change)
        for grant in formset.new_objects:
            audit_log(
                action="auth.role_granted",
                request=request,
                obj=grant,
                unit_path=grant.unit.path,
                after=_grant_state(grant),
                detail=f"{grant.get_role_display()} a {form.instance}",
            )
        for grant, _fields in formset.changed_objects:
            audit_log(
                action="auth.role_changed",
                request=request,
                obj=grant,
                unit_path=grant.unit.path,
                before=before.get(grant.pk),
                after=_grant_state(grant),
                detail=f"{grant.get_role_display()} de {form.instance}",
            )
        for grant in formset.deleted_objects:
            audit_log(
                action="auth.role_revoked",
                request=request,
                unit_path=grant.unit.path,
                before=_grant_state(grant),
                detail=f"{grant.get_role_display()} de {form.instance}",
            )
