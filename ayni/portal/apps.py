from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer: home pages and staff pages that gather figures from every app.

    It may import any app; no app imports it.
    """

    name = "ayni.portal"
    label = "portal"
    verbose_name = "Portal"
