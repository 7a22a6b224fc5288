from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "scholingsfonds.accounts"
    label = "accounts"
