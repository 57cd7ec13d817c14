from django.urls import path

from ayni.api.views import token_list, token_new, token_revoke_view

app_name = "tokens"

urlpatterns = [
    path("", token_list, name="list"),
    path("nuevo/", token_new, name="new"),
    path("<uuid:ref>/revocar/", token_revoke_view, name="revoke"),
]
