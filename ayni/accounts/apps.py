from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ayni.accounts"
    label = "accounts"
    verbose_name = "Cuentas"

    def ready(self) -> None:
        from ayni.accounts import actions  # noqa: F401  (registers the audit actions)
