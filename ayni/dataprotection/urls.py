from django.urls import path

from ayni.dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path("mis-datos-personales/", views.my_data, name="my_data"),
    path("mis-datos-personales/descarga/", views.export_request, name="export_request"),
    path(
        "mis-datos-personales/descarga/<uuid:ref>/estado/",
        views.export_status,
        name="export_status",
    ),
    path(
        "mis-datos-personales/descarga/<uuid:ref>/", views.export_download, name="export_download"
    ),
    path("mis-datos-personales/arco/", views.arco_file, name="arco_file"),
    path("proteccion-de-datos/uso-de-sus-datos/", views.uses, name="uses"),
    path("proteccion-de-datos/", views.desk, name="desk"),
    path("proteccion-de-datos/arco/<uuid:ref>/", views.arco_detail, name="arco_detail"),
    path("proteccion-de-datos/incidentes/nuevo/", views.incident_new, name="incident_new"),
    path("proteccion-de-datos/incidentes/<uuid:ref>/", views.incident_detail, name="incident"),
    path("proteccion-de-datos/inventario/", views.inventory, name="inventory"),
]
