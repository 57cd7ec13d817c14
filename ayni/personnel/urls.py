from django.urls import path

from ayni.personnel.views import my_file, my_requests, review, servants, staff_file

app_name = "personnel"

urlpatterns = [
    path("mi-legajo/", my_file.my_file, name="my_file"),
    path("mi-legajo/historial/", my_file.my_history, name="my_history"),
    path("mi-legajo/quien-vio/", servants.who_viewed, name="who_viewed"),
    path("mi-legajo/<slug:slug>/", my_file.my_section, name="my_section"),
    path(
        "mi-legajo/<slug:slug>/solicitar/<str:kind_key>/<str:operation>/",
        my_file.request_change,
        name="request_add",
    ),
    path(
        "mi-legajo/<slug:slug>/solicitar/<str:kind_key>/<str:operation>/<uuid:ref>/",
        my_file.request_change,
        name="request_change",
    ),
    path("mis-solicitudes/", my_requests.request_list, name="my_requests"),
    path("mis-solicitudes/<uuid:ref>/", my_requests.request_detail, name="my_request_detail"),
    path("mis-solicitudes/<uuid:ref>/enviada/", my_requests.request_sent, name="request_sent"),
    path(
        "mis-solicitudes/<uuid:ref>/anular/", my_requests.request_withdraw, name="request_withdraw"
    ),
    path("escalafon/solicitudes/", review.inbox, name="review_inbox"),
    path("escalafon/solicitudes/<uuid:ref>/", review.review_detail, name="review_detail"),
    path("servidores/", servants.servant_list, name="servant_list"),
    path("servidores/<uuid:ref>/", servants.servant_detail, name="servant_detail"),
    path("servidores/<uuid:ref>/historial/", servants.servant_history, name="servant_history"),
    path(
        "servidores/<uuid:ref>/legajo/<str:kind_key>/nuevo/",
        staff_file.entry_edit,
        name="entry_new",
    ),
    path(
        "servidores/<uuid:ref>/legajo/<str:kind_key>/<uuid:entry_ref>/editar/",
        staff_file.entry_edit,
        name="entry_edit",
    ),
    path(
        "servidores/<uuid:ref>/legajo/<str:kind_key>/<uuid:entry_ref>/eliminar/",
        staff_file.entry_remove,
        name="entry_remove",
    ),
]
