from django.urls import path

from ayni.portal import views

app_name = "portal"

urlpatterns = [
    path("auditoria/", views.audit_list, name="audit"),
    path("notificaciones/", views.notifications, name="notifications"),
    path("notificaciones/leidas/", views.notifications_read, name="notifications_read"),
]
