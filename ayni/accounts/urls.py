from django.contrib.auth import views as auth_views
from django.urls import path

from ayni.accounts import views

app_name = "accounts"

urlpatterns = [
    path("ingresar/", views.login_view, name="login"),
    path("ingresar/enlace/", views.login_link_view, name="login_link"),
    path("mis-datos/", views.profile_view, name="profile"),
    path("mis-datos/correo/", views.email_change_view, name="email_change"),
    path("mis-datos/correo/confirmar/", views.email_confirm_view, name="email_confirm"),
    path("mis-datos/telefono/", views.phone_change_view, name="phone_change"),
    path("salir/", views.logout_view, name="logout"),
    path("privacidad/", views.privacy_view, name="privacy"),
    path("contrasena/cambiar/", views.PasswordChange.as_view(), name="password_change"),
    path("contrasena/olvide/", views.password_reset_view, name="password_reset"),
    path(
        "contrasena/olvide/enviado/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "contrasena/restablecer/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "contrasena/restablecida/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
