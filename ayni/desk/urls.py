from django.urls import path

from ayni.desk import recovery_views, views

app_name = "desk"

urlpatterns = [
    path("acceso/solicitar/", views.access_request, name="access_request"),
    path("acceso/enviada/", views.access_sent, name="access_sent"),
    path("acceso/confirmar/", views.access_confirm, name="access_confirm"),
    path("acceso/seguimiento/", views.access_follow, name="access_follow"),
    path("mesa-de-partes/", views.my_cases_view, name="my_cases"),
    path("mesa-de-partes/nuevo/", views.new_case, name="new_case"),
    path("mesa-de-partes/<uuid:ref>/", views.my_case, name="my_case"),
    path("mesa-de-partes/<uuid:ref>/cargo/", views.my_case_receipt, name="my_case_receipt"),
    path("mesa/recuperar-acceso/", recovery_views.recovery_start, name="recovery_start"),
    path(
        "mesa/recuperar-acceso/<uuid:ref>/",
        recovery_views.recovery_detail,
        name="recovery_detail",
    ),
    path("mesa/", views.inbox, name="inbox"),
    path("mesa/<uuid:ref>/", views.case_detail, name="case_detail"),
    path("mesa/<uuid:ref>/archivos/<int:file_id>/", views.case_file_download, name="case_file"),
]
