from django.urls import path

from ayni.portal import help as help_views
from ayni.portal import views

app_name = "portal"

urlpatterns = [
    path("auditoria/", views.audit_list, name="audit"),
    path("ayuda/", help_views.help_index, name="help"),
    path("ayuda/<slug:slug>/", help_views.help_page, name="help_page"),
    path("favicon.ico", help_views.favicon, name="favicon"),
    path("notificaciones/", views.notifications, name="notifications"),
    path("notificaciones/leidas/", views.notifications_read, name="notifications_read"),
]
