from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "iktipet.accounts"
    label = "accounts"
