from django.urls import path

from ayni.sharing import views

app_name = "sharing"

urlpatterns = [
    path("mis-enlaces/", views.my_links, name="my_links"),
    path("mis-enlaces/nuevo/<slug:kind>/<uuid:ref>/", views.link_new, name="link_new"),
    path("mis-enlaces/<uuid:ref>/", views.link_created, name="link_created"),
    path("mis-enlaces/<uuid:ref>/anular/", views.link_revoke_view, name="link_revoke"),
    path("c/", views.open_gate, name="open"),  # the token follows «#»: /c/#<token>
    path("c/ver/", views.open_link, name="open_link"),
    path("c/pdf/", views.open_pdf, name="open_pdf"),
]
