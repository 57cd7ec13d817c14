from django.urls import path

from ayni.core import views

app_name = "core"

urlpatterns = [
    path("verificar/", views.verify, name="verify"),
]
