from django.urls import path

from ayni.benefits import views

app_name = "benefits"

urlpatterns = [
    path("beneficios/", views.requirements, name="requirements"),
    path("beneficios/mis-pedidos/", views.my_requests, name="my_requests"),
    path("beneficios/solicitar/<slug:benefit>/", views.request_new, name="request_new"),
    path("beneficios/pedidos/<uuid:ref>/", views.request_detail, name="request_detail"),
    path("planillas/beneficios/", views.officer_requests, name="officer_requests"),
    path("beneficios/deudos/", views.survivor_claim, name="survivor_claim"),
    path("beneficios/deudos/enviado/", views.survivor_sent, name="survivor_sent"),
    path("beneficios/deudos/confirmar/", views.survivor_confirm, name="survivor_confirm"),
    path("beneficios/deudos/seguimiento/", views.survivor_follow, name="survivor_follow"),
    path("mi-boleta/constancias/", views.constancias, name="constancias"),
    path("constancias/<uuid:ref>/", views.constancia, name="constancia"),
    path("constancias/<uuid:ref>/pdf/", views.constancia_pdf, name="constancia_pdf"),
    path("constancias/<uuid:ref>/xlsx/", views.constancia_xlsx, name="constancia_xlsx"),
    path("planillas/constancias/", views.officer_constancias, name="officer_constancias"),
]
