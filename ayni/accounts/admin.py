from django.contrib import admin

from ayni.accounts.models import RoleGrant, User


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
