from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from ayni.portal.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("ayni.core.urls")),
    path("", include("ayni.portal.urls")),
    path("cuenta/", include("ayni.accounts.urls")),
    path("", include("ayni.personnel.urls")),
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]
