from django.contrib.auth import views as auth_views
from django.urls import path

from ayni.accounts import views

app_name = "accounts"

urlpatterns = [
    path("ingresar/", views.login_view, name="login"),
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
