from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "scholingsfonds.demo"
    label = "demo"
