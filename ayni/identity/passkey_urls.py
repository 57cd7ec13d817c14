"""django-otp-webauthn's endpoints (its namespace, which its scripts reverse), with our
two completion views."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
)

from ayni.identity.passkeys import CompleteAuthentication, CompleteRegistration

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registro/inicio/",
        BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path("registro/fin/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path(
        "verificacion/inicio/",
        BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "verificacion/fin/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
