from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ayni.accounts"
    label = "accounts"
    verbose_name = "Cuentas"
