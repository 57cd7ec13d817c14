from django.contrib.admin.apps import AdminConfig


class AyniAdminConfig(AdminConfig):
    """Django's admin, served by AyniAdminSite (system administrators only)."""

    default_site = "ayni.accounts.admin_site.AyniAdminSite"
