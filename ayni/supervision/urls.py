from django.urls import path, re_path

from ayni.supervision import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.index, name="index"),
    path("supervision/<str:code>/", views.unit_dashboard, name="unit"),
    re_path(
        r"^supervision/(?P<code>\w+)/tabla/(?P<key>[\w-]+)\.(?P<fmt>csv|xlsx)$",
        views.export_table,
        name="export_table",
    ),
    path("supervision/<str:code>/lista/<slug:kind>/", views.unit_list, name="list"),
    re_path(
        r"^supervision/(?P<code>\w+)/lista/(?P<kind>[\w-]+)\.(?P<fmt>csv|xlsx)$",
        views.export_list,
        name="export_list",
    ),
]
