from django.urls import path

from ayni.reports import views

app_name = "reports"

urlpatterns = [
    path("mi-legajo/reporte/hoja-de-vida/", views.my_resume, name="my_resume"),
    path("mi-legajo/reporte/hoja-de-vida/pdf/", views.my_resume_pdf, name="my_resume_pdf"),
    path("mi-legajo/reporte/hoja-de-vida/estado/", views.my_resume_status, name="my_resume_status"),
    path("mi-legajo/reporte/informes/", views.my_reports, name="my_reports"),
    path("mi-legajo/reporte/informes/<uuid:ref>/pdf/", views.my_report_pdf, name="my_report_pdf"),
    path("escalafon/informes/", views.informe_inbox, name="informe_inbox"),
    path("escalafon/informes/<uuid:ref>/", views.informe_review, name="informe_review"),
    path(
        "escalafon/informes/emitidos/<uuid:ref>/anular/",
        views.informe_annul_view,
        name="informe_annul",
    ),
    path("escalafon/hojas-de-vida/", views.resume_batches, name="resume_batches"),
    path("servidores/<uuid:ref>/hoja-de-vida/", views.resume_generate_view, name="resume_generate"),
]
