from django.urls import path

from ayni.identity import oidc, views

app_name = "identity"

urlpatterns = [
    path("segundo-factor/configurar/", views.enrol, name="enrol"),
    path("segundo-factor/verificar/", views.verify, name="verify"),
    path(
        "segundo-factor/continuar/<str:stash_id>/",
        views.step_up_continue,
        name="step_up_continue",
    ),
    path("segundo-factor/codigos/", views.recovery_codes, name="recovery_codes"),
    path("segundo-factor/restablecer/", views.admin_reset, name="admin_reset"),
    path("seguridad/", views.security, name="security"),
    path("sesiones/", views.session_list, name="sessions"),
    path("sesiones/<int:record_id>/cerrar/", views.session_close, name="session_close"),
    path("sesiones/cerrar-otras/", views.sessions_close_others, name="sessions_close_others"),
    path("gobpe/ingresar/", oidc.start, name="oidc_start"),
    path("gobpe/retorno/", oidc.callback, name="oidc_callback"),
    path("gobpe/fallo/", oidc.failed, name="oidc_failed"),
]
