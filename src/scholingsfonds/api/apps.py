from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "scholingsfonds.api"
    label = "api"
