from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ayni.accounts.models import RoleGrant, User
from ayni.accounts.permissions import CATALOG_MANAGE, has_perm


def _admin_site_permission(request: HttpRequest) -> bool:
    """The admin site (catalogues, users, roles) is for MINEDU's system administrators."""
    user: Any = request.user
    return bool(user.is_active and user.is_staff and has_perm(user, CATALOG_MANAGE))


admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]
admin.site.site_header = "Ayni: administración"
admin.site.site_title = "Ayni"
admin.site.login_template = None


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    raw_id_fields = ("unit", "granted_by")
    extra = 0


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
        "is_active",
        "is_staff",
        "privacy_accepted_at",
    )
    readonly_fields = ("privacy_accepted_at",)
    inlines = [RoleGrantInline]
