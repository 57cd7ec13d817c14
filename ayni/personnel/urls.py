from django.urls import path

from ayni.personnel import views

app_name = "personnel"

urlpatterns = [
    path("mi-legajo/", views.my_file, name="my_file"),
    path("mi-legajo/quien-vio/", views.who_viewed, name="who_viewed"),
    path("servidores/", views.servant_list, name="servant_list"),
    path("servidores/<uuid:ref>/", views.servant_detail, name="servant_detail"),
]
