from django.contrib import admin
from django.urls import include, path

from ayni.portal.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("ayni.core.urls")),
    path("", include("ayni.portal.urls")),
    path("cuenta/", include("ayni.accounts.urls")),
    path("cuenta/", include("ayni.identity.urls")),
    path("cuenta/llave/", include("ayni.identity.passkey_urls")),
    path("", include("ayni.personnel.urls")),
    path("", include("ayni.payroll.urls")),
    path("", include("ayni.reports.urls")),
    path("", include("ayni.desk.urls")),
    path("", include("ayni.benefits.urls")),
    path("", include("ayni.supervision.urls")),
    path("", include("ayni.dataprotection.urls")),
    path("", include("ayni.api.urls")),  # /api/v1/ and /cuenta/tokens/ (issue 15)
    path("", include("ayni.sharing.urls")),
    path("admin/", admin.site.urls),
]
