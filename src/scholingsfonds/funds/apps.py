from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "scholingsfonds.funds"
    label = "funds"
