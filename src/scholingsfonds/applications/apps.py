from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "scholingsfonds.applications"
    label = "applications"
