from django.urls import path, re_path

from ayni.supervision import views

app_name = "supervision"

urlpatterns = [
    path("datos-abiertos/", views.open_data, name="open_data"),
    path("datos-abiertos/diccionario.csv", views.open_data_dictionary, name="open_data_dictionary"),
    re_path(
        r"^datos-abiertos/(?P<period>\d{4}-\d{2})\.csv$",
        views.open_data_file,
        name="open_data_file",
    ),
    path("supervision/", views.index, name="index"),
    path("supervision/<str:code>/", views.unit_dashboard, name="unit"),
    re_path(
        r"^supervision/(?P<code>\w+)/tabla/(?P<key>[\w-]+)\.(?P<fmt>csv|xlsx)$",
        views.export_table,
        name="export_table",
    ),
    path("supervision/descargas/<uuid:ref>/", views.export_status, name="export_status"),
    path("supervision/descargas/<uuid:ref>/archivo/", views.export_file, name="export_file"),
    path("supervision/<str:code>/lista/<slug:kind>/", views.unit_list, name="list"),
    re_path(
        r"^supervision/(?P<code>\w+)/lista/(?P<kind>[\w-]+)\.(?P<fmt>csv|xlsx)/preparar/$",
        views.export_start,
        name="export_start",
    ),
    re_path(
        r"^supervision/(?P<code>\w+)/lista/(?P<kind>[\w-]+)\.(?P<fmt>csv|xlsx)$",
        views.export_list,
        name="export_list",
    ),
]
