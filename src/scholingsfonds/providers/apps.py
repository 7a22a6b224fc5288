from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "scholingsfonds.providers"
    label = "providers"
