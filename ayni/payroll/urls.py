from django.urls import path

from ayni.payroll import views

app_name = "payroll"

urlpatterns = [
    path("mi-boleta/", views.my_payslips, name="my_payslips"),
    path("mi-boleta/<uuid:ref>/", views.payslip_detail, name="payslip_detail"),
    path("mi-boleta/<uuid:ref>/pdf/", views.payslip_download, name="payslip_pdf"),
    path("planillas/", views.run_list, name="run_list"),
    path("planillas/cargar/", views.run_upload, name="run_upload"),
    path("planillas/guia/", views.guide, name="guide"),
    path("planillas/guia/<str:name>", views.guide_sample, name="guide_sample"),
    path("planillas/<uuid:ref>/", views.run_detail, name="run_detail"),
    path("planillas/<uuid:ref>/publicar/", views.run_publish, name="run_publish"),
    path("planillas/<uuid:ref>/anular/", views.run_annul, name="run_annul"),
    path(
        "planillas/<uuid:ref>/boletas/<uuid:payslip_ref>/pdf/",
        views.run_payslip_pdf,
        name="run_payslip_pdf",
    ),
]
